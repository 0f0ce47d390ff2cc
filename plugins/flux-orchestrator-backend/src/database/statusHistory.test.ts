import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { getFluxKind } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { Knex } from 'knex';
import path from 'path';
import { fluxObject, FixtureState } from '../__testUtils__/fluxObjects';
import { EVERYTHING } from '../permissions/Scope';
import { parseFluxObject } from '../status/parseFluxObject';
import { DatabaseFluxStore } from './DatabaseFluxStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const MINUTE = 60_000;
const NOW = Date.now();
const minutesAgo = (minutes: number) => new Date(NOW - minutes * MINUTE);

/** A Kustomization in `state`, whose conditions say they changed `changedMinutesAgo`. */
function kustomization(
  state: FixtureState,
  resourceVersion: string,
  changedMinutesAgo: number,
  options: { name?: string; labels?: Record<string, string> } = {},
) {
  const def = getFluxKind('Kustomization')!;
  const obj = fluxObject(
    'Kustomization',
    'v1',
    state,
    options.name ?? 'podinfo',
    'apps',
  );
  obj.metadata!.resourceVersion = resourceVersion;
  obj.metadata!.labels = options.labels ?? {};
  for (const condition of obj.status?.conditions ?? [])
    condition.lastTransitionTime = minutesAgo(changedMinutesAgo).toISOString();
  return parseFluxObject(def, obj);
}

async function createStore(databaseId: Parameters<typeof databases.init>[0]) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseFluxStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  for (const name of ['dev', 'prod'])
    await store.upsertCluster({ name, title: name, source: 'config' });
  return { knex, store };
}

const ID = 'dev:Kustomization:apps:podinfo';

describe.each(databases.eachSupportedId())(
  'status history on %p',
  databaseId => {
    let knex: Knex;
    let store: DatabaseFluxStore;

    beforeEach(async () => {
      ({ knex, store } = await createStore(databaseId));
    });

    /** Writes the object as a full sync of the cluster at `minutes` ago would. */
    const syncAt = (cluster: string, minutes: number, ...objects: any[]) =>
      store.replaceClusterResources(
        cluster,
        objects,
        ['Kustomization'],
        minutesAgo(minutes),
      );

    it('records each change of status at the time the cluster gives, and a failure lasts until ready', async () => {
      await syncAt('dev', 60, kustomization('ready', '1', 61));
      await syncAt('dev', 45, kustomization('failing', '2', 50));
      const failing = await store.getResource(ID, EVERYTHING);
      expect(failing?.failingSince).toBe(minutesAgo(50).toISOString());
      // A retry shows as progressing: the failure goes on.
      await syncAt('dev', 40, kustomization('reconciling', '3', 41));
      expect((await store.getResource(ID, EVERYTHING))?.failingSince).toBe(
        minutesAgo(50).toISOString(),
      );
      // A condition time from before the last write belongs to an earlier change: the write's time is taken.
      await syncAt('dev', 30, kustomization('failing', '4', 55));
      // Unchanged objects are not rewritten and record nothing.
      await syncAt('dev', 25, kustomization('failing', '4', 55));
      await syncAt('dev', 10, kustomization('ready', '5', 20));
      const recovered = await store.getResource(ID, EVERYTHING);
      expect(recovered?.status).toBe('ready');
      expect(recovered?.failingSince).toBeUndefined();

      const history = await store.listTransitions(ID, 50);
      expect(history.map(t => [t.from, t.to, t.at])).toEqual([
        ['failing', 'ready', minutesAgo(20).toISOString()],
        ['progressing', 'failing', minutesAgo(30).toISOString()],
        ['failing', 'progressing', minutesAgo(41).toISOString()],
        ['ready', 'failing', minutesAgo(50).toISOString()],
        [undefined, 'ready', minutesAgo(61).toISOString()],
      ]);
      expect(history[0].recoveredAfterMs).toBe(30 * MINUTE);
      expect(
        history.slice(1).every(t => t.recoveredAfterMs === undefined),
      ).toBe(true);
      expect(history[3]).toMatchObject({
        reason: 'BuildFailed',
        revision: expect.stringContaining('sha1:'),
      });
      expect(history[3].message).toBeTruthy();
      expect(await store.listTransitions(ID, 2)).toEqual(history.slice(0, 2));

      // One failure (the retry did not open another) and one recovery of 30 minutes.
      const figures = await store.getReliability(EVERYTHING, minutesAgo(120));
      expect(figures.totals).toEqual({
        failures: 1,
        recoveries: 1,
        meanTimeToRecoveryMs: 30 * MINUTE,
      });
      expect(figures.byCluster).toEqual([
        {
          cluster: 'dev',
          failures: 1,
          recoveries: 1,
          meanTimeToRecoveryMs: 30 * MINUTE,
        },
      ]);
      expect(figures.byKind).toEqual([
        {
          kind: 'Kustomization',
          failures: 1,
          recoveries: 1,
          meanTimeToRecoveryMs: 30 * MINUTE,
        },
      ]);
      // A window that starts after the failure opened holds only its recovery.
      expect(
        (await store.getReliability(EVERYTHING, minutesAgo(25))).totals,
      ).toEqual({
        failures: 0,
        recoveries: 1,
        meanTimeToRecoveryMs: 30 * MINUTE,
      });
      expect(
        (await store.getReliability(EVERYTHING, minutesAgo(5))).totals,
      ).toEqual({ failures: 0, recoveries: 0 });
    });

    it('records changes that watches and actions write, and suspension carries a failure on', async () => {
      await store.applyWatchChange(
        'dev',
        { type: 'upsert', object: kustomization('stalled', '1', 5) },
        { kind: 'Kustomization', resourceVersion: '1' },
      );
      const stalled = await store.getResource(ID, EVERYTHING);
      // First seen stalled: the failure started when the cluster says the object stalled.
      expect(stalled?.failingSince).toBe(minutesAgo(5).toISOString());
      await store.putResource(
        'dev',
        'Kustomization',
        'apps',
        'podinfo',
        kustomization('suspended', '2', 5),
        new Date(),
      );
      expect((await store.getResource(ID, EVERYTHING))?.failingSince).toBe(
        minutesAgo(5).toISOString(),
      );
      // A stale watch event (older resourceVersion) records nothing.
      await store.applyWatchChange(
        'dev',
        { type: 'upsert', object: kustomization('ready', '1', 5) },
        { kind: 'Kustomization', resourceVersion: '1' },
      );
      await store.applyWatchChange(
        'dev',
        { type: 'upsert', object: kustomization('ready', '3', 0) },
        { kind: 'Kustomization', resourceVersion: '3' },
      );
      const history = await store.listTransitions(ID, 50);
      expect(history.map(t => [t.from, t.to])).toEqual([
        ['suspended', 'ready'],
        ['stalled', 'suspended'],
        [undefined, 'stalled'],
      ]);
      expect(history[0].recoveredAfterMs).toBeGreaterThanOrEqual(
        5 * MINUTE - 1000,
      );
      expect(history[0].recoveredAfterMs).toBeLessThan(6 * MINUTE);
      const totals = (await store.getReliability(EVERYTHING, minutesAgo(60)))
        .totals;
      expect(totals).toMatchObject({ failures: 1, recoveries: 1 });
    });

    it('counts only the changes of objects in the reader’s scope, labels included', async () => {
      await syncAt(
        'dev',
        30,
        kustomization('failing', '1', 31, { name: 'a', labels: { team: 'a' } }),
        kustomization('failing', '1', 31, { name: 'b', labels: { team: 'b' } }),
      );
      await syncAt(
        'prod',
        30,
        kustomization('failing', '1', 31, { name: 'a' }),
      );
      await syncAt(
        'dev',
        10,
        kustomization('ready', '2', 11, { name: 'a', labels: { team: 'a' } }),
        kustomization('failing', '1', 31, { name: 'b', labels: { team: 'b' } }),
      );
      const from = minutesAgo(60);
      expect((await store.getReliability(EVERYTHING, from)).totals).toEqual({
        failures: 3,
        recoveries: 1,
        meanTimeToRecoveryMs: 20 * MINUTE,
      });
      const prodOnly = await store.getReliability(
        { field: 'cluster', values: ['prod'] },
        from,
      );
      expect(prodOnly.byCluster.map(c => c.cluster)).toEqual(['prod']);
      expect(prodOnly.totals).toEqual({ failures: 1, recoveries: 0 });
      const teamB = await store.getReliability(
        { labels: [{ key: 'team', operator: 'equals', value: 'b' }] },
        from,
      );
      expect(teamB.totals).toEqual({ failures: 1, recoveries: 0 });
      const nothing = await store.getReliability({ anyOf: [] }, from);
      expect(nothing).toEqual({
        totals: { failures: 0, recoveries: 0 },
        byCluster: [],
        byKind: [],
      });
    });

    it('prunes changes by age, keeps the current failure, and forgets a removed cluster’s history', async () => {
      await syncAt('dev', 3000, kustomization('failing', '1', 3001));
      await syncAt('prod', 3000, kustomization('ready', '1', 3001));
      await syncAt('prod', 10, kustomization('failing', '2', 11));
      expect(await store.pruneTransitions(minutesAgo(60))).toBe(2);
      expect(await store.listTransitions(ID, 50)).toEqual([]);
      expect((await store.getResource(ID, EVERYTHING))?.failingSince).toBe(
        minutesAgo(3001).toISOString(),
      );
      expect(
        await store.listTransitions('prod:Kustomization:apps:podinfo', 50),
      ).toHaveLength(1);
      await store.deleteCluster('prod');
      expect(
        Number((await knex('flux_status_transitions').count({ n: '*' }))[0].n),
      ).toBe(0);
    });

    it('gives objects that were failing before the history existed a failure start', async () => {
      const directory = path.resolve(__dirname, '../../migrations');
      await syncAt('dev', 30, kustomization('failing', '1', 40));
      // Back to before the history: the later migrations first, then the history's.
      while (await knex.schema.hasTable('flux_status_transitions'))
        await knex.migrate.down({ directory });
      expect(await knex.schema.hasTable('flux_status_transitions')).toBe(false);
      await knex.migrate.latest({ directory });
      const [row] = await knex('flux_resources')
        .where({ id: ID })
        .select('failing_since', 'last_reconcile_at');
      expect(new Date(row.failing_since).getTime()).toBe(
        new Date(row.last_reconcile_at).getTime(),
      );
    });
  },
);
