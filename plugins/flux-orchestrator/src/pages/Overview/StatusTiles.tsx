import { Link } from '@backstage/core-components';
import { FLUX_STATUSES, FluxStatus, StatusCounts } from '@internal/plugin-flux-orchestrator-common';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Skeleton from '@material-ui/lab/Skeleton';
import { useFluxLinks } from '../../routes';
import { StatusChip } from '../../components/StatusChip';

/**
 * The list a tile opens. Suspended objects are found by their suspend flag rather than their status, so the
 * tile also counts the ones the backend judged by something else first.
 */
function tileQuery(status: FluxStatus): string {
  return status === 'suspended' ? 'suspended=true' : `status=${status}`;
}

const useStyles = makeStyles(theme => ({
  tile: {
    display: 'block',
    '&:hover, &:focus-visible': { backgroundColor: theme.palette.action.hover },
  },
}));

/** The fleet's objects counted by status, each tile a link to the list of those objects. */
export function StatusTiles(props: { totals?: StatusCounts }) {
  const classes = useStyles();
  const links = useFluxLinks();
  return (
    <Grid container spacing={2}>
      {FLUX_STATUSES.map(status => (
        <Grid item xs={6} sm={4} md={2} key={status}>
          <Card data-testid={`status-tile-${status}`}>
            <Link
              to={links?.resources(tileQuery(status)) ?? ''}
              aria-label={`${status} objects`}
              underline="none"
              color="inherit"
              className={classes.tile}
            >
              <CardContent>
                <StatusChip status={status} />
                <Typography variant="h3" component="p" data-testid={`status-tile-${status}-count`}>
                  {props.totals ? props.totals[status] : <Skeleton width="2ch" />}
                </Typography>
              </CardContent>
            </Link>
          </Card>
        </Grid>
      ))}
    </Grid>
  );
}
