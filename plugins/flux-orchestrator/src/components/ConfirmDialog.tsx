import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { ReactNode } from 'react';

/**
 * A question before an action that changes clusters; the confirm button names the action. One is open at a
 * time, so its title can have a fixed id.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  /** The confirm button waits for the form above it (a required field). */
  confirmDisabled?: boolean;
  danger?: boolean;
  onConfirm(): void;
  onCancel(): void;
}) {
  return (
    <Dialog
      open={props.open}
      onClose={props.busy ? undefined : props.onCancel}
      fullWidth
      maxWidth="sm"
      aria-labelledby="flux-confirm-dialog-title"
    >
      <DialogTitle id="flux-confirm-dialog-title">{props.title}</DialogTitle>
      <DialogContent>{props.children}</DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </Button>
        <Button
          onClick={props.onConfirm}
          disabled={props.busy || props.confirmDisabled}
          color={props.danger ? 'secondary' : 'primary'}
          variant="contained"
          startIcon={props.busy ? <CircularProgress size={16} /> : undefined}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
