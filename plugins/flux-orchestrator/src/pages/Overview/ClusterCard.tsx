import { InfoCard } from '@backstage/core-components';
import { Cluster } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import { ClusterHealthStatus } from '../../components/ClusterHealthStatus';
import { DataAge } from '../../components/DataAge';
import { Fact } from '../../components/Fact';
import { useFluxLinks } from '../../routes';

/** One cluster at a glance: health, versions, object counts and how old the data is. */
export function ClusterCard({ cluster }: { cluster: Cluster }) {
  const links = useFluxLinks();
  const { counts, health } = cluster;
  const link = links?.cluster(cluster.name);
  return (
    <InfoCard
      title={cluster.title}
      subheader={cluster.name}
      deepLink={link ? { title: 'Open cluster', link } : undefined}
    >
      <Box
        display="flex"
        flexDirection="column"
        style={{ gap: 12 }}
        data-testid={`cluster-card-${cluster.name}`}
      >
        <ClusterHealthStatus cluster={cluster} />
        <Box display="flex" flexWrap="wrap" style={{ gap: 24 }}>
          <Fact label="Kubernetes">{health.kubernetesVersion ?? '—'}</Fact>
          <Fact label="Flux">
            {health.fluxVersion ?? (health.fluxInstalled ? 'installed' : '—')}
          </Fact>
          <Fact label="Objects">{counts.total}</Fact>
          <Fact label="Failing">{counts.failing + counts.stalled}</Fact>
          <Fact label="Progressing">{counts.progressing}</Fact>
          <Fact label="Suspended">{counts.suspended}</Fact>
        </Box>
        <DataAge syncedAt={cluster.lastSyncedAt} feed={cluster.health.feed} />
      </Box>
    </InfoCard>
  );
}
