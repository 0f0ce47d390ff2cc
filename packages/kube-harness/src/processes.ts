import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';

const running = new Set<ChildProcess>();
const cleanups = new Set<() => void>();

/**
 * Runs `cleanup` (synchronous: it may run in the process's 'exit' event) when this process ends without
 * stopping what it started, after its servers are killed. The returned function unregisters it.
 */
export function onExit(cleanup: () => void): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

function killAll() {
  for (const child of running) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  running.clear();
  for (const cleanup of cleanups) {
    try {
      cleanup();
    } catch {
      // best effort: the process is ending
    }
  }
  cleanups.clear();
}

// Whatever way the process ends (a failed test, Ctrl-C, an uncaught error), no server is left behind.
process.once('exit', killAll);
// Exit as a shell reports a process killed by the signal: 128 + its number.
const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(128 + SIGNAL_NUMBERS[signal]);
  });
}

/** Starts a server process whose output goes to `logFile`; it is killed when this process exits. */
export function startProcess(
  command: string,
  args: string[],
  logFile: string,
  env?: Record<string, string>,
): ChildProcess {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(command, args, {
    stdio: ['ignore', log, log],
    env: env && { ...process.env, ...env },
  });
  fs.closeSync(log);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Stops a process and waits for it to be gone. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it resolves true, or fails naming what was awaited and the last error. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  child?: ChildProcess,
  logFile?: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) break;
    try {
      if (await check()) return;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  const tail =
    logFile && fs.existsSync(logFile)
      ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n')
      : '';
  const exited =
    child && child.exitCode !== null
      ? ` (process exited with ${child.exitCode})`
      : '';
  throw new Error(
    `kube-harness: ${what} not ready after ${timeoutMs} ms${exited} ${lastError}\n${tail}`,
  );
}
