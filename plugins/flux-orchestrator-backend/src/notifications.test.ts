import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { setupServer } from 'msw/node';
import request from 'supertest';
import { fakeClusterApi } from './__testUtils__/fakeClusterApi';
import { fluxObject } from './__testUtils__/fluxObjects';
import { fluxOrchestratorPlugin } from './plugin';
import { KubernetesObject } from './status/parseFluxObject';

// Owners hear of their objects through the real notifications backend: the plugin's outbox and task, the
// notifications plugin's recipient resolution through the catalog, and its REST API as the owner reads it.
jest.setTimeout(60_000);

const CLUSTER = 'https://good.cluster.test:6443';
const OWNER = 'user:default/owner';
const OTHER = 'user:default/other';

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'podinfo',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'podinfo' },
    },
    spec: { owner: OWNER },
    relations: [{ type: 'ownedBy', targetRef: OWNER }],
  },
  ...['owner', 'other'].map(name => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {},
  })),
];

let version = 0;

/** The podinfo Kustomization in a state, as a new version of the object. */
function podinfo(state: 'ready' | 'failing'): KubernetesObject {
  const obj = fluxObject('Kustomization', 'v1', state, 'podinfo', 'apps');
  obj.metadata!.labels = { 'backstage.io/kubernetes-id': 'podinfo' };
  obj.metadata!.resourceVersion = String(++version);
  return obj;
}

describe('notifications to the owners of an object’s entities', () => {
  const served: KubernetesObject[] = [];
  const server = setupServer(...fakeClusterApi(CLUSTER, { objects: served }));
  beforeAll(() =>
    server.listen({
      onUnhandledRequest: (req, print) => {
        if (!['127.0.0.1', 'localhost'].includes(new URL(req.url).hostname))
          print.error();
      },
    }),
  );
  afterAll(() => server.close());

  it('tells the owner of a failure and its recovery in one notification, and nobody else; a flap stays quiet', async () => {
    served.splice(0, served.length, podinfo('ready'));
    // The tasks run when the test says: the notification task right after each change.
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(options: {
        skipTaskRunOnStartup: boolean;
      }): ServiceFactory<SchedulerService, 'plugin'>;
    };
    const notify = () =>
      scheduler.triggerTask('flux-orchestrator-notify-owners');
    const { server: app } = await startTestBackend({
      features: [
        fluxOrchestratorPlugin,
        import('@backstage/plugin-notifications-backend'),
        scheduler.factory({ skipTaskRunOnStartup: true }),
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            fluxOrchestrator: {
              sync: { watch: false, initialDelay: { hours: 1 } },
              notifications: {
                enabled: true,
                minInterval: { minutes: 30 },
              },
              clusters: [
                {
                  name: 'good',
                  url: CLUSTER,
                  serviceAccountToken: 'token',
                  skipTLSVerify: true,
                },
              ],
            },
          },
        }),
      ],
    });
    const sync = async () => {
      const res = await request(app)
        .post('/api/flux-orchestrator/clusters/good/sync')
        .set('Authorization', mockCredentials.user.header(OWNER));
      expect(res.body.status).toBe('succeeded');
    };
    const inbox = async (user: string) => {
      const res = await request(app)
        .get('/api/notifications/notifications')
        .set('Authorization', mockCredentials.user.header(user));
      expect(res.status).toBe(200);
      return res.body.notifications as Array<{
        payload: {
          title: string;
          description: string;
          link: string;
          severity: string;
          topic: string;
        };
      }>;
    };
    // First seen ready, then failing: the owner is told, once.
    await sync();
    await notify();
    expect(await inbox(OWNER)).toEqual([]);
    served.splice(0, 1, podinfo('failing'));
    await sync();
    await notify();
    const told = await inbox(OWNER);
    expect(told).toHaveLength(1);
    const [failing] = told;
    expect(failing.payload).toMatchObject({
      title: 'Kustomization apps/podinfo on good is failing',
      link: `/flux/resources/${encodeURIComponent(
        'good:Kustomization:apps:podinfo',
      )}`,
      severity: 'high',
      topic: 'Flux',
    });
    expect(failing.payload.description).toMatch(
      /^Ready: \w+\. Selected by component:default\/podinfo\.$/,
    );
    expect(await inbox(OTHER)).toEqual([]);

    // It recovers: the same notification now says so.
    served.splice(0, 1, podinfo('ready'));
    await sync();
    await notify();
    const recovered = await inbox(OWNER);
    expect(recovered).toHaveLength(1);
    expect(recovered[0].payload).toMatchObject({
      title: 'Kustomization apps/podinfo on good recovered',
      severity: 'normal',
    });
    expect(recovered[0].payload.description).toMatch(/^Ready again after /);

    // It fails again within the rate limit: nothing new is told.
    served.splice(0, 1, podinfo('failing'));
    await sync();
    await notify();
    const after = await inbox(OWNER);
    expect(after).toHaveLength(1);
    expect(after[0].payload.title).toBe(
      'Kustomization apps/podinfo on good recovered',
    );
  });
});
