import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import fluxOrchestratorPlugin from './alpha';
import { fluxOrchestratorApiRef } from './api/FluxOrchestratorApi';
import { FluxOrchestratorClient } from './api/FluxOrchestratorClient';
import { cluster, failingRedis } from './__testUtils__/fluxFixtures';
import { API, setupFluxServer } from './__testUtils__/renderFlux';

const server = setupFluxServer();

describe('the plugin on the new frontend system', () => {
  it('serves the resource list at /flux/resources with its header, tabs and links to details', async () => {
    server.use(
      http.get(`${API}/clusters`, () => HttpResponse.json([cluster('dev')])),
      http.get(`${API}/resources`, () =>
        HttpResponse.json({
          items: [failingRedis('dev')],
          total: 1,
          limit: 50,
          offset: 0,
        }),
      ),
    );
    const client = new FluxOrchestratorClient({
      discoveryApi: { getBaseUrl: async id => `http://example.com/api/${id}` },
      fetchApi: { fetch: (input, init) => globalThis.fetch(input, init) },
    });
    renderTestApp({
      features: [fluxOrchestratorPlugin],
      initialRouteEntries: ['/flux/resources?status=failing'],
      apis: [
        [fluxOrchestratorApiRef, client],
        [permissionApiRef, mockApis.permission()],
      ],
    });
    const row = await screen.findByTestId(
      'resource-row',
      {},
      { timeout: 10_000 },
    );
    expect(within(row).getByRole('link', { name: 'redis' })).toHaveAttribute(
      'href',
      '/flux/resources/dev%3AHelmRelease%3Aapps%3Aredis',
    );
    expect(within(row).getByRole('link', { name: 'dev' })).toHaveAttribute(
      'href',
      '/flux/clusters/dev',
    );
    expect(screen.getByRole('tab', { name: 'Resources' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.getByRole('heading', { name: 'Flux' })).toBeInTheDocument();
  }, 20_000);
});
