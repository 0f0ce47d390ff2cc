import { StatusError } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  fluxClusterSyncPermission,
  SyncRun,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import CircularProgress from '@material-ui/core/CircularProgress';
import SyncIcon from '@material-ui/icons/Sync';
import { useState } from 'react';
import { fluxOrchestratorApiRef } from '../api/FluxOrchestratorApi';
import { errorMessageOf } from '../api/fieldErrors';
import { useFluxPermission } from '../hooks/useFluxPermission';
import { GuardedButton } from './GuardedButton';
import { SyncRunOutcome } from './SyncRunOutcome';

/** Starts a sync of one cluster and shows how it went; the request returns once the sync has finished. */
export function SyncNowButton(props: {
  cluster: string;
  onSynced?(run: SyncRun): void;
}) {
  const api = useApi(fluxOrchestratorApiRef);
  const permission = useFluxPermission(fluxClusterSyncPermission, [
    props.cluster,
  ]);
  const [running, setRunning] = useState(false);
  const [run, setRun] = useState<SyncRun>();
  const [error, setError] = useState<string>();

  async function sync() {
    setRunning(true);
    setError(undefined);
    setRun(undefined);
    try {
      const result = await api.syncCluster(props.cluster);
      setRun(result);
      props.onSynced?.(result);
    } catch (e) {
      setError(errorMessageOf(e));
    } finally {
      setRunning(false);
    }
  }

  return (
    <Box
      display="inline-flex"
      alignItems="center"
      style={{ gap: 8 }}
      flexWrap="wrap"
    >
      <GuardedButton
        label="Sync now"
        reason={permission.deniedReason}
        busy={permission.loading || running}
        variant="outlined"
        color="primary"
        icon={
          running ? (
            <CircularProgress size={16} aria-label="Syncing" />
          ) : (
            <SyncIcon />
          )
        }
        onClick={sync}
      />
      {run && (
        <span data-testid="sync-outcome">
          <SyncRunOutcome run={run} />
        </span>
      )}
      {error && <StatusError>{error}</StatusError>}
    </Box>
  );
}
