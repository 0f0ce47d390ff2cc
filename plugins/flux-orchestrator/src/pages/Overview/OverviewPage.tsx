import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusWarning,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Cluster } from '@internal/plugin-flux-orchestrator-common';
import useAsync from 'react-use/esm/useAsync';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';

function HealthCell({ cluster }: { cluster: Cluster }) {
  const { status, error } = cluster.health;
  if (status === 'healthy') return <StatusOK>healthy</StatusOK>;
  if (status === 'unhealthy') return <StatusError>{error ?? 'unhealthy'}</StatusError>;
  return <StatusWarning>not synced yet</StatusWarning>;
}

const columns: TableColumn<Cluster>[] = [
  { title: 'Cluster', field: 'title', highlight: true },
  { title: 'Health', render: c => <HealthCell cluster={c} /> },
  { title: 'Kubernetes', render: c => c.health.kubernetesVersion ?? '—' },
  { title: 'Flux', render: c => c.health.fluxVersion ?? (c.health.fluxInstalled ? 'installed' : '—') },
  { title: 'Objects', render: c => c.counts.total },
  { title: 'Failing', render: c => c.counts.failing + c.counts.stalled },
  { title: 'Source', field: 'source' },
  {
    title: 'Last sync',
    render: c => (c.lastSyncedAt ? new Date(c.lastSyncedAt).toLocaleString() : 'never'),
  },
];

/** The fleet at a glance: every cluster with its health and object counts. */
export function OverviewPage() {
  const api = useApi(fluxOrchestratorApiRef);
  const { value, loading, error } = useAsync(() => api.listClusters(), [api]);

  let body;
  if (loading) body = <Progress />;
  else if (error) body = <ResponseErrorPanel error={error} />;
  else if (!value?.length)
    body = (
      <EmptyState
        missing="data"
        title="No clusters yet"
        description="Add clusters under fluxOrchestrator.clusters in app-config.yaml; they appear here after the first sync."
      />
    );
  else
    body = (
      <Table
        title={`Clusters (${value.length})`}
        options={{ paging: false, search: false }}
        columns={columns}
        data={value}
      />
    );

  return (
    <Page themeId="tool">
      <Header title="Flux" subtitle="Flux CD across every cluster" />
      <Content>
        <ContentHeader title="Overview" />
        {body}
      </Content>
    </Page>
  );
}
