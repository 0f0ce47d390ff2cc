import { spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { cacheDir } from './cacheDir';

import versions from '../versions.json';

/** The package's own directory, wherever it is installed; its build scripts live there. */
const HARNESS_DIR = path.dirname(
  require.resolve('@internal/kube-harness/package.json'),
);

/** The repository's shipped manifests for managed clusters, which every harness cluster gets. */
export const MANAGED_CLUSTER_DIR = path.resolve(
  HARNESS_DIR,
  '../../deploy/managed-cluster',
);

/** One of the package's build scripts, by file name. */
export function harnessScript(name: string): string {
  return path.join(HARNESS_DIR, 'scripts', name);
}

/** The Kubernetes release the harness runs: the newest that builds with Go 1.26. */
export const KUBERNETES_VERSION = versions.kubernetes;
/** The etcd release upstream pairs with Kubernetes 1.36. */
export const ETCD_VERSION = versions.etcd;

export interface KubeBinaries {
  kubeApiserver: string;
  etcd: string;
}

function found(dir: string | undefined): KubeBinaries | undefined {
  if (!dir) return undefined;
  const binaries = {
    kubeApiserver: path.join(dir, 'kube-apiserver'),
    etcd: path.join(dir, 'etcd'),
  };
  return fs.existsSync(binaries.kubeApiserver) && fs.existsSync(binaries.etcd)
    ? binaries
    : undefined;
}

/**
 * kube-apiserver and etcd: from `KUBEBUILDER_ASSETS` when the user has envtest's binaries, else from the
 * cache, else built once from the Go module proxy (about 10 minutes cold) into the cache.
 */
export async function ensureKubeBinaries(
  log: (line: string) => void = line => process.stderr.write(`${line}\n`),
): Promise<KubeBinaries> {
  const fromEnvtest = found(process.env.KUBEBUILDER_ASSETS);
  if (fromEnvtest) return fromEnvtest;
  const dir = cacheDir('kube', KUBERNETES_VERSION);
  const cached = found(dir);
  if (cached) return cached;
  const script = harnessScript('build-kube-binaries.sh');
  await runScript(script, [KUBERNETES_VERSION, ETCD_VERSION, dir], log);
  const built = found(dir);
  if (!built)
    throw new Error(
      `kube-harness: ${script} finished but ${dir} has no binaries`,
    );
  return built;
}

/** Runs a build script, passing its progress lines through; fails with its last output lines. */
export function runScript(
  script: string,
  args: string[],
  log: (line: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        if (line.startsWith('kube-harness:')) log(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', code =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `kube-harness: ${path.basename(
                script,
              )} failed (exit ${code}):\n${tail.join('\n')}`,
            ),
          ),
    );
  });
}
