import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { rootRouteRef } from '../routes';
import {
  counts,
  failingRedis,
  REDIS_MESSAGE,
} from '../__testUtils__/fluxFixtures';
import {
  API,
  FluxTestApis,
  setupFluxServer,
} from '../__testUtils__/renderFlux';
import { EntityFluxCard } from './EntityFluxCard';
import { EntityFluxContent } from './EntityFluxContent';

const server = setupFluxServer();

const redisEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'redis',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'redis' },
  },
  spec: { type: 'service', owner: 'team-data', lifecycle: 'production' },
};

function backend(options: { failing?: number } = {}) {
  const asked = {
    overviews: [] as URLSearchParams[],
    pages: [] as URLSearchParams[],
  };
  const items = [
    failingRedis('dev'),
    {
      ...failingRedis('prod'),
      id: 'prod:HelmRelease:apps:redis',
      status: 'ready' as const,
      ready: 'True' as const,
      reason: 'InstallSucceeded',
      message: 'Helm install succeeded',
    },
  ];
  server.use(
    http.get(`${API}/entity-resources`, ({ request }) => {
      asked.overviews.push(new URL(request.url).searchParams);
      return HttpResponse.json({
        entityRef: 'component:default/redis',
        selector: { kubernetesId: 'redis' },
        counts: counts({ ready: 1, failing: options.failing ?? 1 }),
        clusters: ['dev', 'prod'],
        namespaces: ['apps'],
        needsAttention: [items[0]],
      });
    }),
    // The backend filters: this stand-in knows the one search the test types.
    http.get(`${API}/resources`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      asked.pages.push(params);
      const matching = params.get('text') === 'succeeded' ? [items[1]] : items;
      return HttpResponse.json({
        items: matching,
        total: matching.length,
        limit: 50,
        offset: 0,
      });
    }),
  );
  return asked;
}

function render(element: JSX.Element, entity: Entity = redisEntity) {
  return renderInTestApp(
    <FluxTestApis>
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </FluxTestApis>,
    { mountedRoutes: { '/flux': rootRouteRef } },
  );
}

describe('EntityFluxContent', () => {
  it('lists the entity’s objects across clusters, asking the backend for each filter', async () => {
    const asked = backend();
    await render(<EntityFluxContent />);
    const rows = await screen.findAllByTestId('resource-row');
    expect(
      rows.map(
        r => within(r).getByRole('link', { name: /^(dev|prod)$/ }).textContent,
      ),
    ).toEqual(['dev', 'prod']);
    expect(within(rows[0]).getByTestId('status-chip')).toHaveTextContent(
      'failing',
    );

    await userEvent.type(screen.getByLabelText('Search'), 'succeeded');
    await waitFor(() =>
      expect(screen.getAllByTestId('resource-row')).toHaveLength(1),
    );
    expect(screen.getByTestId('resource-row')).toHaveTextContent('prod');
    // Every request was for the entity's objects only; the search went to the backend.
    expect(asked.overviews[0].get('entityRef')).toBe('component:default/redis');
    expect(asked.pages.map(params => params.get('entityRef'))).toEqual(
      asked.pages.map(() => 'component:default/redis'),
    );
    expect(asked.pages.at(-1)?.get('text')).toBe('succeeded');
  });

  it('says so when the entity selects no objects', async () => {
    server.use(
      http.get(`${API}/entity-resources`, () =>
        HttpResponse.json({
          entityRef: 'component:default/redis',
          selector: { kubernetesId: 'redis' },
          counts: counts(),
          clusters: [],
          namespaces: [],
          needsAttention: [],
        }),
      ),
      http.get(`${API}/resources`, () =>
        HttpResponse.json({ items: [], total: 0, limit: 50, offset: 0 }),
      ),
    );
    await render(<EntityFluxContent />);
    expect(
      await screen.findByText('No Flux objects found for this entity'),
    ).toBeInTheDocument();
  });
});

describe('EntityFluxCard', () => {
  it('counts the entity’s objects by status and links the failing ones', async () => {
    backend();
    await render(<EntityFluxCard />);
    const failing = await screen.findByRole('link', {
      name: 'HelmRelease apps/redis',
    });
    expect(failing).toHaveAttribute(
      'href',
      '/flux/resources/dev%3AHelmRelease%3Aapps%3Aredis',
    );
    expect(
      screen.getAllByTestId('status-chip').map(c => c.textContent),
    ).toEqual(['ready', 'failing']);
    expect(screen.queryByText(REDIS_MESSAGE)).not.toBeInTheDocument();
    expect(screen.queryByText(/more, in the Flux tab/)).not.toBeInTheDocument();
  });

  it('tells how many failing objects it does not name', async () => {
    backend({ failing: 31 });
    await render(<EntityFluxCard />);
    expect(
      await screen.findByText('and 30 more, in the Flux tab'),
    ).toBeInTheDocument();
  });

  it('on a group’s page, counts the objects of the entities the group owns', async () => {
    const asked: string[] = [];
    server.use(
      http.get(`${API}/owned-resources`, ({ request }) => {
        asked.push(new URL(request.url).searchParams.get('ownerRef') ?? '');
        return HttpResponse.json({
          owners: ['group:default/team-data'],
          entities: [
            {
              entityRef: 'component:default/redis',
              counts: counts({ ready: 1, failing: 1 }),
            },
          ],
          counts: counts({ ready: 1, failing: 1 }),
          needsAttention: [failingRedis('dev')],
          stuck: [],
          stuckTotal: 0,
        });
      }),
    );
    await render(<EntityFluxCard />, {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-data', namespace: 'default' },
      spec: { type: 'team', children: [] },
    });
    expect(
      await screen.findByText('1 owned entity selects 2 Flux objects.'),
    ).toBeInTheDocument();
    expect(asked).toEqual(['group:default/team-data']);
    expect(
      screen.getByRole('link', { name: 'HelmRelease apps/redis' }),
    ).toHaveAttribute(
      'href',
      '/flux/resources/dev%3AHelmRelease%3Aapps%3Aredis',
    );
    expect(
      screen.getAllByTestId('status-chip').map(c => c.textContent),
    ).toEqual(['ready', 'failing']);
  });
});
