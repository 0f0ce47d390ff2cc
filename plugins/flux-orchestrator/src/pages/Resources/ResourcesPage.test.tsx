import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  cluster,
  failingRedis,
  podinfo,
  stalledInfra,
} from '../../__testUtils__/fluxFixtures';
import {
  API,
  renderFlux,
  setupFluxServer,
} from '../../__testUtils__/renderFlux';

const server = setupFluxServer();

// These tests type, click and wait for debounced URL updates through the whole page; on a loaded two-core
// machine a test has taken more than Jest's default 5 s, so each gets 20 s and each wait names its own bound.
jest.setTimeout(20_000);
const SOON = { timeout: 8_000 };

const FORBIDDEN =
  '403 Forbidden: kustomizations.kustomize.toolkit.fluxcd.io "infra" is forbidden: User "system:serviceaccount:backstage:flux-orchestrator" cannot patch resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io" in the namespace "flux-system"';

/** Serves the list and records the query of every list request. */
function backend() {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get(`${API}/clusters`, () =>
      HttpResponse.json([cluster('dev'), cluster('prod')]),
    ),
    http.get(`${API}/resources`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      requests.push(params);
      const items = [failingRedis('dev'), podinfo, stalledInfra];
      return HttpResponse.json({
        items,
        total: 1234,
        limit: Number(params.get('limit')),
        offset: 0,
      });
    }),
  );
  return { requests, last: () => requests[requests.length - 1] };
}

describe('ResourcesPage', () => {
  it('sends the filters of the URL to the backend and shows a row per object', async () => {
    const { last } = backend();
    await renderFlux(
      '/flux/resources?status=failing,stalled&kind=HelmRelease&cluster=dev,prod&namespace=apps&suspended=true&text=redis',
    );
    expect(await screen.findAllByTestId('resource-row')).toHaveLength(3);
    expect(Object.fromEntries(last())).toEqual({
      status: 'failing,stalled',
      kind: 'HelmRelease',
      cluster: 'dev,prod',
      namespace: 'apps',
      suspended: 'true',
      text: 'redis',
      limit: '50',
      offset: '0',
    });
    const redis = screen.getAllByTestId('resource-row')[0];
    expect(within(redis).getByTestId('status-chip')).toHaveTextContent(
      'failing',
    );
    expect(within(redis).getByText('InstallFailed')).toBeInTheDocument();
    expect(within(redis).getByRole('link', { name: 'redis' })).toHaveAttribute(
      'href',
      '/flux/resources/dev%3AHelmRelease%3Aapps%3Aredis',
    );
    expect(
      within(redis).getByRole('link', { name: 'HelmRepository/bitnami' }),
    ).toHaveAttribute(
      'href',
      '/flux/resources/dev%3AHelmRepository%3Aflux-system%3Abitnami',
    );
    expect(screen.getByText('1,234 Flux objects')).toBeInTheDocument();
  });

  it('writes a changed filter and sort to the URL and asks the backend again', async () => {
    const { last } = backend();
    await renderFlux('/flux/resources?status=failing');
    await screen.findAllByTestId('resource-row', {}, SOON);
    const location = screen.getByTestId('location');

    // Pasted rather than typed: one change, one debounced URL update.
    await userEvent.click(screen.getByLabelText('Search'));
    await userEvent.paste('redis');
    await waitFor(
      () =>
        expect(location).toHaveTextContent(
          '/flux/resources?status=failing&text=redis',
        ),
      SOON,
    );
    await waitFor(() => expect(last().get('text')).toBe('redis'), SOON);

    await userEvent.selectOptions(
      screen.getByLabelText('Suspended'),
      'Not suspended',
    );
    await waitFor(
      () => expect(location).toHaveTextContent('suspended=false'),
      SOON,
    );
    await waitFor(() => expect(last().get('suspended')).toBe('false'), SOON);

    await userEvent.click(screen.getByRole('button', { name: 'Name' }));
    await waitFor(() => expect(last().get('sort')).toBe('name'), SOON);
    expect(last().get('order')).toBe('asc');
    expect(last().get('status')).toBe('failing');
  });

  it('makes each filter change a history entry that Back undoes, but not each search', async () => {
    backend();
    await renderFlux('/flux/resources?status=failing');
    await screen.findAllByTestId('resource-row', {}, SOON);
    const location = screen.getByTestId('location');

    await userEvent.selectOptions(
      screen.getByLabelText('Suspended'),
      'Suspended',
    );
    await waitFor(
      () =>
        expect(location).toHaveTextContent(
          '/flux/resources?status=failing&suspended=true',
        ),
      SOON,
    );
    await userEvent.click(screen.getByLabelText('Search'));
    await userEvent.paste('redis');
    await waitFor(
      () => expect(location).toHaveTextContent('suspended=true&text=redis'),
      SOON,
    );

    // The search replaced the suspended filter's entry, so one Back undoes both; the filters follow the URL.
    await userEvent.click(screen.getByRole('button', { name: 'Browser back' }));
    await waitFor(
      () =>
        expect(location).toHaveTextContent(
          /^\/flux\/resources\?status=failing$/,
        ),
      SOON,
    );
    expect(screen.getByLabelText('Suspended')).toHaveValue('');
    expect(screen.getByLabelText('Search')).toHaveValue('');
  });

  it('reconciles a selection after confirmation and reports the result per object, failures with the reason', async () => {
    backend();
    let requested: unknown;
    server.use(
      http.post(`${API}/resources/reconcile`, async ({ request }) => {
        requested = await request.json();
        return HttpResponse.json({
          results: [
            {
              id: 'dev:HelmRelease:apps:redis',
              action: 'reconcile',
              ok: true,
              requestedAt: '2026-05-04T10:00:00.000Z',
              handled: false,
            },
            {
              id: 'prod:Kustomization:flux-system:infra',
              action: 'reconcile',
              ok: false,
              error: FORBIDDEN,
            },
          ],
        });
      }),
    );
    await renderFlux('/flux/resources');
    await screen.findAllByTestId('resource-row');
    await userEvent.click(
      screen.getByLabelText('Select HelmRelease apps/redis on dev'),
    );
    await userEvent.click(
      screen.getByLabelText('Select Kustomization flux-system/infra on prod'),
    );

    const bulk = screen.getByTestId('bulk-actions');
    expect(bulk).toHaveTextContent('2 selected');
    await userEvent.click(
      within(bulk).getByRole('button', { name: 'Reconcile' }),
    );
    const confirm = await screen.findByRole('dialog');
    expect(confirm).toHaveTextContent('Reconcile 2 objects?');
    expect(requested).toBeUndefined();

    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Confirm' }),
    );
    const results = await screen.findAllByTestId('action-result');
    expect(requested).toEqual({
      ids: [
        'dev:HelmRelease:apps:redis',
        'prod:Kustomization:flux-system:infra',
      ],
    });
    expect(results[0]).toHaveTextContent('HelmRelease apps/redis on dev');
    expect(results[0]).toHaveTextContent('ok');
    expect(results[1]).toHaveTextContent(
      'Kustomization flux-system/infra on prod',
    );
    expect(results[1]).toHaveTextContent(FORBIDDEN);
    expect(
      screen.getByText('Reconcile: 1 succeeded, 1 failed'),
    ).toBeInTheDocument();
  });

  it('keeps the results of a bulk resume on screen after the reload has removed the resumed objects', async () => {
    const suspended = [
      { ...podinfo, status: 'suspended' as const, suspended: true },
      { ...stalledInfra, status: 'suspended' as const, suspended: true },
    ];
    let resumed = false;
    let listedAfterResume = 0;
    server.use(
      http.get(`${API}/clusters`, () =>
        HttpResponse.json([cluster('dev'), cluster('prod')]),
      ),
      http.get(`${API}/resources`, () => {
        if (resumed) listedAfterResume += 1;
        const items = resumed ? [] : suspended;
        return HttpResponse.json({
          items,
          total: items.length,
          limit: 50,
          offset: 0,
        });
      }),
      http.post(`${API}/resources/resume`, async ({ request }) => {
        const { ids } = (await request.json()) as { ids: string[] };
        resumed = true;
        return HttpResponse.json({
          results: ids.map(id => ({ id, action: 'resume', ok: true })),
        });
      }),
    );
    await renderFlux('/flux/resources?suspended=true');
    await screen.findAllByTestId('resource-row', {}, SOON);
    await userEvent.click(
      screen.getByLabelText('Select all objects on this page'),
    );
    await userEvent.click(
      within(screen.getByTestId('bulk-actions')).getByRole('button', {
        name: 'Resume',
      }),
    );
    await userEvent.click(
      within(await screen.findByRole('dialog')).getByRole('button', {
        name: 'Confirm',
      }),
    );

    await waitFor(() => expect(listedAfterResume).toBeGreaterThan(0), SOON);
    await waitFor(
      () => expect(screen.queryAllByTestId('resource-row')).toHaveLength(0),
      SOON,
    );
    expect(screen.queryByTestId('bulk-actions')).not.toBeInTheDocument();
    const results = screen.getAllByTestId('action-result');
    expect(results.map(r => r.textContent)).toEqual([
      'Kustomization apps/podinfo on devok',
      'Kustomization flux-system/infra on prodok',
    ]);
    expect(
      screen.getByRole('dialog', { name: 'Resume: 2 succeeded, 0 failed' }),
    ).toBeVisible();
  });
});
