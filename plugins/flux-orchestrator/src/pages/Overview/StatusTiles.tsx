import { Link } from '@backstage/core-components';
import {
  FLUX_STATUSES,
  StatusCounts,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Skeleton from '@material-ui/lab/Skeleton';
import { useFluxLinks } from '../../routes';
import { StatusChip } from '../../components/StatusChip';

const useStyles = makeStyles(theme => ({
  tile: {
    display: 'block',
    '&:hover, &:focus-visible': { backgroundColor: theme.palette.action.hover },
  },
}));

/**
 * The fleet's objects counted by status, each tile a link to the list of those objects. The link filters by the
 * same status the count is of (`status=suspended`, not the suspend flag), so that the list is as long as the
 * tile says. The link's name is its text, status and count: an aria-label would hide the count.
 */
export function StatusTiles(props: { totals?: StatusCounts }) {
  const classes = useStyles();
  const links = useFluxLinks();
  return (
    <Grid container spacing={2}>
      {FLUX_STATUSES.map(status => (
        <Grid item xs={6} sm={4} md={2} key={status}>
          <Card data-testid={`status-tile-${status}`}>
            <Link
              to={links?.resources(`status=${status}`) ?? ''}
              underline="none"
              color="inherit"
              className={classes.tile}
            >
              <CardContent>
                <StatusChip status={status} />
                <Typography
                  variant="h3"
                  component="p"
                  data-testid={`status-tile-${status}-count`}
                >
                  {props.totals ? (
                    props.totals[status]
                  ) : (
                    <Skeleton width="2ch" />
                  )}
                </Typography>
              </CardContent>
            </Link>
          </Card>
        </Grid>
      ))}
    </Grid>
  );
}
