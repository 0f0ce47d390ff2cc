import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { setupServer } from 'msw/node';
import request from './__testUtils__/specCheckedRequest';
import { fakeClusterApi } from './__testUtils__/fakeClusterApi';
import { fluxObject } from './__testUtils__/fluxObjects';
import { KubernetesObject } from './status/parseFluxObject';
import { fluxOrchestratorPlugin } from './plugin';

jest.setTimeout(30_000);

const SECRET_TOKEN = 'super-secret-token-value';

const clusters = [
  'good',
  'legacy',
  'slow',
  'forbidden',
  'unauthorized',
  'broken',
  'garbage',
  'noflux',
];

function config(overrides: Record<string, unknown> = {}) {
  return {
    fluxOrchestrator: {
      sync: {
        clusterTimeout: { milliseconds: 800 },
        initialDelay: { hours: 1 },
        ...overrides,
      },
      clusters: clusters.map(name => ({
        name,
        title: `Cluster ${name}`,
        url: `https://${name}.cluster.test:6443`,
        serviceAccountToken: SECRET_TOKEN,
        skipTLSVerify: true,
      })),
    },
  };
}

function currentObjects(): KubernetesObject[] {
  return [
    fluxObject('Kustomization', 'v1', 'ready', 'podinfo', 'apps'),
    fluxObject('Kustomization', 'v1', 'failing', 'broken-app', 'apps'),
    fluxObject('HelmRelease', 'v2', 'progressing', 'ingress', 'infra'),
    fluxObject('GitRepository', 'v1', 'ready', 'fleet'),
    fluxObject('Alert', 'v1beta3', 'ready', 'slack'),
  ];
}

describe('flux-orchestrator backend plugin', () => {
  const server = setupServer();
  beforeAll(() =>
    server.listen({
      // supertest talks to the test backend on loopback; only the fake clusters are msw's.
      onUnhandledRequest: (req, print) => {
        if (!['127.0.0.1', 'localhost'].includes(new URL(req.url).hostname))
          print.error();
      },
    }),
  );
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  let goodObjects: KubernetesObject[];

  beforeEach(() => {
    goodObjects = currentObjects();
    server.use(
      ...fakeClusterApi('https://good.cluster.test:6443', {
        objects: goodObjects,
        fluxVersion: 'v2.9.1',
      }),
      ...fakeClusterApi('https://legacy.cluster.test:6443', {
        generation: 'legacy',
        fluxVersion: 'v2.4.0',
        objects: [
          fluxObject('HelmRelease', 'v2beta1', 'ready', 'podinfo', 'apps'),
          fluxObject('GitRepository', 'v1beta2', 'stalled', 'fleet'),
          fluxObject('ImagePolicy', 'v1beta2', 'ready', 'podinfo'),
        ],
      }),
      ...fakeClusterApi('https://slow.cluster.test:6443', { fault: 'timeout' }),
      ...fakeClusterApi('https://forbidden.cluster.test:6443', {
        fault: 'forbidden',
      }),
      ...fakeClusterApi('https://unauthorized.cluster.test:6443', {
        fault: 'unauthorized',
      }),
      ...fakeClusterApi('https://broken.cluster.test:6443', {
        fault: 'server-error',
      }),
      ...fakeClusterApi('https://garbage.cluster.test:6443', {
        fault: 'garbage',
      }),
      ...fakeClusterApi('https://noflux.cluster.test:6443', {
        generation: 'none',
      }),
    );
  });

  async function start(
    permissionResult:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) {
    const { server: app } = await startTestBackend({
      features: [
        fluxOrchestratorPlugin,
        mockServices.rootConfig.factory({ data: config() }),
        mockServices.permissions.factory({ result: permissionResult }),
      ],
    });
    return app;
  }

  it('lists the app-config clusters, read-only and without credentials', async () => {
    const app = await start();
    const res = await request(app).get('/api/flux-orchestrator/clusters');
    expect(res.status).toBe(200);
    expect(res.body.map((c: any) => c.name).sort()).toEqual(
      [...clusters].sort(),
    );
    expect(res.body[0]).toMatchObject({
      source: 'config',
      readOnly: true,
      health: { status: 'unknown' },
    });
    expect(JSON.stringify(res.body)).not.toContain(SECRET_TOKEN);
  });

  it('leaves out an object whose identity no API server gives, and stores the rest of its kind', async () => {
    const hostile = fluxObject(
      'Kustomization',
      'v1',
      'ready',
      'hostile',
      'apps',
    );
    hostile.metadata!.uid = 'u'.repeat(65);
    goodObjects.push(hostile);
    const app = await start();
    const sync = await request(app).post(
      '/api/flux-orchestrator/clusters/good/sync',
    );
    expect(sync.body.status).toBe('succeeded');
    const listed = await request(app).get(
      '/api/flux-orchestrator/resources?kind=Kustomization&limit=50',
    );
    expect(
      listed.body.items.map((r: { name: string }) => r.name).sort(),
    ).toEqual(['broken-app', 'podinfo']);
  });

  it('syncs a current-generation cluster and serves its objects, health and history', async () => {
    const app = await start();
    const sync = await request(app).post(
      '/api/flux-orchestrator/clusters/good/sync',
    );
    expect(sync.status).toBe(200);
    expect(sync.body).toMatchObject({
      status: 'succeeded',
      listed: 5,
      inserted: 5,
      trigger: 'manual',
    });

    const health = await request(app).get(
      '/api/flux-orchestrator/clusters/good/health',
    );
    expect(health.body).toMatchObject({
      status: 'healthy',
      kubernetesVersion: 'v1.36.3',
      fluxInstalled: true,
      fluxVersion: 'v2.9.1',
      servedVersions: {
        Kustomization: 'v1',
        HelmRelease: 'v2',
        Alert: 'v1beta3',
      },
    });

    const list = await request(app).get(
      '/api/flux-orchestrator/clusters/good/resources?sort=status',
    );
    expect(list.body.total).toBe(5);
    expect(list.body.items[0]).toMatchObject({
      name: 'broken-app',
      status: 'failing',
      reason: 'BuildFailed',
    });

    const detail = await request(app).get(
      `/api/flux-orchestrator/resources/${encodeURIComponent(
        'good:Kustomization:apps:podinfo',
      )}`,
    );
    expect(detail.status).toBe(200);
    expect(detail.body.object.spec.sourceRef).toEqual({
      kind: 'GitRepository',
      name: 'fleet',
    });

    const runs = await request(app).get(
      '/api/flux-orchestrator/clusters/good/sync-runs',
    );
    expect(runs.body).toHaveLength(1);
    const cluster = await request(app).get(
      '/api/flux-orchestrator/clusters/good',
    );
    expect(cluster.body).toMatchObject({
      counts: { total: 5, failing: 1 },
      lastSyncRun: { status: 'succeeded' },
    });
  });

  it('discovers the older API versions of a Flux 2.4-era cluster', async () => {
    const app = await start();
    const sync = await request(app).post(
      '/api/flux-orchestrator/clusters/legacy/sync',
    );
    expect(sync.body).toMatchObject({ status: 'succeeded', inserted: 3 });
    const health = await request(app).get(
      '/api/flux-orchestrator/clusters/legacy/health',
    );
    expect(health.body.servedVersions).toMatchObject({
      HelmRelease: 'v2beta1',
      GitRepository: 'v1beta2',
      ImagePolicy: 'v1beta2',
      Alert: 'v1beta2',
    });
    const list = await request(app).get(
      '/api/flux-orchestrator/resources?cluster=legacy&sort=name',
    );
    expect(
      list.body.items.map((r: any) => [
        r.kind,
        r.apiVersion,
        r.status,
        r.revision,
      ]),
    ).toEqual([
      [
        'GitRepository',
        'source.toolkit.fluxcd.io/v1beta2',
        'stalled',
        'main@sha1:8f3a1c2b9d4e5f60718293a4b5c6d7e8f9012345',
      ],
      ['HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1', 'ready', '6.5.0'],
      [
        'ImagePolicy',
        'image.toolkit.fluxcd.io/v1beta2',
        'ready',
        'ghcr.io/example/podinfo:6.7.1',
      ],
    ]);
  });

  it('writes only what changed on a resync and removes deleted objects', async () => {
    const app = await start();
    await request(app).post('/api/flux-orchestrator/clusters/good/sync');
    goodObjects.splice(1, 1); // broken-app deleted
    goodObjects[0].metadata!.resourceVersion = '2002';
    goodObjects[0].spec!.suspend = true;
    const resync = await request(app).post(
      '/api/flux-orchestrator/clusters/good/sync',
    );
    expect(resync.body).toMatchObject({
      listed: 4,
      inserted: 0,
      updated: 1,
      deleted: 1,
      unchanged: 3,
    });
    const suspended = await request(app).get(
      '/api/flux-orchestrator/resources?suspended=true',
    );
    expect(suspended.body.items.map((r: any) => r.id)).toEqual([
      'good:Kustomization:apps:podinfo',
    ]);
  });

  it.each([
    ['slow', /timed out after 1s/],
    ['unauthorized', /^401 Unauthorized/],
    ['broken', /^500 Internal Server Error: etcdserver: request timed out/],
    ['garbage', /invalid response from the API server/],
  ])(
    'marks the %s cluster unhealthy with a readable reason',
    async (name, reason) => {
      const app = await start();
      const sync = await request(app).post(
        `/api/flux-orchestrator/clusters/${name}/sync`,
      );
      expect(sync.status).toBe(200);
      expect(sync.body.status).toBe('failed');
      expect(sync.body.error).toMatch(reason);
      const health = await request(app).get(
        `/api/flux-orchestrator/clusters/${name}/health`,
      );
      expect(health.body.status).toBe('unhealthy');
      expect(health.body.error).toMatch(reason);
      expect(health.body.error).not.toContain(SECRET_TOKEN);
    },
  );

  it('reports the 403 of a role that cannot list Flux kinds, naming the kinds', async () => {
    const app = await start();
    const sync = await request(app).post(
      '/api/flux-orchestrator/clusters/forbidden/sync',
    );
    expect(sync.body.status).toBe('failed');
    const health = await request(app).get(
      '/api/flux-orchestrator/clusters/forbidden/health',
    );
    expect(health.body.status).toBe('unhealthy');
    expect(health.body.error).toMatch(
      /^cannot list 13 of 13 Flux kinds \(Kustomization, .*\): 403 Forbidden: .* cannot list resource/,
    );
    expect(health.body.kindErrors.HelmRelease).toMatch(
      /cannot list resource "helmreleases"/,
    );
  });

  it('syncs the kinds a narrow role may list and keeps the others as they were', async () => {
    server.use(
      ...fakeClusterApi('https://forbidden.cluster.test:6443', {
        objects: currentObjects(),
        forbiddenKinds: ['HelmRelease'],
      }),
    );
    const app = await start();
    const sync = await request(app).post(
      '/api/flux-orchestrator/clusters/forbidden/sync',
    );
    expect(sync.body).toMatchObject({ status: 'partial', inserted: 4 });
    expect(sync.body.error).toMatch(
      /^cannot list 1 of 13 Flux kinds \(HelmRelease\): 403 Forbidden/,
    );
    const kinds = await request(app).get(
      '/api/flux-orchestrator/resources?cluster=forbidden&kind=HelmRelease',
    );
    expect(kinds.body.total).toBe(0);
  });

  it('says so when a cluster has no Flux installed', async () => {
    const app = await start();
    await request(app).post('/api/flux-orchestrator/clusters/noflux/sync');
    const health = await request(app).get(
      '/api/flux-orchestrator/clusters/noflux/health',
    );
    expect(health.body).toMatchObject({
      status: 'unhealthy',
      fluxInstalled: false,
      error: expect.stringMatching(/Flux is not installed/),
    });
  });

  it('keeps serving the good clusters while the broken ones fail, all synced at once', async () => {
    const app = await start();
    const runs = await Promise.all(
      clusters.map(name =>
        request(app).post(`/api/flux-orchestrator/clusters/${name}/sync`),
      ),
    );
    const byName = Object.fromEntries(
      runs.map((r, i) => [clusters[i], r.body]),
    );
    expect(byName.good.status).toBe('succeeded');
    expect(byName.legacy.status).toBe('succeeded');
    // The good cluster's sync did not wait for the slow one's deadline.
    expect(byName.good.durationMs).toBeLessThan(800);
    expect(byName.slow.status).toBe('failed');
    // The slow cluster was cut at its 800 ms deadline, not left to answer after 3 s.
    expect(byName.slow.durationMs).toBeLessThan(2000);
    const summary = await request(app).get('/api/flux-orchestrator/summary');
    expect(summary.body.totals.total).toBe(8);
    expect(summary.body.clusters).toMatchObject({
      healthy: 2,
      unhealthy: 6,
      total: 8,
    });
  });

  describe('bad input', () => {
    // The API's OpenAPI spec answers these before a route does; its validator names the parameter by its place
    // in the request.
    it.each([
      [
        '/resources?status=broken',
        /^request\/query\/status\/0 must be equal to one of the allowed values: ready, failing/,
      ],
      [
        '/resources?kind=Deployment',
        /^request\/query\/kind\/0 must be equal to one of the allowed values: Kustomization/,
      ],
      ['/resources?limit=0', /^request\/query\/limit must be >= 1$/],
      ['/resources?limit=5000', /^request\/query\/limit must be <= 500$/],
      ['/resources?limit=ten', /^request\/query\/limit must be integer$/],
      ['/resources?offset=-1', /^request\/query\/offset must be >= 0$/],
      [
        '/resources?suspended=yes',
        /^request\/query\/suspended must be boolean$/,
      ],
      [
        '/resources?sort=age',
        /^request\/query\/sort must be equal to one of the allowed values: name/,
      ],
      ['/resources?stauts=failing', /^Unknown query parameter 'stauts'$/],
      [
        '/clusters/good/sync-runs?limit=1000',
        /^request\/query\/limit must be <= 200$/,
      ],
      [
        '/clusters/good/resources?cluster=prod',
        /^Unknown query parameter 'cluster'$/,
      ],
      ['/stuck-resources?limit=0', /^request\/query\/limit must be >= 1$/],
      [
        '/reliability?window=1y',
        /^request\/query\/window must be equal to one of the allowed values: 24h, 7d, 30d$/,
      ],
      [
        '/resources/good:Kustomization:apps:podinfo/transitions?limit=201',
        /^request\/query\/limit must be <= 200$/,
      ],
    ])('GET %s is a 400 that names the parameter', async (path, message) => {
      const app = await start();
      const res = await request(app).get(`/api/flux-orchestrator${path}`);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(message);
    });

    it.each([
      ['get', '/clusters/nope'],
      ['get', '/clusters/nope/health'],
      ['get', '/clusters/nope/resources'],
      ['get', '/clusters/nope/sync-runs'],
      ['post', '/clusters/nope/sync'],
      ['get', '/resources/nope:Kustomization:apps:x'],
      ['get', '/resources/nope:Kustomization:apps:x/transitions'],
    ] as const)('%s %s is a 404', async (method, path) => {
      const app = await start();
      const res = await request(app)[method](`/api/flux-orchestrator${path}`);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toMatch(/nope/);
    });

    it('accepts lists as repeated or comma-separated parameters', async () => {
      const app = await start();
      await request(app).post('/api/flux-orchestrator/clusters/good/sync');
      const repeated = await request(app).get(
        '/api/flux-orchestrator/resources?kind=Kustomization&kind=GitRepository',
      );
      const joined = await request(app).get(
        '/api/flux-orchestrator/resources?kind=Kustomization,GitRepository',
      );
      expect(repeated.body.total).toBe(3);
      expect(joined.body.total).toBe(3);
    });
  });

  it('answers 403 naming the permission when the policy denies', async () => {
    const app = await start(AuthorizeResult.DENY);
    const list = await request(app).get('/api/flux-orchestrator/resources');
    expect(list.status).toBe(403);
    expect(list.body.error.message).toContain(
      'flux-orchestrator.resource.read',
    );
    const sync = await request(app).post(
      '/api/flux-orchestrator/clusters/good/sync',
    );
    expect(sync.status).toBe(403);
    expect(sync.body.error.message).toContain('flux-orchestrator.cluster.sync');
  });
});
