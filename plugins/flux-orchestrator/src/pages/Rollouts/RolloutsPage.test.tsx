import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import {
  API,
  renderFlux,
  setupFluxServer,
} from '../../__testUtils__/renderFlux';

const server = setupFluxServer();

const row = {
  key: 'apps',
  deployKind: 'Kustomization',
  namespace: 'flux-system',
  name: 'apps',
  origin: {
    sourceKind: 'GitRepository',
    url: 'github.com/example/fleet',
    ref: 'branch main',
    path: 'apps/prod',
  },
  clusters: [
    {
      cluster: 'prod',
      objects: [
        {
          id: 'prod:Kustomization:flux-system:apps',
          cluster: 'prod',
          namespace: 'flux-system',
          name: 'apps',
          status: 'ready',
          revision: 'main@sha1:aaaaaaa1111111',
          revisionSince: '2026-12-01T09:00:00Z',
          sourceRevision: 'main@sha1:bbbbbbb2222222',
        },
      ],
    },
    {
      cluster: 'staging',
      objects: [
        {
          id: 'staging:Kustomization:flux-system:apps',
          cluster: 'staging',
          namespace: 'flux-system',
          name: 'apps',
          status: 'failing',
          revision: 'main@sha1:bbbbbbb2222222',
          attemptedRevision: 'main@sha1:ccccccc3333333',
        },
      ],
    },
    {
      cluster: 'dev',
      objects: [
        {
          id: 'dev:Kustomization:flux-system:apps',
          cluster: 'dev',
          namespace: 'flux-system',
          name: 'apps',
          status: 'ready',
          revision: 'main@sha1:bbbbbbb2222222',
        },
      ],
    },
  ],
  revisions: [
    { revision: 'main@sha1:bbbbbbb2222222', clusters: 2 },
    { revision: 'main@sha1:aaaaaaa1111111', clusters: 1 },
  ],
  disagrees: true,
};

describe('RolloutsPage', () => {
  it('shows each deployment by cluster, marks the clusters that differ, and filters through the URL', async () => {
    const asked: URLSearchParams[] = [];
    server.use(
      http.get(`${API}/rollouts`, ({ request }) => {
        asked.push(new URL(request.url).searchParams);
        return HttpResponse.json({
          groupBy: 'source',
          clusters: ['dev', 'prod', 'staging', 'lab'],
          items: [row],
          totalItems: 1,
          disagreeing: 1,
        });
      }),
    );
    await renderFlux('/flux/rollouts');
    const [shown] = await screen.findAllByTestId('rollout-row');
    expect(screen.getByRole('tab', { name: 'Rollouts' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(shown).toHaveTextContent(
      'Kustomization flux-system/appsGit github.com/example/fleetbranch main · path ./apps/prod',
    );
    expect(shown).toHaveTextContent('2 revisions across 3 clusters');
    const cells = within(shown).getAllByRole('cell');
    // Deployment, dev, prod, staging, lab: in the order of the columns.
    expect(cells).toHaveLength(5);
    expect(cells[1]).toHaveTextContent('main@bbbbbbb');
    expect(cells[1]).not.toHaveTextContent('differs');
    expect(cells[2]).toHaveTextContent('main@aaaaaaa · differs');
    expect(cells[2]).toHaveTextContent('source offers main@bbbbbbb');
    expect(cells[3]).toHaveTextContent('attempted main@ccccccc');
    expect(cells[4]).toHaveTextContent('—');
    expect(
      within(cells[2]).getByRole('link', { name: 'flux-system/apps' }),
    ).toHaveAttribute(
      'href',
      `/flux/resources/${encodeURIComponent(
        'prod:Kustomization:flux-system:apps',
      )}`,
    );
    expect(screen.getByTestId('rollout-summary')).toHaveTextContent(
      '1 deployment, 1 where clusters disagree',
    );

    fireEvent.click(
      screen.getByRole('checkbox', { name: 'Only where clusters disagree' }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '/flux/rollouts?disagreeing=true',
      ),
    );
    await waitFor(() => expect(asked.at(-1)?.get('disagreeing')).toBe('true'));
  });

  it('says so when every deployment agrees', async () => {
    server.use(
      http.get(`${API}/rollouts`, () =>
        HttpResponse.json({
          groupBy: 'source',
          clusters: [],
          items: [],
          totalItems: 0,
          disagreeing: 0,
        }),
      ),
    );
    await renderFlux('/flux/rollouts?disagreeing=true');
    expect(
      await screen.findByText(
        'Every deployment has the same revision in every cluster.',
      ),
    ).toBeInTheDocument();
  });

  it('searches from the URL, and puts what is typed there once typing settles', async () => {
    const asked: URLSearchParams[] = [];
    server.use(
      http.get(`${API}/rollouts`, ({ request }) => {
        asked.push(new URL(request.url).searchParams);
        return HttpResponse.json({
          groupBy: 'source',
          clusters: [],
          items: [],
          totalItems: 0,
          disagreeing: 0,
        });
      }),
    );
    await renderFlux('/flux/rollouts?search=fleet');
    const field = await screen.findByRole('textbox', { name: 'Search' });
    expect(field).toHaveValue('fleet');
    await waitFor(() => expect(asked.at(-1)?.get('search')).toBe('fleet'));
    fireEvent.change(field, { target: { value: 'fleet-prod ' } });
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '/flux/rollouts?search=fleet-prod',
      ),
    );
    await waitFor(() => expect(asked.at(-1)?.get('search')).toBe('fleet-prod'));
    expect(field).toHaveValue('fleet-prod ');
  });
});
