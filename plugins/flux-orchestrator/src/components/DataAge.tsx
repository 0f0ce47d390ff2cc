import Typography from '@material-ui/core/Typography';
import { RelativeTime } from './RelativeTime';

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
