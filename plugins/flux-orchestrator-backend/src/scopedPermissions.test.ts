import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  fluxClusterReadPermission,
  fluxClusterSyncPermission,
  fluxResourceReadPermission,
  fluxResourceReconcilePermission,
  fluxResourceSuspendPermission,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Response } from 'supertest';
import request from './__testUtils__/specCheckedRequest';
import { authWithActors } from './__testUtils__/authWithActors';
import { fakeClusterApi } from './__testUtils__/fakeClusterApi';
import { fluxObject } from './__testUtils__/fluxObjects';
import {
  fluxClusterConditions,
  createFluxClusterConditionalDecision,
} from './permissions/fluxClusterRules';
import {
  createFluxResourceConditionalDecision,
  fluxResourceConditions,
} from './permissions/fluxResourceRules';
import { fluxOrchestratorPlugin } from './plugin';
import { KubernetesObject } from './status/parseFluxObject';

// The permission chain as a portal runs it: the real permission backend with a policy that answers with
// conditions, the real permissions service and registry, our rules turned into SQL on SQLite and PostgreSQL,
// and the registry's apply-conditions endpoint for decisions on one object.
jest.setTimeout(60_000);

const STAGING = 'https://staging.cluster.test:6443';
const ALICE = 'user:default/alice'; // the apps team: reads namespace apps and every GitRepository, acts in apps
const OWNER = 'user:default/owner'; // owns the podinfo component: reads and reconciles its objects, sees staging
const OPS = 'user:default/ops'; // may do everything

function labelled(
  obj: KubernetesObject,
  labels: Record<string, string>,
): KubernetesObject {
  obj.metadata = { ...obj.metadata, labels };
  return obj;
}

/** A Kustomization whose GitRepository lives in another namespace, as the fleet repository usually does. */
function withSourceIn(
  namespace: string,
  obj: KubernetesObject,
): KubernetesObject {
  const spec = obj.spec as { sourceRef: { namespace?: string } };
  spec.sourceRef = { ...spec.sourceRef, namespace };
  return obj;
}

const objects = () => [
  labelled(fluxObject('HelmRelease', 'v2', 'ready', 'podinfo', 'apps'), {
    'backstage.io/kubernetes-id': 'podinfo',
  }),
  labelled(fluxObject('HelmRelease', 'v2', 'failing', 'redis', 'apps'), {
    'backstage.io/kubernetes-id': 'redis',
  }),
  withSourceIn(
    'flux-system',
    labelled(
      fluxObject('Kustomization', 'v1', 'ready', 'apps-deploy', 'apps'),
      {},
    ),
  ),
  // Its source (GitRepository apps/fleet) exists nowhere.
  labelled(fluxObject('Kustomization', 'v1', 'ready', 'orphan', 'apps'), {}),
  labelled(
    fluxObject('Kustomization', 'v1', 'failing', 'podinfo', 'flux-system'),
    { 'backstage.io/kubernetes-id': 'podinfo' },
  ),
  labelled(
    fluxObject('GitRepository', 'v1', 'ready', 'fleet', 'flux-system'),
    {},
  ),
  labelled(fluxObject('HelmRelease', 'v2', 'ready', 'api', 'team-b'), {
    'backstage.io/kubernetes-id': 'api',
  }),
];

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'podinfo',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'podinfo' },
    },
    spec: { owner: 'user:default/owner' },
    relations: [{ type: 'ownedBy', targetRef: OWNER }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'api',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'api' },
    },
    spec: { owner: 'group:default/team-b' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team-b' }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'team-b', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'bob', namespace: 'default' },
    spec: { memberOf: ['team-b'] },
    relations: [{ type: 'memberOf', targetRef: 'group:default/team-b' }],
  },
];

class TeamPolicy implements PermissionPolicy {
  async handle(
    query: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = query;
    const who = user?.info.userEntityRef;
    if (who === OPS) return { result: AuthorizeResult.ALLOW };
    if (who === ALICE) {
      if (isPermission(permission, fluxClusterReadPermission))
        return { result: AuthorizeResult.ALLOW };
      if (isPermission(permission, fluxResourceReadPermission)) {
        return createFluxResourceConditionalDecision(permission, {
          anyOf: [
            fluxResourceConditions.isInNamespace({ namespaces: ['apps'] }),
            fluxResourceConditions.isFluxKind({ kinds: ['GitRepository'] }),
          ],
        });
      }
      for (const action of [
        fluxResourceReconcilePermission,
        fluxResourceSuspendPermission,
      ]) {
        if (isPermission(permission, action)) {
          return createFluxResourceConditionalDecision(
            action,
            fluxResourceConditions.isInNamespace({ namespaces: ['apps'] }),
          );
        }
      }
    }
    if (who === OWNER) {
      if (isPermission(permission, fluxClusterReadPermission)) {
        return createFluxClusterConditionalDecision(
          permission,
          fluxClusterConditions.isCluster({ clusters: ['staging'] }),
        );
      }
      // May sync prod only, which they cannot see: so no cluster at all, in effect.
      if (isPermission(permission, fluxClusterSyncPermission)) {
        return createFluxClusterConditionalDecision(
          permission,
          fluxClusterConditions.isCluster({ clusters: ['prod'] }),
        );
      }
      for (const action of [
        fluxResourceReadPermission,
        fluxResourceReconcilePermission,
      ]) {
        if (isPermission(permission, action)) {
          return createFluxResourceConditionalDecision(
            action,
            fluxResourceConditions.isEntityOwner({
              claims: user!.info.ownershipEntityRefs,
            }),
          );
        }
      }
    }
    return { result: AuthorizeResult.DENY };
  }
}

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'team-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new TeamPolicy());
      },
    });
  },
});

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe('conditional permissions, as SQL', () => {
  const patches: string[] = [];
  const current = objects();
  // Initial handlers, so that they also serve the suites' beforeAll hooks.
  const server = setupServer(
    ...fakeClusterApi(STAGING, { objects: current }),
    // Reconcile answers as a controller that handled the request at once.
    http.patch(
      `${STAGING}/apis/:group/:version/namespaces/:namespace/:plural/:name`,
      async ({ params, request: req }) => {
        patches.push(`${params.namespace}/${params.name}`);
        const body = (await req.json()) as {
          metadata?: { annotations?: Record<string, string> };
        };
        const target = current.find(
          o =>
            o.metadata?.namespace === params.namespace &&
            o.metadata?.name === params.name,
        )!;
        const requestedAt =
          body.metadata?.annotations?.['reconcile.fluxcd.io/requestedAt'];
        return HttpResponse.json({
          ...target,
          status: { ...target.status, lastHandledReconcileAt: requestedAt },
        });
      },
    ),
  );
  beforeAll(() =>
    server.listen({
      onUnhandledRequest: (req, print) => {
        if (!['127.0.0.1', 'localhost'].includes(new URL(req.url).hostname))
          print.error();
      },
    }),
  );
  afterAll(() => server.close());
  beforeEach(() => {
    patches.length = 0;
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let app: Parameters<typeof request>[0];
    const as = (user: string) => mockCredentials.user.header(user);

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      ({ server: app } = await startTestBackend({
        features: [
          fluxOrchestratorPlugin,
          import('@backstage/plugin-permission-backend'),
          policyModule,
          permissionsServiceFactory,
          permissionsRegistryServiceFactory,
          authWithActors,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              permission: { enabled: true },
              fluxOrchestrator: {
                encryption: { key: Buffer.alloc(32, 7).toString('base64') },
                // Room for the first sync on a busy machine (it timed out at 2 s while a benchmark ran beside it).
                sync: {
                  initialDelay: { hours: 1 },
                  clusterTimeout: { seconds: 15 },
                },
                actions: { handledWait: { milliseconds: 0 } },
                clusters: [
                  {
                    name: 'staging',
                    url: STAGING,
                    serviceAccountToken: 'config-token',
                  },
                  {
                    name: 'prod',
                    url: 'https://prod.cluster.test:6443',
                    serviceAccountToken: 'config-token',
                  },
                ],
              },
            },
          }),
        ],
      }));
      const sync = await request(app)
        .post('/api/flux-orchestrator/clusters/staging/sync')
        .set('Authorization', as(OPS));
      if (sync.body.status !== 'succeeded' || sync.body.listed !== 7) {
        throw new Error(
          `the first sync did not list the 7 objects: ${JSON.stringify(
            sync.body,
          )}`,
        );
      }
    });

    const get = (path: string, user: string) =>
      request(app)
        .get(`/api/flux-orchestrator${path}`)
        .set('Authorization', as(user));
    const post = (path: string, user: string, body: object) =>
      request(app)
        .post(`/api/flux-orchestrator${path}`)
        .set('Authorization', as(user))
        .send(body);
    const ids = (res: Response) =>
      res.body.items.map((r: { id: string }) => r.id).sort();

    it('lists, filters and pages only what a namespace-scoped user may read', async () => {
      const all = await get('/resources?limit=2&sort=name', ALICE);
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(5);
      expect(all.body.items).toHaveLength(2);
      expect(ids(await get('/resources?limit=50', ALICE))).toEqual([
        'staging:GitRepository:flux-system:fleet',
        'staging:HelmRelease:apps:podinfo',
        'staging:HelmRelease:apps:redis',
        'staging:Kustomization:apps:apps-deploy',
        'staging:Kustomization:apps:orphan',
      ]);
      expect((await get('/resources?namespace=team-b', ALICE)).body.total).toBe(
        0,
      );
      expect(
        (await get('/resources?kind=Kustomization', ALICE)).body.total,
      ).toBe(2);
      expect(
        (await get('/clusters/staging/resources?status=failing', ALICE)).body
          .total,
      ).toBe(1);
      expect((await get('/resources', OPS)).body.total).toBe(7);
    });

    it('counts only what the user may read: clusters, one cluster and the summary', async () => {
      const clusters = await get('/clusters', ALICE);
      expect(
        clusters.body.map((c: { name: string; counts: { total: number } }) => [
          c.name,
          c.counts.total,
        ]),
      ).toEqual([
        ['prod', 0],
        ['staging', 5],
      ]);
      expect((await get('/clusters/staging', ALICE)).body.counts).toMatchObject(
        { total: 5, failing: 1, ready: 4 },
      );
      const summary = (await get('/summary', ALICE)).body;
      expect(summary.totals).toMatchObject({ total: 5, failing: 1 });
      expect(summary.byKind.map((k: { kind: string }) => k.kind)).toEqual([
        'GitRepository',
        'HelmRelease',
        'Kustomization',
      ]);
      expect(summary.clusters.total).toBe(2);
    });

    it("shows an entity's objects within the user's scope only", async () => {
      const podinfo = await get(
        '/resources?entityRef=component:default/podinfo',
        ALICE,
      );
      expect(ids(podinfo)).toEqual(['staging:HelmRelease:apps:podinfo']);
      expect(
        (
          await get(
            '/entity-resources?entityRef=component:default/podinfo',
            ALICE,
          )
        ).body,
      ).toMatchObject({
        counts: { total: 1 },
        namespaces: ['apps'],
      });
      const forOps = await get(
        '/resources?entityRef=component:default/podinfo',
        OPS,
      );
      expect(ids(forOps)).toEqual([
        'staging:HelmRelease:apps:podinfo',
        'staging:Kustomization:flux-system:podinfo',
      ]);
      expect(
        (
          await get(
            '/entity-resources?entityRef=component:default/podinfo',
            OPS,
          )
        ).body.namespaces,
      ).toEqual(['apps', 'flux-system']);
    });

    it('tracks rollouts of what the user may read, and shows no origin of a source they may not read', async () => {
      const origins = (res: Response) =>
        res.body.items.map(
          (row: {
            deployKind: string;
            origin: object;
            entityRef?: string;
            clusters: Array<{ objects: Array<{ id: string }> }>;
          }) => ({
            kind: row.deployKind,
            origin: row.origin,
            entityRef: row.entityRef,
            ids: row.clusters.flatMap(c => c.objects.map(o => o.id)).sort(),
          }),
        );
      const everything = await get('/rollouts', OPS);
      expect(everything.status).toBe(200);
      expect(everything.body).toMatchObject({
        groupBy: 'source',
        clusters: ['staging'],
        // Each Kustomization and HelmRelease: no two of them are the same object in two clusters.
        totalItems: 6,
        disagreeing: 0,
      });
      expect(origins(everything)).toContainEqual({
        kind: 'Kustomization',
        origin: {
          sourceKind: 'GitRepository',
          url: 'git.example.com/fleet',
          ref: 'branch main',
          path: 'apps/podinfo',
        },
        entityRef: undefined,
        ids: ['staging:Kustomization:flux-system:podinfo'],
      });

      // The owner reads the podinfo Kustomization but not the GitRepository it deploys from.
      const owned = await get('/rollouts?groupBy=entity', OWNER);
      expect(origins(owned)).toEqual([
        {
          kind: 'HelmRelease',
          origin: {
            chart: 'podinfo',
            unresolved: {
              kind: 'HelmRepository',
              name: 'podinfo',
              namespace: 'flux-system',
            },
          },
          entityRef: 'component:default/podinfo',
          ids: ['staging:HelmRelease:apps:podinfo'],
        },
        {
          kind: 'Kustomization',
          origin: {
            path: 'apps/podinfo',
            unresolved: {
              kind: 'GitRepository',
              name: 'fleet',
              namespace: 'flux-system',
            },
          },
          entityRef: 'component:default/podinfo',
          ids: ['staging:Kustomization:flux-system:podinfo'],
        },
      ]);
      expect(JSON.stringify(owned.body)).not.toContain('git.example.com');

      const found = await get('/rollouts?search=ORPHAN&limit=1', OPS);
      expect(found.body.totalItems).toBe(1);
      expect(origins(found)[0].ids).toEqual([
        'staging:Kustomization:apps:orphan',
      ]);
      const bad = await get('/rollouts?groupBy=team', OPS);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/groupBy/);
    });

    it("shows a user the objects of the entities they own, and anyone a user's or group's", async () => {
      const mine = await get('/owned-resources', OWNER);
      expect(mine.status).toBe(200);
      expect(mine.body).toMatchObject({
        owners: [OWNER],
        entities: [
          {
            entityRef: 'component:default/podinfo',
            counts: { total: 2, failing: 1, ready: 1 },
          },
        ],
        counts: { total: 2, failing: 1 },
        stuckTotal: 0,
      });
      expect(mine.body.needsAttention.map((r: { id: string }) => r.id)).toEqual(
        ['staging:Kustomization:flux-system:podinfo'],
      );

      // Bob owns nothing himself; his group team-b owns the api component.
      const bobs = await get('/owned-resources?ownerRef=user:default/bob', OPS);
      expect(bobs.body).toMatchObject({
        owners: ['user:default/bob', 'group:default/team-b'],
        entities: [{ entityRef: 'component:default/api' }],
        counts: { total: 1, ready: 1 },
        needsAttention: [],
      });
      // Alice may read namespace apps only: team-b's object is not hers to see.
      const asAlice = await get('/owned-resources?ownerRef=team-b', ALICE);
      expect(asAlice.body.counts.total).toBe(0);

      const component = await get(
        '/owned-resources?ownerRef=component:default/podinfo',
        OPS,
      );
      expect(component.status).toBe(400);
      expect(component.body.error.message).toBe(
        'Invalid query: ownerRef: must be a user or a group, not a component',
      );
      expect(
        (await get('/owned-resources?ownerRef=group:default/nobody', OPS))
          .status,
      ).toBe(404);
    });

    it('answers 404 for an object outside the scope, on every route of one object', async () => {
      expect(
        (await get('/resources/staging:HelmRelease:apps:podinfo', ALICE))
          .status,
      ).toBe(200);
      for (const suffix of [
        '',
        '/events',
        '/reconcile-status',
        '/actions',
        '/dependents',
        '/transitions',
      ]) {
        const res = await get(
          `/resources/staging:HelmRelease:team-b:api${suffix}`,
          ALICE,
        );
        expect([suffix, res.status, res.body.error?.message]).toEqual([
          suffix,
          404,
          'No Flux object with id "staging:HelmRelease:team-b:api"',
        ]);
      }
    });

    it('checks every object of an action, and changes nothing when one is refused', async () => {
      const mixed = await post('/resources/suspend', ALICE, {
        ids: [
          'staging:HelmRelease:apps:podinfo',
          'staging:GitRepository:flux-system:fleet',
        ],
      });
      expect(mixed.status).toBe(403);
      expect(mixed.body.error.message).toBe(
        'Not allowed: flux-orchestrator.resource.suspend (update) is not granted on GitRepository flux-system/fleet on staging; nothing was changed',
      );
      // The source of a reconcile-with-source is acted on too, so it is checked too.
      const withSource = await post('/resources/reconcile', ALICE, {
        ids: ['staging:Kustomization:apps:apps-deploy'],
        withSource: true,
      });
      expect(withSource.status).toBe(403);
      expect(withSource.body.error.message).toContain(
        'GitRepository flux-system/fleet on staging (the source of Kustomization apps/apps-deploy)',
      );
      const orphan = await post('/resources/reconcile', ALICE, {
        ids: ['staging:Kustomization:apps:orphan'],
        withSource: true,
      });
      expect(orphan.status).toBe(403);
      expect(orphan.body.error.message).toContain(
        'GitRepository apps/fleet on staging (the source of Kustomization apps/orphan), which has not been synced yet',
      );
      const unreadable = await post('/resources/reconcile', ALICE, {
        ids: ['staging:HelmRelease:team-b:api'],
      });
      expect(unreadable.status).toBe(404);
      expect(patches).toEqual([]);
      expect(
        (
          await get(
            '/resources/staging:HelmRelease:apps:podinfo/actions',
            ALICE,
          )
        ).body,
      ).toEqual([]);

      const allowed = await post('/resources/reconcile', ALICE, {
        ids: ['staging:HelmRelease:apps:podinfo'],
      });
      expect(allowed.status).toBe(200);
      expect(allowed.body.results).toEqual([
        expect.objectContaining({
          id: 'staging:HelmRelease:apps:podinfo',
          ok: true,
        }),
      ]);
      expect(patches).toEqual(['apps/podinfo']);
    });

    it('lets the owner of a catalog entity read and reconcile its objects, through the catalog', async () => {
      expect(ids(await get('/resources?limit=50', OWNER))).toEqual([
        'staging:HelmRelease:apps:podinfo',
        'staging:Kustomization:flux-system:podinfo',
      ]);
      expect(
        (await get('/clusters', OWNER)).body.map(
          (c: { name: string }) => c.name,
        ),
      ).toEqual(['staging']);
      expect((await get('/clusters/prod', OWNER)).status).toBe(404);
      expect((await get('/summary', OWNER)).body.clusters.total).toBe(1);
      const refused = await post('/resources/reconcile', OWNER, {
        ids: ['staging:HelmRelease:apps:redis'],
      });
      expect(refused.status).toBe(404);
      const sync = await post('/clusters/staging/sync', OWNER, {});
      expect(sync.status).toBe(403);
      expect(sync.body.error.message).toBe(
        'Not allowed: flux-orchestrator.cluster.sync (update) is not granted on cluster "staging"',
      );
      expect((await post('/clusters/prod/sync', OWNER, {})).status).toBe(404);
    });

    it('decides on single objects through the permission backend, as the frontend asks', async () => {
      const authorize = async (
        user: string,
        permission: object,
        resourceRef: string,
      ) => {
        const res = await request(app)
          .post('/api/permission/authorize')
          .set('Authorization', as(user))
          .send({ items: [{ id: '1', permission, resourceRef }] });
        expect(res.status).toBe(200);
        return res.body.items[0].result;
      };
      expect(
        await authorize(
          ALICE,
          fluxResourceReconcilePermission,
          'staging:HelmRelease:apps:redis',
        ),
      ).toBe('ALLOW');
      expect(
        await authorize(
          ALICE,
          fluxResourceReconcilePermission,
          'staging:GitRepository:flux-system:fleet',
        ),
      ).toBe('DENY');
      expect(
        await authorize(
          ALICE,
          fluxResourceReadPermission,
          'staging:GitRepository:flux-system:fleet',
        ),
      ).toBe('ALLOW');
      expect(
        await authorize(
          OWNER,
          fluxResourceReconcilePermission,
          'staging:Kustomization:flux-system:podinfo',
        ),
      ).toBe('ALLOW');
      expect(
        await authorize(
          OWNER,
          fluxResourceReconcilePermission,
          'staging:HelmRelease:team-b:api',
        ),
      ).toBe('DENY');
      expect(await authorize(OWNER, fluxClusterReadPermission, 'staging')).toBe(
        'ALLOW',
      );
      expect(await authorize(OWNER, fluxClusterReadPermission, 'prod')).toBe(
        'DENY',
      );
      expect(await authorize(OWNER, fluxClusterSyncPermission, 'staging')).toBe(
        'DENY',
      );
      expect(await authorize(OWNER, fluxClusterSyncPermission, 'prod')).toBe(
        'ALLOW',
      );
    });

    it('lets services read, and refuses their changes: the policy cannot judge a service', async () => {
      const service = mockCredentials.service.header();
      const read = await request(app)
        .get('/api/flux-orchestrator/resources')
        .set('Authorization', service);
      expect(read.body.total).toBe(7);
      const change = await request(app)
        .post('/api/flux-orchestrator/resources/reconcile')
        .set('Authorization', service)
        .send({ ids: ['staging:HelmRelease:apps:podinfo'] });
      expect(change.status).toBe(403);
      expect(change.body.error.message).toBe(
        "Not allowed: reconcile of Flux objects is done by users only, and these credentials are not a user's",
      );
    });
  });
});
