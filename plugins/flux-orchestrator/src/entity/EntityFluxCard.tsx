import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { FLUX_STATUSES } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Box from '@material-ui/core/Box';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { fluxOrchestratorApiRef } from '../api/FluxOrchestratorApi';
import { StatusChip } from '../components/StatusChip';
import { describeResource } from '../components/resourceText';
import { useLiveAsync } from '../hooks/useLiveAsync';
import { useFluxLinks } from '../routes';
import { BackendErrorPanel } from '../components/BackendErrorPanel';
import { RefreshFailedWarning } from '../components/RefreshFailedWarning';

/** An entity's Flux objects in one card: counts by status and the failing ones by name. */
export function EntityFluxCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(fluxOrchestratorApiRef);
  const links = useFluxLinks();
  const data = useLiveAsync(
    () => api.getEntityResources(entityRef),
    [api, entityRef],
    { rows: d => d.needsAttention },
  );

  let body;
  if (data.error && !data.value)
    body = <BackendErrorPanel error={data.error} />;
  else if (!data.value) body = <Progress />;
  else {
    const { counts, needsAttention: failing } = data.value;
    const unnamed = counts.failing + counts.stalled - failing.length;
    body = (
      <>
        <RefreshFailedWarning error={data.error} what="the card" />
        <Box
          display="flex"
          flexWrap="wrap"
          style={{ gap: 12 }}
          aria-label="Counts by status"
        >
          {FLUX_STATUSES.filter(s => counts[s] > 0).map(status => (
            <Box
              key={status}
              display="flex"
              alignItems="center"
              style={{ gap: 4 }}
            >
              <StatusChip status={status} />
              <Typography variant="body2">{counts[status]}</Typography>
            </Box>
          ))}
          {!counts.total && (
            <Typography variant="body2">
              No Flux objects match this entity yet.
            </Typography>
          )}
        </Box>
        {failing.length > 0 && (
          <List dense aria-label="Failing objects">
            {failing.map(r => (
              <ListItem key={r.id} disableGutters>
                <Typography variant="body2">
                  {links ? (
                    <Link to={links.resource(r.id)}>{describeResource(r)}</Link>
                  ) : (
                    describeResource(r)
                  )}{' '}
                  on {r.cluster}: {r.reason ?? r.status}
                </Typography>
              </ListItem>
            ))}
            {unnamed > 0 && (
              <ListItem disableGutters>
                <Typography variant="body2">
                  and {unnamed} more, in the Flux tab
                </Typography>
              </ListItem>
            )}
          </List>
        )}
      </>
    );
  }
  return <InfoCard title="Flux">{body}</InfoCard>;
}
