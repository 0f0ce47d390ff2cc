import { ChildProcess } from 'child_process';
import fs from 'fs';
import https from 'https';
import os from 'os';
import path from 'path';
import { ensureKubeBinaries, KubeBinaries } from './binaries';
import { applyFluxCrds, ensureFluxCrds, FluxGeneration } from './fluxCrds';
import { kubeconfigYaml } from './kubeconfig';
import { createClusterPki, ClusterPki } from './pki';
import {
  freePort,
  onExit,
  startProcess,
  stopProcess,
  waitFor,
} from './processes';
import {
  createServiceAccountTokens,
  ServiceAccountTokens,
} from './serviceAccounts';

export interface ClusterSpec {
  name: string;
  generation: FluxGeneration;
}

/** One running Kubernetes API server with the Flux CRDs of its generation. */
export interface HarnessCluster {
  name: string;
  generation: FluxGeneration;
  server: string;
  caPem: string;
  /** Client-certificate kubeconfig of a system:masters user. */
  adminKubeconfig: string;
  /** TokenRequest tokens of ServiceAccounts with narrower rights, and kubeconfigs for them. */
  tokens: ServiceAccountTokens;
  kubeconfigFor(user: keyof ServiceAccountTokens): string;
  /** Stops this API server only: the cluster "goes away" while the others keep serving. */
  stop(): Promise<void>;
}

export interface Fleet {
  clusters: HarnessCluster[];
  workDir: string;
  stop(): Promise<void>;
}

export interface StartFleetOptions {
  clusters: ClusterSpec[];
  log?: (line: string) => void;
  /** Where PKI, logs and etcd data go; a fresh temporary directory by default, removed on stop. */
  workDir?: string;
}

function httpsGet(url: string, pki: ClusterPki): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      {
        ca: pki.servingCa.certPem,
        cert: pki.admin.certPem,
        key: pki.admin.keyPem,
        timeout: 2000,
      },
      res => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function startEtcd(binaries: KubeBinaries, workDir: string) {
  const [client, peer, metrics] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const logFile = path.join(workDir, 'etcd.log');
  const child = startProcess(
    binaries.etcd,
    [
      '--name=harness',
      `--data-dir=${path.join(workDir, 'etcd')}`,
      `--listen-client-urls=${url(client)}`,
      `--advertise-client-urls=${url(client)}`,
      `--listen-peer-urls=${url(peer)}`,
      `--initial-advertise-peer-urls=${url(peer)}`,
      `--initial-cluster=harness=${url(peer)}`,
      `--listen-metrics-urls=${url(metrics)}`,
      // envtest's setting: test data need not survive a power cut, and fsync dominates start-up time.
      '--unsafe-no-fsync=true',
    ],
    logFile,
  );
  await waitFor(
    'etcd',
    async () => (await fetch(`${url(client)}/health`)).ok,
    30_000,
    child,
    logFile,
  );
  return { child, endpoint: url(client) };
}

async function startApiServer(
  spec: ClusterSpec,
  binaries: KubeBinaries,
  etcd: string,
  workDir: string,
): Promise<{ child: ChildProcess; server: string; pki: ClusterPki }> {
  const dir = path.join(workDir, spec.name);
  fs.mkdirSync(dir, { recursive: true });
  const pki = await createClusterPki(spec.name);
  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content, { mode: 0o600 });
    return p;
  };
  const port = await freePort();
  const logFile = path.join(dir, 'kube-apiserver.log');
  const child = startProcess(
    binaries.kubeApiserver,
    [
      `--etcd-servers=${etcd}`,
      // Several clusters share one etcd, each under its own prefix.
      `--etcd-prefix=/clusters/${spec.name}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${port}`,
      `--tls-cert-file=${file('serving.crt', pki.serving.certPem)}`,
      `--tls-private-key-file=${file('serving.key', pki.serving.keyPem)}`,
      `--client-ca-file=${file('client-ca.crt', pki.clientCa.certPem)}`,
      '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${file(
        'sa.pub',
        pki.serviceAccount.publicKeyPem,
      )}`,
      `--service-account-signing-key-file=${file(
        'sa.key',
        pki.serviceAccount.privateKeyPem,
      )}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--allow-privileged=true',
      '--disable-admission-plugins=ServiceAccount',
      // No kubelets or Services to reconcile endpoints for; also silences a loopback warning every 10 s.
      '--endpoint-reconciler-type=none',
    ],
    logFile,
  );
  const server = `https://127.0.0.1:${port}`;
  await waitFor(
    `kube-apiserver ${spec.name}`,
    async () => (await httpsGet(`${server}/readyz`, pki)) === 200,
    60_000,
    child,
    logFile,
  );
  await waitFor(
    `namespace default in ${spec.name}`,
    async () =>
      (await httpsGet(`${server}/api/v1/namespaces/default`, pki)) === 200,
    30_000,
    child,
    logFile,
  );
  return { child, server, pki };
}

/**
 * Starts one etcd and an API server per cluster, installs each cluster's Flux CRDs, and creates
 * ServiceAccounts with narrower rights. Everything it started stops with `stop()`, and with this process.
 */
export async function startFleet(options: StartFleetOptions): Promise<Fleet> {
  const log = options.log ?? (() => {});
  const binaries = await ensureKubeBinaries(log);
  const crdDirs = new Map<FluxGeneration, string>();
  for (const generation of new Set(options.clusters.map(c => c.generation))) {
    crdDirs.set(generation, await ensureFluxCrds(generation, log));
  }
  const ownWorkDir = !options.workDir;
  const workDir =
    options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kube-harness-'));
  const children: ChildProcess[] = [];
  const removeWorkDir = () => {
    if (ownWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
  };
  // A signal or an uncaught error ends the process without stop(): the work directory goes then too.
  const forgetExit = onExit(removeWorkDir);
  const stopAll = async () => {
    forgetExit();
    await Promise.all(children.map(stopProcess));
    removeWorkDir();
  };
  try {
    const etcd = await startEtcd(binaries, workDir);
    children.push(etcd.child);
    const clusters = await Promise.all(
      options.clusters.map(async spec => {
        const started = await startApiServer(
          spec,
          binaries,
          etcd.endpoint,
          workDir,
        );
        children.push(started.child);
        const adminKubeconfig = kubeconfigYaml({
          name: spec.name,
          server: started.server,
          caPem: started.pki.servingCa.certPem,
          user: started.pki.admin,
        });
        await applyFluxCrds(adminKubeconfig, crdDirs.get(spec.generation)!);
        const tokens = await createServiceAccountTokens(adminKubeconfig);
        log(
          `kube-harness: cluster ${spec.name} (${spec.generation} Flux APIs) at ${started.server}`,
        );
        const cluster: HarnessCluster = {
          name: spec.name,
          generation: spec.generation,
          server: started.server,
          caPem: started.pki.servingCa.certPem,
          adminKubeconfig,
          tokens,
          kubeconfigFor: user =>
            kubeconfigYaml({
              name: spec.name,
              server: started.server,
              caPem: started.pki.servingCa.certPem,
              user: { token: tokens[user] },
            }),
          stop: () => stopProcess(started.child),
        };
        return cluster;
      }),
    );
    return { clusters, workDir, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
