import {
  ClusterFeed,
  FluxResource,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Typography from '@material-ui/core/Typography';
import { RelativeTime } from './RelativeTime';

/** When the newest of these objects was written by a sync: the age of a list. */
export function newestSyncedAt(
  resources: Pick<FluxResource, 'syncedAt'>[],
): string | undefined {
  let newest: string | undefined;
  for (const { syncedAt } of resources) {
    if (syncedAt && (!newest || Date.parse(syncedAt) > Date.parse(newest)))
      newest = syncedAt;
  }
  return newest;
}

/**
 * How old the shown data is. The plugin shows what it stored, not the cluster itself, so every view says how
 * fresh that is: live while a watch delivers changes, else when the last sync wrote it.
 */
export function DataAge(props: { syncedAt?: string; feed?: ClusterFeed }) {
  const { feed } = props;
  const synced = props.syncedAt ? (
    <>
      synced <RelativeTime time={props.syncedAt} />
    </>
  ) : (
    'not synced yet'
  );
  return (
    <Typography
      variant="caption"
      color="textSecondary"
      component="span"
      data-testid="data-age"
    >
      {feed?.mode === 'live' && 'live: changes arrive as they happen'}
      {feed?.mode === 'reconnecting' && (
        <>
          reconnecting since <RelativeTime time={feed.since} /> · {synced}
        </>
      )}
      {(!feed || feed.mode === 'polling') && synced}
    </Typography>
  );
}
