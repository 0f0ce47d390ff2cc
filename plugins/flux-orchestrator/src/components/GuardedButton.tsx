import Button, { ButtonProps } from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import { ReactElement } from 'react';

/** A button that may be unavailable, saying why on hover and on keyboard focus. */
export function GuardedButton(props: {
  label: string;
  /** Why the button cannot be used (a missing permission, a read-only cluster); shown in its tooltip. */
  reason?: string;
  /** Unavailable for a moment (a request runs, the permission is being checked); nothing to explain. */
  busy?: boolean;
  icon?: ReactElement;
  /** Only the icon, with the label as accessible name and tooltip: for table rows. */
  iconOnly?: boolean;
  variant?: ButtonProps['variant'];
  color?: ButtonProps['color'];
  onClick(): void;
}) {
  const disabled = !!props.reason || !!props.busy;
  const button = props.iconOnly ? (
    <IconButton
      size="small"
      aria-label={props.label}
      disabled={disabled}
      onClick={props.onClick}
    >
      {props.icon}
    </IconButton>
  ) : (
    <Button
      size="small"
      variant={props.variant}
      color={props.color}
      disabled={disabled}
      startIcon={props.icon}
      onClick={props.onClick}
    >
      {props.label}
    </Button>
  );
  // A disabled button gets no mouse or focus events, so the tooltip hangs on a wrapper. The wrapper is focusable
  // while there is a reason to read, so that keyboard users reach the reason too.
  return (
    <Tooltip title={props.reason ?? (props.iconOnly ? props.label : '')}>
      {/* A disabled button takes no focus; the span does, so keyboard users reach the reason. */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <span tabIndex={props.reason ? 0 : undefined}>{button}</span>
    </Tooltip>
  );
}
