import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CLUSTER_SOURCE_PATTERN,
  FLUX_ACTIONS,
  FLUX_KIND_NAMES,
  FLUX_KINDS,
  FLUX_STATUSES,
  RELIABILITY_WINDOWS,
  STUCK_REASONS,
  RESOURCE_SORT_FIELDS,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import express from 'express';
import { randomBytes } from 'crypto';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import supertest, { Response } from 'supertest';
import { stringify } from 'yaml';
import { CLUSTER_NAME_PATTERN } from './clusters/readConfigClusters';
import { fakeClusterApi } from './__testUtils__/fakeClusterApi';
import { fluxObject } from './__testUtils__/fluxObjects';
import request, {
  expectAnswerInSpec,
  specPathOf,
} from './__testUtils__/specCheckedRequest';
import { fluxOrchestratorPlugin } from './plugin';
import { createRouter, RouterOptions } from './router';
import { spec } from './schema/openapi.generated';
import {
  MAX_ACTION_IDS,
  MAX_KUBECONFIG_LENGTH,
} from './service/requestBodySchemas';
import { MAX_PAGE_SIZE } from './service/resourceQuerySchema';
import { KubernetesObject } from './status/parseFluxObject';

// The API's OpenAPI spec (src/schema/openapi.yaml) against the code: the routes the router has, the limits its
// zod schemas keep, and one answer of every operation checked against the spec's schema of it.
jest.setTimeout(60_000);

const API = '/api/flux-orchestrator';
const GOOD = 'https://good.cluster.test:6443';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

type Operation = { responses: Record<string, unknown> };
const paths = spec.paths as unknown as Record<
  string,
  Record<string, Operation>
>;
const schemas = spec.components.schemas;

/** `METHOD /path/{param}` of every operation of the spec. */
function operationsOfSpec(): string[] {
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter(method => HTTP_METHODS.includes(method))
      .map(method => `${method.toUpperCase()} ${path}`),
  );
}

/** `METHOD /path/{param}` of every route an express router (and the routers it mounts) serves. */
function routesOf(router: express.Router): string[] {
  return router.stack.flatMap(layer => {
    if (layer.route) {
      const route = layer.route as unknown as {
        path: string;
        methods: Record<string, boolean>;
      };
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      return Object.keys(route.methods).map(
        method => `${method.toUpperCase()} ${path}`,
      );
    }
    const inner = (layer.handle as { stack?: unknown }).stack;
    return inner ? routesOf(layer.handle as express.Router) : [];
  });
}

describe('the OpenAPI spec of the routes', () => {
  it('has every route the router serves, and the router every route of the spec', async () => {
    const router = await createRouter({
      clusters: {},
      resources: {},
      httpAuth: mockServices.httpAuth(),
    } as unknown as RouterOptions);
    const routes = routesOf(router);
    // The spec itself, served by @backstage/backend-openapi-utils.
    expect(routes).toContain('GET /openapi.json');
    const served = routes.filter(r => r !== 'GET /openapi.json').sort();
    expect(served).toEqual(operationsOfSpec().sort());
    expect(new Set(served).size).toBe(served.length);
  });

  it('states the limits and the values the zod schemas of the routes keep', () => {
    expect(schemas.FluxKind.enum).toEqual(FLUX_KIND_NAMES);
    expect(Object.keys(schemas.TextByKind.properties)).toEqual(FLUX_KIND_NAMES);
    expect(schemas.FluxStatus.enum).toEqual(FLUX_STATUSES);
    expect(schemas.FluxAction.enum).toEqual(FLUX_ACTIONS);
    expect(schemas.ReliabilityWindow.enum).toEqual(RELIABILITY_WINDOWS);
    expect(schemas.StuckReason.properties.reason.enum).toEqual(STUCK_REASONS);
    expect(schemas.ResourceSortField.enum).toEqual(RESOURCE_SORT_FIELDS);
    expect(schemas.ClusterName.pattern).toBe(CLUSTER_NAME_PATTERN.source);
    expect(schemas.ClusterSource.pattern).toBe(CLUSTER_SOURCE_PATTERN.source);
    expect(schemas.Kubeconfig.maxLength).toBe(MAX_KUBECONFIG_LENGTH);
    expect(schemas.ResourceActionRequest.properties.ids.maxItems).toBe(
      MAX_ACTION_IDS,
    );
    expect(spec.components.parameters.PageLimit.schema.maximum).toBe(
      MAX_PAGE_SIZE,
    );
    // One action route each, as the router makes them from FLUX_ACTIONS.
    expect(
      operationsOfSpec().filter(o => /^POST \/resources\/[a-z]+$/.test(o)),
    ).toEqual(FLUX_ACTIONS.map(action => `POST /resources/${action}`));
  });
});

describe('the check of answers against the spec', () => {
  const answer = (status: number, body: unknown) =>
    ({ status, body, text: JSON.stringify(body) } as unknown as Response);
  const counts = Object.fromEntries(
    [...FLUX_STATUSES, 'total'].map(s => [s, 0]),
  );
  const summary = {
    totals: counts,
    byKind: [],
    byCluster: [],
    clusters: { healthy: 0, unhealthy: 0, unknown: 0, total: 0 },
  };

  it('passes an answer the spec describes', () => {
    expect(() =>
      expectAnswerInSpec('get', `${API}/summary`, answer(200, summary)),
    ).not.toThrow();
  });

  it('fails a field the spec lacks, a field of another type and a missing field', () => {
    expect(() =>
      expectAnswerInSpec(
        'get',
        `${API}/summary`,
        answer(200, { ...summary, generatedAt: 'now' }),
      ),
    ).toThrow(
      /GET \/api\/flux-orchestrator\/summary answered 200 with a body the spec does not describe: body must NOT have additional properties/,
    );
    expect(() =>
      expectAnswerInSpec(
        'get',
        `${API}/summary`,
        answer(200, { ...summary, totals: { ...counts, ready: '1' } }),
      ),
    ).toThrow(/body\/totals\/ready must be integer/);
    const { byKind: _byKind, ...withoutByKind } = summary;
    expect(() =>
      expectAnswerInSpec('get', `${API}/summary`, answer(200, withoutByKind)),
    ).toThrow(/must have required property 'byKind'/);
  });

  it('fails a status the spec does not list, and a route it does not have', () => {
    expect(() =>
      expectAnswerInSpec(
        'get',
        `${API}/summary`,
        answer(404, { error: { name: 'NotFoundError', message: 'x' } }),
      ),
    ).toThrow(
      /answered 404, a status the spec does not list for GET \/summary/,
    );
    expect(() =>
      expectAnswerInSpec('get', `${API}/clusters/a/b`, answer(200, {})),
    ).toThrow(/no route of the spec matches/);
  });

  it('tells an action route from an object id, as the router does', () => {
    expect(specPathOf('post', '/resources/reconcile')).toBe(
      '/resources/reconcile',
    );
    expect(specPathOf('get', '/resources/reconcile')).toBe('/resources/{id}');
    expect(specPathOf('get', '/resources/dev%3AKustomization%3Aa%3Ab')).toBe(
      '/resources/{id}',
    );
  });
});

describe('the routes, as the spec has them', () => {
  const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';
  let objects: KubernetesObject[];
  const server = setupServer();
  beforeAll(() =>
    server.listen({
      onUnhandledRequest: (req, print) => {
        if (!['127.0.0.1', 'localhost'].includes(new URL(req.url).hostname))
          print.error();
      },
    }),
  );
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  /** One object of the fake cluster, by the path of its API. */
  function objectAt(params: Record<string, unknown>) {
    const kind = FLUX_KINDS.find(k => k.plural === params.plural)?.kind;
    return objects.find(
      o =>
        o.kind === kind &&
        o.metadata?.namespace === params.namespace &&
        o.metadata?.name === params.name,
    );
  }

  beforeEach(() => {
    objects = [
      fluxObject('Kustomization', 'v1', 'ready', 'infra', 'apps'),
      fluxObject('Kustomization', 'v1', 'failing', 'podinfo', 'apps'),
      fluxObject('GitRepository', 'v1', 'ready', 'fleet', 'apps'),
      fluxObject('HelmRelease', 'v2', 'ready', 'redis', 'apps'),
    ];
    objects[1].metadata!.labels = { 'backstage.io/kubernetes-id': 'podinfo' };
    objects[1].spec!.dependsOn = [{ name: 'infra' }];
    const objectPath = `${GOOD}/apis/:group/:version/namespaces/:namespace/:plural/:name`;
    server.use(
      ...fakeClusterApi(GOOD, { objects, fluxVersion: 'v2.9.1' }),
      http.get(objectPath, ({ params }) => {
        const found = objectAt(params);
        return found
          ? HttpResponse.json(found)
          : HttpResponse.json({ kind: 'Status', code: 404 }, { status: 404 });
      }),
      // A merge patch, answered as Flux would have handled the request already.
      http.patch(objectPath, async ({ params, request: patch }) => {
        const found = objectAt(params)!;
        const body = (await patch.json()) as KubernetesObject;
        const annotations = {
          ...found.metadata!.annotations,
          ...body.metadata?.annotations,
        };
        found.metadata = { ...found.metadata, annotations };
        found.spec = { ...found.spec, ...body.spec };
        found.status = {
          ...found.status,
          lastHandledReconcileAt: annotations[REQUESTED_AT],
          lastHandledForceAt: annotations['reconcile.fluxcd.io/forceAt'],
          lastHandledResetAt: annotations['reconcile.fluxcd.io/resetAt'],
        };
        return HttpResponse.json(found);
      }),
      http.get(`${GOOD}/api/v1/namespaces/:namespace/events`, () =>
        HttpResponse.json({
          kind: 'EventList',
          apiVersion: 'v1',
          metadata: {},
          items: [
            {
              metadata: { name: 'podinfo.1', namespace: 'apps' },
              involvedObject: { kind: 'Kustomization', name: 'podinfo' },
              type: 'Warning',
              reason: 'BuildFailed',
              message: 'kustomization path not found',
              count: 3,
              firstTimestamp: '2026-11-20T10:00:00Z',
              lastTimestamp: '2026-11-20T10:05:00Z',
              source: { component: 'kustomize-controller' },
            },
          ],
        }),
      ),
    );
  });

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
  ];

  async function start() {
    const { server: app } = await startTestBackend({
      features: [
        fluxOrchestratorPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            fluxOrchestrator: {
              encryption: { key: randomBytes(32).toString('base64') },
              sync: { initialDelay: { hours: 1 }, watch: false },
              actions: { handledWait: { milliseconds: 500 } },
              clusters: [
                {
                  name: 'good',
                  url: GOOD,
                  serviceAccountToken: 'config-token',
                  skipTLSVerify: true,
                },
              ],
            },
          },
        }),
      ],
    });
    return app;
  }

  it('serves the spec at /api/flux-orchestrator/openapi.json, its paths under the plugin base path', async () => {
    const app = await start();
    const res = await supertest(app).get(`${API}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe(spec.openapi);
    expect(Object.keys(res.body.paths).sort()).toEqual(
      Object.keys(spec.paths)
        .map(path => `${API}${path}`)
        .sort(),
    );
    expect(res.body.components.schemas).toEqual(
      JSON.parse(JSON.stringify(spec.components.schemas)),
    );
  });

  it('answers every operation of the spec with a body the spec describes', async () => {
    const app = await start();
    const answered = new Set<string>();
    const call = async (
      method: 'get' | 'post' | 'put' | 'delete',
      path: string,
      body?: object,
    ) => {
      const pending = request(app)[method](`${API}${path}`);
      const res = body ? await pending.send(body) : await pending;
      if (![200, 201, 204].includes(res.status)) {
        throw new Error(
          `${method.toUpperCase()} ${path} answered ${res.status}: ${res.text}`,
        );
      }
      const template = specPathOf(method, new URL(path, 'http://x').pathname);
      answered.add(`${method.toUpperCase()} ${template}`);
      return res.body;
    };
    const id = (resource: string) => encodeURIComponent(resource);
    const kubeconfig = stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'good', cluster: { server: GOOD } }],
      users: [{ name: 'console', user: { token: 'registered-token' } }],
      contexts: [
        { name: 'good', context: { cluster: 'good', user: 'console' } },
      ],
      'current-context': 'good',
    });

    await call('post', '/clusters/good/sync');
    await call('get', '/clusters');
    await call('get', '/clusters/good');
    await call('get', '/clusters/good/health');
    await call('get', '/clusters/good/sync-runs?limit=5');
    await call('get', '/clusters/good/resources?kind=Kustomization&sort=name');
    const page = await call(
      'get',
      '/resources?status=ready,failing&limit=2&sort=name',
    );
    await call('get', `/resources?after=${page.nextCursor}&limit=2`);
    await call('get', '/resources?entityRef=component:default/podinfo');
    await call('get', '/summary');
    await call('get', '/entity-resources?entityRef=component:default/podinfo');

    const podinfo = id('good:Kustomization:apps:podinfo');
    const redis = id('good:HelmRelease:apps:redis');
    await call('get', `/resources/${podinfo}`);
    await call(
      'get',
      `/resources/${id('good:Kustomization:apps:infra')}/dependents`,
    );
    await call('get', `/resources/${podinfo}/events`);
    const reconciled = await call('post', '/resources/reconcile', {
      ids: ['good:Kustomization:apps:podinfo'],
      withSource: true,
    });
    expect(reconciled.results[0]).toMatchObject({ ok: true, handled: true });
    await call('get', `/resources/${podinfo}/reconcile-status`);
    await call('post', '/resources/suspend', {
      ids: ['good:Kustomization:apps:podinfo'],
    });
    await call('post', '/resources/resume', {
      ids: ['good:Kustomization:apps:podinfo'],
    });
    await call('post', '/resources/force', {
      ids: ['good:HelmRelease:apps:redis'],
    });
    await call('post', '/resources/reset', {
      ids: ['good:HelmRelease:apps:redis'],
    });
    // Suspend and resume changed the object's status, which its history keeps.
    const transitions = await call(
      'get',
      `/resources/${podinfo}/transitions?limit=10`,
    );
    expect(transitions.map((t: { to: string }) => t.to)).toContain('suspended');
    const reliability = await call('get', '/reliability?window=24h');
    await call('get', '/stuck-resources?limit=5');
    await call('get', '/upgrade-readiness');
    await call('get', '/rollouts?groupBy=source&disagreeing=false&limit=5');
    await call('get', '/owned-resources');
    expect(reliability.window).toBe('24h');
    const history = await call('get', `/resources/${redis}/actions?limit=10`);
    expect(history.map((a: { action: string }) => a.action)).toEqual([
      'reset',
      'force',
    ]);

    await call('post', '/kubeconfig/contexts', { kubeconfig });
    await call('post', '/clusters', {
      name: 'prod',
      title: 'Production',
      kubeconfig,
      skipConnectionCheck: true,
    });
    await call('put', '/clusters/prod', { description: 'The main fleet' });
    await call('delete', '/clusters/prod');

    expect([...answered].sort()).toEqual(operationsOfSpec().sort());
  });

  it('refuses a method the spec does not have on a path it has, as a route that does not exist', async () => {
    const app = await start();
    const res = await supertest(app).patch(`${API}/clusters/good`).send({});
    expect(res.status).toBe(404);
  });

  it('refuses a body that is not JSON, naming its media type', async () => {
    const app = await start();
    const res = await supertest(app)
      .post(`${API}/resources/reconcile`)
      .set('Content-Type', 'text/plain')
      .send('good:Kustomization:apps:podinfo');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'This request takes a JSON body, sent with the header Content-Type: application/json (this one was sent as text/plain)',
    );
  });
});
