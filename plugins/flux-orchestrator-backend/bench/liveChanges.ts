/*
 * Live changes benchmark (prints figures; asserts nothing). Starts real kube-apiservers with the harness, seeds
 * R Flux objects per cluster, and lets the plugin's watcher list every cluster into PostgreSQL. Then it changes
 * the status (the Ready condition, through the /status subresource) of N objects spread over the clusters at a
 * steady pace, and times each change from the API server's answer to its row in the store, and to the signal
 * that tells open pages about it (the flush of the 1 s ChangeBatcher, as the plugin wires it). Goal: p95 < 2 s.
 *
 * usage: yarn bench:live [--clusters 20] [--objects 500] [--changes 200] [--rate 40] [--servers N]
 *   --rate: changes per second over all clusters. --servers: API servers to start (default min(clusters, 20));
 *   logical clusters share them round-robin, and then, as in bench:sync, each watches every object of its
 *   server: a change made for one logical cluster reaches the others on its server too.
 */
import { ConfigReader } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  FLUX_KINDS,
  formatResourceId,
  getFluxKind,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import {
  apiVersionOf,
  clientNode,
  HarnessCluster,
  kubeConfigFrom,
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
import { ChangeBatcher } from '../src/sync/ChangeBatcher';
import { ClusterWatcher } from '../src/sync/ClusterWatcher';
import { mapWithConcurrency } from '../src/sync/mapWithConcurrency';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const CLUSTERS = Number(arg('clusters', '20'));
const OBJECTS = Number(arg('objects', '500'));
const CHANGES = Number(arg('changes', '200'));
const RATE = Number(arg('rate', '40'));
const SERVERS = Number(arg('servers', String(Math.min(CLUSTERS, 20))));
const PG =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';
/**
 * API servers started at once (each group with its own etcd): twenty starting together on a small, busy machine
 * miss the harness's 60 s readiness deadline.
 */
const START_GROUP = 4;
/** How long after the last change was answered a change may still arrive before it counts as lost. */
const ARRIVAL_TIMEOUT_MS = 30_000;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, Math.max(0, ms)));

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/** p50, p95 and max of some latencies, in ms. */
function spread(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  if (!sorted.length) return 'none arrived';
  return [50, 95]
    .map(p => `p${p} ${percentile(sorted, p).toFixed(0)} ms`)
    .concat(`max ${sorted[sorted.length - 1].toFixed(0)} ms`)
    .join(', ');
}

/** R Ready objects in ten namespaces: Kustomizations in the first half, GitRepositories in the second. */
function benchObjects(count: number): SeedObject[] {
  const now = new Date().toISOString();
  const status = {
    observedGeneration: 1,
    conditions: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'Succeeded',
        message: 'Applied revision: main@sha1:abc',
        lastTransitionTime: now,
      },
    ],
  };
  return Array.from({ length: count }, (_, i) =>
    i < count / 2
      ? {
          kind: 'Kustomization',
          namespace: `team-${i % 10}`,
          name: `app-${i}`,
          status,
          spec: {
            interval: '10m',
            path: `./apps/app-${i}`,
            prune: true,
            sourceRef: {
              kind: 'GitRepository',
              name: 'fleet',
              namespace: 'flux-system',
            },
          },
        }
      : {
          kind: 'GitRepository',
          namespace: `team-${i % 10}`,
          name: `repo-${i}`,
          status,
          spec: {
            interval: '5m',
            url: `https://git.example.com/team/repo-${i}.git`,
            ref: { branch: 'main' },
          },
        },
  );
}

/** A change made: which stored row it is, when the API server answered it, and the version it answered. */
interface Change {
  cluster: string;
  id: string;
  answeredAt: number;
  version: string;
}

/** Waits until the watcher has listed every kind and its Events on every cluster, and stored every object. */
async function untilListed(knex: Knex, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  const complete = (counts: Array<{ n?: string | number }>, expected: number) =>
    counts.length === CLUSTERS && counts.every(c => Number(c.n) >= expected);
  for (;;) {
    const rows = await knex('flux_resources')
      .select('cluster')
      .count({ n: '*' })
      .groupBy('cluster');
    const positions = await knex('watch_positions')
      .select('cluster')
      .count({ n: '*' })
      .groupBy('cluster');
    if (complete(rows, OBJECTS) && complete(positions, 2 * FLUX_KINDS.length))
      return;
    if (Date.now() > deadline)
      throw new Error(
        `the clusters were not all listed within ${secs(timeoutMs)}`,
      );
    await sleep(250);
  }
}

async function main() {
  const perCluster = Math.ceil(CHANGES / CLUSTERS);
  if (perCluster > OBJECTS)
    throw new Error(
      `${CHANGES} changes need more than ${OBJECTS} objects per cluster`,
    );
  console.log(
    `live changes benchmark: ${CLUSTERS} clusters x ${OBJECTS} Flux objects on ${SERVERS} kube-apiservers, ${CHANGES} status changes at ${RATE}/s`,
  );
  // Undone in reverse at the end, whatever happened: watches, database, API servers.
  const cleanup: Array<() => Promise<unknown>> = [];
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
    const objects = benchObjects(OBJECTS);
    await mapWithConcurrency(servers, 4, server =>
      seedFluxObjects(server.adminKubeconfig, 'current', objects),
    );
    console.log(
      `  seeded ${SERVERS * OBJECTS} objects in ${secs(Date.now() - t)}`,
    );

    const database = `bench_live_${Date.now()}`;
    const admin = knexFactory({ client: 'pg', connection: PG });
    await admin.raw(`create database ${database}`);
    cleanup.push(async () => {
      await admin.raw(`drop database if exists ${database} with (force)`);
      await admin.destroy();
    });
    const knex = knexFactory({ client: 'pg', connection: `${PG}/${database}` });
    cleanup.push(() => knex.destroy());
    const store = await DatabaseFluxStore.create({
      database: { getClient: async () => knex, migrations: { skip: false } },
    });
    // When each change's row was written: the watcher's transaction for that id at that version returned.
    const storedAt = new Map<string, number>();
    const applyWatchChange = store.applyWatchChange.bind(store);
    store.applyWatchChange = async (cluster, change, position) => {
      const applied = await applyWatchChange(cluster, change, position);
      if (applied && change.type === 'upsert') {
        storedAt.set(
          `${formatResourceId({ cluster, ...change.object })}@${
            change.object.resourceVersion
          }`,
          performance.now(),
        );
      }
      return applied;
    };

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
    const { policy, network } = readClusterPolicy(config);
    // Failures are printed; the routine info lines of the watches are not benchmark output.
    const logger: LoggerService = {
      error: message => console.error(`    ${message}`),
      warn: message => console.error(`    ${message}`),
      info: () => {},
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

    // When each id was in a signal; one without ids (after a relist) stands for every id of its cluster.
    const signalledAt = new Map<string, number[]>();
    const batcher = new ChangeBatcher(1000, (cluster, ids) => {
      const at = performance.now();
      for (const key of ids ?? [`${cluster}:*`]) {
        const times = signalledAt.get(key) ?? [];
        times.push(at);
        signalledAt.set(key, times);
      }
    });
    const watcher = new ClusterWatcher({
      store,
      registry,
      logger,
      onChange: (cluster, ids) => batcher.add(cluster, ids),
    });
    const lease = new AbortController();
    const until = new Date(Date.now() + 3600_000);
    t = Date.now();
    const watching = Array.from({ length: CLUSTERS }, (_, i) =>
      watcher.watch(`cluster-${i}`, { signal: lease.signal, until }),
    );
    cleanup.push(async () => {
      lease.abort();
      await Promise.all(watching);
      batcher.stop();
    });
    await untilListed(knex, 300_000);
    console.log(
      `  initial list: every cluster listed and watched, ${
        CLUSTERS * OBJECTS
      } rows stored, in ${secs(Date.now() - t)}`,
    );

    const k8s = await clientNode();
    const apis = await Promise.all(
      servers.map(async server =>
        (
          await kubeConfigFrom(server.adminKubeconfig)
        ).makeApiClient(k8s.CustomObjectsApi),
      ),
    );
    const mergePatch = k8s.setHeaderOptions(
      'Content-Type',
      k8s.PatchStrategy.MergePatch,
    );
    // Change i goes to the clusters in turn, and to objects spread over each cluster's list (so both kinds).
    const step = Math.floor(OBJECTS / perCluster);
    const patchLatencies: number[] = [];
    const change = async (i: number): Promise<Change> => {
      const cluster = `cluster-${i % CLUSTERS}`;
      const object = objects[Math.floor(i / CLUSTERS) * step];
      const [group, version] = apiVersionOf(object.kind, 'current').split('/');
      const sentAt = performance.now();
      const patched = await apis[
        (i % CLUSTERS) % SERVERS
      ].patchNamespacedCustomObjectStatus(
        {
          group,
          version,
          plural: getFluxKind(object.kind)!.plural,
          namespace: object.namespace,
          name: object.name,
          // Its own message makes every change a real one, also for an object changed again via a shared server.
          body: {
            status: {
              observedGeneration: 1,
              conditions: [
                {
                  type: 'Ready',
                  status: 'False',
                  reason: 'BuildFailed',
                  message: `bench change ${i}`,
                  lastTransitionTime: new Date().toISOString(),
                },
              ],
            },
          },
        },
        mergePatch,
      );
      const answeredAt = performance.now();
      patchLatencies.push(answeredAt - sentAt);
      return {
        cluster,
        id: formatResourceId({ cluster, ...object }),
        answeredAt,
        version: patched.metadata.resourceVersion,
      };
    };

    // Open loop: each change leaves on its schedule, whether or not the ones before it have been answered.
    t = Date.now();
    const started = performance.now();
    const sent: Array<Promise<Change | Error>> = [];
    for (let i = 0; i < CHANGES; i++) {
      await sleep(started + (i * 1000) / RATE - performance.now());
      sent.push(change(i).catch((error: Error) => error));
    }
    const results = await Promise.all(sent);
    const sendMs = Date.now() - t;
    const changes = results.filter((r): r is Change => !(r instanceof Error));
    const failed = results.filter((r): r is Error => r instanceof Error);

    const arrival = (c: Change) => {
      const stored = storedAt.get(`${c.id}@${c.version}`);
      if (stored === undefined) return {};
      const signals = [
        ...(signalledAt.get(c.id) ?? []),
        ...(signalledAt.get(`${c.cluster}:*`) ?? []),
      ].filter(at => at >= stored);
      return {
        stored,
        signalled: signals.length ? Math.min(...signals) : undefined,
      };
    };
    const deadline = performance.now() + ARRIVAL_TIMEOUT_MS;
    while (
      changes.some(c => arrival(c).signalled === undefined) &&
      performance.now() < deadline
    )
      await sleep(100);

    const toStore: number[] = [];
    const toSignal: number[] = [];
    for (const c of changes) {
      const { stored, signalled } = arrival(c);
      if (stored !== undefined) toStore.push(stored - c.answeredAt);
      if (signalled !== undefined) toSignal.push(signalled - c.answeredAt);
    }
    const lost = (arrived: number[]) =>
      `${changes.length - arrived.length} never arrived within ${secs(
        ARRIVAL_TIMEOUT_MS,
      )}`;
    const failures = failed.length
      ? `; ${failed.length} failed, e.g. ${failed[0].message}`
      : '';
    console.log(
      `  changes: ${changes.length} made in ${secs(sendMs)} (${(
        changes.length /
        (sendMs / 1000)
      ).toFixed(0)}/s), status PATCH answered in ${spread(
        patchLatencies,
      )}${failures}`,
    );
    console.log(
      `  change -> row in the store:       ${spread(toStore)}; ${lost(
        toStore,
      )}`,
    );
    console.log(
      `  change -> signal (1 s batches):   ${spread(toSignal)}; ${lost(
        toSignal,
      )}`,
    );
  } finally {
    for (const undo of cleanup.reverse()) {
      await undo().catch(error => console.error(`  cleanup failed: ${error}`));
    }
  }
}

main()
  .then(() => process.exit(0))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });
