import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { getFluxKind } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { Knex } from 'knex';
import path from 'path';
import { fluxObject, FixtureState } from '../__testUtils__/fluxObjects';
import { judgeStuck, StuckThresholds } from '../history/judgeStuck';
import { EVERYTHING } from '../permissions/Scope';
import { parseFluxObject } from '../status/parseFluxObject';
import { DatabaseFluxStore } from './DatabaseFluxStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const MINUTE = 60_000;
const NOW = Date.now();
const minutesAgo = (minutes: number) => new Date(NOW - minutes * MINUTE);

const thresholds: StuckThresholds = {
  progressingIntervals: 5,
  unhandledRequestMs: 10 * MINUTE,
  artifactAgeIntervals: 24,
  suspendedMs: 60 * MINUTE,
};

/** An object of `kind` in `state`, with an interval, and whatever else `change` sets on it. */
function object(
  kind: 'Kustomization' | 'GitRepository',
  name: string,
  state: FixtureState,
  change: (obj: any) => void = () => {},
) {
  const def = getFluxKind(kind)!;
  const obj = fluxObject(kind, def.versions[0], state, name, 'apps') as any;
  obj.metadata.resourceVersion = '1';
  obj.spec.interval = '10m';
  for (const condition of obj.status?.conditions ?? [])
    condition.lastTransitionTime = minutesAgo(1000).toISOString();
  change(obj);
  return parseFluxObject(def, obj);
}

describe.each(databases.eachSupportedId())(
  'stuck judgements on %p',
  databaseId => {
    let knex: Knex;
    let store: DatabaseFluxStore;

    beforeEach(async () => {
      knex = await databases.init(databaseId);
      store = await DatabaseFluxStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      await store.upsertCluster({
        name: 'dev',
        title: 'dev',
        source: 'config',
      });
    });

    const sync = (minutes: number, objects: any[], kinds: string[]) =>
      store.replaceClusterResources('dev', objects, kinds, minutesAgo(minutes));

    it('finds in SQL exactly the objects the judgement holds stuck', async () => {
      const kinds = ['Kustomization', 'GitRepository'];
      // First seen 3 hours ago: progressing, ready, suspended, and one with a request Flux ignores.
      await sync(
        180,
        [
          object('Kustomization', 'rolling', 'progressing'),
          object('Kustomization', 'fine', 'ready'),
          object('Kustomization', 'paused', 'suspended'),
          object('Kustomization', 'asked', 'ready', obj => {
            obj.metadata.annotations = {
              'reconcile.fluxcd.io/requestedAt': minutesAgo(200).toISOString(),
            };
          }),
          object('Kustomization', 'answered', 'ready', obj => {
            const token = minutesAgo(200).toISOString();
            obj.metadata.annotations = {
              'reconcile.fluxcd.io/requestedAt': token,
            };
            obj.status.lastHandledReconcileAt = token;
          }),
          object('GitRepository', 'quiet', 'ready', obj => {
            obj.spec.interval = '1m';
            obj.status.artifact.lastUpdateTime = minutesAgo(30).toISOString();
          }),
          object('GitRepository', 'busy', 'ready', obj => {
            obj.spec.interval = '1m';
            obj.status.artifact.lastUpdateTime = minutesAgo(5).toISOString();
          }),
        ],
        kinds,
      );
      const judge = async (t: StuckThresholds) => {
        const candidates = await store.listStuckCandidates(
          EVERYTHING,
          t,
          new Date(NOW),
          100,
        );
        return Object.fromEntries(
          candidates.map(r => [
            r.name,
            judgeStuck(r, t, NOW).map(j => j.reason),
          ]),
        );
      };
      expect(await judge(thresholds)).toEqual({
        rolling: ['progressing'],
        paused: ['suspended'],
        asked: ['request-unhandled'],
        quiet: ['stale-artifact'],
      });
      const stored = await store.getResource(
        'dev:Kustomization:apps:rolling',
        EVERYTHING,
      );
      expect(stored).toMatchObject({
        intervalMs: 10 * MINUTE,
        // First seen progressing by its generation alone (no condition dates it): since it was seen.
        statusSince: minutesAgo(180).toISOString(),
      });
      expect(
        (await store.getResource('dev:Kustomization:apps:asked', EVERYTHING))
          ?.reconcileRequestedAt,
      ).toBe(minutesAgo(200).toISOString());
      // Every judgement off: nothing; tighter bounds than the facts: nothing either.
      expect(
        await judge({
          progressingIntervals: 0,
          unhandledRequestMs: 0,
          artifactAgeIntervals: 0,
          suspendedMs: 0,
        }),
      ).toEqual({});
      expect(
        await judge({
          progressingIntervals: 100,
          unhandledRequestMs: 300 * MINUTE,
          artifactAgeIntervals: 100,
          suspendedMs: 1000 * MINUTE,
        }),
      ).toEqual({});
    });

    it('keeps when a status started across writes, and a request’s time across rewrites', async () => {
      const kinds = ['Kustomization'];
      await sync(
        120,
        [object('Kustomization', 'rolling', 'progressing')],
        kinds,
      );
      // Rewritten (a new resourceVersion) still progressing: the status started when it did all the same.
      await sync(
        60,
        [
          object('Kustomization', 'rolling', 'progressing', o => {
            o.metadata.resourceVersion = '2';
            o.metadata.annotations = {
              'reconcile.fluxcd.io/requestedAt': 'not-a-time',
            };
          }),
        ],
        kinds,
      );
      let stored = await store.getResource(
        'dev:Kustomization:apps:rolling',
        EVERYTHING,
      );
      expect(stored?.statusSince).toBe(minutesAgo(120).toISOString());
      // A token that is not a time: the request dates from when it was first seen pending.
      expect(stored?.reconcileRequestedAt).toBe(minutesAgo(60).toISOString());
      await sync(
        30,
        [
          object('Kustomization', 'rolling', 'ready', o => {
            o.metadata.resourceVersion = '3';
            o.metadata.annotations = {
              'reconcile.fluxcd.io/requestedAt': 'not-a-time',
            };
            o.status.lastHandledReconcileAt = 'not-a-time';
            o.status.conditions[0].lastTransitionTime =
              minutesAgo(31).toISOString();
          }),
        ],
        kinds,
      );
      stored = await store.getResource(
        'dev:Kustomization:apps:rolling',
        EVERYTHING,
      );
      expect(stored?.statusSince).toBe(minutesAgo(31).toISOString());
      expect(stored?.reconcileRequestedAt).toBeUndefined();
    });

    it('marks every stored object to be rewritten when the stuck facts arrive, so the next sync fills them', async () => {
      const directory = path.resolve(__dirname, '../../migrations');
      await sync(
        30,
        [object('Kustomization', 'rolling', 'progressing')],
        ['Kustomization'],
      );
      // Back to before the stuck facts: the later migrations first, then theirs.
      while (await knex.schema.hasColumn('flux_resources', 'interval_ms'))
        await knex.migrate.down({ directory });
      expect(await knex.schema.hasColumn('flux_resources', 'interval_ms')).toBe(
        false,
      );
      await knex.migrate.latest({ directory });
      const [row] = await knex('flux_resources').select(
        'resource_version',
        'status_since',
        'interval_ms',
      );
      expect(row.resource_version).toBe('');
      expect(row.status_since).not.toBeNull();
      expect(row.interval_ms).toBeNull();
      const counts = await sync(
        20,
        [object('Kustomization', 'rolling', 'progressing')],
        ['Kustomization'],
      );
      expect(counts).toMatchObject({ updated: 1, unchanged: 0 });
      expect(
        (await store.getResource('dev:Kustomization:apps:rolling', EVERYTHING))
          ?.intervalMs,
      ).toBe(10 * MINUTE);
      // Rewritten in the same status: no change recorded.
      expect(
        await store.listTransitions('dev:Kustomization:apps:rolling', 10),
      ).toHaveLength(1);
    });
  },
);
