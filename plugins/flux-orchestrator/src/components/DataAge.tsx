import { FluxResource } from '@internal/plugin-flux-orchestrator-common';
import Typography from '@material-ui/core/Typography';
import { RelativeTime } from './RelativeTime';

/** When the newest of these objects was written by a sync: the age of a list. */
export function newestSyncedAt(resources: Pick<FluxResource, 'syncedAt'>[]): string | undefined {
  let newest: string | undefined;
  for (const { syncedAt } of resources) {
    if (syncedAt && (!newest || Date.parse(syncedAt) > Date.parse(newest))) newest = syncedAt;
  }
  return newest;
}

/**
 * How old the shown data is. The plugin shows what the last sync stored, not the live cluster, so every view
 * says when that was.
 */
export function DataAge(props: { syncedAt?: string }) {
  return (
    <Typography variant="caption" color="textSecondary" component="span">
      {props.syncedAt ? (
        <>
          synced <RelativeTime time={props.syncedAt} />
        </>
      ) : (
        'not synced yet'
      )}
    </Typography>
  );
}
