import { FluxStatus } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Chip from '@material-ui/core/Chip';
import {
  darken,
  getContrastRatio,
  makeStyles,
  Theme,
} from '@material-ui/core/styles';

/** The Backstage status colour of each Flux status; the theme defines them for light and dark alike. */
function statusColour(theme: Theme, status: FluxStatus): string {
  const palette = theme.palette.status;
  switch (status) {
    case 'ready':
      return palette.ok;
    case 'failing':
    case 'stalled':
      return palette.error;
    case 'progressing':
      return palette.running;
    case 'suspended':
      return palette.warning;
    default:
      return palette.aborted;
  }
}

/**
 * The status colour, darkened until its text meets WCAG AA (4.5:1): white on the themes' error red (#f84c55)
 * reaches only 3.4:1.
 */
function chipBackground(theme: Theme, status: FluxStatus): string {
  let colour = statusColour(theme, status);
  for (
    let step = 0;
    step < 10 &&
    getContrastRatio(colour, theme.palette.getContrastText(colour)) < 4.5;
    step++
  ) {
    colour = darken(colour, 0.1);
  }
  return colour;
}

const useStyles = makeStyles<Theme, { status: FluxStatus }>(theme => ({
  chip: ({ status }) => {
    const background = chipBackground(theme, status);
    return {
      backgroundColor: background,
      color: theme.palette.getContrastText(background),
      fontWeight: theme.typography.fontWeightMedium as number,
      // Stalled means Flux gave up retrying; the outline tells it apart from an ordinary failure.
      border:
        status === 'stalled'
          ? `2px solid ${theme.palette.text.primary}`
          : undefined,
    };
  },
}));

/** A Flux status at a glance, coloured the same everywhere in the plugin. */
export function StatusChip(props: {
  status: FluxStatus;
  size?: 'small' | 'medium';
}) {
  const classes = useStyles({ status: props.status });
  return (
    <Chip
      data-testid="status-chip"
      className={classes.chip}
      size={props.size ?? 'small'}
      label={props.status}
    />
  );
}
