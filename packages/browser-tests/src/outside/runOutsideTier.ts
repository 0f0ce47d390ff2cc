/*
 * The outside-client tier of `scripts/dev.sh test`: proof that the packages work outside this repository.
 * It packs the four published packages, creates a fresh app with @backstage/create-app (the registry's current
 * release) in a folder of its own, installs the plugins by the code blocks of their READMEs (readmeSteps.ts),
 * builds the app and starts its backend on the in-memory SQLite of the created app-config.yaml, with the
 * README's cluster pointing at a real kube-apiserver of the harness. Then its Playwright specs check the API,
 * the sync, the Flux page and the entity tab in Chromium (report: outside.json).
 * Then the side-by-side: the same app with the Kubernetes plugin and ours on 3 and 20 clusters, timed in
 * Chromium (figures: printed and in outside-measurements.json).
 *
 * usage: yarn test:outside [--report-dir DIR] [--work-dir DIR] [--keep] [--clusters 3,20]
 *   --work-dir DIR   where the app is created (default: a new temporary folder, removed at the end)
 *   --keep           leave the work dir (the created app) in place
 *   --reuse-app      with --work-dir: skip packing, creating, installing and building when an earlier run did
 *                    them there (its tarballs and README steps, not today's: for working on the specs)
 *   --clusters LIST  the cluster counts of the side-by-side (default 3,20)
 */
import { chromium } from '@playwright/test';
import {
  fluxFleetObjects,
  HarnessCluster,
  seedFluxObjects,
  startFleet,
} from '@internal/kube-harness';
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import YAML from 'yaml';
import { chromiumLaunchOptions } from '../chromium';
import { REPO_ROOT } from '../portal';
import {
  applyStep,
  configPlaceholders,
  createApp,
  currentCreateAppVersion,
  installAsOnReleaseDay,
  mustRun,
  packPlugins,
  pointPackagesAtTarballs,
} from './outsideApp';
import { signInAsGuest, writeOutsideRun } from './outsideEnv';
import { readmeSteps } from './readmeSteps';
import { startOutsideBackend } from './outsideBackend';
import {
  grantKubernetesPluginReads,
  measureTabs,
  sideBySideConfig,
} from './sideBySide';

function option(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const started = Date.now();
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const log = (line: string) =>
  console.log(`outside tier [${seconds(Date.now() - started)}] ${line}`);

/** Runs `work` and logs how long it took; the durations go into the figures too. */
const durations: Record<string, number> = {};
async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = Date.now();
  log(`${label}…`);
  const result = await work();
  durations[label] = Date.now() - start;
  log(`${label}: ${seconds(durations[label])}`);
  return result;
}

async function main() {
  // The created app is a new project: its install writes its lockfile, which Yarn forbids under CI=true.
  process.env.YARN_ENABLE_IMMUTABLE_INSTALLS = 'false';
  const reportDir =
    option('--report-dir') ??
    path.join(process.env.TMPDIR ?? os.tmpdir(), 'flux-orchestrator-tests');
  const ownWorkDir = !option('--work-dir');
  const workDir =
    option('--work-dir') ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'flux-outside-'));
  const counts = (option('--clusters') ?? '3,20').split(',').map(Number);
  if (!counts.every(n => Number.isInteger(n) && n > 0))
    throw new Error(
      `--clusters takes counts such as 3,20, not ${option('--clusters')}`,
    );
  fs.mkdirSync(reportDir, { recursive: true });
  fs.rmSync(path.join(reportDir, 'outside.json'), { force: true });
  const logFile = path.join(reportDir, 'outside.log');
  fs.writeFileSync(logFile, '');
  log(`logs: ${logFile}; the app: ${workDir}`);

  const backendSteps = readmeSteps(
    path.join(REPO_ROOT, 'plugins/flux-orchestrator-backend/README.md'),
  );
  const frontendSteps = readmeSteps(
    path.join(REPO_ROOT, 'plugins/flux-orchestrator/README.md'),
  );
  const { clusterName, title, variables } = configPlaceholders(backendSteps);
  const entityStep = frontendSteps.find(s => s.type === 'catalogEntity');
  if (!entityStep || entityStep.type !== 'catalogEntity')
    throw new Error('the frontend README gives no catalog entity example');
  const entity = YAML.parse(entityStep.yaml);
  const entityId = entity.metadata.annotations['backstage.io/kubernetes-id'];
  const entityPath = `/catalog/${
    entity.metadata.namespace ?? 'default'
  }/${String(entity.kind).toLowerCase()}/${entity.metadata.name}`;

  // The clusters start while the app installs: neither needs the other until the backend starts.
  const clusterCount = Math.max(1, ...counts);
  const fleetReady = (async () => {
    const fleet = await startFleet({
      clusters: Array.from({ length: clusterCount }, (_, i) => ({
        name: `flux-${String(i + 1).padStart(2, '0')}`,
        generation: 'current' as const,
      })),
    });
    await Promise.all(
      fleet.clusters.map(async cluster => {
        await seedFluxObjects(cluster.adminKubeconfig, 'current');
        await grantKubernetesPluginReads(cluster);
      }),
    );
    return fleet;
  })();
  // Awaited below; without a handler here, its failure during the install would end the process unreported.
  fleetReady.catch(() => {});

  let fleet: Awaited<typeof fleetReady> | undefined;
  let specsFailed = true;
  try {
    const appDir = path.join(workDir, 'created', 'app');
    const ready = path.join(appDir, '.outside-tier-ready');
    if (process.argv.includes('--reuse-app') && fs.existsSync(ready)) {
      log(
        `reusing the app installed by an earlier run in ${appDir}, with that run's tarballs and README steps`,
      );
    } else {
      const tarballs = await timed('pack the four packages', () =>
        packPlugins(path.join(workDir, 'packs'), logFile),
      );
      const version = currentCreateAppVersion();
      await timed(`create the app (npx @backstage/create-app@${version})`, () =>
        createApp(path.dirname(appDir), version, logFile),
      );
      const released = await installAsOnReleaseDay(appDir);
      log(
        `the app's Backstage release was published by ${released.toISOString()}; it installs the registry of the day after`,
      );
      pointPackagesAtTarballs(appDir, tarballs);
      await timed("install the created app's dependencies", () =>
        mustRun('yarn', ['install'], { cwd: appDir, logFile }),
      );
      await timed("follow the READMEs' installation steps", async () => {
        for (const step of [...backendSteps, ...frontendSteps]) {
          log(`  README step: ${JSON.stringify(step).slice(0, 140)}`);
          await applyStep(appDir, step, tarballs, logFile);
        }
      });
      await timed('build the frontend (yarn workspace app build)', () =>
        mustRun('yarn', ['workspace', 'app', 'build'], {
          cwd: appDir,
          logFile,
        }),
      );
      fs.writeFileSync(ready, '');
    }
    fleet = await timed('wait for the harness clusters', () => fleetReady);
    const clusters = fleet.clusters;

    // The README's cluster, from the environment variables its configuration names.
    const readmeCluster = clusters[0];
    const values: Record<string, string> = {
      url: readmeCluster.server,
      serviceAccountToken: readmeCluster.tokens.viewer,
      caData: readmeCluster.caPem,
    };
    const env: Record<string, string> = {};
    for (const [key, variable] of Object.entries(variables)) {
      if (!(key in values))
        throw new Error(
          `the README's cluster reads ${key} from ${variable}, which this tier cannot give`,
        );
      env[variable] = values[key];
    }
    const seeded = fluxFleetObjects('current');
    const entityObjects = seeded
      .filter(o => o.labels?.['backstage.io/kubernetes-id'] === entityId)
      .map(o => ({ kind: o.kind, name: o.name }));

    const readme = await timed(
      'start the backend (the README configuration) until it has synced',
      () =>
        startOutsideBackend({
          appDir,
          configs: [],
          env,
          logFile: path.join(reportDir, 'outside-backend.log'),
          objects: seeded.length,
          entityPath,
        }),
    );
    try {
      writeOutsideRun({
        portalUrl: readme.baseUrl,
        cluster: { name: clusterName, title },
        seededObjects: seeded.length,
        entity: { path: entityPath, objects: entityObjects },
        reportDir,
      });
      specsFailed = await timed('Playwright: the outside specs', async () => {
        // Its list reporter on this process's output, as the browser tier's.
        const specs = spawnSync(
          'yarn',
          [
            'playwright',
            'test',
            '--config',
            path.join(__dirname, 'playwright.config.ts'),
          ],
          {
            cwd: path.join(REPO_ROOT, 'packages/browser-tests'),
            stdio: 'inherit',
          },
        );
        return specs.status !== 0;
      });
    } finally {
      await readme.stop();
    }

    const figures: Array<Record<string, unknown>> = [];
    const browser = await chromium.launch(chromiumLaunchOptions);
    try {
      for (const count of counts) {
        const subset: HarnessCluster[] = clusters.slice(0, count);
        const config = path.join(
          workDir,
          `app-config.side-by-side-${count}.yaml`,
        );
        fs.writeFileSync(config, sideBySideConfig(subset));
        const backend = await timed(
          `start the backend with ${count} clusters until it has synced`,
          () =>
            startOutsideBackend({
              appDir,
              configs: [config],
              env: {},
              logFile: path.join(reportDir, `outside-backend-${count}.log`),
              objects: seeded.length * count,
              entityPath,
            }),
        );
        try {
          const timing = await measureTabs(
            browser,
            backend.baseUrl,
            entityPath,
            subset.map(c => c.name),
            entityObjects.length * count,
            signInAsGuest,
            path.join(reportDir, `outside-side-by-side-${count}`),
          );
          const { kubernetes, flux } = timing;
          // Both must have shown the same objects, or the figures compare nothing.
          const expected = entityObjects.length * count;
          if (
            kubernetes.objects !== expected ||
            kubernetes.errors ||
            kubernetes.shown !== count ||
            flux.objects !== expected ||
            flux.shown !== expected
          )
            throw new Error(
              `the side-by-side at ${count} clusters is not comparing like with like: ${expected} Flux objects ` +
                `expected; the Kubernetes plugin answered ${kubernetes.objects} with ${kubernetes.errors} errors ` +
                `and showed ${kubernetes.shown} of ${count} clusters, ours answered ${flux.objects} and showed ` +
                `${flux.shown} rows (see ${reportDir}/outside-side-by-side-${count}-*.png)`,
            );
          figures.push({ clusters: count, objects: expected, ...timing });
          log(
            `${count} clusters, ${expected} Flux objects of the entity: ` +
              `Kubernetes tab ${kubernetes.ms.toFixed(
                0,
              )} ms (its API ${kubernetes.apiMs.toFixed(0)} ms), ` +
              `Flux tab ${flux.ms.toFixed(0)} ms (its API ${flux.apiMs.toFixed(
                0,
              )} ms): ` +
              `on screen ${(kubernetes.ms / flux.ms).toFixed(1)}× sooner, ` +
              `API ${(kubernetes.apiMs / flux.apiMs).toFixed(1)}× faster`,
          );
        } finally {
          await backend.stop();
        }
      }
    } finally {
      await browser.close();
    }
    fs.writeFileSync(
      path.join(reportDir, 'outside-measurements.json'),
      JSON.stringify({ durations, sideBySide: figures }, null, 2),
    );
    log(`total ${seconds(Date.now() - started)}`);
    if (specsFailed)
      throw new Error(
        `the outside specs failed: see ${logFile} and outside.json`,
      );
  } finally {
    await (fleet ?? (await fleetReady.catch(() => undefined)))?.stop();
    if (ownWorkDir && !process.argv.includes('--keep'))
      fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(`outside tier: ${error.stack ?? error}`);
  process.exit(1);
});
