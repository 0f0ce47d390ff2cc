import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { getFluxKind } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { fluxObject } from '../__testUtils__/fluxObjects';
import { EVERYTHING } from '../permissions/Scope';
import { parseFluxObject } from '../status/parseFluxObject';
import { DatabaseFluxStore } from './DatabaseFluxStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

let version = 0;

/** The `apps` Kustomization at an applied revision, as kustomize-controller of Flux 2.7+ reports it. */
function apps(revision: string, history: object[] = []) {
  const obj = fluxObject('Kustomization', 'v1', 'ready', 'apps', 'flux-system');
  obj.metadata!.resourceVersion = String(++version);
  obj.metadata!.labels = { team: 'core' };
  obj.spec!.path = './apps/prod/';
  obj.status!.lastAppliedRevision = revision;
  obj.status!.lastAttemptedRevision = revision;
  obj.status!.lastAppliedOriginRevision = `v1.0.0@sha1:${revision.slice(-3)}`;
  obj.status!.history = history;
  return parseFluxObject(getFluxKind('Kustomization')!, obj);
}

function fleet() {
  const obj = fluxObject(
    'GitRepository',
    'v1',
    'ready',
    'fleet',
    'flux-system',
  );
  obj.metadata!.resourceVersion = String(++version);
  obj.spec!.url = 'https://token:s3cr3t@git.example.com/fleet.git';
  return parseFluxObject(getFluxKind('GitRepository')!, obj);
}

describe.each(databases.eachSupportedId())(
  'rollout facts on %p',
  databaseId => {
    it('stores each object’s origin part, and since when its revision is live', async () => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseFluxStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      await store.upsertCluster({
        name: 'prod',
        title: 'prod',
        source: 'config',
      });
      const write = (objects: ReturnType<typeof apps>[], at: string) =>
        store.replaceClusterResources(
          'prod',
          objects,
          ['Kustomization', 'GitRepository'],
          new Date(at),
        );

      // First seen with a history that dates its revision.
      await write(
        [
          apps('main@sha1:aaa', [
            {
              firstReconciled: '2026-12-01T09:00:00Z',
              metadata: { revision: 'main@sha1:aaa' },
            },
          ]),
          fleet(),
        ],
        '2026-12-03T10:00:00Z',
      );
      const rows = await store.listOriginRows(
        EVERYTHING,
        ['Kustomization', 'GitRepository'],
        { labels: true },
      );
      expect(rows.find(r => r.kind === 'GitRepository')).toMatchObject({
        origin: { url: 'git.example.com/fleet', ref: 'branch main' },
      });
      expect(JSON.stringify(rows)).not.toContain('s3cr3t');
      expect(rows.find(r => r.kind === 'Kustomization')).toEqual({
        id: 'prod:Kustomization:flux-system:apps',
        cluster: 'prod',
        kind: 'Kustomization',
        namespace: 'flux-system',
        name: 'apps',
        status: 'ready',
        revision: 'main@sha1:aaa',
        attemptedRevision: undefined,
        originRevision: 'v1.0.0@sha1:aaa',
        revisionSince: '2026-12-01T09:00:00.000Z',
        origin: { path: 'apps/prod' },
        sourceRef: {
          kind: 'GitRepository',
          name: 'fleet',
          namespace: 'flux-system',
        },
        labels: { team: 'core' },
      });

      // Rewritten at the same revision: its time stays.
      await write([apps('main@sha1:aaa'), fleet()], '2026-12-03T10:05:00Z');
      const stay = await store.getResource(
        'prod:Kustomization:flux-system:apps',
        EVERYTHING,
      );
      expect(stay?.revisionSince).toBe('2026-12-01T09:00:00.000Z');

      // A new revision without a history to date it: when it was seen.
      await write([apps('main@sha1:bbb'), fleet()], '2026-12-03T10:10:00Z');
      const moved = await store.getResource(
        'prod:Kustomization:flux-system:apps',
        EVERYTHING,
      );
      expect(moved).toMatchObject({
        revision: 'main@sha1:bbb',
        originRevision: 'v1.0.0@sha1:bbb',
        revisionSince: '2026-12-03T10:10:00.000Z',
      });

      // Without labels unless asked; only what has an origin part when asked.
      expect(
        (await store.listOriginRows(EVERYTHING, ['Kustomization']))[0].labels,
      ).toEqual({});
      expect(
        await store.listOriginRows(EVERYTHING, ['HelmRelease'], {
          withOrigin: true,
        }),
      ).toEqual([]);

      // Out of scope, out of the list.
      expect(
        await store.listOriginRows({ field: 'namespace', values: ['apps'] }, [
          'Kustomization',
        ]),
      ).toEqual([]);
    });

    it('migrates down and up again', async () => {
      const knex = await databases.init(databaseId);
      await DatabaseFluxStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      while (await knex.schema.hasColumn('flux_resources', 'revision_since'))
        await knex.migrate.down({
          directory: `${__dirname}/../../migrations`,
        });
      expect(await knex.schema.hasColumn('flux_resources', 'origin')).toBe(
        false,
      );
      await knex.migrate.latest({ directory: `${__dirname}/../../migrations` });
      expect(await knex.schema.hasColumn('flux_resources', 'origin')).toBe(
        true,
      );
    });
  },
);
