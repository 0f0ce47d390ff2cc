import { EmptyState, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Cluster,
  describeClusterSource,
  fluxClusterCreatePermission,
  fluxClusterDeletePermission,
  fluxClusterUpdatePermission,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableContainer from '@material-ui/core/TableContainer';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Toolbar from '@material-ui/core/Toolbar';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import Skeleton from '@material-ui/lab/Skeleton';
import Alert from '@material-ui/lab/Alert';
import { useState } from 'react';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { errorMessageOf } from '../../api/fieldErrors';
import { ClusterHealthStatus } from '../../components/ClusterHealthStatus';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { GuardedButton } from '../../components/GuardedButton';
import { RelativeTime } from '../../components/RelativeTime';
import { SyncHistory } from '../../components/SyncHistory';
import { SyncNowButton } from '../../components/SyncNowButton';
import { SyncRunOutcome } from '../../components/SyncRunOutcome';
import { useFluxPermission } from '../../hooks/useFluxPermission';
import { listRelevance } from '../../hooks/useFluxRefresh';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import { useFluxLinks } from '../../routes';
import { ClusterFormDialog } from './ClusterFormDialog';
import { BackendErrorPanel } from '../../components/BackendErrorPanel';
import { RefreshFailedWarning } from '../../components/RefreshFailedWarning';

/** Why a cluster cannot be edited or deleted here, or undefined when it can. */
/**
 * The Backstage theme lets table cells break words anywhere ("Kubern/etes", "v2.9/.5"): short values and
 * headings stay on one line, and the cluster's title and the sync outcome take the remaining width.
 */
const NOWRAP = { whiteSpace: 'nowrap', wordBreak: 'normal' } as const;

function readOnlyReason(cluster: Cluster): string | undefined {
  if (!cluster.readOnly) return undefined;
  const where = describeClusterSource(cluster.source);
  return cluster.source === 'catalog'
    ? `Defined in ${where}; change or remove the entity instead`
    : `Defined in ${where}; change it there`;
}

/** Edit and Delete of one cluster, each enabled when the policy allows it on this cluster and its source allows changes. */
function ClusterChangeButtons(props: {
  cluster: string;
  fixed?: string;
  onEdit(): void;
  onDelete(): void;
}) {
  const update = useFluxPermission(fluxClusterUpdatePermission, [
    props.cluster,
  ]);
  const remove = useFluxPermission(fluxClusterDeletePermission, [
    props.cluster,
  ]);
  return (
    <>
      <GuardedButton
        label="Edit"
        reason={props.fixed ?? update.deniedReason}
        busy={update.loading}
        onClick={props.onEdit}
      />
      <GuardedButton
        label="Delete"
        reason={props.fixed ?? remove.deniedReason}
        busy={remove.loading}
        onClick={props.onDelete}
      />
    </>
  );
}

/** The registered clusters: health, versions, counts, sync; add, edit and delete. */
export function ClustersPage() {
  const api = useApi(fluxOrchestratorApiRef);
  const links = useFluxLinks();
  const clusters = useLiveAsync(() => api.listClusters(), [api], {
    relevant: listRelevance(undefined),
  });
  const create = useFluxPermission(fluxClusterCreatePermission);
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Cluster>();
  const [deleting, setDeleting] = useState<Cluster>();
  const [deleteBusy, setDeleteBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string>();
  const [history, setHistory] = useState<Cluster>();

  async function confirmDelete() {
    if (!deleting) return;
    setDeleteBusy(true);
    setDeleteError(undefined);
    try {
      await api.deleteCluster(deleting.name);
      setDeleting(undefined);
      clusters.retry();
    } catch (error) {
      setDeleteError(errorMessageOf(error));
    } finally {
      setDeleteBusy(false);
    }
  }

  let body;
  if (clusters.error && !clusters.value) {
    body = <BackendErrorPanel error={clusters.error} />;
  } else if (!clusters.value) {
    body = <Skeleton variant="rect" height={240} />;
  } else if (!clusters.value.length) {
    body = (
      <EmptyState
        missing="data"
        title="No clusters yet"
        description="Add one with its kubeconfig, or list clusters under fluxOrchestrator.clusters in app-config.yaml."
      />
    );
  } else {
    body = (
      <TableContainer>
        <Table size="small" aria-label="Clusters">
          <TableHead>
            <TableRow>
              <TableCell>Cluster</TableCell>
              <TableCell style={NOWRAP}>Health</TableCell>
              <TableCell style={NOWRAP}>Kubernetes</TableCell>
              <TableCell style={NOWRAP}>Flux</TableCell>
              <TableCell style={NOWRAP} align="right">
                Objects
              </TableCell>
              <TableCell style={NOWRAP} align="right">
                Failing
              </TableCell>
              <TableCell>Last sync</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {clusters.value.map(cluster => {
              const fixed = readOnlyReason(cluster);
              return (
                <TableRow key={cluster.name} data-testid="cluster-row">
                  <TableCell>
                    {links ? (
                      <Link to={links.cluster(cluster.name)}>
                        {cluster.title}
                      </Link>
                    ) : (
                      cluster.title
                    )}
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      component="div"
                    >
                      {cluster.name} · {cluster.source}
                    </Typography>
                  </TableCell>
                  <TableCell style={NOWRAP}>
                    <ClusterHealthStatus cluster={cluster} />
                  </TableCell>
                  <TableCell style={NOWRAP}>
                    {cluster.health.kubernetesVersion ?? '—'}
                  </TableCell>
                  <TableCell style={NOWRAP}>
                    {cluster.health.fluxVersion ??
                      (cluster.health.fluxInstalled ? 'installed' : '—')}
                  </TableCell>
                  <TableCell style={NOWRAP} align="right">
                    {cluster.counts.total}
                  </TableCell>
                  <TableCell style={NOWRAP} align="right">
                    {cluster.counts.failing + cluster.counts.stalled}
                  </TableCell>
                  <TableCell>
                    <RelativeTime time={cluster.lastSyncedAt} never="never" />
                    {cluster.lastSyncRun && (
                      <Box>
                        <SyncRunOutcome run={cluster.lastSyncRun} />
                      </Box>
                    )}
                  </TableCell>
                  <TableCell>
                    <Box
                      display="flex"
                      flexWrap="wrap"
                      alignItems="center"
                      style={{ gap: 4 }}
                    >
                      <SyncNowButton
                        cluster={cluster.name}
                        onSynced={clusters.retry}
                      />
                      <Button size="small" onClick={() => setHistory(cluster)}>
                        History
                      </Button>
                      <ClusterChangeButtons
                        cluster={cluster.name}
                        fixed={fixed}
                        onEdit={() => setEditing(cluster)}
                        onDelete={() => {
                          setDeleteError(undefined);
                          setDeleting(cluster);
                        }}
                      />
                    </Box>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
    );
  }

  return (
    <Paper>
      <Toolbar style={{ justifyContent: 'space-between' }}>
        <Typography variant="h6" component="h2">
          Clusters
        </Typography>
        <GuardedButton
          label="Add cluster"
          reason={create.deniedReason}
          busy={create.loading}
          color="primary"
          variant="contained"
          icon={<AddIcon />}
          onClick={() => setAdding(true)}
        />
      </Toolbar>
      <RefreshFailedWarning
        error={clusters.value ? clusters.error : undefined}
        what="the clusters"
      />
      {body}
      {(adding || editing) && (
        <ClusterFormDialog
          cluster={editing}
          onClose={() => {
            setAdding(false);
            setEditing(undefined);
          }}
          onSaved={() => {
            setAdding(false);
            setEditing(undefined);
            clusters.retry();
          }}
        />
      )}
      <ConfirmDialog
        open={!!deleting}
        title={
          deleting ? `Delete cluster ${deleting.title} (${deleting.name})?` : ''
        }
        confirmLabel="Delete"
        danger
        busy={deleteBusy}
        onConfirm={confirmDelete}
        onCancel={() => setDeleting(undefined)}
      >
        <Typography>
          The console forgets the cluster, its stored kubeconfig, its Flux
          objects and its sync history. Nothing changes on the cluster itself.
        </Typography>
        {deleteError && <Alert severity="error">{deleteError}</Alert>}
      </ConfirmDialog>
      {history && (
        <Dialog
          open
          onClose={() => setHistory(undefined)}
          fullWidth
          maxWidth="md"
          aria-labelledby="flux-sync-history-title"
        >
          <DialogTitle id="flux-sync-history-title">
            Sync history of {history.title}
          </DialogTitle>
          <DialogContent>
            <SyncHistory cluster={history.name} />
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setHistory(undefined)}>Close</Button>
          </DialogActions>
        </Dialog>
      )}
    </Paper>
  );
}
