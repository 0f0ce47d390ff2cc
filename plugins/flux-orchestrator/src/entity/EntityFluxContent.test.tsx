import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { rootRouteRef } from '../routes';
import { counts, failingRedis, REDIS_MESSAGE } from '../__testUtils__/fluxFixtures';
import { API, FluxTestApis, setupFluxServer } from '../__testUtils__/renderFlux';
import { EntityFluxCard } from './EntityFluxCard';
import { EntityFluxContent } from './EntityFluxContent';

const server = setupFluxServer();

const redisEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'redis', namespace: 'default', annotations: { 'backstage.io/kubernetes-id': 'redis' } },
  spec: { type: 'service', owner: 'team-data', lifecycle: 'production' },
};

function backend() {
  const asked: string[] = [];
  const items = [
    failingRedis('dev'),
    { ...failingRedis('prod'), id: 'prod:HelmRelease:apps:redis', status: 'ready' as const, ready: 'True' as const, reason: 'InstallSucceeded', message: 'Helm install succeeded' },
  ];
  server.use(
    http.get(`${API}/entity-resources`, ({ request }) => {
      asked.push(new URL(request.url).searchParams.get('entityRef')!);
      return HttpResponse.json({
        entityRef: 'component:default/redis',
        selector: { kubernetesId: 'redis' },
        items,
        counts: counts({ ready: 1, failing: 1 }),
      });
    }),
  );
  return asked;
}

function render(element: JSX.Element) {
  return renderInTestApp(
    <FluxTestApis>
      <EntityProvider entity={redisEntity}>{element}</EntityProvider>
    </FluxTestApis>,
    { mountedRoutes: { '/flux': rootRouteRef } },
  );
}

describe('EntityFluxContent', () => {
  it('lists the entity’s objects across clusters and filters them in the browser', async () => {
    const asked = backend();
    await render(<EntityFluxContent />);
    const rows = await screen.findAllByTestId('resource-row');
    expect(asked[0]).toBe('component:default/redis');
    expect(rows.map(r => within(r).getByRole('link', { name: /^(dev|prod)$/ }).textContent)).toEqual(['dev', 'prod']);
    expect(within(rows[0]).getByTestId('status-chip')).toHaveTextContent('failing');

    await userEvent.type(screen.getByLabelText('Search'), 'succeeded');
    await waitFor(() => expect(screen.getAllByTestId('resource-row')).toHaveLength(1));
    expect(screen.getByTestId('resource-row')).toHaveTextContent('prod');
  });
});

describe('EntityFluxCard', () => {
  it('counts the entity’s objects by status and links the failing ones', async () => {
    backend();
    await render(<EntityFluxCard />);
    const failing = await screen.findByRole('link', { name: 'HelmRelease apps/redis' });
    expect(failing).toHaveAttribute('href', '/flux/resources/dev%3AHelmRelease%3Aapps%3Aredis');
    expect(screen.getAllByTestId('status-chip').map(c => c.textContent)).toEqual(['ready', 'failing']);
    expect(screen.queryByText(REDIS_MESSAGE)).not.toBeInTheDocument();
  });
});
