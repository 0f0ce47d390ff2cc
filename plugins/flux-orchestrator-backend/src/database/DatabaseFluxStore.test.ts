import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { getFluxKind } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { Knex } from 'knex';
import { fluxObject, FixtureState } from '../__testUtils__/fluxObjects';
import { parseFluxObject } from '../status/parseFluxObject';
import { EVERYTHING, ResourceScope } from '../permissions/Scope';
import { DatabaseFluxStore } from './DatabaseFluxStore';

jest.setTimeout(60_000);

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

function parsed(
  kind: Parameters<typeof fluxObject>[0],
  state: FixtureState,
  name: string,
  namespace = 'apps',
  resourceVersion = '1',
) {
  const def = getFluxKind(kind)!;
  const obj = fluxObject(kind, def.versions[0], state, name, namespace);
  obj.metadata!.resourceVersion = resourceVersion;
  return parseFluxObject(def, obj);
}

async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseFluxStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  await store.upsertCluster({
    name: 'dev',
    title: 'Development',
    source: 'config',
  });
  await store.upsertCluster({
    name: 'prod',
    title: 'Production',
    source: 'config',
  });
  return { knex, store };
}

describe('DatabaseFluxStore', () => {
  it('runs against the real PostgreSQL, not only SQLite', async () => {
    // TestDatabases silently skips an engine it cannot reach; a skipped engine is not a tested one.
    expect(process.env[POSTGRES_ENV]).toBeDefined();
    const knex = await databases.init('POSTGRES_15');
    const { rows } = await knex.raw('select version()');
    expect(rows[0].version).toMatch(/^PostgreSQL \d+/);
  });

  it('lets replicas that start together share the migrations: one runs them, the other waits', async () => {
    const knex = await databases.init('POSTGRES_15');
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    const [first, second] = await Promise.all([
      DatabaseFluxStore.create({ database }),
      DatabaseFluxStore.create({ database }),
    ]);
    expect(await first.listClusters()).toEqual([]);
    expect(await second.listClusters()).toEqual([]);
    expect(Number((await knex('knex_migrations').count({ n: '*' }))[0].n)).toBe(
      require('fs').readdirSync(
        require('path').resolve(__dirname, '../../migrations'),
      ).length,
    );
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let knex: Knex;
    let store: DatabaseFluxStore;

    beforeEach(async () => {
      ({ knex, store } = await createStore(databaseId));
    });

    it('migrates down and up again cleanly', async () => {
      const directory = require('path').resolve(__dirname, '../../migrations');
      await knex.migrate.rollback({ directory }, true);
      expect(await knex.schema.hasTable('flux_resources')).toBe(false);
      await knex.migrate.latest({ directory });
      expect(await knex.schema.hasTable('flux_resources')).toBe(true);
      expect(await knex.schema.hasTable('sync_runs')).toBe(true);
      expect(await knex.schema.hasTable('action_history')).toBe(true);
    });

    it('refuses a cluster name that is taken, saying where it is defined', async () => {
      await expect(
        store.insertCluster({
          name: 'dev',
          title: 'Dev again',
          source: 'api',
          credentials: 'v1:sealed',
        }),
      ).rejects.toThrow(
        'A cluster named "dev" is already defined in app-config',
      );
      expect((await store.getCluster('dev'))!.title).toBe('Development');
      await store.insertCluster({
        name: 'eu',
        title: 'EU',
        source: 'api',
        credentials: 'v1:sealed',
      });
      expect(
        await store.updateCluster('eu', { title: 'Europe', description: '' }),
      ).toBe(true);
      expect(await store.getCluster('eu')).toMatchObject({
        title: 'Europe',
        description: undefined,
        credentials: 'v1:sealed',
      });
      expect(await store.updateCluster('nope', { title: 'x' })).toBe(false);
    });

    describe('scopes, as SQL', () => {
      const withLabels = (
        obj: ReturnType<typeof parsed>,
        labels: Record<string, string>,
      ) => ({ ...obj, labels });
      beforeEach(async () => {
        await store.replaceClusterResources(
          'dev',
          [
            withLabels(parsed('HelmRelease', 'ready', 'podinfo'), {
              'backstage.io/kubernetes-id': 'podinfo',
              tier: 'web',
            }),
            withLabels(parsed('HelmRelease', 'ready', 'podinfo-canary'), {
              'backstage.io/kubernetes-id': 'podinfo-canary',
            }),
            withLabels(
              parsed('Kustomization', 'failing', 'podinfo', 'flux-system'),
              { 'backstage.io/kubernetes-id': 'podinfo' },
            ),
            withLabels(parsed('HelmRelease', 'ready', 'odd'), {
              'backstage.io/kubernetes-id': 'pod_nfo',
            }),
            parsed('GitRepository', 'ready', 'fleet', 'flux-system'),
          ],
          ['HelmRelease', 'Kustomization', 'GitRepository'],
          new Date(),
        );
        await store.replaceClusterResources(
          'prod',
          [
            withLabels(parsed('HelmRelease', 'ready', 'podinfo'), {
              'backstage.io/kubernetes-id': 'podinfo',
            }),
          ],
          ['HelmRelease'],
          new Date(),
        );
      });
      const ids = async (scope: ResourceScope) =>
        (await store.selectResources(scope, 100)).map(r => r.id);
      const podinfo = {
        labels: [
          {
            key: 'backstage.io/kubernetes-id',
            operator: 'equals' as const,
            value: 'podinfo',
          },
        ],
      };

      it('selects by label requirements with Kubernetes semantics', async () => {
        expect(await ids(podinfo)).toEqual([
          'dev:HelmRelease:apps:podinfo',
          'dev:Kustomization:flux-system:podinfo',
          'prod:HelmRelease:apps:podinfo',
        ]);
        // "_" in a label value is not a wildcard.
        expect(
          await ids({
            labels: [
              {
                key: 'backstage.io/kubernetes-id',
                operator: 'equals',
                value: 'pod_nfo',
              },
            ],
          }),
        ).toEqual(['dev:HelmRelease:apps:odd']);
        expect(
          await ids({
            allOf: [
              {
                labels: [
                  {
                    key: 'backstage.io/kubernetes-id',
                    operator: 'in',
                    values: ['podinfo', 'podinfo-canary'],
                  },
                ],
              },
              { field: 'namespace', values: ['apps'] },
              { field: 'cluster', values: ['dev'] },
            ],
          }),
        ).toEqual([
          'dev:HelmRelease:apps:podinfo',
          'dev:HelmRelease:apps:podinfo-canary',
        ]);
        // != and notin also match objects without the key, as in kubectl.
        expect(
          await ids({
            allOf: [
              { field: 'cluster', values: ['dev'] },
              {
                labels: [{ key: 'tier', operator: 'notEquals', value: 'web' }],
              },
            ],
          }),
        ).toEqual([
          'dev:GitRepository:flux-system:fleet',
          'dev:HelmRelease:apps:odd',
          'dev:HelmRelease:apps:podinfo-canary',
          'dev:Kustomization:flux-system:podinfo',
        ]);
        expect(
          await ids({ labels: [{ key: 'tier', operator: 'exists' }] }),
        ).toEqual(['dev:HelmRelease:apps:podinfo']);
        expect(
          await ids({
            labels: [
              { key: 'backstage.io/kubernetes-id', operator: 'doesNotExist' },
            ],
          }),
        ).toEqual(['dev:GitRepository:flux-system:fleet']);
        expect(
          await ids({
            labels: [
              {
                key: 'backstage.io/kubernetes-id',
                operator: 'notIn',
                values: ['podinfo', 'pod_nfo'],
              },
            ],
          }),
        ).toEqual([
          'dev:GitRepository:flux-system:fleet',
          'dev:HelmRelease:apps:podinfo-canary',
        ]);
      });

      it('combines any, all and not, and knows everything from nothing', async () => {
        expect(
          await ids({
            anyOf: [
              { field: 'namespace', values: ['flux-system'] },
              { field: 'cluster', values: ['prod'] },
            ],
          }),
        ).toEqual([
          'dev:GitRepository:flux-system:fleet',
          'dev:Kustomization:flux-system:podinfo',
          'prod:HelmRelease:apps:podinfo',
        ]);
        expect(
          await ids({
            allOf: [
              { field: 'cluster', values: ['dev'] },
              { not: { field: 'kind', values: ['HelmRelease'] } },
            ],
          }),
        ).toEqual([
          'dev:GitRepository:flux-system:fleet',
          'dev:Kustomization:flux-system:podinfo',
        ]);
        expect(await ids({ not: podinfo })).toHaveLength(3);
        expect(await ids({ anyOf: [] })).toEqual([]);
        expect(await ids({ not: { allOf: [] } })).toEqual([]);
        expect(await ids({ field: 'namespace', values: [] })).toEqual([]);
        expect(await ids({ allOf: [] })).toHaveLength(6);
        expect(await ids({ not: { anyOf: [] } })).toHaveLength(6);
      });

      it('applies the scope to lists, counts, the summary, details and dependents', async () => {
        const apps: ResourceScope = { field: 'namespace', values: ['apps'] };
        const page = await store.listResources(
          { kind: ['HelmRelease'], limit: 2 },
          apps,
        );
        expect(page.total).toBe(4);
        expect(page.items).toHaveLength(2);
        expect(
          (
            await store.listResources(
              {},
              { field: 'namespace', values: ['flux-system'] },
            )
          ).total,
        ).toBe(2);
        expect(await store.countByCluster(apps)).toEqual({
          dev: expect.objectContaining({ ready: 3, failing: 0, total: 3 }),
          prod: expect.objectContaining({ ready: 1, total: 1 }),
        });
        const summary = await store.getSummary(apps, {
          field: 'name',
          values: ['prod'],
        });
        expect(summary.totals.total).toBe(4);
        expect(summary.byKind.map(k => k.kind)).toEqual(['HelmRelease']);
        expect(summary.clusters.total).toBe(1);
        expect(
          await store.getResource(
            'dev:Kustomization:flux-system:podinfo',
            apps,
          ),
        ).toBeUndefined();
        expect(
          await store.getResource('dev:HelmRelease:apps:podinfo', apps),
        ).toMatchObject({ name: 'podinfo' });
        expect(
          (
            await store.getResources(
              [
                'dev:HelmRelease:apps:podinfo',
                'dev:GitRepository:flux-system:fleet',
                'nope',
              ],
              apps,
            )
          ).map(r => r.id),
        ).toEqual(['dev:HelmRelease:apps:podinfo']);
        expect(
          (await store.listClusters({ field: 'source', values: ['api'] })).map(
            c => c.name,
          ),
        ).toEqual([]);
        expect(
          await store.getCluster('dev', {
            not: { field: 'name', values: ['dev'] },
          }),
        ).toBeUndefined();
      });

      it('counts, filters and pages a label scope from its label rows exactly as from the objects', async () => {
        const id = 'backstage.io/kubernetes-id';
        const scopes: Array<[string, ResourceScope]> = [
          ['one label', podinfo],
          [
            'a label within a namespace and cluster',
            {
              allOf: [
                {
                  labels: [
                    {
                      key: id,
                      operator: 'in',
                      values: ['podinfo', 'podinfo-canary'],
                    },
                  ],
                },
                { field: 'namespace', values: ['apps'] },
                { field: 'cluster', values: ['dev'] },
              ],
            },
          ],
          [
            'a label and another',
            {
              labels: [
                { key: id, operator: 'exists' },
                { key: 'tier', operator: 'notEquals', value: 'web' },
              ],
            },
          ],
          [
            'a label or a namespace',
            {
              allOf: [
                podinfo,
                {
                  anyOf: [
                    { field: 'kind', values: ['Kustomization'] },
                    { field: 'cluster', values: ['prod'] },
                  ],
                },
              ],
            },
          ],
          [
            'no label required',
            {
              anyOf: [podinfo, { field: 'namespace', values: ['flux-system'] }],
            },
          ],
          [
            'a label absent',
            { labels: [{ key: 'tier', operator: 'doesNotExist' }] },
          ],
        ];
        const filters = [
          {},
          { status: ['failing' as const] },
          { kind: ['HelmRelease' as const], namespace: ['apps'] },
          { suspended: false },
        ];
        for (const [what, scope] of scopes) {
          const objects = await store.selectResources(scope, 100);
          for (const filter of filters) {
            const expected = objects.filter(
              o =>
                (!filter.status ||
                  filter.status.includes(o.status as 'failing')) &&
                (!filter.kind ||
                  filter.kind.includes(o.kind as 'HelmRelease')) &&
                (!filter.namespace || filter.namespace.includes(o.namespace)) &&
                (filter.suspended === undefined ||
                  o.suspended === filter.suspended),
            );
            const page = await store.listResources(
              { ...filter, limit: 2 },
              scope,
            );
            // The default order: by name, then id.
            const firstTwo = expected
              .sort(
                (a, b) =>
                  a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
              )
              .slice(0, 2)
              .map(r => r.id);
            expect([
              what,
              filter,
              page.total,
              page.items.map(r => r.id),
            ]).toEqual([what, filter, expected.length, firstTwo]);
          }
          const byCluster: Record<string, Record<string, number>> = {};
          for (const o of objects) {
            const counts = (byCluster[o.cluster] ??= { total: 0 });
            counts[o.status] = (counts[o.status] ?? 0) + 1;
            counts.total++;
          }
          const counted = await store.countByCluster(scope);
          expect([what, Object.keys(counted).sort()]).toEqual([
            what,
            Object.keys(byCluster).sort(),
          ]);
          for (const [cluster, counts] of Object.entries(byCluster))
            expect([what, counted[cluster]]).toEqual([
              what,
              expect.objectContaining(counts),
            ]);
          expect([what, await store.describeScope(scope)]).toEqual([
            what,
            {
              counts: expect.objectContaining({ total: objects.length }),
              clusters: [...new Set(objects.map(o => o.cluster))].sort(),
              namespaces: [...new Set(objects.map(o => o.namespace))].sort(),
            },
          ]);
        }
      });

      it("counts a label scope by each object's status now: the label rows follow every write", async () => {
        const countsOf = async () =>
          (await store.describeScope(podinfo)).counts;
        expect(await countsOf()).toMatchObject({
          ready: 2,
          failing: 1,
          total: 3,
        });
        const failing = withLabels(
          parsed('HelmRelease', 'failing', 'podinfo', 'apps', '5'),
          { 'backstage.io/kubernetes-id': 'podinfo' },
        );
        await store.applyWatchChange(
          'dev',
          { type: 'upsert', object: failing },
          { kind: 'HelmRelease', resourceVersion: '5' },
        );
        expect(await countsOf()).toMatchObject({
          ready: 1,
          failing: 2,
          total: 3,
        });
        expect(
          (
            await store.listResources({ status: ['failing'] }, podinfo)
          ).items.map(r => r.id),
        ).toEqual([
          'dev:HelmRelease:apps:podinfo',
          'dev:Kustomization:flux-system:podinfo',
        ]);
        await store.putResource(
          'dev',
          'HelmRelease',
          'apps',
          'podinfo',
          parsed('HelmRelease', 'ready', 'podinfo', 'apps', '6'),
          new Date(),
        );
        // Its labels went with that write too: it no longer belongs to the scope.
        expect(await countsOf()).toMatchObject({
          ready: 1,
          failing: 1,
          total: 2,
        });
      });

      it('keeps the label rows in step with the objects: changed, removed, and gone with the cluster', async () => {
        const changed = withLabels(
          parsed('HelmRelease', 'ready', 'podinfo', 'apps', '2'),
          { 'backstage.io/kubernetes-id': 'renamed' },
        );
        await store.replaceClusterResources(
          'dev',
          [changed],
          ['HelmRelease'],
          new Date(),
        );
        expect(await ids(podinfo)).toEqual([
          'dev:Kustomization:flux-system:podinfo',
          'prod:HelmRelease:apps:podinfo',
        ]);
        await store.putResource(
          'dev',
          'Kustomization',
          'flux-system',
          'podinfo',
          undefined,
          new Date(),
        );
        expect(await ids(podinfo)).toEqual(['prod:HelmRelease:apps:podinfo']);
        await store.deleteCluster('prod');
        expect(await ids(podinfo)).toEqual([]);
        expect(
          await knex('flux_resource_labels')
            .orderBy('resource_id')
            .pluck('resource_id'),
        ).toEqual([
          'dev:GitRepository:flux-system:fleet',
          'dev:HelmRelease:apps:podinfo',
        ]);
      });

      it('stores only labels Kubernetes accepts as rows, and still syncs an object with others', async () => {
        const hostile = withLabels(
          parsed('HelmRelease', 'ready', 'hostile', 'apps'),
          {
            [`${'a'.repeat(300)}/name`]: 'x',
            ok: 'v'.repeat(64),
            'has space': 'x',
            fine: 'yes',
          },
        );
        await store.putResource(
          'dev',
          'HelmRelease',
          'apps',
          'hostile',
          hostile,
          new Date(),
        );
        expect(
          await knex('flux_resource_labels')
            .where({ resource_id: 'dev:HelmRelease:apps:hostile' })
            .pluck('key'),
        ).toEqual(['fine']);
        expect(
          (await store.getResource('dev:HelmRelease:apps:hostile', EVERYTHING))!
            .labels,
        ).toHaveProperty('has space', 'x');
      });
    });

    it('fills the label rows from the stored objects when it migrates', async () => {
      const directory = require('path').resolve(__dirname, '../../migrations');
      while (await knex.schema.hasTable('flux_resource_labels'))
        await knex.migrate.down({ directory });
      // A row as the sync wrote it before labels were rows (rolling back on SQLite rebuilds tables, so it is
      // written after the rollback).
      if (!(await knex('clusters').where({ name: 'dev' }).first())) {
        await knex('clusters').insert({
          name: 'dev',
          title: 'Development',
          source: 'config',
          created_at: new Date(),
          updated_at: new Date(),
        });
      }
      await knex('flux_resources').insert({
        id: 'dev:HelmRelease:apps:podinfo',
        cluster: 'dev',
        kind: 'HelmRelease',
        api_version: 'helm.toolkit.fluxcd.io/v2',
        namespace: 'apps',
        name: 'podinfo',
        uid: 'u1',
        resource_version: '1',
        status: 'ready',
        ready: 'True',
        labels: JSON.stringify({
          'backstage.io/kubernetes-id': 'podinfo',
          'bad key!': 'x',
          tier: 42,
        }),
        synced_at: new Date(),
        object: '{}',
      });
      await knex.migrate.latest({ directory });
      expect(
        await knex('flux_resource_labels').select(
          'resource_id',
          'key',
          'value',
        ),
      ).toEqual([
        {
          resource_id: 'dev:HelmRelease:apps:podinfo',
          key: 'backstage.io/kubernetes-id',
          value: 'podinfo',
        },
      ]);
      // With the object's facets beside each label (migration 20261205130000), so that label scopes count.
      expect(
        await store.describeScope({
          labels: [
            {
              key: 'backstage.io/kubernetes-id',
              operator: 'equals',
              value: 'podinfo',
            },
          ],
        }),
      ).toEqual({
        counts: expect.objectContaining({ ready: 1, total: 1 }),
        clusters: ['dev'],
        namespaces: ['apps'],
      });
    });

    it('finds the objects that depend on one', async () => {
      const dependent = parsed('Kustomization', 'ready', 'apps', 'flux-system');
      (dependent.object as any).spec.dependsOn = [{ name: 'infra' }];
      const elsewhere = parsed('Kustomization', 'ready', 'tenants', 'team-a');
      (elsewhere.object as any).spec.dependsOn = [{ name: 'infra' }];
      const crossNamespace = parsed(
        'Kustomization',
        'ready',
        'monitoring',
        'team-b',
      );
      (crossNamespace.object as any).spec.dependsOn = [
        { name: 'infra', namespace: 'flux-system' },
      ];
      await store.replaceClusterResources(
        'dev',
        [
          parsed('Kustomization', 'ready', 'infra', 'flux-system'),
          dependent,
          elsewhere,
          crossNamespace,
        ],
        ['Kustomization'],
        new Date(),
      );
      const dependents = await store.listDependents(
        'dev:Kustomization:flux-system:infra',
        EVERYTHING,
      );
      expect(dependents.map(r => r.id)).toEqual([
        'dev:Kustomization:flux-system:apps',
        'dev:Kustomization:team-b:monitoring',
      ]);
    });

    it('keeps the action history of an object, newest first, and drops it with the cluster', async () => {
      const base = {
        resourceId: 'dev:Kustomization:apps:podinfo',
        cluster: 'dev',
        kind: 'Kustomization',
        namespace: 'apps',
        name: 'podinfo',
        withSource: false,
        actor: 'user:default/guest',
      };
      await store.recordAction({
        ...base,
        action: 'suspend',
        outcome: 'succeeded',
        at: '2026-11-27T10:00:00.000Z',
      });
      await store.recordAction({
        ...base,
        action: 'reconcile',
        withSource: true,
        outcome: 'failed',
        error: '403 Forbidden: cannot patch',
        requestedAt: '2026-11-27T10:05:00.000Z',
        at: '2026-11-27T10:05:00.500Z',
      });
      const history = await store.listActions(base.resourceId, 10);
      expect(history).toEqual([
        expect.objectContaining({
          action: 'reconcile',
          withSource: true,
          outcome: 'failed',
          error: '403 Forbidden: cannot patch',
          requestedAt: '2026-11-27T10:05:00.000Z',
          at: '2026-11-27T10:05:00.500Z',
        }),
        expect.objectContaining({
          action: 'suspend',
          withSource: false,
          outcome: 'succeeded',
          error: undefined,
        }),
      ]);
      await store.deleteCluster('dev');
      expect(await store.listActions(base.resourceId, 10)).toEqual([]);
    });

    it('inserts, keeps unchanged, updates by resourceVersion and deletes vanished objects', async () => {
      const first = await store.replaceClusterResources(
        'dev',
        [
          parsed('Kustomization', 'ready', 'a'),
          parsed('Kustomization', 'ready', 'b'),
          parsed('GitRepository', 'ready', 'fleet'),
        ],
        ['Kustomization', 'GitRepository'],
        new Date(),
      );
      expect(first).toEqual({
        inserted: 3,
        updated: 0,
        deleted: 0,
        unchanged: 0,
      });

      const second = await store.replaceClusterResources(
        'dev',
        [
          parsed('Kustomization', 'failing', 'a', 'apps', '2'),
          parsed('GitRepository', 'ready', 'fleet'),
        ],
        ['Kustomization', 'GitRepository'],
        new Date(),
      );
      expect(second).toEqual({
        inserted: 0,
        updated: 1,
        deleted: 1,
        unchanged: 1,
      });
      const a = await store.getResource('dev:Kustomization:apps:a', EVERYTHING);
      expect(a?.status).toBe('failing');
      expect(a?.reason).toBe('BuildFailed');
      expect(
        await store.getResource('dev:Kustomization:apps:b', EVERYTHING),
      ).toBeUndefined();
    });

    it('leaves the rows of a kind that could not be listed untouched', async () => {
      await store.replaceClusterResources(
        'dev',
        [
          parsed('HelmRelease', 'ready', 'podinfo'),
          parsed('Kustomization', 'ready', 'a'),
        ],
        ['HelmRelease', 'Kustomization'],
        new Date(),
      );
      const counts = await store.replaceClusterResources(
        'dev',
        [parsed('Kustomization', 'ready', 'a')],
        ['Kustomization'],
        new Date(),
      );
      expect(counts.deleted).toBe(0);
      expect(
        await store.getResource('dev:HelmRelease:apps:podinfo', EVERYTHING),
      ).toBeDefined();
    });

    it('rolls the whole write back when one row cannot be stored', async () => {
      await store.replaceClusterResources(
        'dev',
        [parsed('Kustomization', 'ready', 'a')],
        ['Kustomization'],
        new Date(),
      );
      const changed = parsed('Kustomization', 'failing', 'a', 'apps', '2');
      const broken = parsed(
        'Kustomization',
        'ready',
        'rollback-probe',
        'apps',
        '7',
      );
      (broken as any).uid = null; // violates NOT NULL on every engine
      // Compared by message: better-sqlite3 keeps the SqliteError class of the first test file that loaded it in
      // this Jest worker, so in later files its errors come from another realm and fail toThrow's Error check.
      const failure = await store
        .replaceClusterResources(
          'dev',
          [changed, broken],
          ['Kustomization'],
          new Date(),
        )
        .then(
          () => undefined,
          (error: unknown) => error as Error,
        );
      expect(failure?.message).toMatch(/null/i);
      // The update of "a" in the same transaction was rolled back with the failed insert.
      expect(
        await store.getResource('dev:Kustomization:apps:a', EVERYTHING),
      ).toMatchObject({ status: 'ready' });
      expect(
        await store.getResource(
          'dev:Kustomization:apps:rollback-probe',
          EVERYTHING,
        ),
      ).toBeUndefined();
    });

    it('writes a thousand objects in batches and returns the whole object for the detail page', async () => {
      const many = Array.from({ length: 1200 }, (_, i) =>
        parsed('Kustomization', 'ready', `app-${i}`),
      );
      const counts = await store.replaceClusterResources(
        'prod',
        many,
        ['Kustomization'],
        new Date(),
      );
      expect(counts.inserted).toBe(1200);
      const detail = await store.getResource(
        'prod:Kustomization:apps:app-7',
        EVERYTHING,
      );
      expect(detail?.object).toMatchObject({
        spec: { path: './apps/podinfo' },
      });
      expect((detail?.object as any).metadata.managedFields).toBeUndefined();
    });

    describe('listing', () => {
      beforeEach(async () => {
        await store.replaceClusterResources(
          'dev',
          [
            parsed('Kustomization', 'ready', 'podinfo', 'apps'),
            parsed('Kustomization', 'failing', 'broken-app', 'apps'),
            parsed('HelmRelease', 'stalled', 'ingress', 'infra'),
            parsed('GitRepository', 'suspended', 'fleet', 'flux-system'),
          ],
          ['Kustomization', 'HelmRelease', 'GitRepository'],
          new Date(),
        );
        await store.replaceClusterResources(
          'prod',
          [parsed('Kustomization', 'progressing', 'podinfo', 'apps')],
          ['Kustomization'],
          new Date(),
        );
      });

      it('filters by cluster, kind, namespace, status and suspended', async () => {
        expect(
          (await store.listResources({ cluster: ['prod'] }, EVERYTHING)).total,
        ).toBe(1);
        expect(
          (await store.listResources({ kind: ['Kustomization'] }, EVERYTHING))
            .total,
        ).toBe(3);
        expect(
          (
            await store.listResources(
              { namespace: ['infra', 'flux-system'] },
              EVERYTHING,
            )
          ).total,
        ).toBe(2);
        expect(
          (
            await store.listResources(
              { status: ['failing', 'stalled'] },
              EVERYTHING,
            )
          ).total,
        ).toBe(2);
        expect(
          (
            await store.listResources({ suspended: true }, EVERYTHING)
          ).items.map(r => r.name),
        ).toEqual(['fleet']);
        expect(
          (
            await store.listResources(
              { cluster: ['dev'], kind: ['Kustomization'], status: ['ready'] },
              EVERYTHING,
            )
          ).items.map(r => r.id),
        ).toEqual(['dev:Kustomization:apps:podinfo']);
      });

      it('searches name, message and revision case-insensitively and treats % and _ literally', async () => {
        expect(
          (await store.listResources({ text: 'BROKEN' }, EVERYTHING)).total,
        ).toBe(1);
        expect(
          (
            await store.listResources(
              { text: 'kustomize build failed' },
              EVERYTHING,
            )
          ).items[0].name,
        ).toBe('broken-app');
        expect(
          (await store.listResources({ text: '8f3a1c2b' }, EVERYTHING)).total,
        ).toBeGreaterThan(0);
        expect(
          (await store.listResources({ text: '%' }, EVERYTHING)).total,
        ).toBe(0);
        expect(
          (await store.listResources({ text: 'broken_app' }, EVERYTHING)).total,
        ).toBe(0);
      });

      it('searches what an object says now: the search text follows every write', async () => {
        expect(
          (
            await store.listResources(
              { text: 'kustomize build failed' },
              EVERYTHING,
            )
          ).total,
        ).toBe(1);
        await store.replaceClusterResources(
          'dev',
          [parsed('Kustomization', 'ready', 'broken-app', 'apps', '2')],
          ['Kustomization'],
          new Date(),
        );
        expect(
          (
            await store.listResources(
              { text: 'kustomize build failed' },
              EVERYTHING,
            )
          ).total,
        ).toBe(0);
        // Fields are searched one by one: a term does not match across the end of one and the start of the next.
        expect(
          (await store.listResources({ text: 'broken-appapps' }, EVERYTHING))
            .total,
        ).toBe(0);
        expect(
          (await store.listResources({ text: 'br' }, EVERYTHING)).items.map(
            r => r.name,
          ),
        ).toEqual(['broken-app']);
      });

      it('sorts by status with the objects that need attention first', async () => {
        const { items } = await store.listResources(
          { sort: 'status' },
          EVERYTHING,
        );
        expect(items.map(r => r.status)).toEqual([
          'stalled',
          'failing',
          'progressing',
          'suspended',
          'ready',
        ]);
      });

      it('pages with a stable total', async () => {
        const page1 = await store.listResources(
          { sort: 'name', limit: 2, offset: 0 },
          EVERYTHING,
        );
        const page2 = await store.listResources(
          { sort: 'name', limit: 2, offset: 2 },
          EVERYTHING,
        );
        const page3 = await store.listResources(
          { sort: 'name', limit: 2, offset: 4 },
          EVERYTHING,
        );
        expect([page1.total, page2.total, page3.total]).toEqual([5, 5, 5]);
        const ids = [...page1.items, ...page2.items, ...page3.items].map(
          r => r.id,
        );
        expect(new Set(ids).size).toBe(5);
      });

      it('summarises by status, kind and cluster', async () => {
        const summary = await store.getSummary(EVERYTHING, EVERYTHING);
        expect(summary.totals).toMatchObject({
          total: 5,
          ready: 1,
          failing: 1,
          stalled: 1,
          suspended: 1,
          progressing: 1,
        });
        expect(summary.byCluster).toEqual([
          { cluster: 'dev', counts: expect.objectContaining({ total: 4 }) },
          {
            cluster: 'prod',
            counts: expect.objectContaining({ total: 1, progressing: 1 }),
          },
        ]);
        expect(
          summary.byKind.find(k => k.kind === 'Kustomization')?.counts.total,
        ).toBe(3);
        expect(summary.clusters).toEqual({
          healthy: 0,
          unhealthy: 0,
          unknown: 2,
          total: 2,
        });
      });

      it('removes a cluster with its objects and sync history', async () => {
        await store.startSyncRun('dev', 'manual', new Date());
        expect(await store.deleteCluster('dev')).toBe(true);
        expect((await store.listResources({}, EVERYTHING)).total).toBe(1);
        expect(await store.listSyncRuns('dev', 10)).toEqual([]);
        expect(await store.deleteCluster('dev')).toBe(false);
      });
    });

    it('records sync runs with their counts and duration, newest first', async () => {
      const started = new Date('2026-11-23T10:00:00Z');
      const run = await store.startSyncRun('dev', 'schedule', started);
      expect(run.status).toBe('running');
      const finished = await store.finishSyncRun(
        run.id,
        {
          status: 'partial',
          listed: 10,
          inserted: 4,
          updated: 1,
          deleted: 2,
          unchanged: 5,
          error: '403 Forbidden',
        },
        new Date('2026-11-23T10:00:01.500Z'),
      );
      expect(finished).toMatchObject({
        status: 'partial',
        durationMs: 1500,
        listed: 10,
        inserted: 4,
        error: '403 Forbidden',
      });
      const second = await store.startSyncRun('dev', 'manual', new Date());
      expect((await store.listSyncRuns('dev', 10)).map(r => r.id)).toEqual([
        second.id,
        run.id,
      ]);
      expect((await store.latestSyncRuns()).dev.id).toBe(second.id);
    });

    it('removes a cluster while its kinds are being written, without a deadlock, leaving none of its rows', async () => {
      const kinds = [
        'Kustomization',
        'HelmRelease',
        'GitRepository',
        'HelmRepository',
        'OCIRepository',
      ] as const;
      const write = (kind: (typeof kinds)[number], k: number, round: number) =>
        store
          .replaceClusterResources(
            'busy',
            Array.from({ length: 200 }, (_, i) =>
              parsed(
                kind,
                'ready',
                `o-${k}-${i}`,
                'apps',
                String(round * 1000 + i),
              ),
            ),
            [kind],
            new Date(),
          )
          .catch(() => 'refused');
      for (let round = 0; round < 5; round++) {
        await store.upsertCluster({
          name: 'busy',
          title: 'Busy',
          source: 'config',
        });
        const writes = kinds.map((kind, k) => write(kind, k, round));
        // The delete lands among the writes; each write commits before it or fails after it.
        const removed = store.deleteCluster('busy');
        await Promise.all(writes);
        expect(await removed).toBe(true);
        expect(
          Number(
            (
              await knex('flux_resources')
                .where({ cluster: 'busy' })
                .count({ n: '*' })
            )[0].n,
          ),
        ).toBe(0);
        expect(
          Number(
            (
              await knex('flux_resource_labels')
                .where({ cluster: 'busy' })
                .count({ n: '*' })
            )[0].n,
          ),
        ).toBe(0);
      }
    });

    it('closes the runs a stopped backend left running, and only those', async () => {
      const orphan = await store.startSyncRun(
        'dev',
        'schedule',
        new Date(Date.now() - 10 * 60_000),
      );
      const current = await store.startSyncRun('prod', 'manual', new Date());
      expect(
        await store.closeInterruptedRuns(new Date(Date.now() - 2 * 60_000)),
      ).toBe(1);
      const [closed] = await store.listSyncRuns('dev', 1);
      expect(closed).toMatchObject({
        id: orphan.id,
        status: 'interrupted',
        error: 'the backend that ran it stopped before the sync finished',
      });
      expect(closed.finishedAt).toBeDefined();
      expect((await store.listSyncRuns('prod', 1))[0]).toMatchObject({
        id: current.id,
        status: 'running',
      });
    });

    it('keeps cluster health with served versions and kind errors', async () => {
      const health = {
        status: 'unhealthy' as const,
        error: 'cannot list 1 of 13 Flux kinds',
        kubernetesVersion: 'v1.36.3',
        fluxInstalled: true,
        fluxVersion: 'v2.9.1',
        servedVersions: { Kustomization: 'v1', HelmRelease: 'v2' },
        kindErrors: { HelmRelease: '403 Forbidden' },
        checkedAt: '2026-11-23T10:00:00.000Z',
      };
      await store.setClusterHealth('dev', health);
      expect((await store.getCluster('dev'))?.health).toEqual({
        ...health,
        feed: { mode: 'polling' },
      });
      // Unreachable later: the reason replaces the error, what the check found stays.
      await store.markClusterUnhealthy(
        'dev',
        'connect ECONNREFUSED 10.0.0.1:6443',
      );
      const after = (await store.getCluster('dev'))!.health;
      expect(after).toMatchObject({
        ...health,
        status: 'unhealthy',
        error: 'connect ECONNREFUSED 10.0.0.1:6443',
        checkedAt: expect.any(String),
      });
      expect(Date.parse(after.checkedAt!)).toBeGreaterThan(
        Date.parse(health.checkedAt),
      );
    });

    it('prunes config clusters that config no longer lists', async () => {
      expect(await store.pruneClusters('config', ['prod'])).toEqual(['dev']);
      expect((await store.listClusters()).map(c => c.name)).toEqual(['prod']);
    });
  });
});
