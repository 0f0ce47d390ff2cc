/*
 * The browser tier of `scripts/dev.sh test`: the demo fleet (three real kube-apiservers with seeded Flux
 * objects and a stand-in controller), one production build of packages/app, two backends serving it (one
 * signed in as an operator, one as a viewer with fewer rights), then Playwright in Debian's Chromium, then figures (bundle size, time to first render). Everything it starts is
 * stopped when it ends.
 *
 * usage: yarn workspace @internal/browser-tests test [--report-dir DIR] [--update-screenshots] [--reuse-build]
 *   --report-dir DIR       where playwright.json, browser-measurements.json and the logs go
 *                          (default $TMPDIR/flux-orchestrator-tests)
 *   --update-screenshots   write the screenshots into docs/screenshots (else into the report dir)
 *   --reuse-build          keep an existing packages/app/dist instead of building the app again
 *   PLAYWRIGHT_ARGS        extra arguments for `playwright test`, e.g. a spec file or --grep
 */
import { chromium } from '@playwright/test';
import { spawn } from 'child_process';
import { freePort, startDemoFleet } from '@internal/kube-harness';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { chromiumLaunchOptions } from './chromium';
import { measureBundle, measureFirstRender } from './measure';
import {
  guestToken,
  REPO_ROOT,
  run,
  startBackend,
  waitForFirstSync,
  writePortalConfig,
} from './portal';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const started = Date.now();
const log = (line: string) =>
  console.log(
    `browser tier [${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`,
  );

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Waits for a portal's first sync and for its catalog to have read examples/entities.yaml (the entity tab and the entity rules need it). */
async function waitForPortal(
  baseUrl: string,
  backend: ReturnType<typeof startBackend>,
  logFile: string,
) {
  const objects = await waitForFirstSync(baseUrl, backend, logFile, 180_000);
  const token = await guestToken(baseUrl);
  for (let i = 0; i < 120; i++) {
    const response = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/component/default/podinfo`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    if (response.ok) break;
    await new Promise(r => setTimeout(r, 500));
  }
  return objects;
}

async function main(): Promise<number> {
  const reportDir = path.resolve(
    option('--report-dir') ??
      process.env.BROWSER_REPORT_DIR ??
      path.join(os.tmpdir(), 'flux-orchestrator-tests'),
  );
  const workDir = path.join(reportDir, 'browser');
  const screenshotsDir = process.argv.includes('--update-screenshots')
    ? path.join(REPO_ROOT, 'docs/screenshots')
    : path.join(reportDir, 'screenshots');
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.rmSync(path.join(reportDir, 'playwright.json'), { force: true });
  fs.mkdirSync(workDir, { recursive: true });
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const logs = {
    fleet: path.join(workDir, 'demo-fleet.log'),
    build: path.join(workDir, 'app-build.log'),
    backend: path.join(workDir, 'backend.log'),
    viewerBackend: path.join(workDir, 'viewer-backend.log'),
  };

  // The fleet (about 10 s) and the app's production build (about 20 s) do not depend on each other.
  log('starting the demo fleet and building the app');
  const appDist = path.join(REPO_ROOT, 'packages/app/dist');
  const reuse =
    process.argv.includes('--reuse-build') &&
    fs.existsSync(path.join(appDist, 'index.html'));
  const build = reuse
    ? Promise.resolve(0)
    : run('yarn', ['workspace', 'app', 'build'], {
        cwd: REPO_ROOT,
        logFile: logs.build,
      });
  const fleetLog = (line: string) => fs.appendFileSync(logs.fleet, `${line}\n`);
  const fleet = await startDemoFleet(
    path.join(workDir, 'app-config.demo.yaml'),
    { log: fleetLog },
  ).catch(async error => {
    await build.catch(() => {});
    throw error;
  });
  let backend: ReturnType<typeof startBackend> | undefined;
  let viewerBackend: ReturnType<typeof startBackend> | undefined;
  try {
    log(`demo fleet up: ${fleet.clusters.join(', ')}`);
    const buildCode = await build;
    if (buildCode !== 0) {
      throw new Error(
        `the app build failed (exit ${buildCode}); see ${logs.build}:\n${fs
          .readFileSync(logs.build, 'utf8')
          .slice(-3000)}`,
      );
    }
    log(reuse ? 'reusing the existing app build' : 'app built');

    const portalConfig = path.join(workDir, 'app-config.browser.yaml');
    const baseUrl = writePortalConfig(portalConfig, await freePort());
    backend = startBackend(
      [path.join(REPO_ROOT, 'app-config.yaml'), fleet.configPath, portalConfig],
      logs.backend,
    );
    // A second portal on the same fleet whose guest is a plain member of `guests`, not an operator: the dev
    // policy lets them reconcile only the objects of entities their group owns, and suspend nothing.
    const viewerConfig = path.join(workDir, 'app-config.viewer.yaml');
    const viewerUrl = writePortalConfig(viewerConfig, await freePort(), {
      userEntityRef: 'user:default/viewer',
      ownershipEntityRefs: ['user:default/viewer', 'group:default/guests'],
    });
    viewerBackend = startBackend(
      [path.join(REPO_ROOT, 'app-config.yaml'), fleet.configPath, viewerConfig],
      logs.viewerBackend,
    );
    const [objects] = await Promise.all([
      waitForPortal(baseUrl, backend, logs.backend),
      waitForPortal(viewerUrl, viewerBackend, logs.viewerBackend),
    ]);
    log(
      `portals up at ${baseUrl} and, for the viewer, ${viewerUrl}: first sync wrote ${objects} objects`,
    );

    const env = {
      ...process.env,
      FLUX_PORTAL_URL: baseUrl,
      FLUX_VIEWER_PORTAL_URL: viewerUrl,
      FLUX_DEMO_KUBECONFIGS: JSON.stringify(fleet.adminKubeconfigs),
      BROWSER_REPORT_DIR: reportDir,
      FLUX_SCREENSHOTS_DIR: screenshotsDir,
    };
    const extra = (process.env.PLAYWRIGHT_ARGS ?? '')
      .split(' ')
      .filter(Boolean);
    const testCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          require.resolve('@playwright/test/cli'),
          'test',
          '--config',
          path.join(__dirname, 'playwright.config.ts'),
          ...extra,
        ],
        { cwd: path.resolve(__dirname, '..'), stdio: 'inherit', env },
      );
      child.once('error', reject);
      child.once('exit', code => resolve(code ?? 1));
    });
    log(
      `playwright finished (exit ${testCode}); screenshots in ${screenshotsDir}`,
    );

    log('measuring the bundle and the time to first render');
    const bundle = measureBundle(path.join(appDist, 'static'));
    const browser = await chromium.launch(chromiumLaunchOptions);
    const firstRender = await measureFirstRender(
      browser,
      `${baseUrl}/flux`,
      path.join(workDir, 'guest-session.json'),
    ).finally(() => browser.close());
    const figures = {
      measuredAt: new Date().toISOString(),
      bundle,
      firstRender,
    };
    fs.writeFileSync(
      path.join(reportDir, 'browser-measurements.json'),
      `${JSON.stringify(figures, null, 2)}\n`,
    );
    printFigures(figures);
    return testCode;
  } finally {
    log('stopping the backend and the demo fleet');
    await Promise.all([backend?.stop(), viewerBackend?.stop()]);
    await fleet.stop();
  }
}

function printFigures({
  bundle,
  firstRender,
}: {
  bundle: ReturnType<typeof measureBundle>;
  firstRender: Awaited<ReturnType<typeof measureFirstRender>>;
}) {
  const lines = [
    '== browser tier figures (measured, not asserted)',
    `app bundle: ${bundle.files} JS files, ${kb(bundle.bytes)} (${kb(
      bundle.gzipBytes,
    )} gzipped)`,
    `Flux plugin code in the bundle: ${kb(bundle.fluxBytes)} in ${
      bundle.fluxChunks.length
    } chunk(s):`,
    ...bundle.fluxChunks.map(
      c =>
        `  ${c.file}: ${kb(c.bytes)} (${kb(c.gzipBytes)} gzipped), ${kb(
          c.fluxBytes,
        )} of it from ${c.fluxSources.length} Flux plugin source(s)`,
    ),
    firstRender.coldMedianMs === null
      ? `time to first render of the overview: not measured (${firstRender.error})`
      : `time to first render of the overview (navigation start to status tiles): median ${firstRender.coldMedianMs} ms cold ` +
        `[${firstRender.coldMs.join(', ')}], ${
          firstRender.warmMedianMs ?? '-'
        } ms warm [${firstRender.warmMs.join(', ')}]`,
  ];
  console.log(lines.join('\n'));
}

main()
  .then(code => process.exit(code))
  .catch(error => {
    console.error(`browser tier: ${error.stack ?? error.message}`);
    process.exit(1);
  });
