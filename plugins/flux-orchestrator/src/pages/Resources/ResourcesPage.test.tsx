import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { cluster, failingRedis, podinfo, stalledInfra } from '../../testing/fluxFixtures';
import { API, renderFlux, setupFluxServer } from '../../testing/renderFlux';

const server = setupFluxServer();

const FORBIDDEN =
  '403 Forbidden: kustomizations.kustomize.toolkit.fluxcd.io "infra" is forbidden: User "system:serviceaccount:backstage:flux-orchestrator" cannot patch resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io" in the namespace "flux-system"';

/** Serves the list and records the query of every list request. */
function backend() {
  const requests: URLSearchParams[] = [];
  server.use(
    http.get(`${API}/clusters`, () => HttpResponse.json([cluster('dev'), cluster('prod')])),
    http.get(`${API}/resources`, ({ request }) => {
      const params = new URL(request.url).searchParams;
      requests.push(params);
      const items = [failingRedis('dev'), podinfo, stalledInfra];
      return HttpResponse.json({ items, total: 1234, limit: Number(params.get('limit')), offset: 0 });
    }),
  );
  return { requests, last: () => requests[requests.length - 1] };
}

describe('ResourcesPage', () => {
  it('sends the filters of the URL to the backend and shows a row per object', async () => {
    const { last } = backend();
    await renderFlux('/flux/resources?status=failing,stalled&kind=HelmRelease&cluster=dev,prod&namespace=apps&suspended=true&text=redis');
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
    expect(within(redis).getByTestId('status-chip')).toHaveTextContent('failing');
    expect(within(redis).getByText('InstallFailed')).toBeInTheDocument();
    expect(within(redis).getByRole('link', { name: 'redis' })).toHaveAttribute('href', '/flux/resources/dev%3AHelmRelease%3Aapps%3Aredis');
    expect(within(redis).getByRole('link', { name: 'HelmRepository/bitnami' })).toHaveAttribute(
      'href',
      '/flux/resources/dev%3AHelmRepository%3Aflux-system%3Abitnami',
    );
    expect(screen.getByText('1234 Flux objects')).toBeInTheDocument();
  });

  it('writes a changed filter and sort to the URL and asks the backend again', async () => {
    const { last } = backend();
    await renderFlux('/flux/resources?status=failing');
    await screen.findAllByTestId('resource-row');

    await userEvent.type(screen.getByLabelText('Search'), 'redis');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/flux/resources?status=failing&text=redis'));
    await waitFor(() => expect(last().get('text')).toBe('redis'));

    await userEvent.click(screen.getByLabelText('Suspended only'));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('suspended=true'));

    await userEvent.click(screen.getByRole('button', { name: 'Name' }));
    await waitFor(() => expect(last().get('sort')).toBe('name'));
    expect(last().get('order')).toBe('asc');
    expect(last().get('status')).toBe('failing');
  });

  it('reconciles a selection after confirmation and reports the result per object, failures with the reason', async () => {
    backend();
    let requested: unknown;
    server.use(
      http.post(`${API}/resources/reconcile`, async ({ request }) => {
        requested = await request.json();
        return HttpResponse.json({
          results: [
            { id: 'dev:HelmRelease:apps:redis', action: 'reconcile', ok: true, requestedAt: '2026-05-04T10:00:00.000Z', handled: false },
            { id: 'prod:Kustomization:flux-system:infra', action: 'reconcile', ok: false, error: FORBIDDEN },
          ],
        });
      }),
    );
    await renderFlux('/flux/resources');
    await screen.findAllByTestId('resource-row');
    await userEvent.click(screen.getByLabelText('Select HelmRelease apps/redis on dev'));
    await userEvent.click(screen.getByLabelText('Select Kustomization flux-system/infra on prod'));

    const bulk = screen.getByTestId('bulk-actions');
    expect(bulk).toHaveTextContent('2 selected');
    await userEvent.click(within(bulk).getByRole('button', { name: 'Reconcile' }));
    const confirm = await screen.findByRole('dialog');
    expect(confirm).toHaveTextContent('Reconcile 2 objects?');
    expect(requested).toBeUndefined();

    await userEvent.click(within(confirm).getByRole('button', { name: 'Confirm' }));
    const results = await screen.findAllByTestId('action-result');
    expect(requested).toEqual({ ids: ['dev:HelmRelease:apps:redis', 'prod:Kustomization:flux-system:infra'] });
    expect(results[0]).toHaveTextContent('HelmRelease apps/redis on dev');
    expect(results[0]).toHaveTextContent('ok');
    expect(results[1]).toHaveTextContent('Kustomization flux-system/infra on prod');
    expect(results[1]).toHaveTextContent(FORBIDDEN);
    expect(screen.getByText('Reconcile: 1 succeeded, 1 failed')).toBeInTheDocument();
  });
});
