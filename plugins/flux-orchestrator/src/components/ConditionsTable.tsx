import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { RelativeTime } from './RelativeTime';

/** A Kubernetes status condition (https://github.com/kubernetes/community/blob/master/contributors/devel/sig-architecture/api-conventions.md#typical-status-properties). */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** Reads `status.conditions` from a Kubernetes object, skipping entries that are not conditions. */
export function conditionsOf(object: Record<string, unknown>): Condition[] {
  const status = object.status as { conditions?: unknown } | undefined;
  if (!Array.isArray(status?.conditions)) return [];
  return status!.conditions.filter(
    (c): c is Condition =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as Condition).type === 'string',
  );
}

// Short columns keep to one line so that the message column takes the width that is left.
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** The conditions of a Flux object with their whole messages. */
export function ConditionsTable(props: { conditions: Condition[] }) {
  if (!props.conditions.length)
    return <>The object reports no conditions yet.</>;
  return (
    <Table size="small" aria-label="Conditions">
      <TableHead>
        <TableRow>
          <TableCell style={NO_WRAP}>Type</TableCell>
          <TableCell style={NO_WRAP}>Status</TableCell>
          <TableCell style={NO_WRAP}>Reason</TableCell>
          <TableCell>Message</TableCell>
          <TableCell style={NO_WRAP}>Last transition</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.conditions.map(condition => (
          <TableRow key={condition.type} data-testid="condition-row">
            <TableCell style={NO_WRAP}>{condition.type}</TableCell>
            <TableCell style={NO_WRAP}>{condition.status}</TableCell>
            <TableCell style={NO_WRAP}>{condition.reason ?? '—'}</TableCell>
            <TableCell
              style={{ wordBreak: 'normal', overflowWrap: 'break-word' }}
            >
              {condition.message ?? ''}
            </TableCell>
            <TableCell style={NO_WRAP}>
              <RelativeTime time={condition.lastTransitionTime} />
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
