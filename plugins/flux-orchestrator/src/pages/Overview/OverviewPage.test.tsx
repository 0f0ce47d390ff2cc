import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  cluster,
  failingRedis,
  podinfo,
  REDIS_MESSAGE,
  stalledInfra,
  summary,
} from '../../__testUtils__/fluxFixtures';
import {
  API,
  renderFlux,
  setupFluxServer,
} from '../../__testUtils__/renderFlux';

const server = setupFluxServer();

/** Figures of a week with one failure on dev, recovered after 12 minutes, and one on prod, still open. */
function reliability(window: string) {
  const figures = (failures: number, recoveries: number, mttr?: number) => ({
    failures,
    recoveries,
    ...(mttr === undefined ? {} : { meanTimeToRecoveryMs: mttr }),
  });
  if (window === '24h') {
    return {
      window,
      from: '2026-12-02T12:00:00.000Z',
      to: '2026-12-03T12:00:00.000Z',
      keptSince: '2026-11-03T12:00:00.000Z',
      totals: figures(0, 0),
      byCluster: [],
      byKind: [],
    };
  }
  return {
    window,
    from: '2026-11-26T12:00:00.000Z',
    to: '2026-12-03T12:00:00.000Z',
    keptSince: '2026-11-03T12:00:00.000Z',
    totals: figures(2, 1, 720_000),
    byCluster: [
      { cluster: 'dev', ...figures(1, 1, 720_000) },
      { cluster: 'prod', ...figures(1, 0) },
    ],
    byKind: [{ kind: 'HelmRelease', ...figures(2, 1, 720_000) }],
  };
}

function backend(options: { clusters?: unknown[] } = {}) {
  server.use(
    http.get(`${API}/stuck-resources`, () =>
      HttpResponse.json({
        items: [
          {
            ...podinfo,
            cluster: 'prod',
            id: 'prod:Kustomization:apps:podinfo',
            status: 'progressing',
            stuck: [
              {
                reason: 'progressing',
                since: '2026-12-03T08:40:00Z',
                message:
                  'Progressing for 3 h 20 min, 20 times its interval of 10 min',
              },
              {
                reason: 'request-unhandled',
                since: '2026-12-03T11:00:00Z',
                message:
                  'A reconcile was requested 1 h ago and Flux has not handled it',
              },
            ],
          },
        ],
        total: 3,
      }),
    ),
    http.get(`${API}/reliability`, ({ request }) =>
      HttpResponse.json(
        reliability(new URL(request.url).searchParams.get('window') ?? ''),
      ),
    ),
    http.get(`${API}/clusters`, () =>
      HttpResponse.json(
        options.clusters ?? [
          cluster('dev'),
          cluster('prod', {
            health: {
              status: 'unhealthy',
              error: 'connect ECONNREFUSED 10.0.0.9:6443',
              fluxInstalled: false,
              servedVersions: {},
              feed: { mode: 'polling' },
            },
          }),
        ],
      ),
    ),
    http.get(`${API}/summary`, () => HttpResponse.json(summary)),
    http.get(`${API}/resources`, () =>
      HttpResponse.json({
        items: [failingRedis('dev'), failingRedis('prod'), stalledInfra],
        total: 3,
        limit: 200,
        offset: 0,
      }),
    ),
  );
}

describe('OverviewPage', () => {
  it('shows the fleet totals as tiles that open the list filtered by that status', async () => {
    backend();
    await renderFlux('/flux');
    const failing = await screen.findByTestId('status-tile-failing');
    expect(
      await within(failing).findByTestId('status-tile-failing-count'),
    ).toHaveTextContent(/^2$/);
    expect(screen.getByTestId('status-tile-ready-count')).toHaveTextContent(
      /^40$/,
    );
    // The count is part of the link's name, for screen readers as for the eye.
    expect(
      within(failing).getByRole('link', { name: 'failing 2' }),
    ).toHaveAttribute('href', '/flux/resources?status=failing');
  });

  it('links the suspended tile to the objects of status suspended, the ones it counts', async () => {
    backend();
    await renderFlux('/flux');
    const suspended = await screen.findByTestId('status-tile-suspended');
    expect(
      await within(suspended).findByTestId('status-tile-suspended-count'),
    ).toHaveTextContent(/^3$/);
    expect(within(suspended).getByRole('link')).toHaveAttribute(
      'href',
      '/flux/resources?status=suspended',
    );
  });

  it('groups the same error on two clusters into one row that names both, stalled objects first', async () => {
    backend();
    await renderFlux('/flux');
    const groups = await screen.findAllByTestId('attention-group');
    expect(groups).toHaveLength(2);
    expect(groups[0]).toHaveTextContent('Kustomization flux-system/infra');
    expect(within(groups[1]).getByText(REDIS_MESSAGE)).toBeInTheDocument();
    expect(within(groups[1]).getByText('on 2 clusters')).toBeInTheDocument();
    expect(within(groups[1]).getByText('dev').closest('a')).toHaveAttribute(
      'href',
      '/flux/resources/dev%3AHelmRelease%3Aapps%3Aredis',
    );
    expect(within(groups[1]).getByText('prod')).toBeInTheDocument();
  });

  it('says how long each error has been failing, from its oldest object', async () => {
    backend();
    await renderFlux('/flux');
    const groups = await screen.findAllByTestId('attention-group');
    expect(within(groups[1]).getByTestId('failing-for')).toHaveTextContent(
      /^failing for \d+ (d|h|min)/,
    );
    expect(within(groups[1]).getByTestId('failing-for')).toHaveAttribute(
      'datetime',
      '2026-12-01T09:00:00Z',
    );
  });

  it('shows failures and mean time to recovery per cluster and kind, over a window the reader picks', async () => {
    backend();
    await renderFlux('/flux');
    const rows = await screen.findAllByTestId('reliability-cluster-row');
    expect(rows.map(r => r.textContent)).toEqual(['dev1112 min', 'prod10—']);
    expect(
      screen.getByText('2 failures, 1 recovery, mean time to recovery 12 min'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByTestId('reliability-kind-row').map(r => r.textContent),
    ).toEqual(['HelmRelease2112 min']);
    await userEvent.click(screen.getByLabelText('Window'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Last 24 hours' }),
    );
    expect(await screen.findByTestId('no-failures')).toHaveTextContent(
      'No object turned failing or recovered in this window.',
    );
  });

  it('lists the stuck objects under Needs attention with the reasons they were judged stuck', async () => {
    backend();
    await renderFlux('/flux');
    const [item] = await screen.findAllByTestId('stuck-item');
    expect(
      within(item)
        .getAllByTestId('stuck-reason')
        .map(r => r.textContent),
    ).toEqual([
      'Progressing for 3 h 20 min, 20 times its interval of 10 min',
      'A reconcile was requested 1 h ago and Flux has not handled it',
    ]);
    expect(
      within(item).getByRole('link', { name: 'Kustomization apps/podinfo' }),
    ).toHaveAttribute(
      'href',
      '/flux/resources/prod%3AKustomization%3Aapps%3Apodinfo',
    );
    expect(screen.getByText('and 2 more stuck')).toBeInTheDocument();
    expect(
      screen.getByText('3 failing or stalled objects, 3 stuck'),
    ).toBeInTheDocument();
  });

  it('shows each cluster with its health, versions and the age of its data', async () => {
    backend();
    await renderFlux('/flux');
    const dev = await screen.findByTestId('cluster-card-dev');
    expect(within(dev).getByText('v1.33.1')).toBeInTheDocument();
    expect(within(dev).getByText('v2.6.4')).toBeInTheDocument();
    expect(within(dev).getByText(/^synced/)).toBeInTheDocument();
    expect(
      within(screen.getByTestId('cluster-card-prod')).getByText(
        'connect ECONNREFUSED 10.0.0.9:6443',
      ),
    ).toBeInTheDocument();
  });

  it('says how to add a cluster when there is none', async () => {
    backend({ clusters: [] });
    await renderFlux('/flux');
    expect(
      await screen.findByText('No clusters yet — add one'),
    ).toBeInTheDocument();
    expect(screen.getByText('Go to clusters').closest('a')).toHaveAttribute(
      'href',
      '/flux/clusters',
    );
  });

  it('shows the backend’s reason when it refuses', async () => {
    backend();
    server.use(
      http.get(`${API}/clusters`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'Not allowed: flux-orchestrator.read',
            },
            response: { statusCode: 403 },
          },
          { status: 403 },
        ),
      ),
    );
    await renderFlux('/flux');
    expect(
      (await screen.findAllByText(/Not allowed: flux-orchestrator.read/))[0],
    ).toBeVisible();
  });
});
