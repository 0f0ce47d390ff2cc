import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import {
  podinfo,
  podinfoDetail,
  stalledInfra,
} from '../../__testUtils__/fluxFixtures';
import {
  API,
  renderFlux,
  setupFluxServer,
} from '../../__testUtils__/renderFlux';

const server = setupFluxServer();

// The detail page is the plugin's largest (the YAML view loads a syntax highlighter); give it time to render.
jest.setTimeout(20_000);
const RENDERED = { timeout: 10_000 };
const ID = 'dev:Kustomization:apps:podinfo';
const PATH = `/flux/resources/${encodeURIComponent(ID)}`;

function backend(options: { events?: () => Response } = {}) {
  server.use(
    http.get(`${API}/resources/:id`, ({ params }) =>
      params.id === ID
        ? HttpResponse.json({
            ...podinfoDetail,
            stuck: [
              {
                reason: 'request-unhandled',
                since: '2026-05-04T09:45:00Z',
                message:
                  'A reconcile was requested 20 min ago and Flux has not handled it',
              },
            ],
          })
        : new HttpResponse(null, { status: 404 }),
    ),
    http.get(`${API}/resources/:id/dependents`, () =>
      HttpResponse.json([
        {
          ...podinfo,
          id: 'dev:Kustomization:apps:podinfo-tests',
          name: 'podinfo-tests',
        },
      ]),
    ),
    http.get(`${API}/resources/:id/actions`, () => HttpResponse.json([])),
    http.get(`${API}/resources/:id/transitions`, () =>
      HttpResponse.json([
        {
          from: 'ready',
          to: 'failing',
          reason: 'HealthCheckFailed',
          message: 'Deployment/apps/podinfo: 0 of 2 replicas available',
          revision: 'main@sha1:5f2a1c9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f',
          at: '2026-05-04T09:45:00Z',
        },
        {
          from: 'failing',
          to: 'ready',
          reason: 'ReconciliationSucceeded',
          at: '2026-05-02T10:40:00Z',
          recoveredAfterMs: 2_520_000,
        },
        { to: 'failing', reason: 'BuildFailed', at: '2026-05-02T10:00:00Z' },
      ]),
    ),
    http.get(
      `${API}/resources/:id/events`,
      options.events ??
        (() =>
          HttpResponse.json([
            {
              type: 'Warning',
              reason: 'HealthCheckFailed',
              message:
                "health check failed after 5m0s: timeout waiting for: [Deployment/apps/podinfo status: 'InProgress']",
              count: 4,
              lastSeen: '2026-05-04T09:55:00Z',
              source: 'kustomize-controller',
            },
          ])),
    ),
  );
}

describe('ResourceDetailPage', () => {
  it('shows the status, the whole message, the conditions, the relations and the inventory', async () => {
    backend();
    await renderFlux(PATH);
    expect(
      await screen.findByTestId('resource-message', {}, RENDERED),
    ).toHaveTextContent(
      "health check failed after 5m0s: timeout waiting for: [Deployment/apps/podinfo status: 'InProgress'] Deployment/apps/podinfo: 0 of 2 replicas available",
    );
    expect(screen.getAllByTestId('status-chip')[0]).toHaveTextContent(
      'failing',
    );
    const conditions = screen.getAllByTestId('condition-row');
    expect(
      conditions.map(row => within(row).getAllByRole('cell')[0].textContent),
    ).toEqual(['Ready', 'Healthy']);
    expect(conditions[1]).toHaveTextContent(
      'Deployment/apps/podinfo: 0 of 2 replicas available',
    );
    expect(
      screen.getByRole('link', { name: 'GitRepository flux-system/podinfo' }),
    ).toHaveAttribute(
      'href',
      '/flux/resources/dev%3AGitRepository%3Aflux-system%3Apodinfo',
    );
    expect(
      screen.getByRole('link', { name: 'Kustomization flux-system/infra' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('link', {
        name: 'Kustomization apps/podinfo-tests',
      }),
    ).toBeInTheDocument();
    const inventory = screen
      .getAllByTestId('inventory-row')
      .map(row => row.textContent);
    expect(inventory).toEqual([
      'Serviceappspodinfov1',
      'Deploymentappspodinfoapps/v1',
      'ClusterRole(cluster)podinfo-readerrbac.authorization.k8s.io/v1',
    ]);

    // The same neighbourhood as a graph: every node says its role, and the Flux objects link to their pages.
    const graph = screen.getByTestId('dependency-graph');
    await waitFor(() =>
      expect(
        within(graph)
          .getAllByTestId('graph-node')
          .map(node => node.getAttribute('data-role')),
      ).toEqual([
        'self',
        'source',
        'dependency',
        'dependent',
        'inventory',
        'inventory',
        'inventory',
      ]),
    );
    const source = within(graph)
      .getAllByTestId('graph-node')
      .find(node => node.getAttribute('data-role') === 'source')!;
    expect(source).toHaveTextContent('GitRepository · source');
    expect(source.closest('a')).toHaveAttribute(
      'href',
      '/flux/resources/dev%3AGitRepository%3Aflux-system%3Apodinfo',
    );
    await userEvent.click(source);
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '/flux/resources/dev%3AGitRepository%3Aflux-system%3Apodinfo',
      ),
    );
  });

  it('shows the status history as a timeline, and the revisions Flux records in the object', async () => {
    backend();
    await renderFlux(PATH);
    const entries = await screen.findAllByTestId('transition', {}, RENDERED);
    expect(entries).toHaveLength(3);
    expect(entries[0]).toHaveTextContent(/^failing.*from ready/);
    expect(entries[0]).toHaveTextContent(
      'HealthCheckFailed · revision main@sha1:5f2a1c9',
    );
    expect(entries[0]).toHaveTextContent('0 of 2 replicas available');
    expect(within(entries[1]).getByTestId('recovered-after')).toHaveTextContent(
      'recovered after 42 min',
    );
    expect(entries[2]).toHaveTextContent(/^failing.*first seen/);
    expect(screen.getByTestId('stuck-alert')).toHaveTextContent(
      'Stuck: A reconcile was requested 20 min ago and Flux has not handled it.',
    );
    // Failing since the timeline's last change, for as long as the clock says.
    expect(screen.getByText('Failing since')).toBeInTheDocument();
    const own = screen.getAllByTestId('flux-history-row');
    expect(
      own.map(row => within(row).getAllByRole('cell')[0].textContent),
    ).toEqual([
      'main@sha1:5f2a1c9',
      // A revision that is not text falls back to the digest; an entry that is not an object is left out.
      'sha256:0b2c',
    ]);
    expect(own[1]).toHaveTextContent('ReconciliationSucceeded');
    expect(own[1]).toHaveTextContent('412');
  });

  it('shows the live events of the object', async () => {
    backend();
    await renderFlux(PATH);
    const event = await screen.findByTestId('event-row', {}, RENDERED);
    expect(event).toHaveTextContent('Warning');
    expect(event).toHaveTextContent('HealthCheckFailed');
    expect(event).toHaveTextContent('4');
  });

  it('says why events are missing when the cluster cannot be reached', async () => {
    backend({
      events: () =>
        HttpResponse.json(
          {
            error: {
              name: 'ServiceUnavailableError',
              message: 'cluster dev: connect ECONNREFUSED 10.0.0.1:6443',
            },
            response: { statusCode: 503 },
          },
          { status: 503 },
        ),
    });
    await renderFlux(PATH);
    expect(
      await screen.findByText(
        'cluster dev: connect ECONNREFUSED 10.0.0.1:6443',
        {},
        RENDERED,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Events could not be read from the cluster \(503\)/),
    ).toBeInTheDocument();
  });

  it('follows a reconcile from Requested to Handled', async () => {
    backend();
    let checks = 0;
    server.use(
      http.post(`${API}/resources/reconcile`, () =>
        HttpResponse.json({
          results: [
            {
              id: ID,
              action: 'reconcile',
              ok: true,
              requestedAt: '2026-05-04T10:00:00.000Z',
              handled: false,
            },
          ],
        }),
      ),
      http.get(`${API}/resources/:id/reconcile-status`, () => {
        checks += 1;
        return HttpResponse.json({
          id: ID,
          requestedAt: '2026-05-04T10:00:00.000Z',
          lastHandledReconcileAt:
            checks > 1
              ? '2026-05-04T10:00:00.000Z'
              : '2026-05-04T09:00:00.000Z',
          handled: checks > 1,
          resource: podinfo,
        });
      }),
    );
    await renderFlux(PATH);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Reconcile' }, RENDERED),
    );
    expect(await screen.findByTestId('reconcile-state')).toHaveTextContent(
      /^Requested$/,
    );
    await waitFor(
      () =>
        expect(screen.getByTestId('reconcile-state')).toHaveTextContent(
          /^Handled$/,
        ),
      { timeout: 8000 },
    );
    expect(checks).toBe(2);
  });

  it('shows the backend’s answer for an object it does not know', async () => {
    backend();
    server.use(
      http.get(`${API}/resources/:id`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'No Flux object prod:Kustomization:flux-system:infra',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    await renderFlux(`/flux/resources/${encodeURIComponent(stalledInfra.id)}`);
    expect(
      await screen.findByText(
        /No Flux object prod:Kustomization:flux-system:infra/,
        {},
        RENDERED,
      ),
    ).toBeInTheDocument();
  });
});
