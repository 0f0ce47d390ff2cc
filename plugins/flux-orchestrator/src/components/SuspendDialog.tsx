import {
  FluxResource,
  MAX_SUSPEND_REASON_LENGTH,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useEffect, useState } from 'react';
import { SuspendIntent } from '../api/runResourceAction';
import { ConfirmDialog } from './ConfirmDialog';
import { describeResource } from './resourceText';

/** How long a suspension may be set to last, in hours; 0 lasts until someone resumes. */
const DURATIONS: Array<[number, string]> = [
  [0, 'No: until someone resumes it'],
  [1, 'After 1 hour'],
  [4, 'After 4 hours'],
  [24, 'After 1 day'],
  [72, 'After 3 days'],
  [168, 'After 1 week'],
];

/**
 * Asks why objects are to be suspended and whether the portal should resume them after a while. The reason and
 * the end are written to the objects, where `kubectl` users see them too.
 */
export function SuspendDialog(props: {
  open: boolean;
  targets: FluxResource[];
  busy: boolean;
  onConfirm(intent: SuspendIntent): void;
  onCancel(): void;
}) {
  const [reason, setReason] = useState('');
  const [hours, setHours] = useState(0);
  useEffect(() => {
    if (props.open) {
      setReason('');
      setHours(0);
    }
  }, [props.open]);
  const { targets } = props;
  const trimmed = reason.trim();
  return (
    <ConfirmDialog
      open={props.open}
      title={`Suspend ${
        targets.length === 1
          ? describeResource(targets[0])
          : `${targets.length} objects`
      }?`}
      confirmLabel="Suspend"
      busy={props.busy}
      confirmDisabled={!trimmed}
      onConfirm={() =>
        props.onConfirm({
          reason: trimmed,
          until: hours
            ? new Date(Date.now() + hours * 3_600_000).toISOString()
            : undefined,
        })
      }
      onCancel={props.onCancel}
    >
      <Typography variant="body2" paragraph>
        Flux stops reconciling{' '}
        {targets.length === 1
          ? `${describeResource(targets[0])} on ${targets[0].cluster}`
          : 'these objects'}
        . Who suspended {targets.length === 1 ? 'it' : 'them'}, why and until
        when are written to {targets.length === 1 ? 'it' : 'them'} as
        annotations, so that kubectl users see them too.
      </Typography>
      {targets.length > 1 && (
        <ul>
          {targets.slice(0, 20).map(r => (
            <li key={r.id}>
              {describeResource(r)} on {r.cluster}
            </li>
          ))}
          {targets.length > 20 && <li>and {targets.length - 20} more</li>}
        </ul>
      )}
      <TextField
        id="suspend-reason"
        label="Reason"
        required
        fullWidth
        variant="outlined"
        margin="normal"
        value={reason}
        onChange={event =>
          setReason(event.target.value.replace(/[\r\n]+/g, ' '))
        }
        inputProps={{ maxLength: MAX_SUSPEND_REASON_LENGTH }}
        helperText="For example: incident 4711, database failover"
      />
      <TextField
        id="suspend-until"
        select
        label="Resume automatically"
        fullWidth
        variant="outlined"
        margin="normal"
        value={hours}
        onChange={event => setHours(Number(event.target.value))}
      >
        {DURATIONS.map(([value, label]) => (
          <MenuItem key={value} value={value}>
            {label}
          </MenuItem>
        ))}
      </TextField>
    </ConfirmDialog>
  );
}
