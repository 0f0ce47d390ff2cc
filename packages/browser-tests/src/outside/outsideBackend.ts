/*
 * The created app's backend, started as `yarn start` would start it (Node with the app's own Backstage
 * transform), serving the app's production build through its app backend plugin on one free port.
 */
import { spawn } from 'child_process';
import fs from 'fs';
import path from 'path';
import { freePort } from '@internal/kube-harness';
import { guestToken } from '../portal';

export interface OutsideBackend {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts the backend and waits until the plugin has stored `objects` Flux objects (the first sync's) and the
 * catalog has read the entity (the created app's catalog reads its example files after start-up).
 */
export async function startOutsideBackend(options: {
  appDir: string;
  configs: string[];
  env: Record<string, string>;
  logFile: string;
  objects: number;
  entityPath: string;
}): Promise<OutsideBackend> {
  const { appDir, configs: extraConfigs, env, logFile } = options;
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  // One origin for the pages and the API; the harness's API servers listen on loopback, which the plugin
  // refuses unless allowed (what the backend README says to do, in words, for clusters on private addresses).
  const portalConfig = path.join(
    path.dirname(logFile),
    `outside-portal-${port}.yaml`,
  );
  fs.writeFileSync(
    portalConfig,
    [
      'app:',
      `  baseUrl: ${baseUrl}`,
      'backend:',
      `  baseUrl: ${baseUrl}`,
      '  listen:',
      `    port: ${port}`,
      '  cors:',
      `    origin: ${baseUrl}`,
      'fluxOrchestrator:',
      '  kubeconfig:',
      '    allowPrivateNetworks: true',
      '',
    ].join('\n'),
  );
  const backendDir = path.join(appDir, 'packages/backend');
  const out = fs.openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs', {
        paths: [backendDir],
      }),
      'src/index.ts',
      ...[
        path.join(appDir, 'app-config.yaml'),
        portalConfig,
        ...extraConfigs,
      ].flatMap(file => ['--config', file]),
    ],
    {
      cwd: backendDir,
      stdio: ['ignore', out, out],
      detached: true,
      env: { ...process.env, ...env, NODE_ENV: 'development' },
    },
  );
  fs.closeSync(out);
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => kill('SIGKILL');
  process.once('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>(resolve =>
      child.once('exit', () => resolve()),
    );
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const [namespace, kind, name] = options.entityPath.split('/').slice(-3);
  const get = async (url: string) =>
    fetch(`${baseUrl}${url}`, {
      headers: { authorization: `Bearer ${await guestToken(baseUrl)}` },
    });
  const waitUntilReady = async () => {
    const deadline = Date.now() + 300_000;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        last = `the backend exited with ${child.exitCode ?? child.signalCode}`;
        break;
      }
      try {
        const summary = await get('/api/flux-orchestrator/summary');
        const entity = await get(
          `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
        );
        if (summary.ok) {
          const total = (
            (await summary.json()) as { totals: { total: number } }
          ).totals.total;
          if (total >= options.objects && entity.ok) return;
          last = `${total} of ${options.objects} objects stored; the catalog answers ${entity.status} for ${kind}:${namespace}/${name}`;
        } else {
          last = `summary answered ${summary.status}`;
        }
      } catch (error) {
        last = (error as Error).message;
      }
      await new Promise(r => setTimeout(r, 1000));
    }
    const tail = fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .slice(-30)
      .join('\n');
    throw new Error(
      `the created app's backend is not ready: ${last}\n--- ${logFile} (end)\n${tail}`,
    );
  };
  try {
    await waitUntilReady();
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}
