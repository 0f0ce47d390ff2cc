/*
 * Steady-state benchmark (prints figures; asserts nothing). Starts real kube-apiservers with the harness and seeds
 * R Flux objects on each from a child process, so that the process measured never holds the seeded objects (the
 * seeding alone grows a process's RSS by hundreds of MB). C logical clusters share the servers round-robin, so
 * the PostgreSQL store holds C x R rows. Then, with nothing changing on the servers:
 *   1. cold sync: the plugin's full sync of every cluster at its default concurrency; duration, peak RSS and heap
 *      (goal at 100 x 1,000: under 600 MB peak RSS);
 *   2. watching: every cluster watched in leases, as the plugin's tasks renew them, for M minutes; CPU and RSS;
 *   3. polling: the full sync of every cluster every P minutes, as with `sync.watch: false`, for M minutes.
 *
 * usage: yarn bench:steady [--clusters 100] [--objects 1000] [--servers 10] [--minutes 10] [--poll-minutes 5]
 *          [--mode both|watch|poll]
 *   --mode: which of the two steady states to measure (the cold sync always runs: it fills the store). With both,
 *   polling runs after watching, whose RSS the process keeps: measure one alone for its own RSS.
 */
import { ChildProcess, spawn } from 'child_process';
import { once } from 'events';
import os from 'os';
import { text } from 'stream/consumers';
import { ConfigReader } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { FLUX_KINDS } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import {
  HarnessCluster,
  seedFluxObjects,
  SeedObject,
  startFleet,
} from '@internal/kube-harness';
import knexFactory, { Knex } from 'knex';
import { createRegistry } from '../src/__testUtils__/createRegistry';
import { readClusterPolicy } from '../src/clusters/readClusterPolicy';
import {
  configClusterSource,
  readConfigClusters,
} from '../src/clusters/readConfigClusters';
import { DatabaseFluxStore } from '../src/database/DatabaseFluxStore';
import { ClusterSyncer } from '../src/sync/ClusterSyncer';
import { ClusterWatcher } from '../src/sync/ClusterWatcher';
import { mapWithConcurrency } from '../src/sync/mapWithConcurrency';
import { readSyncSettings } from '../src/sync/readSyncSettings';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const CLUSTERS = Number(arg('clusters', '100'));
const OBJECTS = Number(arg('objects', '1000'));
const SERVERS = Number(arg('servers', '10'));
const WINDOW_MS = Number(arg('minutes', '10')) * 60_000;
/** The plugin's full-sync frequency with `sync.watch: false` (readSyncSettings). */
const POLL_MS = Number(arg('poll-minutes', '5')) * 60_000;
const MODE = arg('mode', 'both');
/** The plugin's full-sync frequency while watching, as a safety net (readSyncSettings). */
const SAFETY_NET_MS = 30 * 60_000;
const PG =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';
/** API servers started at once (each group with its own etcd), as in bench:live: more miss the readiness deadline. */
const START_GROUP = 4;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, Math.max(0, ms)));
/** User and system CPU time of this process (every thread: the event loop, GC, libuv's pool), in ms. */
const cpuMs = (usage = process.cpuUsage()) =>
  (usage.user + usage.system) / 1000;

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/** R objects over the kinds a fleet member has most of: Kustomizations, HelmReleases and their sources. */
function benchObjects(count: number): SeedObject[] {
  const now = new Date().toISOString();
  const revision = 'main@sha1:5e1c7f3b2a9d4e6f8a0b1c2d3e4f5a6b7c8d9e0f';
  const artifact = (path: string) => ({
    path,
    url: `http://source-controller.flux-system.svc/${path}`,
    revision,
    digest: 'sha256:3b5f4c0a',
    lastUpdateTime: now,
  });
  return Array.from({ length: count }, (_, i) => {
    const failing = i % 10 === 0;
    const namespace = `team-${i % 10}`;
    const ready = {
      type: 'Ready',
      status: failing ? 'False' : 'True',
      reason: failing ? 'BuildFailed' : 'ReconciliationSucceeded',
      message: failing
        ? `kustomize build failed for app-${i}: resource not found`
        : `Applied revision: ${revision}`,
      lastTransitionTime: now,
    };
    const status = { observedGeneration: 1, conditions: [ready] };
    switch (i % 4) {
      case 0:
        return {
          kind: 'Kustomization',
          namespace,
          name: `app-${i}`,
          spec: {
            interval: '10m',
            path: `./apps/app-${i}`,
            prune: true,
            sourceRef: {
              kind: 'GitRepository',
              name: `repo-${i + 2}`,
              namespace: `team-${(i + 2) % 10}`,
            },
          },
          status: {
            ...status,
            lastAppliedRevision: revision,
            inventory: {
              entries: [
                'Deployment',
                'Service',
                'ConfigMap',
                'ServiceAccount',
              ].map(kind => ({
                id: `${namespace}_app-${i}__${kind}`,
                v: 'v1',
              })),
            },
          },
        };
      case 1:
        return {
          kind: 'HelmRelease',
          namespace,
          name: `release-${i}`,
          spec: {
            interval: '5m',
            chart: {
              spec: {
                chart: `chart-${i}`,
                version: '1.x',
                sourceRef: {
                  kind: 'HelmRepository',
                  name: `charts-${i + 2}`,
                  namespace: `team-${(i + 2) % 10}`,
                },
              },
            },
          },
          status: {
            ...status,
            lastAttemptedRevision: '1.4.2',
            history: [
              {
                chartName: `chart-${i}`,
                chartVersion: '1.4.2',
                appVersion: '1.4.2',
                configDigest: 'sha256:1a2b',
                digest: 'sha256:3c4d',
                firstDeployed: now,
                lastDeployed: now,
                name: `release-${i}`,
                namespace,
                status: 'deployed',
                version: 1,
              },
            ],
          },
        };
      case 2:
        return {
          kind: 'GitRepository',
          namespace,
          name: `repo-${i}`,
          spec: {
            interval: '5m',
            url: `https://git.example.com/team/repo-${i}.git`,
            ref: { branch: 'main' },
          },
          status: {
            ...status,
            artifact: artifact(
              `gitrepository/${namespace}/repo-${i}/5e1c7f3b.tar.gz`,
            ),
          },
        };
      default:
        return {
          kind: 'HelmRepository',
          namespace,
          name: `charts-${i}`,
          spec: { interval: '1h', url: `https://charts.example.com/team-${i}` },
          status: {
            ...status,
            artifact: artifact(
              `helmrepository/${namespace}/charts-${i}/index.yaml`,
            ),
          },
        };
    }
  });
}

/** The child's part: seeds every server whose admin kubeconfig the parent wrote to its stdin. */
async function seed() {
  const kubeconfigs: string[] = JSON.parse(await text(process.stdin));
  const objects = benchObjects(OBJECTS);
  await mapWithConcurrency(kubeconfigs, 4, kubeconfig =>
    seedFluxObjects(kubeconfig, 'current', objects),
  );
}

/** Runs this file again with `--seed` and waits for it to have seeded every server. */
async function seedInChild(
  servers: HarnessCluster[],
  started: (child: ChildProcess) => void,
) {
  const child = spawn(
    process.execPath,
    [...process.execArgv, __filename, '--seed', '--objects', String(OBJECTS)],
    {
      stdio: ['pipe', 'inherit', 'inherit'],
    },
  );
  started(child);
  child.stdin.end(
    JSON.stringify(servers.map(server => server.adminKubeconfig)),
  );
  const [code, signal] = await once(child, 'exit');
  if (code !== 0)
    throw new Error(
      `the seeding process failed (${signal ?? `exit code ${code}`})`,
    );
}

/** Peak RSS and heap (used + external, as bench:sync counts it) while `work` runs, sampled every 50 ms. */
async function peakMemoryOf<T>(work: () => Promise<T>) {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed + usage.external);
  };
  sample();
  const timer = setInterval(sample, 50);
  try {
    const result = await work();
    sample();
    return { result, peakRss, peakHeap };
  } finally {
    clearInterval(timer);
  }
}

interface SteadyFigures {
  wallMs: number;
  cpuMs: number;
  busiestSecondPct: number;
  rss: number[];
}

/**
 * Samples this process's CPU time and RSS every second over a window of WINDOW_MS, during which `activity` runs
 * (it is given the window's end); a window whose activity runs past its end lasts until the activity ends.
 */
async function measureWindow(
  activity: (endsAt: number) => Promise<void>,
): Promise<SteadyFigures> {
  global.gc?.();
  const rss: number[] = [];
  let busiestSecondPct = 0;
  const start = { at: performance.now(), cpu: cpuMs() };
  let last = start;
  const timer = setInterval(() => {
    const now = { at: performance.now(), cpu: cpuMs() };
    busiestSecondPct = Math.max(
      busiestSecondPct,
      (100 * (now.cpu - last.cpu)) / (now.at - last.at),
    );
    rss.push(process.memoryUsage().rss);
    last = now;
  }, 1000);
  try {
    await activity(start.at + WINDOW_MS);
    await sleep(start.at + WINDOW_MS - performance.now());
    return {
      wallMs: performance.now() - start.at,
      cpuMs: cpuMs() - start.cpu,
      busiestSecondPct,
      rss: rss.sort((a, b) => a - b),
    };
  } finally {
    clearInterval(timer);
  }
}

function printWindow(label: string, figures: SteadyFigures) {
  const meanPct = (100 * figures.cpuMs) / figures.wallMs;
  console.log(
    `  ${label} ${(figures.wallMs / 60_000).toFixed(1)} min: CPU ${secs(
      figures.cpuMs,
    )} (mean ${meanPct.toFixed(
      1,
    )} % of one core, busiest second ${figures.busiestSecondPct.toFixed(
      0,
    )} %), RSS p50 ${mb(percentile(figures.rss, 50))}, max ${mb(
      figures.rss[figures.rss.length - 1],
    )}; machine load average ${os.loadavg()[0].toFixed(1)}`,
  );
}

/** Waits until the watches have listed every kind and its Events on every cluster: they stored a position each. */
async function untilWatching(knex: Knex, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const positions = await knex('watch_positions')
      .select('cluster')
      .count({ n: '*' })
      .groupBy('cluster');
    if (
      positions.length === CLUSTERS &&
      positions.every(p => Number(p.n) >= 2 * FLUX_KINDS.length)
    )
      return;
    if (Date.now() > deadline)
      throw new Error(
        `the clusters were not all listed within ${secs(timeoutMs)}`,
      );
    await sleep(1000);
  }
}

async function main() {
  if (!['both', 'watch', 'poll'].includes(MODE))
    throw new Error(`--mode must be both, watch or poll, not ${MODE}`);
  const admin = knexFactory({ client: 'pg', connection: PG });
  const {
    rows: [{ server_version: pgVersion }],
  } = await admin.raw('show server_version');
  console.log(
    `steady-state benchmark: ${CLUSTERS} logical clusters x ${OBJECTS} Flux objects (${
      CLUSTERS * OBJECTS
    } rows) on ${SERVERS} kube-apiservers, PostgreSQL ${pgVersion} at ${
      new URL(PG).host
    }, ${os.cpus().length} CPUs`,
  );
  // Undone in reverse at the end, whatever happened: watches, database, seeding process, API servers.
  const cleanup: Array<() => Promise<unknown>> = [() => admin.destroy()];
  try {
    let t = Date.now();
    const servers: HarnessCluster[] = [];
    for (let first = 0; first < SERVERS; first += START_GROUP) {
      const fleet = await startFleet({
        clusters: Array.from(
          { length: Math.min(START_GROUP, SERVERS - first) },
          (_, i) => ({
            name: `server-${first + i}`,
            generation: 'current' as const,
          }),
        ),
      });
      cleanup.push(() => fleet.stop());
      servers.push(...fleet.clusters);
    }
    console.log(`  started ${SERVERS} API servers in ${secs(Date.now() - t)}`);
    t = Date.now();
    await seedInChild(servers, child =>
      cleanup.push(async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill();
      }),
    );
    console.log(
      `  seeded ${SERVERS * OBJECTS} objects in ${secs(
        Date.now() - t,
      )}, from a child process`,
    );

    const database = `bench_steady_${Date.now()}`;
    await admin.raw(`create database ${database}`);
    cleanup.push(() =>
      admin.raw(`drop database if exists ${database} with (force)`),
    );
    const knex = knexFactory({ client: 'pg', connection: `${PG}/${database}` });
    cleanup.push(() => knex.destroy());
    const store = await DatabaseFluxStore.create({
      database: { getClient: async () => knex, migrations: { skip: false } },
    });
    const config = new ConfigReader({
      fluxOrchestrator: {
        clusters: Array.from({ length: CLUSTERS }, (_, i) => {
          const server = servers[i % SERVERS];
          return {
            name: `cluster-${i}`,
            url: server.server,
            caData: server.caPem,
            serviceAccountToken: server.tokens.viewer,
          };
        }),
        kubeconfig: { allowPrivateNetworks: ['127.0.0.0/8'] },
      },
    });
    const settings = readSyncSettings(config);
    const { policy, network } = readClusterPolicy(config);
    // Failures are printed; the routine info lines of syncs and watches are not benchmark output.
    // Counted: the watches that had to list again because the server no longer had their position (410).
    let positionsGone = 0;
    const logger: LoggerService = {
      error: message => console.error(`    ${message}`),
      warn: message => console.error(`    ${message}`),
      info: message => {
        if (message.includes('its position is gone (410)')) positionsGone++;
      },
      debug: () => {},
      child: () => logger,
    };
    const { registry } = createRegistry({
      store,
      sources: [
        configClusterSource(readConfigClusters(config, policy, network)),
      ],
      logger,
      policies: { policy, network },
    });
    await registry.writeClusters();
    const syncer = new ClusterSyncer({
      store,
      registry,
      logger,
      clusterTimeoutMs: settings.clusterTimeoutMs,
      concurrency: settings.concurrency,
    });

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    t = Date.now();
    const cold = await peakMemoryOf(() => syncer.syncAll('schedule'));
    const [{ n: rowsStored }] = await knex('flux_resources').count({ n: '*' });
    console.log(
      `  cold sync (concurrency ${settings.concurrency}): ${secs(
        Date.now() - t,
      )}, ${rowsStored} rows stored, ${
        cold.result.filter(r => r.status !== 'succeeded').length
      } failed runs; RSS ${mb(rssBefore)} before, peak ${mb(
        cold.peakRss,
      )} (goal < 600 MB at 100 x 1,000); peak heap ${mb(cold.peakHeap)}`,
    );

    let watching: SteadyFigures | undefined;
    if (MODE !== 'poll') {
      // The object and Event changes the watches applied, and their relists (which name no object).
      const applied = { changes: 0, relists: 0 };
      const watcher = new ClusterWatcher({
        store,
        registry,
        logger,
        onChange: (_cluster, uids) =>
          uids ? applied.changes++ : applied.relists++,
      });
      // As ClusterTasks runs them: a lease of `sync.watchLease` at a time, taken again once it ends (the watch
      // task is due every second), resuming the watches from their stored positions.
      const stop = new AbortController();
      const holdLeases = async (name: string) => {
        while (!stop.signal.aborted) {
          const lease = AbortSignal.any([
            stop.signal,
            AbortSignal.timeout(settings.watchLeaseMs),
          ]);
          await watcher
            .watch(name, {
              signal: lease,
              until: new Date(Date.now() + settings.watchLeaseMs),
            })
            .catch(error =>
              logger.error(`Watch of cluster "${name}" failed: ${error}`),
            );
          await sleep(1000);
        }
      };
      t = Date.now();
      const leases = Promise.all(
        Array.from({ length: CLUSTERS }, (_, i) => holdLeases(`cluster-${i}`)),
      );
      cleanup.push(async () => {
        stop.abort();
        await leases;
      });
      await untilWatching(knex, 30 * 60_000);
      console.log(
        `  every cluster listed and watching ${secs(
          Date.now() - t,
        )} after the watches started`,
      );
      applied.changes = applied.relists = positionsGone = 0;
      watching = await measureWindow(async () => {});
      printWindow('watching,', watching);
      console.log(
        `    in the window: ${
          applied.changes
        } object or Event changes applied, ${
          applied.relists
        } relists, ${positionsGone} of them after a 410 (leases of ${secs(
          settings.watchLeaseMs,
        )})`,
      );
      stop.abort();
      await leases;
    }

    if (MODE !== 'watch') {
      const rounds: Array<{ wallMs: number; cpuMs: number }> = [];
      const polling = await measureWindow(async endsAt => {
        for (let at = performance.now(); at < endsAt; at += POLL_MS) {
          await sleep(at - performance.now());
          const before = { at: performance.now(), cpu: cpuMs() };
          await syncer.syncAll('schedule');
          rounds.push({
            wallMs: performance.now() - before.at,
            cpuMs: cpuMs() - before.cpu,
          });
        }
      });
      printWindow(
        `polling every ${(POLL_MS / 60_000).toFixed(1)} min,`,
        polling,
      );
      const meanRound = {
        wallMs: rounds.reduce((sum, r) => sum + r.wallMs, 0) / rounds.length,
        cpuMs: rounds.reduce((sum, r) => sum + r.cpuMs, 0) / rounds.length,
      };
      console.log(
        `    in the window: ${
          rounds.length
        } full syncs of every cluster, each ${secs(
          meanRound.wallMs,
        )} and ${secs(meanRound.cpuMs)} CPU on average`,
      );
      if (watching) {
        // Watching still syncs every cluster in full every 30 minutes: its share of such a window, from the rounds.
        const safetyNetMs = (meanRound.cpuMs * polling.wallMs) / SAFETY_NET_MS;
        console.log(
          `  comparison: polling used ${(
            polling.cpuMs / watching.cpuMs
          ).toFixed(1)}x the CPU of watching (${secs(polling.cpuMs)} vs ${secs(
            watching.cpuMs,
          )}); watching's full sync every ${
            SAFETY_NET_MS / 60_000
          } min, outside its window, adds about ${secs(
            safetyNetMs,
          )} per window; RSS max ${mb(
            polling.rss[polling.rss.length - 1],
          )} polling vs ${mb(watching.rss[watching.rss.length - 1])} watching`,
        );
      }
    }
  } finally {
    for (const undo of cleanup.reverse()) {
      await undo().catch(error => console.error(`  cleanup failed: ${error}`));
    }
  }
}

(process.argv.includes('--seed') ? seed() : main())
  .then(() => process.exit(0))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });
