import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import {
  FluxKind,
  getFluxKind,
  RESOURCE_SORT_FIELDS,
  ResourceQuery,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { Knex } from 'knex';
import { fluxObject, FixtureState } from '../__testUtils__/fluxObjects';
import { EVERYTHING, ResourceScope } from '../permissions/Scope';
import { parseFluxObject } from '../status/parseFluxObject';
import { DatabaseFluxStore } from './DatabaseFluxStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const KINDS: FluxKind[] = ['Kustomization', 'HelmRelease', 'GitRepository'];
const STATES: FixtureState[] = [
  'ready',
  'failing',
  'progressing',
  'stalled',
  'suspended',
  'unknown',
];
const NAMESPACES = ['apps', 'infra', 'flux-system'];

function parsed(
  kind: FluxKind,
  state: FixtureState,
  name: string,
  namespace: string,
  resourceVersion: string,
) {
  const def = getFluxKind(kind)!;
  const obj = fluxObject(kind, def.versions[0], state, name, namespace);
  obj.metadata!.resourceVersion = resourceVersion;
  return parseFluxObject(def, obj);
}

/** A small deterministic generator, so that a failing sequence of writes can be replayed. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

async function createStore(
  databaseId: Parameters<typeof databases.init>[0],
  countLimit?: number,
) {
  const knex = await databases.init(databaseId);
  const store = await DatabaseFluxStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
    countLimit,
  });
  for (const name of ['dev', 'prod'])
    await store.upsertCluster({ name, title: name, source: 'config' });
  return { knex, store };
}

/** The count rows, and what counting the objects themselves gives, in one comparable form. */
async function countsAndTruth(knex: Knex) {
  const key = (r: Record<string, unknown>) =>
    `${r.cluster}/${r.namespace}/${r.kind}/${r.status}/${Boolean(
      Number(r.suspended),
    )}`;
  const kept = await knex('flux_resource_counts').select('*');
  const truth = await knex('flux_resources')
    .select('cluster', 'namespace', 'kind', 'status', 'suspended')
    .count({ count: '*' })
    .groupBy('cluster', 'namespace', 'kind', 'status', 'suspended');
  const asMap = (rows: Record<string, unknown>[]): Record<string, number> =>
    Object.fromEntries(
      rows
        .map(r => [key(r), Number(r.count)])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  return { kept: asMap(kept), truth: asMap(truth) };
}

describe.each(databases.eachSupportedId())(
  'counts and paging on %p',
  databaseId => {
    let knex: Knex;
    let store: DatabaseFluxStore;

    beforeEach(async () => {
      ({ knex, store } = await createStore(databaseId));
    });

    it('keeps the count rows equal to the objects through every kind of write', async () => {
      const next = random(7);
      let version = 1;
      const objectAt = (i: number) =>
        parsed(
          KINDS[i % KINDS.length],
          STATES[next(STATES.length)],
          `app-${i}`,
          NAMESPACES[i % NAMESPACES.length],
          String(version++),
        );

      for (let round = 0; round < 4; round++) {
        // A full sync of a varying part of the objects: inserts, changes and deletes at once.
        const listed = Array.from({ length: 30 }, (_, i) => i).filter(
          () => next(4) > 0,
        );
        await store.replaceClusterResources(
          'dev',
          listed.map(objectAt),
          KINDS,
          new Date(),
        );
        let { kept, truth } = await countsAndTruth(knex);
        expect(kept).toEqual(truth);

        for (let step = 0; step < 15; step++) {
          const i = next(30);
          const object = objectAt(i);
          const position = {
            kind: object.kind,
            resourceVersion: String(version),
          };
          if (next(3) === 0) {
            await store.applyWatchChange(
              'dev',
              {
                type: 'delete',
                kind: object.kind,
                namespace: object.namespace,
                name: object.name,
                resourceVersion: String(version++),
              },
              position,
            );
          } else if (next(2) === 0) {
            await store.applyWatchChange(
              'dev',
              { type: 'upsert', object },
              position,
            );
          } else {
            await store.putResource(
              'dev',
              object.kind,
              object.namespace,
              object.name,
              next(4) ? object : undefined,
              new Date(),
            );
          }
        }
        ({ kept, truth } = await countsAndTruth(knex));
        expect(kept).toEqual(truth);
      }

      await store.replaceClusterResources(
        'prod',
        [objectAt(1), objectAt(2)],
        KINDS,
        new Date(),
      );
      await store.deleteCluster('dev');
      const { kept, truth } = await countsAndTruth(knex);
      expect(kept).toEqual(truth);
      expect(Object.keys(kept).every(key => key.startsWith('prod/'))).toBe(
        true,
      );
      expect(Object.values(kept).reduce((a, b) => a + b, 0)).toBe(2);
    });

    it('answers the summary, the cluster counts and facet totals from the count rows, and a label scope from the objects', async () => {
      await store.replaceClusterResources(
        'dev',
        [
          parsed('Kustomization', 'ready', 'a', 'apps', '1'),
          parsed('Kustomization', 'failing', 'b', 'apps', '2'),
        ],
        KINDS,
        new Date(),
      );
      // A count row that disagrees with the objects shows which of the two a read used.
      await knex('flux_resource_counts')
        .where({ cluster: 'dev', status: 'ready' })
        .update({ count: 100 });

      expect(
        (await store.getSummary(EVERYTHING, EVERYTHING)).totals,
      ).toMatchObject({ total: 101, ready: 100, failing: 1 });
      expect((await store.countByCluster(EVERYTHING)).dev).toMatchObject({
        total: 101,
      });
      expect(
        (await store.listResources({ status: ['ready'] }, EVERYTHING)).total,
      ).toBe(100);

      const byLabel = {
        labels: [
          { key: 'example.com/nowhere', operator: 'doesNotExist' as const },
        ],
      };
      expect(
        (await store.getSummary(byLabel, EVERYTHING)).totals,
      ).toMatchObject({ total: 2, ready: 1 });
      expect(
        (await store.listResources({ status: ['ready'] }, byLabel)).total,
      ).toBe(1);
      expect(
        (await store.listResources({ text: 'a' }, EVERYTHING))
          .totalIsLowerBound,
      ).toBe(false);
    });

    it('counts a text search up to the limit and then says "at least"', async () => {
      ({ knex, store } = await createStore(databaseId, 3));
      const objects = Array.from({ length: 5 }, (_, i) =>
        parsed('Kustomization', 'ready', `shop-${i}`, 'apps', String(i + 1)),
      );
      await store.replaceClusterResources(
        'dev',
        [...objects, parsed('Kustomization', 'failing', 'cart', 'apps', '9')],
        KINDS,
        new Date(),
      );

      const many = await store.listResources(
        { text: 'shop', limit: 2 },
        EVERYTHING,
      );
      expect(many).toMatchObject({ total: 3, totalIsLowerBound: true });
      expect(many.items).toHaveLength(2);
      expect(
        await store.listResources({ text: 'cart' }, EVERYTHING),
      ).toMatchObject({ total: 1, totalIsLowerBound: false });
      // Facet filters still count exactly, past the limit, from the count rows.
      expect(
        await store.listResources({ kind: ['Kustomization'] }, EVERYTHING),
      ).toMatchObject({ total: 6, totalIsLowerBound: false });
    });

    it('finds a term of one or two letters exactly where the text has it, whether the page is read first or walked', async () => {
      const messages = [
        'Café déjà vu',
        '日本のクラスター',
        'rocket 🚀 launched',
        '50% done_ok',
        'back\\slash',
        'ctl\u0001char',
        'ZQ upper',
      ];
      const objects = messages.map((message, i) => {
        const object = parsed(
          'Kustomization',
          'failing',
          `app-${i}`,
          'apps',
          String(i + 1),
        );
        return { ...object, message };
      });
      await store.replaceClusterResources('dev', objects, KINDS, new Date());

      // The database's own search text, and every letter and pair of letters in it, and some that are in none.
      const rows = await knex('flux_resources').select('id', 'search_text');
      const ids: string[] = rows.map(r => r.id);
      const texts: string[] = rows.map(r => r.search_text);
      const terms = new Set(['qq', 'zz', '%', '_', '\\', 'é', '🚀', 'É']);
      for (const text of texts) {
        const letters = [...text];
        letters.forEach((letter, i) => {
          terms.add(letter);
          if (i + 1 < letters.length) terms.add(letter + letters[i + 1]);
        });
      }
      // A store that counts one match at most walks the sort's index for the page of a term with more.
      const walking = new DatabaseFluxStore(knex, 1);
      const misses: string[] = [];
      for (const term of terms) {
        const expected = ids.filter((_, i) =>
          texts[i].includes(term.toLowerCase()),
        );
        const { total } = await store.listResources({ text: term }, EVERYTHING);
        if (total !== expected.length)
          misses.push(
            `${JSON.stringify(term)}: ${total}, not ${expected.length}`,
          );
        const found = (
          await walking.listResources({ text: term }, EVERYTHING)
        ).items
          .map(r => r.id)
          .sort();
        if (found.join() !== expected.sort().join())
          misses.push(`${JSON.stringify(term)}: walked to ${found}`);
      }
      expect(misses).toEqual([]);
      expect(terms.size).toBeGreaterThan(150);
    });

    describe('keyset paging', () => {
      beforeEach(async () => {
        const objects = Array.from({ length: 23 }, (_, i) => {
          const object = parsed(
            KINDS[i % 3],
            STATES[i % STATES.length],
            `app-${String(i % 7)}-${i}`,
            NAMESPACES[i % 2],
            String(i + 1),
          );
          // A third never reconciled (no time), and some share a time, so ties and empty times both need the id.
          return {
            ...object,
            lastReconcileAt:
              i % 3 === 0
                ? undefined
                : new Date(Date.UTC(2026, 11, 1, 0, i % 5)).toISOString(),
            labels: {
              ...object.labels,
              'example.com/team': i % 3 ? 'blue' : 'green',
            },
          };
        });
        await store.replaceClusterResources(
          'dev',
          objects.slice(0, 15),
          KINDS,
          new Date(),
        );
        await store.replaceClusterResources(
          'prod',
          objects.slice(15),
          KINDS,
          new Date(),
        );
      });

      /** The pages of a list read by cursor from the first, checked to read the same when walked back. */
      async function walk(
        reader: DatabaseFluxStore,
        query: ResourceQuery,
        scope: ResourceScope,
      ) {
        const pages: string[][] = [];
        let page = await reader.listResources({ ...query, limit: 5 }, scope);
        pages.push(page.items.map(r => r.id));
        while (page.nextCursor) {
          page = await reader.listResources(
            { ...query, limit: 5, after: page.nextCursor },
            scope,
          );
          pages.push(page.items.map(r => r.id));
        }
        const back: string[][] = [page.items.map(r => r.id)];
        while (page.previousCursor) {
          page = await reader.listResources(
            { ...query, limit: 5, before: page.previousCursor },
            scope,
          );
          back.unshift(page.items.map(r => r.id));
        }
        expect(back).toEqual(pages);
        return pages;
      }

      it.each(
        RESOURCE_SORT_FIELDS.flatMap(sort =>
          (['asc', 'desc'] as const).map(order => [sort, order] as const),
        ),
      )(
        'walks every row once by %s %s, forwards and back, in the order of the offset pages',
        async (sort, order) => {
          const all = (
            await store.listResources({ sort, order, limit: 500 }, EVERYTHING)
          ).items.map(r => r.id);
          expect(all).toHaveLength(23);
          const offsetPages = await Promise.all(
            [0, 5, 10, 15, 20].map(async offset =>
              (
                await store.listResources(
                  { sort, order, limit: 5, offset },
                  EVERYTHING,
                )
              ).items.map(r => r.id),
            ),
          );
          expect(offsetPages.flat()).toEqual(all);
          expect(await walk(store, { sort, order }, EVERYTHING)).toEqual(
            offsetPages,
          );
        },
      );

      it.each(RESOURCE_SORT_FIELDS.map(sort => [sort] as const))(
        'walks a label scope by %s in the same order as the whole list, whether its matches are read first or not',
        async sort => {
          const blue = {
            labels: [
              {
                key: 'example.com/team',
                operator: 'equals' as const,
                value: 'blue',
              },
            ],
          };
          const blueIds = new Set(
            (
              await knex('flux_resource_labels').where({
                key: 'example.com/team',
                value: 'blue',
              })
            ).map(r => r.resource_id),
          );
          for (const order of ['asc', 'desc'] as const) {
            const all = (
              await store.listResources({ sort, order, limit: 500 }, EVERYTHING)
            ).items.map(r => r.id);
            const expected = all.filter(id => blueIds.has(id));
            expect(expected).toHaveLength(15);
            // 15 matches: read first and sorted; with a count limit of 10 they are more than it, and the sort's
            // index is walked instead.
            for (const reader of [store, new DatabaseFluxStore(knex, 10)]) {
              expect(
                (await walk(reader, { sort, order }, blue)).flat(),
              ).toEqual(expected);
              const offsetPage = await reader.listResources(
                { sort, order, limit: 5, offset: 5 },
                blue,
              );
              expect(offsetPage.items.map(r => r.id)).toEqual(
                expected.slice(5, 10),
              );
            }
          }
        },
      );

      it('walks a text search by cursor as well, both ways', async () => {
        const query = {
          text: 'app-1',
          sort: 'lastReconcileAt' as const,
          order: 'desc' as const,
        };
        const all = (
          await store.listResources({ ...query, limit: 500 }, EVERYTHING)
        ).items.map(r => r.id);
        expect(all.length).toBeGreaterThan(3);
        const first = await store.listResources(
          { ...query, limit: 2 },
          EVERYTHING,
        );
        const second = await store.listResources(
          { ...query, limit: 2, after: first.nextCursor },
          EVERYTHING,
        );
        expect([...first.items, ...second.items].map(r => r.id)).toEqual(
          all.slice(0, 4),
        );
        const back = await store.listResources(
          { ...query, limit: 2, before: second.previousCursor },
          EVERYTHING,
        );
        expect(back.items.map(r => r.id)).toEqual(all.slice(0, 2));
      });

      it('refuses a cursor it did not make, one of another sort, and both directions at once', async () => {
        const { nextCursor } = await store.listResources(
          { sort: 'name', limit: 5 },
          EVERYTHING,
        );
        await expect(
          store.listResources(
            { sort: 'name', after: 'bm90IGpzb24' },
            EVERYTHING,
          ),
        ).rejects.toThrow(InputError);
        const forged = Buffer.from(
          JSON.stringify({ sort: 'name', order: 'asc', value: 3, id: 'x' }),
        ).toString('base64url');
        await expect(
          store.listResources({ sort: 'name', after: forged }, EVERYTHING),
        ).rejects.toThrow('not one this server made');
        await expect(
          store.listResources({ sort: 'kind', after: nextCursor }, EVERYTHING),
        ).rejects.toThrow('another sort order');
        await expect(
          store.listResources(
            { sort: 'name', after: nextCursor, before: nextCursor },
            EVERYTHING,
          ),
        ).rejects.toThrow('either after or before');
      });
    });
  },
);

describe('concurrent writers of one cluster on PostgreSQL', () => {
  it('never deadlock, never let an older listing overwrite a newer watch write, and keep the counts true', async () => {
    const { knex, store } = await createStore('POSTGRES_15');
    const names = Array.from({ length: 40 }, (_, i) => `app-${i}`);
    await store.replaceClusterResources(
      'dev',
      names.map(n => parsed('Kustomization', 'ready', n, 'apps', '10')),
      KINDS,
      new Date(),
    );

    // Full syncs listing older versions while a watch applies newer ones, in reverse order, started a little
    // apart each round so that the sync's read falls before, between and after the watch's commits.
    for (let round = 1; round <= 8; round++) {
      const [listed, watched] = [`${round}1`, `${round}2`];
      const sync = store.replaceClusterResources(
        'dev',
        names.map(n => parsed('Kustomization', 'ready', n, 'apps', listed)),
        ['Kustomization'],
        new Date(),
      );
      await new Promise(resolve => setTimeout(resolve, round % 4));
      await Promise.all([
        sync,
        ...[...names].reverse().map(n =>
          store.applyWatchChange(
            'dev',
            {
              type: 'upsert',
              object: parsed('Kustomization', 'failing', n, 'apps', watched),
            },
            { kind: 'Kustomization', resourceVersion: watched },
          ),
        ),
      ]);
      expect(
        new Set(
          await knex('flux_resources')
            .where({ cluster: 'dev' })
            .pluck('resource_version'),
        ),
      ).toEqual(new Set([watched]));
    }

    const { kept, truth } = await countsAndTruth(knex);
    expect(kept).toEqual(truth);
    expect(kept).toEqual({ 'dev/apps/Kustomization/failing/false': 40 });
  });
});
