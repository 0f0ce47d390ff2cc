import {
  createServiceFactory,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { Entity } from '@backstage/catalog-model';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { randomBytes } from 'crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import request from './__testUtils__/specCheckedRequest';
import { stringify } from 'yaml';
import { fakeClusterApi } from './__testUtils__/fakeClusterApi';
import { fluxObject } from './__testUtils__/fluxObjects';
import { fluxOrchestratorPlugin } from './plugin';
import { KubernetesObject } from './status/parseFluxObject';

// The plugin tier for everything that changes state: bad input of every kind on every mutating route, the
// permission check on every route, the catalog entity route, and encryption-key rotation across restarts.
jest.setTimeout(60_000);

const TOKEN = 'registered-cluster-secret-token';
const CONFIG_TOKEN = 'config-cluster-secret-token';
const GOOD = 'https://good.cluster.test:6443';

function kubeconfig(
  overrides: {
    server?: string;
    user?: Record<string, unknown>;
    cluster?: Record<string, unknown>;
  } = {},
) {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'good',
        cluster: { server: overrides.server ?? GOOD, ...overrides.cluster },
      },
    ],
    users: [{ name: 'flux-console', user: overrides.user ?? { token: TOKEN } }],
    contexts: [
      { name: 'good', context: { cluster: 'good', user: 'flux-console' } },
    ],
    'current-context': 'good',
  });
}

function labelled(
  obj: KubernetesObject,
  labels: Record<string, string>,
): KubernetesObject {
  obj.metadata = {
    ...obj.metadata,
    labels: { ...obj.metadata?.labels, ...labels },
  };
  return obj;
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('mutating routes, permissions and entities', () => {
  // Initial handlers, so that they also serve the suites' beforeAll hooks.
  const server = setupServer(
    ...fakeClusterApi(GOOD, {
      objects: [
        labelled(fluxObject('HelmRelease', 'v2', 'ready', 'podinfo', 'apps'), {
          'backstage.io/kubernetes-id': 'podinfo',
        }),
        labelled(fluxObject('HelmRelease', 'v2', 'failing', 'redis', 'apps'), {
          'backstage.io/kubernetes-id': 'redis',
          tier: 'data',
        }),
        labelled(
          fluxObject('Kustomization', 'v1', 'ready', 'podinfo', 'flux-system'),
          { 'backstage.io/kubernetes-id': 'podinfo' },
        ),
        fluxObject('ImagePolicy', 'v1', 'ready', 'podinfo'),
      ],
    }),
    ...fakeClusterApi('https://unauthorized.cluster.test:6443', {
      fault: 'unauthorized',
    }),
    http.get('https://html.cluster.test/version', () =>
      HttpResponse.html('<html>login</html>'),
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

  const entities: Entity[] = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'podinfo',
        namespace: 'default',
        annotations: { 'backstage.io/kubernetes-id': 'podinfo' },
      },
      spec: {},
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'redis',
        namespace: 'default',
        annotations: {
          'backstage.io/kubernetes-label-selector': 'tier in (data,cache)',
          'backstage.io/kubernetes-namespace': 'apps',
        },
      },
      spec: {},
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'website', namespace: 'default' },
      spec: {},
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'broken-selector',
        namespace: 'default',
        annotations: {
          'backstage.io/kubernetes-label-selector': 'tier in data',
        },
      },
      spec: {},
    },
  ];

  async function start(
    options: {
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      knex?: any;
      encryption?: object;
      /** A mock scheduler to look into; its type does not show the factory it has. */
      scheduler?: SchedulerService & { factory(): ServiceFactory };
      /** Collects what the plugin publishes to the signal channel. */
      published?: unknown[];
    } = {},
  ) {
    const { server: app } = await startTestBackend({
      features: [
        fluxOrchestratorPlugin,
        ...(options.scheduler ? [options.scheduler.factory()] : []),
        ...(options.published
          ? [
              createServiceFactory({
                service: signalsServiceRef,
                deps: {},
                factory: () => ({
                  publish: async ({ message }: { message: unknown }) =>
                    void options.published!.push(message),
                }),
              }),
            ]
          : []),
        catalogServiceMock.factory({ entities }),
        mockServices.permissions.factory({
          result: options.permission ?? AuthorizeResult.ALLOW,
        }),
        ...(options.knex
          ? [mockServices.database.factory({ knex: options.knex })]
          : []),
        mockServices.rootConfig.factory({
          data: {
            fluxOrchestrator: {
              encryption: options.encryption ?? {
                key: randomBytes(32).toString('base64'),
              },
              sync: {
                initialDelay: { hours: 1 },
                clusterTimeout: { seconds: 2 },
              },
              kubeconfig: {
                connectionTimeout: { seconds: 2 },
                allowPrivateNetworks: ['127.0.0.0/8'],
              },
              clusters: [
                {
                  name: 'staging',
                  url: GOOD,
                  serviceAccountToken: CONFIG_TOKEN,
                },
              ],
            },
          },
        }),
      ],
    });
    return app;
  }

  const api = (p: string) => `/api/flux-orchestrator${p}`;

  describe('bad input: every case a 4xx with a message, nothing stored, no 5xx', () => {
    let app: Awaited<ReturnType<typeof start>>;
    beforeAll(async () => {
      app = await start();
      await request(app).post(api('/clusters/staging/sync'));
    });

    const huge = 'x'.repeat(600 * 1024);
    const registrations: Array<[string, unknown, number, RegExp]> = [
      // The API's OpenAPI spec refuses these before the route reads the body; the message is still the route's
      // own, which starts with the field.
      [
        'a JSON array body',
        [kubeconfig()],
        400,
        /^body: must be a JSON object \(Content-Type: application\/json\)$/,
      ],
      [
        'no kubeconfig',
        { name: 'prod' },
        400,
        /^kubeconfig: is required: paste the YAML of a kubeconfig$/,
      ],
      [
        'a kubeconfig that is a number',
        { name: 'prod', kubeconfig: 42 },
        400,
        /^kubeconfig: must be the kubeconfig YAML as a string$/,
      ],
      ['no name', { kubeconfig: kubeconfig() }, 400, /^name: is required$/],
      [
        'a name with capitals and underscores',
        { name: 'Prod_1', kubeconfig: kubeconfig() },
        400,
        /^name: must be lowercase letters, digits and dashes \(at most 63\), starting and ending with a letter or digit$/,
      ],
      [
        'a title that is a list',
        { name: 'prod', title: ['a'], kubeconfig: kubeconfig() },
        400,
        /^title: must be a string$/,
      ],
      [
        'an unknown field',
        { name: 'prod', kubeconfig: kubeconfig(), token: 'x' },
        400,
        /^token: is not a known field/,
      ],
      [
        'skipConnectionCheck as a string',
        { name: 'prod', kubeconfig: kubeconfig(), skipConnectionCheck: 'yes' },
        400,
        /^skipConnectionCheck: must be true or false$/,
      ],
      [
        'malformed YAML',
        { name: 'prod', kubeconfig: 'clusters: [\n  - name: a\n users: {' },
        400,
        /^kubeconfig: is not valid YAML \(line \d+/,
      ],
      [
        'YAML that is not a kubeconfig',
        { name: 'prod', kubeconfig: 'hello: world\n' },
        400,
        /^kubeconfig: has no clusters/,
      ],
      [
        'a missing context',
        { name: 'prod', kubeconfig: kubeconfig(), context: 'staging' },
        400,
        /^context: "staging" is not in the kubeconfig; it has "good"/,
      ],
      [
        'an empty context',
        { name: 'prod', kubeconfig: kubeconfig(), context: '' },
        400,
        /^context: must not be empty; leave it out to use the current context$/,
      ],
      [
        'an exec plugin',
        {
          name: 'prod',
          kubeconfig: kubeconfig({
            user: { exec: { command: 'aws', args: ['eks', 'get-token'] } },
          }),
        },
        400,
        /^kubeconfig: users\[0\]\.user\.exec is not accepted: an exec plugin runs a program on the backend host/,
      ],
      [
        'an auth-provider',
        {
          name: 'prod',
          kubeconfig: kubeconfig({
            user: { 'auth-provider': { name: 'oidc' } },
          }),
        },
        400,
        /^kubeconfig: users\[0\]\.user\.auth-provider is not accepted/,
      ],
      [
        'a token read from a file',
        {
          name: 'prod',
          kubeconfig: kubeconfig({
            user: { token: '', 'token-file': '/proc/self/environ' },
          }),
        },
        400,
        /^kubeconfig: users\[0\]\.user\.token-file is not accepted: it reads a file on the backend host/,
      ],
      [
        'a merge key',
        {
          name: 'prod',
          kubeconfig: 'users:\n- name: u\n  user:\n    <<: {token: t}\n',
        },
        400,
        /^kubeconfig: uses a YAML merge key \(<<\)/,
      ],
      [
        'an http server',
        {
          name: 'prod',
          kubeconfig: kubeconfig({ server: 'http://good.cluster.test:8080' }),
        },
        400,
        /^kubeconfig: clusters\[0\]\.cluster\.server: http:\/\/good\.cluster\.test:8080 uses http/,
      ],
      [
        'a server on a private network',
        {
          name: 'prod',
          kubeconfig: kubeconfig({ server: 'https://10.0.0.1:6443' }),
        },
        400,
        /^kubeconfig: clusters\[0\]\.cluster\.server: https:\/\/10\.0\.0\.1:6443 is refused: 10\.0\.0\.1 is a loopback, link-local, private/,
      ],
      [
        'skipped TLS verification',
        {
          name: 'prod',
          kubeconfig: kubeconfig({
            cluster: { 'insecure-skip-tls-verify': true },
          }),
        },
        400,
        /^kubeconfig: clusters\[0\]\.cluster\.insecure-skip-tls-verify is not accepted/,
      ],
      [
        'a client key read from a file',
        {
          name: 'prod',
          kubeconfig: kubeconfig({
            user: {
              'client-certificate-data': 'x',
              'client-key': '/etc/ssl/private/key.pem',
            },
          }),
        },
        400,
        /users\[0\]\.user\.client-key is not accepted: it reads a file on the backend host; inline it as client-key-data/,
      ],
      [
        'an HTML page instead of an API server',
        {
          name: 'prod',
          kubeconfig: kubeconfig({ server: 'https://html.cluster.test' }),
        },
        400,
        /^kubeconfig: the cluster at https:\/\/html\.cluster\.test did not answer with these credentials \(the server answered 200 with text\/html, not the JSON of a Kubernetes API server\)/,
      ],
      [
        'credentials the cluster rejects',
        {
          name: 'prod',
          kubeconfig: kubeconfig({
            server: 'https://unauthorized.cluster.test:6443',
          }),
        },
        400,
        /^kubeconfig: the cluster at https:\/\/unauthorized\.cluster\.test:6443 did not answer with these credentials \(401 Unauthorized/,
      ],
      [
        'a cluster nobody answers for',
        {
          name: 'prod',
          kubeconfig: kubeconfig({ server: 'https://127.0.0.1:1' }),
        },
        400,
        /^kubeconfig: the cluster at https:\/\/127\.0\.0\.1:1 did not answer with these credentials \(.*ECONNREFUSED/,
      ],
      [
        'a kubeconfig over 256 KB',
        { name: 'prod', kubeconfig: 'x'.repeat(300 * 1024) },
        400,
        /^kubeconfig: is larger than 256 KB; export only the context you need \(kubectl config view --minify --raw\)$/,
      ],
      [
        'a body over 512 KB',
        { name: 'prod', kubeconfig: huge },
        413,
        /too large/i,
      ],
      [
        'the name of an app-config cluster',
        { name: 'staging', kubeconfig: kubeconfig() },
        409,
        /^name: a cluster named "staging" is already defined in app-config/,
      ],
    ];

    it.each(registrations)(
      'POST /clusters with %s',
      async (_case, body, status, message) => {
        const res = await request(app)
          .post(api('/clusters'))
          .send(body as object);
        expect(res.status).toBe(status);
        expect(res.body.error.message).toMatch(message);
        expect(JSON.stringify(res.body)).not.toContain(TOKEN);
        const clusters = await request(app).get(api('/clusters'));
        expect(clusters.body.map((c: any) => c.name)).toEqual(['staging']);
      },
    );

    it('POST /clusters with a body that is not JSON', async () => {
      const res = await request(app)
        .post(api('/clusters'))
        .set('Content-Type', 'application/json')
        .send('{"name": "prod", kubeconfig');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/JSON/);
    });

    it.each([
      ['no body at all', undefined, ''],
      [
        'a form body',
        'name=prod',
        ' (this one was sent as application/x-www-form-urlencoded)',
      ],
    ])('POST /clusters with %s is told to send JSON', async (_, body, sent) => {
      const req = request(app).post(api('/clusters'));
      const res = await (body === undefined ? req : req.send(body));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        `This request takes a JSON body, sent with the header Content-Type: application/json${sent}`,
      );
      const clusters = await request(app).get(api('/clusters'));
      expect(clusters.body.map((c: any) => c.name)).toEqual(['staging']);
    });

    const others: Array<[string, string, string, unknown, number, RegExp]> = [
      [
        'PUT an unknown cluster',
        'put',
        '/clusters/nope',
        { title: 'x' },
        404,
        /No cluster named "nope"/,
      ],
      [
        'PUT an app-config cluster',
        'put',
        '/clusters/staging',
        { title: 'x' },
        409,
        /^Cluster "staging" is defined in app-config \(fluxOrchestrator\.clusters\) and is read-only here/,
      ],
      [
        'PUT a title of the wrong type',
        'put',
        '/clusters/staging',
        { title: 7 },
        400,
        /^title: must be a string$/,
      ],
      [
        'PUT a field that cannot change',
        'put',
        '/clusters/staging',
        { name: 'other' },
        400,
        /^name: is not a known field/,
      ],
      [
        'DELETE an unknown cluster',
        'delete',
        '/clusters/nope',
        undefined,
        404,
        /No cluster named "nope"/,
      ],
      [
        'DELETE an app-config cluster',
        'delete',
        '/clusters/staging',
        undefined,
        409,
        /is read-only here; change it there/,
      ],
      [
        'contexts of malformed YAML',
        'post',
        '/kubeconfig/contexts',
        { kubeconfig: 'a: [' },
        400,
        /^kubeconfig: is not valid YAML/,
      ],
      [
        'reconcile without ids',
        'post',
        '/resources/reconcile',
        {},
        400,
        /^ids: is required: the ids of the objects to act on$/,
      ],
      [
        'reconcile with ids as a string',
        'post',
        '/resources/reconcile',
        { ids: 'staging:Kustomization:flux-system:podinfo' },
        400,
        /^ids: must be a list of resource ids$/,
      ],
      [
        'reconcile with no ids',
        'post',
        '/resources/reconcile',
        { ids: [] },
        400,
        /^ids: must name at least one object$/,
      ],
      [
        'reconcile of 101 objects',
        'post',
        '/resources/reconcile',
        {
          ids: Array.from(
            { length: 101 },
            (_, i) => `staging:Kustomization:apps:k${i}`,
          ),
        },
        400,
        /^ids: must name at most 100 objects at once$/,
      ],
      [
        'reconcile with withSource as a string',
        'post',
        '/resources/reconcile',
        {
          ids: ['staging:Kustomization:flux-system:podinfo'],
          withSource: 'yes',
        },
        400,
        /^withSource: must be true or false$/,
      ],
      [
        'reconcile of an unknown id',
        'post',
        '/resources/reconcile',
        {
          ids: [
            'staging:Kustomization:flux-system:podinfo',
            'staging:Kustomization:apps:gone',
          ],
        },
        404,
        /No Flux object with id "staging:Kustomization:apps:gone"/,
      ],
      [
        'suspend of a kind without spec.suspend',
        'post',
        '/resources/suspend',
        { ids: ['staging:ImagePolicy:flux-system:podinfo'] },
        400,
        /^ids: ImagePolicy flux-system\/podinfo cannot be suspended or resumed/,
      ],
      [
        'a reconcile with a reason',
        'post',
        '/resources/reconcile',
        { ids: ['staging:HelmRelease:apps:podinfo'], reason: 'because' },
        400,
        /^reason: only a suspend takes a reason and an end$/,
      ],
      [
        'a suspension with an empty reason',
        'post',
        '/resources/suspend',
        { ids: ['staging:HelmRelease:apps:podinfo'], reason: '   ' },
        400,
        /^reason: must not be empty; leave it out to give none$/,
      ],
      [
        'a suspension with a reason of two lines',
        'post',
        '/resources/suspend',
        { ids: ['staging:HelmRelease:apps:podinfo'], reason: 'a\nb' },
        400,
        /^reason: must be one line of text, without control characters$/,
      ],
      [
        'a suspension with a reason too long',
        'post',
        '/resources/suspend',
        { ids: ['staging:HelmRelease:apps:podinfo'], reason: 'x'.repeat(501) },
        400,
        /^reason: must be at most 500 characters$/,
      ],
      [
        'a suspension that ended already',
        'post',
        '/resources/suspend',
        {
          ids: ['staging:HelmRelease:apps:podinfo'],
          until: '2020-01-01T00:00:00Z',
        },
        400,
        /^until: must be in the future$/,
      ],
      [
        'a suspension for two years',
        'post',
        '/resources/suspend',
        {
          ids: ['staging:HelmRelease:apps:podinfo'],
          until: new Date(Date.now() + 2 * 366 * 86_400_000).toISOString(),
        },
        400,
        /^until: must be within a year$/,
      ],
      [
        'a suspension until a date that is not one',
        'post',
        '/resources/suspend',
        { ids: ['staging:HelmRelease:apps:podinfo'], until: 'tomorrow' },
        400,
        /^until: must be an RFC 3339 time, e\.g\. 2026-12-24T18:00:00Z$/,
      ],
      [
        'force of a Kustomization',
        'post',
        '/resources/force',
        {
          ids: [
            'staging:HelmRelease:apps:podinfo',
            'staging:Kustomization:flux-system:podinfo',
          ],
        },
        400,
        /^ids: Kustomization flux-system\/podinfo cannot be forced \(only HelmReleases can\)/,
      ],
      [
        'reset of a Kustomization',
        'post',
        '/resources/reset',
        { ids: ['staging:Kustomization:flux-system:podinfo'] },
        400,
        /^ids: Kustomization flux-system\/podinfo cannot be reset \(only HelmReleases can\)/,
      ],
      [
        'events of an unknown object',
        'get',
        `/resources/${encodeURIComponent(
          'staging:Kustomization:apps:gone',
        )}/events`,
        undefined,
        404,
        /No Flux object/,
      ],
      [
        'entity resources without entityRef',
        'get',
        '/entity-resources',
        undefined,
        400,
        /^request\/query must have required property 'entityRef'$/,
      ],
      [
        'entity resources of a malformed ref',
        'get',
        '/entity-resources?entityRef=component:',
        undefined,
        400,
        /^Invalid query: entityRef:/,
      ],
      [
        'entity resources of an unknown entity',
        'get',
        '/entity-resources?entityRef=component:default/nope',
        undefined,
        404,
        /No catalog entity component:default\/nope/,
      ],
      [
        'entity resources of an entity without annotations',
        'get',
        '/entity-resources?entityRef=component:default/website',
        undefined,
        400,
        /has none of the annotations backstage\.io\/kubernetes-id/,
      ],
      [
        'entity resources of a broken label selector',
        'get',
        '/entity-resources?entityRef=component:default/broken-selector',
        undefined,
        400,
        /label selector "tier in data": cannot read "tier in data"/,
      ],
      [
        'a page of a malformed entity ref',
        'get',
        '/resources?entityRef=component:',
        undefined,
        400,
        /^Invalid query: entityRef:/,
      ],
      [
        'a page of an entity without annotations',
        'get',
        '/resources?entityRef=component:default/website',
        undefined,
        400,
        /has none of the annotations/,
      ],
    ];

    it.each(others)(
      '%s',
      async (_case, method, path, body, status, message) => {
        const call = (request(app) as any)[method](api(path));
        const res = body === undefined ? await call : await call.send(body);
        expect(res.status).toBe(status);
        expect(res.body.error.message).toMatch(message);
        const history = await request(app).get(
          api(
            `/resources/${encodeURIComponent(
              'staging:Kustomization:flux-system:podinfo',
            )}/actions`,
          ),
        );
        expect(history.body).toEqual([]);
      },
    );
  });

  it('registers, changes and deletes an API cluster without ever answering its credentials', async () => {
    const scheduler = mockServices.scheduler() as SchedulerService & {
      factory(): ServiceFactory;
    };
    const app = await start({ scheduler });
    const watchTasks = async () =>
      (await scheduler.getScheduledTasks())
        .map(t => t.id)
        .filter(id => id.startsWith('flux-orchestrator-watch:'));
    expect(await watchTasks()).toEqual(['flux-orchestrator-watch:staging']);
    expect((await scheduler.getScheduledTasks()).map(t => t.id)).toEqual(
      expect.arrayContaining([
        'flux-orchestrator-sync:staging',
        'flux-orchestrator-refresh-clusters',
        'flux-orchestrator-schedule-clusters',
      ]),
    );
    const created = await request(app)
      .post(api('/clusters'))
      .send({ name: 'prod', title: 'Production', kubeconfig: kubeconfig() });
    expect(created.status).toBe(201);
    // Watched from the moment it is registered, not from the next full sync.
    expect(await watchTasks()).toEqual([
      'flux-orchestrator-watch:staging',
      'flux-orchestrator-watch:prod',
    ]);
    expect(created.body).toMatchObject({
      name: 'prod',
      source: 'api',
      readOnly: false,
      server: GOOD,
    });
    const contexts = await request(app)
      .post(api('/kubeconfig/contexts'))
      .send({ kubeconfig: kubeconfig() });
    expect(contexts.body).toEqual([
      {
        name: 'good',
        cluster: 'good',
        user: 'flux-console',
        server: GOOD,
        current: true,
      },
    ]);

    const renamed = await request(app)
      .put(api('/clusters/prod'))
      .send({ title: 'Production EU', description: 'eu-west-1' });
    expect(renamed.body).toMatchObject({
      title: 'Production EU',
      description: 'eu-west-1',
    });
    const refused = await request(app)
      .put(api('/clusters/prod'))
      .send({ kubeconfig: kubeconfig({ server: 'http://x:80' }) });
    expect(refused.status).toBe(400);
    // A refused change leaves the stored connection working.
    const sync = await request(app).post(api('/clusters/prod/sync'));
    expect(sync.body).toMatchObject({ status: 'succeeded', listed: 4 });

    for (const path of [
      '/clusters',
      '/clusters/prod',
      '/clusters/prod/health',
      '/clusters/prod/sync-runs',
    ]) {
      const res = await request(app).get(api(path));
      expect(JSON.stringify(res.body)).not.toContain(TOKEN);
    }
    expect((await request(app).delete(api('/clusters/prod'))).status).toBe(204);
    expect(
      (await request(app).get(api('/resources?cluster=prod'))).body.total,
    ).toBe(0);
  });

  it('publishes signals that name no cluster and no object, only the uids its readers know', async () => {
    const published: unknown[] = [];
    const podinfo = `${GOOD}/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/podinfo`;
    const answer = () =>
      HttpResponse.json(
        fluxObject('Kustomization', 'v1', 'ready', 'podinfo', 'flux-system'),
      );
    server.use(http.patch(podinfo, answer), http.get(podinfo, answer));
    const app = await start({ published });
    await request(app).post(api('/clusters/staging/sync'));
    const id = 'staging:Kustomization:flux-system:podinfo';
    const reconciled = await request(app)
      .post(api('/resources/reconcile'))
      .send({ ids: [id] });
    expect(reconciled.status).toBe(200);
    const { uid } = (
      await request(app).get(api(`/resources/${encodeURIComponent(id)}`))
    ).body;

    expect(published).toEqual(
      expect.arrayContaining([
        { type: 'sync-finished' },
        { type: 'action', uids: [uid] },
      ]),
    );
    // Every signed-in user receives these, whatever the policy lets them read.
    const withoutUids = JSON.stringify(published).split(uid).join('');
    for (const name of ['staging', 'podinfo', 'flux-system', 'Kustomization'])
      expect(withoutUids).not.toContain(name);
  });

  it("lists a catalog entity's Flux objects through its Kubernetes annotations", async () => {
    const app = await start();
    await request(app).post(api('/clusters/staging/sync'));
    const entityPage = (ref: string, query = '') =>
      request(app).get(api(`/resources?entityRef=${ref}${query}`));
    const podinfo = await entityPage('component:default/podinfo');
    expect(podinfo.status).toBe(200);
    expect(podinfo.body.items.map((r: any) => r.id)).toEqual([
      'staging:HelmRelease:apps:podinfo',
      'staging:Kustomization:flux-system:podinfo',
    ]);
    expect(podinfo.body.total).toBe(2);
    // Filters, sorts and pages apply within the entity's objects.
    const kustomizations = await entityPage(
      'component:default/podinfo',
      '&kind=Kustomization&limit=1',
    );
    expect(kustomizations.body.items.map((r: any) => r.id)).toEqual([
      'staging:Kustomization:flux-system:podinfo',
    ]);
    expect(
      (
        await entityPage(
          'component:default/podinfo',
          '&limit=1&sort=name&order=desc',
        )
      ).body,
    ).toMatchObject({ total: 2, items: [{ kind: 'Kustomization' }] });

    const overview = await request(app).get(
      api('/entity-resources?entityRef=component:default/podinfo'),
    );
    expect(overview.body).toMatchObject({
      entityRef: 'component:default/podinfo',
      selector: { kubernetesId: 'podinfo' },
      counts: { total: 2 },
      clusters: ['staging'],
      namespaces: ['apps', 'flux-system'],
    });
    const redis = await request(app).get(
      api('/entity-resources?entityRef=component:default/redis'),
    );
    expect(redis.body.counts).toMatchObject({ failing: 1, total: 1 });
    expect(redis.body.needsAttention.map((r: any) => r.id)).toEqual([
      'staging:HelmRelease:apps:redis',
    ]);
    // An entity the catalog does not have is not a filter that matches nothing.
    expect((await entityPage('component:default/nothing')).status).toBe(404);
  });

  it('answers 403 naming the permission on every route when the policy denies', async () => {
    const app = await start({ permission: AuthorizeResult.DENY });
    const routes: Array<[string, string, string]> = [
      ['get', '/clusters', 'flux-orchestrator.cluster.read'],
      ['post', '/clusters', 'flux-orchestrator.cluster.create'],
      [
        'post',
        '/kubeconfig/contexts',
        'flux-orchestrator.cluster.create (create) or flux-orchestrator.cluster.update',
      ],
      ['get', '/clusters/staging', 'flux-orchestrator.cluster.read'],
      ['put', '/clusters/staging', 'flux-orchestrator.cluster.update'],
      ['delete', '/clusters/staging', 'flux-orchestrator.cluster.delete'],
      ['get', '/clusters/staging/health', 'flux-orchestrator.cluster.read'],
      ['post', '/clusters/staging/sync', 'flux-orchestrator.cluster.sync'],
      ['get', '/clusters/staging/sync-runs', 'flux-orchestrator.cluster.read'],
      ['get', '/clusters/staging/resources', 'flux-orchestrator.cluster.read'],
      ['get', '/resources', 'flux-orchestrator.resource.read'],
      ['get', '/resources/x', 'flux-orchestrator.resource.read'],
      ['get', '/resources/x/events', 'flux-orchestrator.resource.read'],
      [
        'get',
        '/resources/x/reconcile-status',
        'flux-orchestrator.resource.read',
      ],
      ['get', '/resources/x/actions', 'flux-orchestrator.resource.read'],
      ['get', '/resources/x/dependents', 'flux-orchestrator.resource.read'],
      ['get', '/resources/x/transitions', 'flux-orchestrator.resource.read'],
      ['get', '/reliability', 'flux-orchestrator.resource.read'],
      ['get', '/stuck-resources', 'flux-orchestrator.resource.read'],
      ['get', '/upgrade-readiness', 'flux-orchestrator.resource.read'],
      ['get', '/rollouts', 'flux-orchestrator.resource.read'],
      ['get', '/owned-resources', 'flux-orchestrator.resource.read'],
      ['post', '/resources/reconcile', 'flux-orchestrator.resource.reconcile'],
      ['post', '/resources/suspend', 'flux-orchestrator.resource.suspend'],
      ['post', '/resources/resume', 'flux-orchestrator.resource.suspend'],
      [
        'get',
        '/entity-resources?entityRef=component:default/podinfo',
        'flux-orchestrator.resource.read',
      ],
      ['get', '/summary', 'flux-orchestrator.resource.read'],
    ];
    // Valid bodies, so that a 403 comes from the policy and not from a refused input.
    const bodies: Record<string, object> = {
      'post /clusters': { name: 'new', kubeconfig: kubeconfig() },
      'post /kubeconfig/contexts': { kubeconfig: kubeconfig() },
      'put /clusters/staging': { title: 'Staging' },
      'post /resources/reconcile': {
        ids: ['staging:HelmRelease:apps:podinfo'],
      },
      'post /resources/suspend': { ids: ['staging:HelmRelease:apps:podinfo'] },
      'post /resources/resume': { ids: ['staging:HelmRelease:apps:podinfo'] },
    };
    for (const [method, path, permission] of routes) {
      const res = await (request(app) as any)
        [method](api(path))
        .send(bodies[`${method} ${path}`] ?? {});
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(res.body.error.message).toContain(`Not allowed: ${permission}`);
    }
  });

  describe('encryption key rotation', () => {
    it('re-encrypts under the new key at start-up and gives a clear error with a wrong key', async () => {
      const knex = await databases.init('SQLITE_3');
      const keyA = randomBytes(32).toString('base64');
      const keyB = randomBytes(32).toString('base64');
      const first = await start({ knex, encryption: { key: keyA } });
      expect(
        (
          await request(first)
            .post(api('/clusters'))
            .send({ name: 'prod', kubeconfig: kubeconfig() })
        ).status,
      ).toBe(201);
      const before = (await knex('clusters').where({ name: 'prod' }).first())
        .credentials;
      expect(before).not.toContain(TOKEN);

      // Restart with key B current and key A previous: the row is rewritten under B and still works.
      const rotated = await start({
        knex,
        encryption: { key: keyB, previousKeys: [keyA] },
      });
      const after = (await knex('clusters').where({ name: 'prod' }).first())
        .credentials;
      expect(after.split(':')[1]).not.toBe(before.split(':')[1]);
      expect(
        (await request(rotated).post(api('/clusters/prod/sync'))).body.status,
      ).toBe('succeeded');

      // Key A removed: still readable, since everything was rotated.
      const onlyB = await start({ knex, encryption: { key: keyB } });
      expect(
        (await request(onlyB).post(api('/clusters/prod/sync'))).body.status,
      ).toBe('succeeded');

      // A wrong key does not produce garbage: the sync fails saying which key is missing.
      const wrong = await start({
        knex,
        encryption: { key: randomBytes(32).toString('base64') },
      });
      const failed = await request(wrong).post(api('/clusters/prod/sync'));
      expect(failed.body).toMatchObject({ status: 'failed' });
      expect(failed.body.error).toMatch(
        /were encrypted with key [0-9a-f]{8}, which is not configured; add it to fluxOrchestrator\.encryption\.previousKeys/,
      );
    });
  });
});
