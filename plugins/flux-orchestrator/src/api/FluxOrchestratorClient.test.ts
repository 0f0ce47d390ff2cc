import { createFetchApi, FetchMiddlewares } from '@backstage/core-app-api';
import { ConfigReader } from '@backstage/config';
import { mockApis, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { FluxOrchestratorClient } from './FluxOrchestratorClient';
import { fieldErrorOf } from './fieldErrors';

const API = 'http://example.com/api/flux-orchestrator';
const server = setupServer();
registerMswTestHooks(server);

const client = new FluxOrchestratorClient({
  discoveryApi: mockApis.discovery(),
  fetchApi: { fetch: (input, init) => globalThis.fetch(input, init) },
});

describe('FluxOrchestratorClient', () => {
  it('sends the filters of a cluster list in the query string of the cluster route', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${API}/clusters/:id/resources`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({
          items: [],
          total: 0,
          limit: 100,
          offset: 100,
        });
      }),
    );
    await client.listClusterResources('dev', {
      status: ['failing', 'stalled'],
      sort: 'name',
      order: 'desc',
      limit: 100,
      offset: 100,
    });
    expect(url?.pathname).toBe('/api/flux-orchestrator/clusters/dev/resources');
    expect(url?.searchParams.get('status')).toBe('failing,stalled');
    expect(url?.searchParams.get('order')).toBe('desc');
    expect(url?.searchParams.get('offset')).toBe('100');
  });

  it('leaves empty filters out and escapes search text so that it cannot add parameters', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${API}/resources`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ items: [], total: 0, limit: 50, offset: 0 });
      }),
    );
    await client.listResources({
      kind: [],
      text: 'redis&status=ready',
      namespace: [''].filter(Boolean),
      suspended: false,
    });
    expect([...(url?.searchParams.keys() ?? [])]).toEqual([
      'text',
      'suspended',
    ]);
    expect(url?.searchParams.get('text')).toBe('redis&status=ready');
    expect(url?.searchParams.get('suspended')).toBe('false');
  });

  it('puts a resource id into one path segment although it contains colons', async () => {
    let path: string | undefined;
    server.use(
      http.get(`${API}/resources/:id/events`, ({ request, params }) => {
        path = new URL(request.url).pathname;
        expect(params.id).toBe('dev:HelmRelease:apps:redis');
        return HttpResponse.json([]);
      }),
    );
    await client.listResourceEvents('dev:HelmRelease:apps:redis');
    expect(path).toBe(
      '/api/flux-orchestrator/resources/dev%3AHelmRelease%3Aapps%3Aredis/events',
    );
  });

  it('asks for a reconcile with source only when told to', async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${API}/resources/reconcile`, async ({ request }) => {
        bodies.push(await request.json());
        return HttpResponse.json({ results: [] });
      }),
    );
    await client.reconcile(['dev:Kustomization:apps:podinfo']);
    await client.reconcile(['dev:Kustomization:apps:podinfo'], {
      withSource: true,
    });
    expect(bodies).toEqual([
      { ids: ['dev:Kustomization:apps:podinfo'] },
      { ids: ['dev:Kustomization:apps:podinfo'], withSource: true },
    ]);
  });

  it('resolves a delete answered with 204 No Content', async () => {
    server.use(
      http.delete(
        `${API}/clusters/dev`,
        () => new HttpResponse(null, { status: 204 }),
      ),
    );
    await expect(client.deleteCluster('dev')).resolves.toBeUndefined();
  });

  it('rejects with the backend message, which a form can place on the field it names', async () => {
    server.use(
      http.post(`${API}/clusters`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message:
                'kubeconfig: user "ci" uses an exec plugin; exec is disabled (fluxOrchestrator.kubeconfig.allowExec)',
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    const error = await client
      .createCluster({ name: 'ci', kubeconfig: 'apiVersion: v1' })
      .catch(e => e);
    expect(fieldErrorOf(error, ['name', 'kubeconfig'])).toEqual({
      field: 'kubeconfig',
      message:
        'user "ci" uses an exec plugin; exec is disabled (fluxOrchestrator.kubeconfig.allowExec)',
    });
  });

  it("sends bodies through the app's own fetch middlewares, which copy every request", async () => {
    // The fetch API an app has: plugin:// resolution and the user's token, both copying the request.
    const discoveryApi = mockApis.discovery();
    const appFetchApi = createFetchApi({
      middleware: [
        FetchMiddlewares.resolvePluginProtocol({ discoveryApi }),
        FetchMiddlewares.injectIdentityAuth({
          identityApi: mockApis.identity({ token: 'user-token' }),
          config: new ConfigReader({
            backend: { baseUrl: 'http://example.com' },
          }),
        }),
      ],
    });
    let received: { body: unknown; authorization: string | null } | undefined;
    server.use(
      http.post(`${API}/clusters`, async ({ request }) => {
        received = {
          body: await request.json(),
          authorization: request.headers.get('authorization'),
        };
        return HttpResponse.json({ name: 'ci' }, { status: 201 });
      }),
    );
    const appClient = new FluxOrchestratorClient({
      discoveryApi,
      fetchApi: appFetchApi,
    });
    await appClient.createCluster({ name: 'ci', kubeconfig: 'apiVersion: v1' });
    expect(received).toEqual({
      body: { name: 'ci', kubeconfig: 'apiVersion: v1' },
      authorization: 'Bearer user-token',
    });
  });

  it('asks for an entity by its full ref', async () => {
    let entityRef: string | null = null;
    server.use(
      http.get(`${API}/entity-resources`, ({ request }) => {
        entityRef = new URL(request.url).searchParams.get('entityRef');
        return HttpResponse.json({
          entityRef,
          selector: {},
          items: [],
          counts: {},
        });
      }),
    );
    await client.getEntityResources('component:default/podinfo');
    expect(entityRef).toBe('component:default/podinfo');
  });
});
