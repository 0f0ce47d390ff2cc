import { EmptyState, InfoCard, Link } from '@backstage/core-components';
import {
  FluxResource,
  StuckResources,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { FailingFor } from '../../components/Duration';
import { StatusChip } from '../../components/StatusChip';
import { describeResource } from '../../components/resourceText';
import { useFluxLinks } from '../../routes';
import { groupNeedsAttention } from './groupNeedsAttention';

const SHOWN_OBJECTS = 3;

/** Objects judged stuck, one row each with the reasons, longest stuck first. */
function StuckList(props: { stuck: StuckResources }) {
  const links = useFluxLinks();
  const { items, total } = props.stuck;
  return (
    <Box data-testid="stuck-list">
      <Typography variant="subtitle1" component="h3" style={{ marginTop: 8 }}>
        Stuck
      </Typography>
      <List dense aria-label="Stuck">
        {items.map(resource => {
          const to = links?.resource(resource.id);
          return (
            <ListItem
              key={resource.id}
              divider
              data-testid="stuck-item"
              alignItems="flex-start"
            >
              <Box display="flex" flexDirection="column" style={{ gap: 4 }}>
                <Box
                  display="flex"
                  alignItems="center"
                  style={{ gap: 8 }}
                  flexWrap="wrap"
                >
                  <StatusChip status={resource.status} />
                  <Typography variant="subtitle2" component="span">
                    {to ? (
                      <Link to={to} underline="always">
                        {describeResource(resource)}
                      </Link>
                    ) : (
                      describeResource(resource)
                    )}
                  </Typography>
                  <Typography variant="caption" color="textSecondary">
                    on {resource.cluster}
                  </Typography>
                </Box>
                {resource.stuck.map(reason => (
                  <Typography
                    key={reason.reason}
                    variant="body2"
                    data-testid="stuck-reason"
                  >
                    {reason.message}
                  </Typography>
                ))}
              </Box>
            </ListItem>
          );
        })}
      </List>
      {total > items.length && (
        <Typography variant="caption" color="textSecondary">
          and {total - items.length} more stuck
        </Typography>
      )}
    </Box>
  );
}

/**
 * Failing and stalled objects, one row per distinct error, naming every cluster it appears on; then the objects
 * judged stuck, with the reason of each.
 */
export function NeedsAttention(props: {
  resources: FluxResource[];
  total: number;
  stuck?: StuckResources;
  /** Where "all of them" leads: the fleet's failing and stalled objects unless said otherwise; null for nowhere. */
  allLink?: string | null;
}) {
  const links = useFluxLinks();
  const groups = groupNeedsAttention(props.resources);
  const allLink =
    props.allLink === undefined
      ? links?.resources('status=stalled,failing')
      : props.allLink ?? undefined;
  const stuckCount = props.stuck?.total ?? 0;
  const counts = [
    props.total &&
      `${props.total} failing or stalled object${props.total === 1 ? '' : 's'}`,
    stuckCount && `${stuckCount} stuck`,
  ].filter(Boolean);
  return (
    <InfoCard
      title="Needs attention"
      subheader={counts.length ? counts.join(', ') : undefined}
      deepLink={
        allLink && props.total
          ? { title: 'All failing and stalled objects', link: allLink }
          : undefined
      }
    >
      {!groups.length && !stuckCount ? (
        <EmptyState
          missing="info"
          title="Nothing is failing"
          description="Every object Flux reconciles is ready, progressing or suspended, and none is stuck."
        />
      ) : (
        <List dense aria-label="Needs attention">
          {groups.map(group => {
            const objects = [...new Set(group.resources.map(describeResource))];
            return (
              <ListItem
                key={group.key}
                divider
                data-testid="attention-group"
                alignItems="flex-start"
              >
                <Box
                  display="flex"
                  flexDirection="column"
                  style={{ gap: 4 }}
                  width="100%"
                >
                  <Box
                    display="flex"
                    alignItems="center"
                    style={{ gap: 8 }}
                    flexWrap="wrap"
                  >
                    <StatusChip status={group.status} />
                    <Typography variant="subtitle2" component="span">
                      {objects.slice(0, SHOWN_OBJECTS).join(', ')}
                      {objects.length > SHOWN_OBJECTS &&
                        ` and ${objects.length - SHOWN_OBJECTS} more`}
                    </Typography>
                    {group.reason && (
                      <Typography variant="caption" color="textSecondary">
                        {group.reason}
                      </Typography>
                    )}
                    {group.failingSince && (
                      <Typography variant="caption" color="textSecondary">
                        <FailingFor
                          since={group.failingSince}
                          prefix="failing for"
                        />
                      </Typography>
                    )}
                  </Box>
                  <Typography
                    variant="body2"
                    style={{ wordBreak: 'normal', overflowWrap: 'break-word' }}
                  >
                    {group.message}
                  </Typography>
                  <Box
                    display="flex"
                    alignItems="center"
                    style={{ gap: 4 }}
                    flexWrap="wrap"
                  >
                    <Typography variant="caption" color="textSecondary">
                      {group.clusters.length === 1
                        ? 'on cluster'
                        : `on ${group.clusters.length} clusters`}
                    </Typography>
                    {group.clusters.map(cluster => {
                      const first = group.resources.find(
                        r => r.cluster === cluster,
                      )!;
                      const to = links?.resource(first.id);
                      return (
                        <Chip
                          key={cluster}
                          size="small"
                          label={cluster}
                          clickable={!!to}
                          {...(to ? { component: Link, to } : {})}
                        />
                      );
                    })}
                  </Box>
                </Box>
              </ListItem>
            );
          })}
        </List>
      )}
      {stuckCount > 0 && <StuckList stuck={props.stuck!} />}
    </InfoCard>
  );
}
