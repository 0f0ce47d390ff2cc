import { InfoCard, Link, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { FluxResource } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { fluxOrchestratorApiRef } from '../api/FluxOrchestratorApi';
import { describeResource } from '../components/resourceText';
import { useLiveAsync } from '../hooks/useLiveAsync';
import { StatusCountChips } from '../components/StatusCountChips';
import { FluxLinks, useFluxLinks } from '../routes';
import { BackendErrorPanel } from '../components/BackendErrorPanel';
import { RefreshFailedWarning } from '../components/RefreshFailedWarning';

/**
 * The Flux objects of the entities a user or group owns, in one card for the user's or group's page: counts by
 * status, what fails and how much is stuck.
 */
function OwnedFluxCard(props: { ownerRef: string }) {
  const api = useApi(fluxOrchestratorApiRef);
  const links = useFluxLinks();
  const data = useLiveAsync(
    () => api.getOwnedResources(props.ownerRef),
    [api, props.ownerRef],
    { rows: d => d.needsAttention },
  );
  let body;
  if (data.error && !data.value)
    body = <BackendErrorPanel error={data.error} />;
  else if (!data.value) body = <Progress />;
  else {
    const {
      counts,
      entities,
      needsAttention: failing,
      stuckTotal,
    } = data.value;
    const unnamed = counts.failing + counts.stalled - failing.length;
    body = (
      <>
        <RefreshFailedWarning error={data.error} what="the card" />
        <Typography variant="body2" gutterBottom>
          {entities.length
            ? `${entities.length} owned ${
                entities.length === 1 ? 'entity selects' : 'entities select'
              } ${counts.total} Flux ${
                counts.total === 1 ? 'object' : 'objects'
              }${stuckTotal ? `; ${stuckTotal} stuck` : ''}.`
            : 'No owned entity selects Flux objects.'}
        </Typography>
        <StatusCountChips counts={counts} />
        <FailingList failing={failing} unnamed={unnamed} links={links} />
      </>
    );
  }
  return (
    <div data-testid="owned-flux-card">
      <InfoCard title="Flux of owned entities">{body}</InfoCard>
    </div>
  );
}

/**
 * An entity's Flux objects in one card: counts by status and the failing ones by name. With `mode="owned"` (the
 * default on a user's or group's page), the objects of the entities they own.
 */
export function EntityFluxCard(props: { mode?: 'selected' | 'owned' }) {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const mode =
    props.mode ?? (kind === 'user' || kind === 'group' ? 'owned' : 'selected');
  if (mode === 'owned') return <OwnedFluxCard ownerRef={entityRef} />;
  return <SelectedFluxCard entityRef={entityRef} />;
}

function FailingList(props: {
  failing: FluxResource[];
  unnamed: number;
  links: FluxLinks | undefined;
  more?: string;
}) {
  const { failing, unnamed, links } = props;
  if (!failing.length) return null;
  return (
    <List dense aria-label="Failing objects">
      {failing.map(r => (
        <ListItem key={r.id} disableGutters>
          <Typography variant="body2">
            {links ? (
              <Link to={links.resource(r.id)} underline="always">
                {describeResource(r)}
              </Link>
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
            and {unnamed} more{props.more ? `, ${props.more}` : ''}
          </Typography>
        </ListItem>
      )}
    </List>
  );
}

/** An entity's own Flux objects in one card. */
function SelectedFluxCard(props: { entityRef: string }) {
  const { entityRef } = props;
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
        <StatusCountChips counts={counts} />
        {!counts.total && (
          <Typography variant="body2">
            No Flux objects match this entity yet.
          </Typography>
        )}
        <FailingList
          failing={failing}
          unnamed={unnamed}
          links={links}
          more="in the Flux tab"
        />
      </>
    );
  }
  return <InfoCard title="Flux">{body}</InfoCard>;
}
