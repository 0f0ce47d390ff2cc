/*
 * Fleet sync benchmark (prints figures; asserts nothing). Starts real kube-apiservers with the harness, seeds
 * R Flux objects per cluster, and measures the plugin's cold full sync and unchanged re-sync of C clusters on
 * SQLite and PostgreSQL; then compares a fleet-wide "failing objects" page served from the database with the
 * same page built by fanning out live list calls to every cluster, the way a console without a store does.
 *
 * usage: yarn bench:sync [--clusters 20] [--objects 500] [--servers N] [--engines sqlite,postgres]
 *   --servers: API servers to start (default min(clusters, 20)); logical clusters share them round-robin,
 *   since 100 kube-apiservers do not fit in this machine's memory. Each logical cluster is synced on its own.
 */
import { ConfigReader } from '@backstage/config';
import { LoggerService } from '@backstage/backend-plugin-api';
import { FLUX_KINDS } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import {
  startFleet,
  seedFluxObjects,
  SeedObject,
} from '@internal/kube-harness';
import knexFactory, { Knex } from 'knex';
import { createRegistry } from '../src/__testUtils__/createRegistry';
import { readClusterPolicy } from '../src/clusters/readClusterPolicy';
import {
  configClusterSource,
  readConfigClusters,
} from '../src/clusters/readConfigClusters';
import { DatabaseFluxStore } from '../src/database/DatabaseFluxStore';
import { FluxClusterClient } from '../src/kubernetes/FluxClusterClient';
import { parseFluxObject } from '../src/status/parseFluxObject';
import { ClusterSyncer } from '../src/sync/ClusterSyncer';
import { mapWithConcurrency } from '../src/sync/mapWithConcurrency';
import { EVERYTHING } from '../src/permissions/Scope';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const CLUSTERS = Number(arg('clusters', '20'));
const OBJECTS = Number(arg('objects', '500'));
const SERVERS = Number(arg('servers', String(Math.min(CLUSTERS, 20))));
const ENGINES = arg('engines', 'sqlite,postgres').split(',');
const PG =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

let peakRss = 0;
let peakHeap = 0;
const rssTimer = setInterval(() => {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakHeap = Math.max(peakHeap, usage.heapUsed + usage.external);
}, 50);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** R objects: Kustomizations, HelmReleases and their sources, a tenth of them failing. */
function benchObjects(count: number): SeedObject[] {
  const now = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => {
    const failing = i % 10 === 0;
    const conditions = [
      {
        type: 'Ready',
        status: failing ? 'False' : 'True',
        reason: failing ? 'BuildFailed' : 'ReconciliationSucceeded',
        message: failing
          ? `kustomize build failed for app-${i}: resource not found`
          : 'Applied revision: main@sha1:abc',
        lastTransitionTime: now,
      },
    ];
    if (i % 2 === 0) {
      return {
        kind: 'Kustomization',
        namespace: `team-${i % 10}`,
        name: `app-${i}`,
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
        status: {
          observedGeneration: 1,
          lastAppliedRevision: 'main@sha1:abc',
          conditions,
        },
      };
    }
    return {
      kind: 'GitRepository',
      namespace: `team-${i % 10}`,
      name: `repo-${i}`,
      spec: {
        interval: '5m',
        url: `https://git.example.com/team/repo-${i}.git`,
        ref: { branch: 'main' },
      },
      status: {
        observedGeneration: 1,
        artifact: {
          path: `g/${i}.tgz`,
          url: `http://sc/g/${i}.tgz`,
          revision: 'main@sha1:abc',
          digest: 'sha256:00',
          lastUpdateTime: now,
        },
        conditions,
      },
    };
  });
}

async function openDatabase(engine: string): Promise<Knex> {
  if (engine === 'sqlite') {
    return knexFactory({
      client: 'better-sqlite3',
      connection: ':memory:',
      useNullAsDefault: true,
    });
  }
  const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
  await admin.raw('DROP DATABASE IF EXISTS flux_orchestrator_bench');
  await admin.raw('CREATE DATABASE flux_orchestrator_bench');
  await admin.destroy();
  return knexFactory({
    client: 'pg',
    connection: `${PG}/flux_orchestrator_bench`,
  });
}

async function main() {
  console.log(
    `fleet benchmark: ${CLUSTERS} clusters x ${OBJECTS} Flux objects on ${SERVERS} kube-apiservers`,
  );
  let t = Date.now();
  const fleet = await startFleet({
    clusters: Array.from({ length: SERVERS }, (_, i) => ({
      name: `server-${i}`,
      generation: 'current' as const,
    })),
  });
  console.log(`  started ${SERVERS} API servers in ${secs(Date.now() - t)}`);
  t = Date.now();
  // Logical clusters on the same server list the same R objects; each keeps its own rows and sync runs.
  const perServer = Math.ceil(CLUSTERS / SERVERS);
  await mapWithConcurrency(fleet.clusters, 4, async server => {
    await seedFluxObjects(
      server.adminKubeconfig,
      'current',
      benchObjects(OBJECTS),
    );
  });
  console.log(
    `  seeded ${SERVERS * OBJECTS} objects in ${secs(
      Date.now() - t,
    )} (logical clusters per server: ${perServer})`,
  );

  const clusterConfig = Array.from({ length: CLUSTERS }, (_, i) => {
    const server = fleet.clusters[i % SERVERS];
    return {
      name: `cluster-${i}`,
      url: server.server,
      caData: server.caPem,
      serviceAccountToken: server.tokens.viewer,
    };
  });
  const config = new ConfigReader({
    fluxOrchestrator: {
      clusters: clusterConfig,
      kubeconfig: { allowPrivateNetworks: ['127.0.0.0/8'] },
    },
  });
  const { policy, network } = readClusterPolicy(config);
  // Failures are printed; the routine info lines of every sync are not benchmark output.
  const logger: LoggerService = {
    error: message => console.error(`    ${message}`),
    warn: message => console.error(`    ${message}`),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };

  for (const engine of ENGINES) {
    const knex = await openDatabase(engine);
    const store = await DatabaseFluxStore.create({
      database: { getClient: async () => knex, migrations: { skip: false } },
    });
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
      clusterTimeoutMs: 120_000,
      concurrency: 5,
    });

    global.gc?.();
    const coldStart = process.memoryUsage();
    peakRss = coldStart.rss;
    peakHeap = coldStart.heapUsed + coldStart.external;
    t = Date.now();
    const cold = await syncer.syncAll('schedule');
    const coldMs = Date.now() - t;
    const coldPeak = peakRss;
    const coldHeap = peakHeap;
    const listed = cold.reduce((n, r) => n + r.listed, 0);
    const written = cold.reduce(
      (n, r) => n + r.inserted + r.updated + r.deleted,
      0,
    );
    const failedRuns = cold.filter(r => r.status !== 'succeeded').length;

    global.gc?.();
    const warmStart = process.memoryUsage();
    peakRss = warmStart.rss;
    peakHeap = warmStart.heapUsed + warmStart.external;
    t = Date.now();
    const warm = await syncer.syncAll('schedule');
    const warmMs = Date.now() - t;
    const warmWritten = warm.reduce(
      (n, r) => n + r.inserted + r.updated + r.deleted,
      0,
    );

    console.log(`\n  ${engine}:`);
    console.log(
      `    cold full sync:     ${secs(coldMs)}, ${listed} objects, ${(
        listed /
        (coldMs / 1000)
      ).toFixed(0)} objects/s, ${written} rows written, peak RSS ${mb(
        coldPeak,
      )} (${mb(coldStart.rss)} before it), peak heap ${mb(coldHeap)} (${mb(
        coldStart.heapUsed + coldStart.external,
      )} before), failed runs ${failedRuns}`,
    );
    console.log(
      `    unchanged re-sync:  ${secs(warmMs)}, ${(
        listed /
        (warmMs / 1000)
      ).toFixed(0)} objects/s, ${warmWritten} rows written, peak RSS ${mb(
        peakRss,
      )} (${mb(warmStart.rss)} before it), peak heap ${mb(peakHeap)} (${mb(
        warmStart.heapUsed + warmStart.external,
      )} before)`,
    );

    // A fleet-wide page of failing objects: one indexed query, against a live fan-out to every cluster.
    const runs = 5;
    t = Date.now();
    let fromDb = 0;
    for (let i = 0; i < runs; i++) {
      fromDb = (
        await store.listResources(
          { status: ['failing'], sort: 'name', limit: 50 },
          EVERYTHING,
        )
      ).total;
    }
    const dbMs = (Date.now() - t) / runs;
    t = Date.now();
    let live = 0;
    for (let i = 0; i < runs; i++) {
      const perCluster = await mapWithConcurrency(
        clusterConfig,
        20,
        async c => {
          const client = await FluxClusterClient.create(
            {
              server: c.url,
              caData: Buffer.from(c.caData).toString('base64'),
              credentials: { type: 'token', token: c.serviceAccountToken },
            },
            network,
          );
          const lists = await Promise.all(
            FLUX_KINDS.map(async def =>
              (
                await client.listKind(def, def.versions[0])
              ).items.map(o => parseFluxObject(def, o)),
            ),
          );
          return lists.flat().filter(o => o.status === 'failing');
        },
      );
      // Sorting the merged lists is the work a page needs; the first 50 are the page.
      live = perCluster
        .flat()
        .sort((a, b) => a.name.localeCompare(b.name)).length;
    }
    const liveMs = (Date.now() - t) / runs;
    console.log(
      `    failing objects, first page of 50 (total ${fromDb} from the store, ${live} live):`,
    );
    console.log(
      `      from the store: ${dbMs.toFixed(
        1,
      )} ms; live fan-out to ${CLUSTERS} clusters: ${liveMs.toFixed(
        0,
      )} ms; ratio ${(liveMs / dbMs).toFixed(0)}x`,
    );
    await knex.destroy();
  }
  clearInterval(rssTimer);
  await fleet.stop();
}

main().catch(async error => {
  console.error(error);
  process.exit(1);
});
