import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { Cluster } from '@internal/plugin-flux-orchestrator-common';
import { screen } from '@testing-library/react';
import { FluxOrchestratorApi, fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { OverviewPage } from './OverviewPage';

const counts = { ready: 40, failing: 2, progressing: 1, stalled: 1, suspended: 0, unknown: 0, total: 44 };

const clusters: Cluster[] = [
  {
    name: 'prod',
    title: 'Production',
    source: 'config',
    readOnly: true,
    health: {
      status: 'healthy',
      kubernetesVersion: 'v1.36.3',
      fluxInstalled: true,
      fluxVersion: 'v2.9.1',
      servedVersions: { Kustomization: 'v1' },
    },
    counts,
    lastSyncedAt: '2026-11-23T10:00:00Z',
    createdAt: '2026-11-23T09:00:00Z',
    updatedAt: '2026-11-23T09:00:00Z',
  },
  {
    name: 'edge',
    title: 'Edge',
    source: 'config',
    readOnly: true,
    health: { status: 'unhealthy', error: 'connect ECONNREFUSED 10.0.0.9:6443', fluxInstalled: false, servedVersions: {} },
    counts: { ...counts, total: 0, ready: 0, failing: 0, progressing: 0, stalled: 0 },
    createdAt: '2026-11-23T09:00:00Z',
    updatedAt: '2026-11-23T09:00:00Z',
  },
];

function renderWith(api: Partial<FluxOrchestratorApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[fluxOrchestratorApiRef, api]]}>
      <OverviewPage />
    </TestApiProvider>,
  );
}

describe('OverviewPage', () => {
  it('shows each cluster with its health, versions and failing count', async () => {
    await renderWith({ listClusters: async () => clusters });
    expect(await screen.findByText('Production')).toBeInTheDocument();
    expect(screen.getByText('v1.36.3')).toBeInTheDocument();
    expect(screen.getByText('v2.9.1')).toBeInTheDocument();
    expect(screen.getByText('3')).toBeInTheDocument(); // failing + stalled
    expect(screen.getByText('connect ECONNREFUSED 10.0.0.9:6443')).toBeInTheDocument();
  });

  it('tells what to do when there are no clusters', async () => {
    await renderWith({ listClusters: async () => [] });
    expect(await screen.findByText('No clusters yet')).toBeInTheDocument();
    expect(screen.getByText(/fluxOrchestrator\.clusters/)).toBeInTheDocument();
  });

  it('shows the backend error', async () => {
    await renderWith({
      listClusters: async () => {
        throw new Error('Not allowed: flux-orchestrator.read');
      },
    });
    expect(await screen.findByText('Error: Not allowed: flux-orchestrator.read')).toBeInTheDocument();
  });
});
