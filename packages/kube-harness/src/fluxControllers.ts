import fs from 'fs';
import path from 'path';
import { harnessScript, runScript } from './binaries';
import { cacheDir } from './cacheDir';
import { freePort, startProcess, stopProcess, waitFor } from './processes';

import { FLUX_KINDS } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import versions from '../versions.json';

/** The Flux release whose controllers the harness runs (and whose CRDs the current generation installs). */
export const FLUX_VERSION = versions.flux.release;

const CONTROLLERS = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
] as const;
type Controller = (typeof CONTROLLERS)[number];

export type FluxControllerBinaries = Record<Controller, string>;

/** The API groups the three reconcile; notification and image kinds have no controller here. */
const GROUPS = [
  'source.toolkit.fluxcd.io',
  'kustomize.toolkit.fluxcd.io',
  'helm.toolkit.fluxcd.io',
];

/** The Flux kinds whose controllers the harness cannot build (notification and image): left to the stand-in. */
export const STAND_IN_KINDS: string[] = FLUX_KINDS.filter(
  k => !GROUPS.includes(k.group),
).map(k => k.kind);

function found(dir: string): FluxControllerBinaries | undefined {
  const binaries = Object.fromEntries(
    CONTROLLERS.map(c => [c, path.join(dir, c)]),
  ) as FluxControllerBinaries;
  return Object.values(binaries).every(b => fs.existsSync(b))
    ? binaries
    : undefined;
}

/**
 * source-, kustomize- and helm-controller of the Flux release in versions.json: from the cache, else built once
 * from the Go module proxy into it (scripts/build-flux-controllers.sh).
 */
export async function ensureFluxControllers(
  log: (line: string) => void = line => process.stderr.write(`${line}\n`),
): Promise<FluxControllerBinaries> {
  const dir = cacheDir('flux-controllers', FLUX_VERSION);
  const cached = found(dir);
  if (cached) return cached;
  const script = harnessScript('build-flux-controllers.sh');
  await runScript(script, [dir], log);
  const built = found(dir);
  if (!built)
    throw new Error(
      `kube-harness: ${script} finished but ${dir} has no controllers`,
    );
  return built;
}

/** The real Flux controllers of one cluster, running out of cluster against its API server. */
export interface RunningFluxControllers {
  /** Where source-controller serves its artifacts (loopback), as kustomize- and helm-controller fetch them. */
  artifactServer: string;
  /** The controllers' log files, by controller. */
  logs: Record<Controller, string>;
  stop(): Promise<void>;
}

/**
 * Starts source-, kustomize- and helm-controller for one cluster, with its admin kubeconfig, as Flux runs them
 * in a cluster but on loopback: leader election off (one set per cluster), metrics and health on ports of their
 * own, and source-controller's artifact storage in `dir`, served on a loopback port that the other two fetch
 * artifacts from. Resolves when all three report ready.
 */
export async function startFluxControllers(
  binaries: FluxControllerBinaries,
  adminKubeconfig: string,
  dir: string,
): Promise<RunningFluxControllers> {
  fs.mkdirSync(path.join(dir, 'artifacts'), { recursive: true });
  // Each set its own temporary folder: kustomize-controller builds in TMPDIR, and two of them sharing /tmp
  // removed each other's build folders mid-build ("lstat /tmp/kustomization-…: no such file or directory").
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, adminKubeconfig, { mode: 0o600 });
  const storage = `127.0.0.1:${await freePort()}`;
  const extraArgs: Record<Controller, string[]> = {
    'source-controller': [
      `--storage-path=${path.join(dir, 'artifacts')}`,
      `--storage-addr=${storage}`,
      `--storage-adv-addr=${storage}`,
    ],
    'kustomize-controller': [],
    // Its default, 10 minutes, would hold the fleet's stop that long.
    'helm-controller': ['--graceful-shutdown-timeout=5s'],
  };
  const started: Array<{
    child: ReturnType<typeof startProcess>;
    stop: () => Promise<void>;
  }> = [];
  const logs = {} as Record<Controller, string>;
  try {
    await Promise.all(
      CONTROLLERS.map(async controller => {
        const health = await freePort();
        const logFile = path.join(dir, `${controller}.log`);
        logs[controller] = logFile;
        const child = startProcess(
          binaries[controller],
          [
            `--metrics-addr=127.0.0.1:${await freePort()}`,
            `--health-addr=127.0.0.1:${health}`,
            '--enable-leader-election=false',
            '--log-encoding=console',
            ...extraArgs[controller],
          ],
          logFile,
          // The controllers read their kubeconfig from the environment only (no --kubeconfig flag).
          { KUBECONFIG: kubeconfig, TMPDIR: tmp },
        );
        started.push({ child, stop: () => stopProcess(child) });
        await waitFor(
          `${controller} for ${dir}`,
          async () => (await fetch(`http://127.0.0.1:${health}/readyz`)).ok,
          60_000,
          child,
          logFile,
        );
      }),
    );
  } catch (error) {
    await Promise.all(started.map(s => s.stop()));
    throw error;
  }
  return {
    artifactServer: `http://${storage}`,
    logs,
    stop: async () => {
      await Promise.all(started.map(s => s.stop()));
    },
  };
}
