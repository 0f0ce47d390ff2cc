import { useApi } from '@backstage/core-plugin-api';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Skeleton from '@material-ui/lab/Skeleton';
import { fluxOrchestratorApiRef } from '../api/FluxOrchestratorApi';
import { useLiveAsync } from '../hooks/useLiveAsync';
import { RelativeTime } from './RelativeTime';
import { SyncRunOutcome } from './SyncRunOutcome';
import { BackendErrorPanel } from './BackendErrorPanel';
import { RefreshFailedWarning } from './RefreshFailedWarning';

const HISTORY_LENGTH = 20;

/** Times and triggers are short; the theme would break them anywhere in the narrow card. */
const NOWRAP = { whiteSpace: 'nowrap', wordBreak: 'normal' } as const;

/** The newest sync runs of one cluster: when, why, how long and what each changed. */
export function SyncHistory(props: {
  cluster: string;
  /** Changed by the page after it started a sync, to reload without waiting for a signal or the poll. */
  reloadKey?: number;
}) {
  const api = useApi(fluxOrchestratorApiRef);
  const runs = useLiveAsync(
    () => api.listSyncRuns(props.cluster, HISTORY_LENGTH),
    [api, props.cluster],
    {
      // Signals name no cluster (every user receives them); a finished sync of any cluster reloads the list.
      relevant: signal => signal.type === 'sync-finished',
      reloadKey: props.reloadKey,
    },
  );
  if (runs.error && !runs.value)
    return <BackendErrorPanel error={runs.error} />;
  if (!runs.value) return <Skeleton variant="rect" height={120} />;
  return (
    <>
      <RefreshFailedWarning error={runs.error} what="the sync history" />
      <Table size="small" aria-label={`Sync history of ${props.cluster}`}>
        <TableHead>
          <TableRow>
            <TableCell style={NOWRAP}>Started</TableCell>
            <TableCell style={NOWRAP}>Trigger</TableCell>
            <TableCell>Outcome</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {!runs.value.length && (
            <TableRow>
              <TableCell colSpan={3}>
                No sync has run yet; use Sync now or wait for the schedule.
              </TableCell>
            </TableRow>
          )}
          {runs.value.map(run => (
            <TableRow key={run.id}>
              <TableCell style={NOWRAP}>
                <RelativeTime time={run.startedAt} />
              </TableCell>
              <TableCell style={NOWRAP}>{run.trigger}</TableCell>
              <TableCell>
                <SyncRunOutcome run={run} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}
