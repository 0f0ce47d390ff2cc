/*
 * Starting the portal the browser tier runs against: the backend of packages/backend, serving the production
 * build of packages/app through the app backend plugin, with the demo fleet registered.
 */
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * The settings that make the backend serve the built app on its own port: one origin for the pages and the
 * API, as in production. Everything else comes from app-config.yaml and the demo fleet's file, except the
 * reconcile's wait for Flux's answer, pinned well below the demo controller's pause (4 s) so that the test of
 * the pending state does not depend on the default.
 */
export function writePortalConfig(
  file: string,
  port: number,
  guest?: { userEntityRef: string; ownershipEntityRefs: string[] },
): string {
  const baseUrl = `http://localhost:${port}`;
  // A portal whose guest is someone else: the permission policy treats them as that user.
  const identity = guest
    ? [
        'auth:',
        '  providers:',
        '    guest:',
        `      userEntityRef: ${guest.userEntityRef}`,
        `      ownershipEntityRefs: [${guest.ownershipEntityRefs.join(', ')}]`,
      ]
    : [];
  const yaml = [
    '# Written by packages/browser-tests for one run of the browser tier.',
    'app:',
    `  baseUrl: ${baseUrl}`,
    'backend:',
    `  baseUrl: ${baseUrl}`,
    '  listen:',
    `    port: ${port}`,
    '  cors:',
    `    origin: ${baseUrl}`,
    'fluxOrchestrator:',
    '  actions:',
    '    handledWait: { seconds: 1 }',
    // Owners hear of a failure within seconds, and a spec run again within minutes is told again.
    '  notifications:',
    '    frequency: { seconds: 2 }',
    '    minInterval: { seconds: 1 }',
    ...identity,
    '',
  ].join('\n');
  fs.writeFileSync(file, yaml);
  return baseUrl;
}

/** Runs a command to its end, its output into `logFile`; resolves with the exit code. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; logFile: string },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const log = fs.openSync(options.logFile, 'a');
    const child = spawn(command, args, {
      cwd: options.cwd,
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    child.once('error', reject);
    child.once('exit', code => resolve(code ?? 1));
  });
}

export interface Backend {
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts packages/backend the way `backstage-cli package start` does (Node with Backstage's TypeScript
 * transform), but without its file watcher: other people editing the plugins must not restart the backend,
 * and with it the in-memory database, in the middle of a run.
 */
export function startBackend(configFiles: string[], logFile: string): Backend {
  const backendDir = path.join(REPO_ROOT, 'packages/backend');
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      ...configFiles.flatMap(file => ['--config', file]),
    ],
    {
      cwd: backendDir,
      stdio: ['ignore', log, log],
      // Its own process group, so that stopping it stops whatever it started too.
      detached: true,
      env: { ...process.env, NODE_ENV: 'development' },
    },
  );
  fs.closeSync(log);
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // Whatever way the runner ends, the backend does not outlive it.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);
  return {
    child,
    async stop() {
      process.removeListener('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>(resolve =>
        child.once('exit', () => resolve()),
      );
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A token of the guest user, the identity the browser signs in with (guest provider, development mode). */
export async function guestToken(baseUrl: string): Promise<string> {
  const response = await fetch(
    `${baseUrl}/api/auth/guest/refresh?env=development`,
    {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    },
  );
  if (!response.ok)
    throw new Error(
      `guest sign-in answered ${response.status} ${await response.text()}`,
    );
  const body = (await response.json()) as {
    backstageIdentity?: { token?: string };
  };
  const token = body.backstageIdentity?.token;
  if (!token)
    throw new Error('guest sign-in answered without a Backstage token');
  return token;
}

/**
 * Waits until the plugin answers and its first sync has written objects: before that the pages would show
 * an empty fleet and every comparison would be a comparison of zeros.
 */
export async function waitForFirstSync(
  baseUrl: string,
  backend: Backend,
  logFile: string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (backend.child.exitCode !== null) {
      last = `the backend exited with ${backend.child.exitCode}`;
      break;
    }
    try {
      const token = await guestToken(baseUrl);
      const response = await fetch(`${baseUrl}/api/flux-orchestrator/summary`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.ok) {
        const summary = (await response.json()) as {
          totals?: { total?: number };
        };
        const total = summary.totals?.total ?? 0;
        if (total > 0) return total;
        last = 'the summary counts no objects yet';
      } else {
        last = `summary answered ${response.status}`;
      }
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  const tail = fs
    .readFileSync(logFile, 'utf8')
    .split('\n')
    .slice(-30)
    .join('\n');
  throw new Error(
    `the portal was not ready after ${
      timeoutMs / 1000
    } s: ${last}\n--- backend log (end)\n${tail}`,
  );
}
