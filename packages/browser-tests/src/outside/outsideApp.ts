/*
 * Someone else's Backstage: a fresh app from @backstage/create-app (the registry's current release) in a
 * folder of its own, with the plugins installed from their packed tarballs by the steps of their READMEs.
 */
import { execFile, execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import YAML from 'yaml';
import { REPO_ROOT, run } from '../portal';
import { promisify } from 'util';
import { ReadmeStep } from './readmeSteps';

const execFileAsync = promisify(execFile);

/** The published packages, by their folder under plugins/. */
export const PLUGIN_PACKAGES = {
  'flux-orchestrator': '@flux-orchestrator/backstage-plugin-flux-orchestrator',
  'flux-orchestrator-backend':
    '@flux-orchestrator/backstage-plugin-flux-orchestrator-backend',
  'flux-orchestrator-common':
    '@flux-orchestrator/backstage-plugin-flux-orchestrator-common',
  'flux-orchestrator-node':
    '@flux-orchestrator/backstage-plugin-flux-orchestrator-node',
};

/** Runs a command and throws, with the end of its log, when it fails. */
export async function mustRun(
  command: string,
  args: string[],
  options: { cwd: string; logFile: string },
) {
  const code = await run(command, args, options);
  if (code !== 0) {
    const tail = fs
      .readFileSync(options.logFile, 'utf8')
      .split('\n')
      .slice(-25)
      .join('\n');
    throw new Error(
      `${command} ${args.join(' ')} exited with ${code} (in ${
        options.cwd
      })\n--- ${options.logFile} (end)\n${tail}`,
    );
  }
}

/**
 * Builds each published package and packs it as npm would publish it (prepack swaps the entry points for
 * dist). The type declarations come from the repository's type check, run first (incremental: quick after
 * `scripts/dev.sh test` has run it). Returns the tarball of each package name.
 */
export async function packPlugins(
  packDir: string,
  logFile: string,
): Promise<Record<string, string>> {
  fs.mkdirSync(packDir, { recursive: true });
  await mustRun('yarn', ['tsc'], { cwd: REPO_ROOT, logFile });
  const tarballs: Record<string, string> = {};
  for (const [folder, name] of Object.entries(PLUGIN_PACKAGES)) {
    const cwd = path.join(REPO_ROOT, 'plugins', folder);
    const tarball = path.join(packDir, `${folder}.tgz`);
    await mustRun('yarn', ['build'], { cwd, logFile });
    await mustRun('yarn', ['pack', '--out', tarball], { cwd, logFile });
    tarballs[name] = tarball;
  }
  return tarballs;
}

/** The registry's current release of create-app. */
export function currentCreateAppVersion(): string {
  return JSON.parse(
    execFileSync(
      'npm',
      ['view', '@backstage/create-app', 'version', '--json'],
      {
        encoding: 'utf8',
      },
    ),
  );
}

/**
 * `npx @backstage/create-app`, as its docs say, without its install (run next, on its own, to be timed). The
 * parent folder pins Yarn as this repository does: create-app checks for a Yarn before it starts.
 */
export async function createApp(
  workDir: string,
  version: string,
  logFile: string,
) {
  const appDir = path.join(workDir, 'app');
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const { packageManager } = JSON.parse(
    fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'),
  );
  fs.writeFileSync(
    path.join(workDir, 'package.json'),
    JSON.stringify({ packageManager }),
  );
  process.env.BACKSTAGE_APP_NAME = 'outside';
  await mustRun(
    'npx',
    [
      '-y',
      `@backstage/create-app@${version}`,
      '--path',
      appDir,
      '--skip-install',
    ],
    { cwd: workDir, logFile },
  );
  return appDir;
}

/**
 * When the Backstage release the created app asks for was published: the newest publication among the
 * versions its `@backstage/*` dependencies start their caret ranges at (the template writes the release's
 * versions there).
 */
async function releasePublished(appDir: string): Promise<Date> {
  const wanted = new Map<string, string>();
  for (const file of [
    'package.json',
    'packages/app/package.json',
    'packages/backend/package.json',
  ]) {
    const pkg = JSON.parse(fs.readFileSync(path.join(appDir, file), 'utf8'));
    for (const [name, range] of Object.entries<string>({
      ...pkg.dependencies,
      ...pkg.devDependencies,
    })) {
      const version = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
      if (name.startsWith('@backstage/') && version) wanted.set(name, version);
    }
  }
  const times: number[] = [];
  const names = [...wanted.keys()];
  // A few at a time: one npm process per package.
  for (let i = 0; i < names.length; i += 8) {
    await Promise.all(
      names.slice(i, i + 8).map(async name => {
        const { stdout } = await execFileAsync(
          'npm',
          ['view', name, 'time', '--json'],
          // Outside any workspace, where npm would warn that it ignores it.
          { cwd: os.tmpdir() },
        );
        const published = JSON.parse(stdout)[wanted.get(name)!];
        if (published) times.push(Date.parse(published));
      }),
    );
  }
  if (!times.length)
    throw new Error(
      `no @backstage dependency of ${appDir} has a publication date`,
    );
  return new Date(Math.max(...times));
}

/**
 * The created app installs the Backstage release create-app was published with. Its dependencies are caret
 * ranges, pinned on a normal machine by the lockfile seed create-app downloads from GitHub, which this
 * network does not reach; without it, Yarn takes the newest of every range, and patch releases of a later
 * Backstage release no longer fit the older ones (plugin-signals-backend 0.3.21 calls a backend-defaults 0.19
 * API while the app's range stops at 0.18). So the app's Yarn sees the registry as it was a day after the
 * release, through its own age gate (`npmMinimalAgeGate`), for @backstage packages too. Returns that day.
 */
export async function installAsOnReleaseDay(appDir: string): Promise<Date> {
  const released = await releasePublished(appDir);
  const file = path.join(appDir, '.yarnrc.yml');
  const yarnrc = YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
  const dayAfter = released.getTime() + 24 * 3600_000;
  yarnrc.npmMinimalAgeGate = Math.max(
    0,
    Math.ceil((Date.now() - dayAfter) / 60_000),
  );
  delete yarnrc.npmPreapprovedPackages;
  fs.writeFileSync(file, YAML.stringify(yarnrc));
  return released;
}

/**
 * The tarballs stand in for the registry: the app resolves each plugin package to its tarball, so that the
 * plugins' dependencies on each other (`^0.1.0`) are met by the same tarballs.
 */
export function pointPackagesAtTarballs(
  appDir: string,
  tarballs: Record<string, string>,
) {
  const file = path.join(appDir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  pkg.resolutions = { ...pkg.resolutions };
  for (const [name, tarball] of Object.entries(tarballs)) {
    pkg.resolutions[name] = `file:${tarball}`;
  }
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}

/**
 * A README's `yarn add` of a plugin package, with the package taken from its tarball instead of the
 * registry: the only change made to a README step.
 */
function fromTarballs(command: string, tarballs: Record<string, string>) {
  if (!/^yarn\b.*\badd\b/.test(command)) return command;
  return command
    .split(/\s+/)
    .map(word => (tarballs[word] ? `${word}@file:${tarballs[word]}` : word))
    .join(' ');
}

function mergeYaml(file: string, addition: string) {
  const document = fs.existsSync(file)
    ? YAML.parseDocument(fs.readFileSync(file, 'utf8'))
    : new YAML.Document({});
  const merge = (into: unknown, from: unknown): unknown => {
    if (
      into &&
      from &&
      typeof into === 'object' &&
      typeof from === 'object' &&
      !Array.isArray(into) &&
      !Array.isArray(from)
    ) {
      const merged: Record<string, unknown> = { ...into };
      for (const [key, value] of Object.entries(from)) {
        merged[key] = merge(merged[key], value);
      }
      return merged;
    }
    return from;
  };
  for (const [key, value] of Object.entries(YAML.parse(addition) ?? {})) {
    document.set(key, merge(document.toJS()?.[key], value));
  }
  fs.writeFileSync(file, document.toString());
}

/** Does what one README step says, in the app. */
export async function applyStep(
  appDir: string,
  step: ReadmeStep,
  tarballs: Record<string, string>,
  logFile: string,
) {
  switch (step.type) {
    case 'run':
      await mustRun('bash', ['-c', fromTarballs(step.command, tarballs)], {
        cwd: appDir,
        logFile,
      });
      return;
    case 'addToFile': {
      const file = path.join(appDir, step.file);
      const text = fs.readFileSync(file, 'utf8');
      const addition = `${step.lines.join('\n').trim()}\n`;
      // "before backend.start()", as the backend README says; elsewhere at the end.
      const start = text.lastIndexOf('backend.start();');
      fs.writeFileSync(
        file,
        start >= 0
          ? `${text.slice(0, start)}${addition}${text.slice(start)}`
          : `${text}${addition}`,
      );
      return;
    }
    case 'mergeConfig':
      mergeYaml(path.join(appDir, step.file), step.yaml);
      return;
    case 'catalogEntity': {
      // The created app's catalog reads examples/entities.yaml: the entity goes there, as one more document.
      const file = path.join(appDir, 'examples/entities.yaml');
      fs.appendFileSync(file, `---\n${step.yaml.trim()}\n`);
      return;
    }
    default:
      throw new Error(`unknown README step ${JSON.stringify(step)}`);
  }
}

/**
 * The environment variables a README's configuration reads (`${NAME}`), by the key that holds them:
 * e.g. { url: 'FLUX_PROD_EU_URL', serviceAccountToken: 'FLUX_PROD_EU_TOKEN' }.
 */
export function configPlaceholders(steps: ReadmeStep[]): {
  clusterName: string;
  title: string;
  variables: Record<string, string>;
} {
  for (const step of steps) {
    if (step.type !== 'mergeConfig' || step.file !== 'app-config.yaml')
      continue;
    const cluster = YAML.parse(step.yaml)?.fluxOrchestrator?.clusters?.[0];
    if (!cluster) continue;
    const variables: Record<string, string> = {};
    for (const [key, value] of Object.entries(cluster)) {
      const variable = /^\$\{(\w+)\}$/.exec(String(value));
      if (variable) variables[key] = variable[1];
    }
    return {
      clusterName: cluster.name,
      title: cluster.title ?? cluster.name,
      variables,
    };
  }
  throw new Error(
    "the backend README's app-config.yaml step configures no cluster",
  );
}
