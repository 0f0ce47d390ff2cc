import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { getFluxKind } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { fluxObject } from '../__testUtils__/fluxObjects';
import { DatabaseFluxStore } from '../database/DatabaseFluxStore';
import { EntityMatcher } from '../permissions/EntitySelections';
import { parseFluxObject } from '../status/parseFluxObject';
import { OwnerNotifier } from './OwnerNotifier';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

let version = 0;

function kustomization(name: string, state: 'ready' | 'failing', team: string) {
  const obj = fluxObject('Kustomization', 'v1', state, name, 'apps');
  obj.metadata!.labels = { team };
  obj.metadata!.resourceVersion = String(++version);
  obj.metadata!.uid = `uid-${name.length}-${name.slice(0, 8)}`;
  return parseFluxObject(getFluxKind('Kustomization')!, obj);
}

/** The payments component selects the objects labelled team=payments; its owner is a group. */
const matchers: EntityMatcher[] = [
  {
    entityRef: 'component:default/payments',
    owners: ['group:default/payments'],
    selector: { kubernetesId: 'payments' },
    selects: object => object.labels.team === 'payments',
  },
];

const settings = {
  enabled: true,
  minIntervalMs: 30 * 60_000,
  maxAgeMs: 60 * 60_000,
  maxPerEntity: 5,
  pagePath: '/flux',
  frequency: { seconds: 30 },
};

describe.each(databases.eachSupportedId())(
  'OwnerNotifier on %p',
  databaseId => {
    async function setUp() {
      const knex = await databases.init(databaseId);
      const store = await DatabaseFluxStore.create({
        database: mockServices.database({ knex, migrations: { skip: false } }),
      });
      await store.upsertCluster({
        name: 'prod',
        title: 'prod',
        source: 'config',
      });
      const sent: NotificationSendOptions[] = [];
      let failSends = false;
      let refused: string | undefined;
      const notifier = new OwnerNotifier({
        store,
        matchers: async () => matchers,
        notifications: {
          // As the notifications client reports a backend that is down, and one that answers 400.
          async send(options) {
            if (failSends)
              throw new Error(
                'Failed to send notifications: Error: Request failed with status 503',
              );
            // What the notifications backend keeps in 255 characters.
            expect(options.payload.title.length).toBeLessThanOrEqual(255);
            expect(options.payload.scope!.length).toBeLessThanOrEqual(255);
            if (refused && options.payload.link?.includes(refused))
              throw new Error(
                'Failed to send notifications: Error: Request failed with status 400',
              );
            sent.push(options);
          },
        },
        logger: mockServices.logger.mock(),
        settings,
      });
      const write = (objects: ReturnType<typeof kustomization>[], at: Date) =>
        store.replaceClusterResources('prod', objects, ['Kustomization'], at);
      return {
        store,
        sent,
        notifier,
        write,
        failSends: (fail: boolean) => {
          failSends = fail;
        },
        refuse: (name: string) => {
          refused = name;
        },
      };
    }

    it('tells each failure up to a bound per entity, sums up the rest in one, and says nothing of the unowned', async () => {
      const { sent, notifier, write } = await setUp();
      const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
      const t0 = new Date();
      await write(
        [
          ...names.map(n => kustomization(n, 'ready', 'payments')),
          kustomization('orphan', 'ready', 'nobody'),
        ],
        t0,
      );
      await write(
        [
          ...names.map(n => kustomization(n, 'failing', 'payments')),
          kustomization('orphan', 'failing', 'nobody'),
        ],
        new Date(t0.getTime() + 1000),
      );
      expect(await notifier.run(new Date(t0.getTime() + 2000))).toEqual({
        sent: 5,
        summarized: 2,
        unowned: 1,
      });
      expect(sent).toHaveLength(6);
      expect(sent[0]).toEqual({
        recipients: { type: 'entity', entityRef: ['group:default/payments'] },
        payload: {
          title: 'Kustomization apps/a on prod is failing',
          description: expect.stringMatching(
            /^Ready: \w+\. Selected by component:default\/payments\.$/,
          ),
          link: '/flux/resources/prod%3AKustomization%3Aapps%3Aa',
          severity: 'high',
          topic: 'Flux',
          scope: expect.stringMatching(/^flux-orchestrator:[0-9a-f]{64}$/),
        },
      });
      expect(sent[5].payload).toMatchObject({
        title:
          '2 more Flux objects of component:default/payments changed status',
        description:
          'Kustomization apps/f on prod: failing; Kustomization apps/g on prod: failing.',
        link: '/catalog/default/component/payments/flux',
      });
      // Settled: a second run has nothing to tell.
      expect(await notifier.run(new Date(t0.getTime() + 3000))).toEqual({});

      // Their recoveries are told, a summed-up failure's too; one object's notifications share a scope, so that the
      // recovery replaces the failure in the owner's inbox.
      await write(
        [
          ...names.map(n =>
            kustomization(
              n,
              n === 'a' || n === 'g' ? 'ready' : 'failing',
              'payments',
            ),
          ),
          kustomization('orphan', 'failing', 'nobody'),
        ],
        new Date(t0.getTime() + 4000),
      );
      expect(await notifier.run(new Date(t0.getTime() + 5000))).toEqual({
        sent: 2,
      });
      expect(sent.slice(6).map(n => n.payload.title)).toEqual([
        'Kustomization apps/a on prod recovered',
        'Kustomization apps/g on prod recovered',
      ]);
      expect(sent[6].payload.scope).toBe(sent[0].payload.scope);
      expect(sent[7].payload.scope).not.toBe(sent[0].payload.scope);
    });

    it('settles a notification the notifications backend refuses, and goes on with the next', async () => {
      const { sent, notifier, write, refuse } = await setUp();
      const long = `a${'-x'.repeat(120)}`;
      const t0 = new Date();
      await write(
        [
          kustomization(long, 'ready', 'payments'),
          kustomization('b', 'ready', 'payments'),
        ],
        t0,
      );
      await write(
        [
          kustomization(long, 'failing', 'payments'),
          kustomization('b', 'failing', 'payments'),
        ],
        new Date(t0.getTime() + 1000),
      );
      refuse(long);
      expect(await notifier.run(new Date(t0.getTime() + 2000))).toEqual({
        undeliverable: 1,
        sent: 1,
      });
      expect(sent.map(n => n.payload.title)).toEqual([
        'Kustomization apps/b on prod is failing',
      ]);
    });

    it('keeps changes pending while the notifications backend is away, and drops those too old to matter', async () => {
      const { sent, notifier, write, failSends } = await setUp();
      const t0 = new Date();
      await write([kustomization('a', 'ready', 'payments')], t0);
      await write(
        [kustomization('a', 'failing', 'payments')],
        new Date(t0.getTime() + 1000),
      );
      failSends(true);
      expect(await notifier.run(new Date(t0.getTime() + 2000))).toEqual({});
      failSends(false);
      expect(await notifier.run(new Date(t0.getTime() + 3000))).toEqual({
        sent: 1,
      });
      expect(sent).toHaveLength(1);

      await write(
        [kustomization('a', 'ready', 'payments')],
        new Date(t0.getTime() + 4000),
      );
      // The backend was down for two hours: the recovery is old news.
      expect(
        await notifier.run(new Date(t0.getTime() + 2 * 60 * 60_000)),
      ).toEqual({ expired: 1 });
      expect(sent).toHaveLength(1);
    });
  },
);
