/*
 * Route latency benchmark (prints figures; asserts nothing). Fills the plugin's PostgreSQL database with R Flux
 * objects over C clusters, starts the plugin with the real permission backend (a policy that allows, one that
 * scopes to a namespace, and one that scopes by label), and times each list, count and summary route over HTTP,
 * one request at a time. The first cluster's objects are written by the store; the others are copies made in
 * SQL, so that a million rows are seeded in a minute or two (the count triggers run for the copies as well).
 *
 * usage: yarn bench:routes [--rows 100000] [--clusters 100] [--requests 100] [--keep-database]
 *   --keep-database: leaves the seeded database behind (its name is printed), to read query plans in psql.
 */
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult, isResourcePermission, PolicyDecision } from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { FLUX_KINDS, FLUX_RESOURCE_RESOURCE_TYPE } from '@internal/plugin-flux-orchestrator-common';
import knexFactory, { Knex } from 'knex';
import { AddressInfo } from 'net';
import { DatabaseFluxStore } from '../src/database/DatabaseFluxStore';
import { createFluxResourceConditionalDecision, fluxResourceConditions } from '../src/permissions/fluxResourceRules';
import { fluxOrchestratorPlugin } from '../src/plugin';
import { authWithActors } from '../src/__testUtils__/authWithActors';
import { parseFluxObject } from '../src/status/parseFluxObject';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const ROWS = Number(arg('rows', '100000'));
const CLUSTERS = Number(arg('clusters', '100'));
const REQUESTS = Number(arg('requests', '100'));
const PG = process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ?? 'postgresql://postgres@127.0.0.1:5432';
const SCOPED_USER = 'user:default/scoped';
const LABELLED_USER = 'user:default/labelled';

/** Allows everything, except that one user sees namespace team-7 only and another the objects labelled app-7. */
class BenchPolicy implements PermissionPolicy {
  async handle(query: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (!isResourcePermission(query.permission, FLUX_RESOURCE_RESOURCE_TYPE)) return { result: AuthorizeResult.ALLOW };
    if (user?.info.userEntityRef === SCOPED_USER) {
      return createFluxResourceConditionalDecision(query.permission, fluxResourceConditions.isInNamespace({ namespaces: ['team-7'] }));
    }
    if (user?.info.userEntityRef === LABELLED_USER) {
      return createFluxResourceConditionalDecision(
        query.permission,
        fluxResourceConditions.hasLabel({ label: 'backstage.io/kubernetes-id', value: 'app-7' }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Copies the first cluster's objects and label rows to every other cluster, in SQL. */
async function copyFirstCluster(knex: Knex, clusters: string[]) {
  const columns = (await knex('flux_resources').columnInfo()) as Record<string, unknown>;
  const rest = Object.keys(columns).filter(c => !['id', 'cluster'].includes(c));
  for (const cluster of clusters.slice(1)) {
    await knex.raw(
      `insert into flux_resources (id, cluster, ${rest.join(', ')})
       select ? || substr(id, length(?) + 1), ?, ${rest.join(', ')} from flux_resources where cluster = ?`,
      [cluster, clusters[0], cluster, clusters[0]],
    );
    await knex.raw(
      `insert into flux_resource_labels (resource_id, cluster, key, value)
       select ? || substr(resource_id, length(?) + 1), ?, key, value from flux_resource_labels where cluster = ?`,
      [cluster, clusters[0], cluster, clusters[0]],
    );
  }
}

/** Synthetic objects: kinds in turn, a tenth failing, twenty namespaces, labels for the entity rule. */
function objectsOf(cluster: number, count: number) {
  const kinds = FLUX_KINDS.filter(k => ['Kustomization', 'HelmRelease', 'GitRepository', 'HelmRepository', 'OCIRepository'].includes(k.kind));
  return Array.from({ length: count }, (_, i) => {
    const def = kinds[i % kinds.length];
    const failing = i % 10 === 0;
    const name = `app-${cluster}-${i}`;
    return parseFluxObject(def, {
      apiVersion: `${def.group}/${def.versions[0]}`,
      kind: def.kind,
      metadata: {
        name,
        namespace: `team-${i % 20}`,
        uid: `${cluster}-${i}`,
        resourceVersion: String(1000 + i),
        generation: 1,
        labels: { 'backstage.io/kubernetes-id': `app-${i % 50}` },
        creationTimestamp: '2026-11-01T09:00:00Z',
      },
      spec: { interval: '5m' },
      status: {
        observedGeneration: 1,
        lastHandledReconcileAt: new Date(Date.now() - i * 1000).toISOString(),
        conditions: [
          {
            type: 'Ready',
            status: failing ? 'False' : 'True',
            reason: failing ? 'BuildFailed' : 'ReconciliationSucceeded',
            message: failing ? `kustomize build failed for ${name}: resource not found` : 'Applied revision: main@sha1:abc',
            lastTransitionTime: new Date(Date.now() - i * 1000).toISOString(),
          },
        ],
      },
    });
  });
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const database = `bench_routes_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: PG });
  await admin.raw(`create database ${database}`);
  const knex = knexFactory({ client: 'pg', connection: `${PG}/${database}`, pool: { min: 0, max: 10 } });
  try {
    const clusters = Array.from({ length: CLUSTERS }, (_, i) => `c${i}`);
    const { server } = await startTestBackend({
      features: [
        fluxOrchestratorPlugin,
        import('@backstage/plugin-permission-backend'),
        createBackendModule({
          pluginId: 'permission',
          moduleId: 'bench-policy',
          register(reg) {
            reg.registerInit({ deps: { policy: policyExtensionPoint }, init: async ({ policy }) => policy.setPolicy(new BenchPolicy()) });
          },
        }),
        permissionsServiceFactory,
        permissionsRegistryServiceFactory,
        authWithActors,
        catalogServiceMock.factory({
          entities: [{ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'app-7', namespace: 'default', annotations: { 'backstage.io/kubernetes-id': 'app-7' } }, spec: {} }],
        }),
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            fluxOrchestrator: {
              encryption: { key: Buffer.alloc(32, 1).toString('base64') },
              sync: { watch: false, initialDelay: { hours: 1 } },
              clusters: clusters.map(name => ({ name, url: `https://${name}.bench.example.com:6443`, serviceAccountToken: 't' })),
            },
          },
        }),
      ],
    });
    const store = new DatabaseFluxStore(knex);
    let t = Date.now();
    const perCluster = Math.round(ROWS / CLUSTERS);
    // No kind listed as a whole, so that each batch only adds.
    const objects = objectsOf(0, perCluster);
    for (let first = 0; first < perCluster; first += 5_000) {
      await store.replaceClusterResources(clusters[0], objects.slice(first, first + 5_000), [], new Date());
    }
    await copyFirstCluster(knex, clusters);
    // The state autovacuum keeps a table in: statistics, the visibility map (index-only scans) and the GIN
    // indexes' pending lists merged. Figures of a table just bulk-written without it are worse and say little.
    await knex.raw('vacuum analyze');
    const seeded = Number((await knex('flux_resources').count({ n: '*' }))[0].n);
    console.log(`route benchmark: ${seeded} rows over ${CLUSTERS} clusters on PostgreSQL (written in ${((Date.now() - t) / 1000).toFixed(1)} s), ${REQUESTS} requests per route, one at a time`);

    // In the namespace the scoped user may read, so that both users time the same detail.
    const someId: string = (await knex('flux_resources').where({ cluster: 'c7', namespace: 'team-7' }).orderBy('id').first('id')).id;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/flux-orchestrator`;
    // A cursor as deep as the deep offset page, as a user who pages there step by step holds it.
    const deep = Math.max(0, ROWS - 10000);
    const beforeDeep = await fetch(`${base}/resources?offset=${deep - 50}&limit=50`, {
      headers: { authorization: mockCredentials.user.header('user:default/ops') },
    }).then(res => res.json());
    const routes: Array<[string, string]> = [
      ['page of 50', '/resources?limit=50'],
      ['status filter', '/resources?status=failing&limit=50'],
      ['text search (hit)', '/resources?text=app-0-917&limit=50'],
      ['text search (no hit)', '/resources?text=nothing-matches&limit=50'],
      ['text search (2 letters)', '/resources?text=zq&limit=50'],
      ['sort by last reconcile', '/resources?sort=lastReconcileAt&order=desc&limit=50'],
      ['sort by status', '/resources?sort=status&limit=50'],
      [`deep page (offset ${deep})`, `/resources?offset=${deep}&limit=50`],
      [`deep page (cursor)`, `/resources?after=${beforeDeep.nextCursor}&offset=${deep}&limit=50`],
      ['one cluster', '/clusters/c7/resources?limit=50'],
      ['object detail', `/resources/${encodeURIComponent(someId)}`],
      ['entity tab', '/entity-resources?entityRef=component:default/app-7'],
      ['/summary', '/summary'],
      ['/clusters', '/clusters'],
    ];
    const users = [
      [mockCredentials.user.header('user:default/ops'), 'a user allowed everything'],
      [mockCredentials.user.header(SCOPED_USER), 'a user scoped to one namespace'],
      [mockCredentials.user.header(LABELLED_USER), 'a user scoped by a label'],
    ];
    for (const [user, label] of users) {
      console.log(`\n  as ${label} (p50 / p99, ms):`);
      for (const [name, route] of routes) {
        const times: number[] = [];
        for (let i = 0; i < REQUESTS; i++) {
          t = performance.now();
          const res = await fetch(`${base}${route}`, { headers: { authorization: user } });
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`${route}: ${res.status}`);
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        console.log(`    ${name.padEnd(26)} ${percentile(times, 50).toFixed(1).padStart(7)} / ${percentile(times, 99).toFixed(1).padStart(7)}`);
      }
    }
    await server.close?.();
  } finally {
    await knex.destroy();
    if (process.argv.includes('--keep-database')) console.log(`\nkept the database ${database}`);
    else await admin.raw(`drop database if exists ${database} with (force)`).catch(() => undefined);
    await admin.destroy();
  }
}

main()
  .then(() => process.exit(0))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });
