import { InfoCard } from '@backstage/core-components';
import { Cluster } from '@internal/plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ClusterHealthStatus } from '../../components/ClusterHealthStatus';
import { DataAge } from '../../components/DataAge';
import { useFluxLinks } from '../../routes';

function Fact(props: { label: string; value: string | number }) {
  return (
    <Box>
      <Typography variant="caption" color="textSecondary" component="div">
        {props.label}
      </Typography>
      <Typography variant="body1" component="div">
        {props.value}
      </Typography>
    </Box>
  );
}

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
      <Box display="flex" flexDirection="column" style={{ gap: 12 }} data-testid={`cluster-card-${cluster.name}`}>
        <ClusterHealthStatus cluster={cluster} />
        <Box display="flex" flexWrap="wrap" style={{ gap: 24 }}>
          <Fact label="Kubernetes" value={health.kubernetesVersion ?? '—'} />
          <Fact label="Flux" value={health.fluxVersion ?? (health.fluxInstalled ? 'installed' : '—')} />
          <Fact label="Objects" value={counts.total} />
          <Fact label="Failing" value={counts.failing + counts.stalled} />
          <Fact label="Progressing" value={counts.progressing} />
          <Fact label="Suspended" value={counts.suspended} />
        </Box>
        <DataAge syncedAt={cluster.lastSyncedAt} />
      </Box>
    </InfoCard>
  );
}
