import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Response } from 'supertest';
import request from './__testUtils__/specCheckedRequest';
import { fakeClusterApi } from './__testUtils__/fakeClusterApi';
import { fluxObject } from './__testUtils__/fluxObjects';
import { fluxOrchestratorPlugin } from './plugin';
import { KubernetesObject } from './status/parseFluxObject';

// Secrets in Flux objects never reach our database or a reader: the stored rows and every route that returns
// an object, after a sync and after an action, on both engines.
jest.setTimeout(60_000);

const CLUSTER = 'https://secrets.cluster.test:6443';
const SECRETS = {
  helmPassword: 'helm-values-password-4711',
  substitution: 'substituted-db-password-0815',
  gitUserinfo: 'git-basic-auth-password-42',
  lastApplied: 'last-applied-secret-value-99',
  webhookPath: '/hook/receiver-token-abcdef0123456789',
};

function withKubernetesId(obj: KubernetesObject, id: string): KubernetesObject {
  obj.metadata = {
    ...obj.metadata,
    labels: { 'backstage.io/kubernetes-id': id },
  };
  return obj;
}

function secretBearingObjects(): KubernetesObject[] {
  const helm = withKubernetesId(
    fluxObject('HelmRelease', 'v2', 'failing', 'redis', 'apps'),
    'redis',
  );
  (helm.spec as Record<string, unknown>).values = {
    auth: { password: SECRETS.helmPassword },
    replicas: 2,
  };
  helm.metadata!.annotations = {
    'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
      spec: { values: { auth: { password: SECRETS.lastApplied } } },
    }),
  };

  const kustomization = withKubernetesId(
    fluxObject('Kustomization', 'v1', 'ready', 'app', 'apps'),
    'redis',
  );
  (kustomization.spec as Record<string, unknown>).postBuild = {
    substitute: { DB_PASSWORD: SECRETS.substitution },
  };

  const git = fluxObject('GitRepository', 'v1', 'failing', 'fleet', 'apps');
  (
    git.spec as Record<string, unknown>
  ).url = `https://deploy:${SECRETS.gitUserinfo}@git.example.com/fleet.git`;
  git.status!.conditions = [
    {
      type: 'Ready',
      status: 'False',
      reason: 'GitOperationFailed',
      message: `failed to checkout: unable to clone 'https://deploy:${SECRETS.gitUserinfo}@git.example.com/fleet.git': timeout`,
      lastTransitionTime: '2026-11-01T09:00:00Z',
    },
  ];

  const receiver = fluxObject('Receiver', 'v1', 'ready', 'github', 'apps');
  receiver.status = { ...receiver.status, webhookPath: SECRETS.webhookPath };
  return [helm, kustomization, git, receiver];
}

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'redis',
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': 'redis' },
    },
    spec: {},
  },
];

function expectNoSecret(text: string, where: string) {
  for (const [name, secret] of Object.entries(SECRETS)) {
    expect([where, name, text.includes(secret)]).toEqual([where, name, false]);
  }
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe('secrets in Flux objects', () => {
  const objects = secretBearingObjects();
  const server = setupServer(
    ...fakeClusterApi(CLUSTER, { objects }),
    // An action's re-read returns the object as the cluster has it: with its secrets.
    http.patch(
      `${CLUSTER}/apis/:group/:version/namespaces/:namespace/:plural/:name`,
      ({ params }) =>
        HttpResponse.json(
          objects.find(
            o =>
              o.metadata?.name === params.name &&
              o.metadata?.namespace === params.namespace,
          ),
        ),
    ),
    http.get(
      `${CLUSTER}/apis/:group/:version/namespaces/:namespace/:plural/:name`,
      ({ params }) =>
        HttpResponse.json(
          objects.find(
            o =>
              o.metadata?.name === params.name &&
              o.metadata?.namespace === params.namespace,
          ),
        ),
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

  it.each(databases.eachSupportedId())(
    'stay out of the rows and every route on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const { server: app } = await startTestBackend({
        features: [
          fluxOrchestratorPlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              fluxOrchestrator: {
                encryption: { key: Buffer.alloc(32, 9).toString('base64') },
                sync: { initialDelay: { hours: 1 } },
                actions: { handledWait: { milliseconds: 0 } },
                clusters: [
                  {
                    name: 'secrets',
                    url: CLUSTER,
                    serviceAccountToken: 'config-token',
                  },
                ],
              },
            },
          }),
        ],
      });
      const api = (path: string) => `/api/flux-orchestrator${path}`;
      const sync = await request(app).post(api('/clusters/secrets/sync'));
      expect(sync.body).toMatchObject({ status: 'succeeded', listed: 4 });

      const rows = await knex('flux_resources').select('*');
      expect(rows).toHaveLength(4);
      expectNoSecret(JSON.stringify(rows), 'stored rows');
      expectNoSecret(
        JSON.stringify(await knex('flux_resource_labels').select('*')),
        'label rows',
      );

      const ids = rows.map(r => r.id as string);
      const responses: Array<[string, Response]> = [
        ['list', await request(app).get(api('/resources?limit=50'))],
        [
          'cluster list',
          await request(app).get(api('/clusters/secrets/resources')),
        ],
        ['text search', await request(app).get(api('/resources?text=clone'))],
        [
          'entity',
          await request(app).get(
            api('/entity-resources?entityRef=component:default/redis'),
          ),
        ],
        [
          'entity page',
          await request(app).get(
            api('/resources?entityRef=component:default/redis'),
          ),
        ],
        ['summary', await request(app).get(api('/summary'))],
        [
          'sync runs',
          await request(app).get(api('/clusters/secrets/sync-runs')),
        ],
        ['health', await request(app).get(api('/clusters/secrets/health'))],
      ];
      for (const id of ids) {
        responses.push([
          `detail ${id}`,
          await request(app).get(api(`/resources/${id}`)),
        ]);
        responses.push([
          `dependents ${id}`,
          await request(app).get(api(`/resources/${id}/dependents`)),
        ]);
        responses.push([
          `reconcile-status ${id}`,
          await request(app).get(api(`/resources/${id}/reconcile-status`)),
        ]);
      }
      responses.push([
        'reconcile',
        await request(app).post(api('/resources/reconcile')).send({ ids }),
      ]);
      for (const [where, res] of responses) {
        expect([where, res.status]).toEqual([where, 200]);
        expectNoSecret(JSON.stringify(res.body), where);
      }
      // The action re-read the objects from the cluster and stored them again: still without secrets.
      expectNoSecret(
        JSON.stringify(await knex('flux_resources').select('*')),
        'rows after the action',
      );

      const detail = (
        await request(app).get(api('/resources/secrets:HelmRelease:apps:redis'))
      ).body;
      expect(detail.object.spec.values).toEqual({
        auth: '[redacted by Flux Orchestrator]',
        replicas: '[redacted by Flux Orchestrator]',
      });
      expect(detail.redacted).toEqual(expect.arrayContaining(['spec.values']));
    },
  );
});
