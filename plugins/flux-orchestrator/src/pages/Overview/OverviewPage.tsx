import { EmptyState, LinkButton, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { listRelevance } from '../../hooks/useFluxRefresh';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import { BackendErrorPanel } from '../../components/BackendErrorPanel';
import { RefreshFailedWarning } from '../../components/RefreshFailedWarning';
import { useFluxLinks } from '../../routes';
import { ClusterCard } from './ClusterCard';
import { NeedsAttention } from './NeedsAttention';
import { ReliabilityCard } from './ReliabilityCard';
import { StatusTiles } from './StatusTiles';

/** How many failing objects the overview groups; the rest is one click away in the list. */
const ATTENTION_LIMIT = 200;

/** How many stuck objects the overview names; it says how many more there are. */
const STUCK_LIMIT = 20;

/** The fleet at a glance: totals by status, what needs attention, and every cluster. */
export function OverviewPage() {
  const api = useApi(fluxOrchestratorApiRef);
  const links = useFluxLinks();
  // Counts change with any object; they follow within seconds, not with every signal.
  const clusters = useLiveAsync(() => api.listClusters(), [api], {
    relevant: listRelevance(undefined),
  });
  const summary = useLiveAsync(() => api.getSummary(), [api], {
    relevant: listRelevance(undefined),
  });
  const attention = useLiveAsync(
    () =>
      api.listResources({
        status: ['stalled', 'failing'],
        limit: ATTENTION_LIMIT,
      }),
    [api],
    { rows: p => p.items },
  );
  const stuck = useLiveAsync(() => api.listStuckResources(STUCK_LIMIT), [api], {
    rows: p => p.items,
  });

  // A failed first load of a part replaces that part; a failed reload keeps what is shown, under one warning.
  const reloadError = [clusters, summary, attention, stuck].find(
    part => part.error && part.value,
  )?.error;
  if (clusters.error && !clusters.value)
    return <BackendErrorPanel error={clusters.error} />;
  if (!clusters.value) return <Progress />;
  if (!clusters.value.length) {
    return (
      <EmptyState
        missing="data"
        title="No clusters yet — add one"
        description="Register a cluster from its kubeconfig, or list it under fluxOrchestrator.clusters in app-config.yaml. Its Flux objects appear here after the first sync."
        action={
          links && (
            <LinkButton
              to={links.clusters()}
              variant="contained"
              color="primary"
            >
              Go to clusters
            </LinkButton>
          )
        }
      />
    );
  }

  return (
    <Grid container spacing={3}>
      {reloadError && (
        <Grid item xs={12}>
          <RefreshFailedWarning error={reloadError} what="the overview" />
        </Grid>
      )}
      <Grid item xs={12}>
        {summary.error && !summary.value ? (
          <BackendErrorPanel error={summary.error} />
        ) : (
          <StatusTiles totals={summary.value?.totals} />
        )}
      </Grid>
      <Grid item xs={12} lg={7}>
        {attention.error && !attention.value && (
          <BackendErrorPanel error={attention.error} />
        )}
        {stuck.error && !stuck.value && (
          <BackendErrorPanel error={stuck.error} />
        )}
        {attention.value && (
          <NeedsAttention
            resources={attention.value.items}
            total={attention.value.total}
            stuck={stuck.value}
          />
        )}
        {!attention.error && !attention.value && <Progress />}
        <Box mt={3} data-testid="reliability-card">
          <ReliabilityCard />
        </Box>
      </Grid>
      <Grid item xs={12} lg={5}>
        <Grid container spacing={2}>
          {clusters.value.map(cluster => (
            <Grid item xs={12} key={cluster.name}>
              <ClusterCard cluster={cluster} />
            </Grid>
          ))}
        </Grid>
      </Grid>
    </Grid>
  );
}
