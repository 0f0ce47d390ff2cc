import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { counts, failingRedis } from '../../__testUtils__/fluxFixtures';
import {
  API,
  renderFlux,
  setupFluxServer,
} from '../../__testUtils__/renderFlux';

const server = setupFluxServer();

describe('MyFluxPage', () => {
  it('shows the signed-in user’s entities and what fails among their objects', async () => {
    const asked: URLSearchParams[] = [];
    server.use(
      http.get(`${API}/owned-resources`, ({ request }) => {
        asked.push(new URL(request.url).searchParams);
        return HttpResponse.json({
          owners: ['user:default/guest', 'group:default/team-data'],
          entities: [
            {
              entityRef: 'component:default/redis',
              counts: counts({ ready: 2, failing: 1 }),
            },
            { entityRef: 'component:default/quiet', counts: counts({}) },
          ],
          counts: counts({ ready: 2, failing: 1 }),
          needsAttention: [failingRedis('dev')],
          stuck: [],
          stuckTotal: 0,
        });
      }),
    );
    await renderFlux('/flux/mine');
    const rows = await screen.findAllByTestId('owned-entity-row');
    expect(rows.map(r => r.textContent)).toEqual([
      'redisready2failing1',
      'quietnone yet',
    ]);
    expect(asked.map(q => q.get('ownerRef'))).toEqual([null]);
    expect(
      screen.getByText('Owned by user:default/guest, group:default/team-data'),
    ).toBeInTheDocument();
    const attention = screen.getByRole('list', { name: 'Needs attention' });
    expect(
      within(attention).getByText('HelmRelease apps/redis'),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'My Flux' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
  });

  it('says why nothing shows when no owned entity selects Flux objects', async () => {
    server.use(
      http.get(`${API}/owned-resources`, () =>
        HttpResponse.json({
          owners: ['user:default/guest'],
          entities: [],
          counts: counts({}),
          needsAttention: [],
          stuck: [],
          stuckTotal: 0,
        }),
      ),
    );
    await renderFlux('/flux/mine');
    expect(
      await screen.findByText('No owned entity selects Flux objects'),
    ).toBeInTheDocument();
  });
});
