import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Cluster } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { BackendErrorPanel } from '../../components/BackendErrorPanel';
import { ClusterHealthStatus } from '../../components/ClusterHealthStatus';
import { DataAge } from '../../components/DataAge';
import { Fact } from '../../components/Fact';
import { RefreshFailedWarning } from '../../components/RefreshFailedWarning';
import { ResourceListView } from '../../components/ResourceListView';
import { SyncHistory } from '../../components/SyncHistory';
import { SyncNowButton } from '../../components/SyncNowButton';
import { FluxSignal } from '../../hooks/useFluxRefresh';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import { useResourceListQuery } from '../../hooks/useResourceListQuery';

/**
 * The header shows health and data age, which a sync or a relist changes. Signals name no cluster (every user
 * receives them), so any cluster's counts.
 */
function changesHealth(signal: FluxSignal) {
  return (
    signal.type === 'sync-finished' ||
    (signal.type === 'changed' && !signal.uids)
  );
}

function ClusterHeader(props: { cluster: Cluster; onSynced(): void }) {
  const { cluster } = props;
  return (
    <InfoCard
      title={cluster.title}
      subheader={cluster.description ?? cluster.name}
    >
      <Box display="flex" flexDirection="column" style={{ gap: 12 }}>
        <ClusterHealthStatus cluster={cluster} />
        <Box display="flex" flexWrap="wrap" style={{ gap: 24 }}>
          <Fact label="Name">{cluster.name}</Fact>
          <Fact label="Server">{cluster.server ?? '—'}</Fact>
          <Fact label="Kubernetes">
            {cluster.health.kubernetesVersion ?? '—'}
          </Fact>
          <Fact label="Flux">
            {cluster.health.fluxVersion ??
              (cluster.health.fluxInstalled ? 'installed' : '—')}
          </Fact>
          <Fact label="Defined in">{cluster.source}</Fact>
          <Fact label="Objects">{cluster.counts.total}</Fact>
        </Box>
        <Box
          display="flex"
          alignItems="center"
          style={{ gap: 16 }}
          flexWrap="wrap"
        >
          <DataAge syncedAt={cluster.lastSyncedAt} feed={cluster.health.feed} />
          <SyncNowButton cluster={cluster.name} onSynced={props.onSynced} />
        </Box>
      </Box>
    </InfoCard>
  );
}

/** One cluster: its header, sync history, and the resource table limited to it. */
export function ClusterDetailPage() {
  const { cluster: name = '' } = useParams();
  const api = useApi(fluxOrchestratorApiRef);
  const [query, setQuery] = useResourceListQuery();
  const cluster = useLiveAsync(() => api.getCluster(name), [api, name], {
    relevant: changesHealth,
  });
  // The cluster is fixed by the path; a cluster filter in the query string has no meaning here.
  const { cluster: _ignored, ...clusterQuery } = query;
  const page = useLiveAsync(
    () => api.listClusterResources(name, clusterQuery),
    [api, name, JSON.stringify(clusterQuery)],
    {
      rows: p => p.items,
    },
  );
  // Counts the manual syncs, so that the history reloads after one even where no signal announces it.
  const [syncs, setSyncs] = useState(0);

  if (cluster.error && !cluster.value)
    return <BackendErrorPanel error={cluster.error} />;
  if (!cluster.value) return <Progress />;

  const refresh = () => {
    cluster.retry();
    page.retry();
    setSyncs(n => n + 1);
  };

  return (
    <Grid container spacing={3}>
      {cluster.error && (
        <Grid item xs={12}>
          <RefreshFailedWarning error={cluster.error} what="the cluster" />
        </Grid>
      )}
      <Grid item xs={12} md={7}>
        <ClusterHeader cluster={cluster.value} onSynced={refresh} />
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title="Sync history">
          <SyncHistory cluster={name} reloadKey={syncs} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <ResourceListView
          page={page.value}
          loading={page.loading}
          error={page.error}
          query={query}
          onQueryChange={setQuery}
          onActionsDone={page.retry}
          hideCluster
        />
      </Grid>
    </Grid>
  );
}
