import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { OwnedFluxResources } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import Grid from '@material-ui/core/Grid';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { BackendErrorPanel } from '../../components/BackendErrorPanel';
import { EntityName } from '../../components/EntityName';
import { RefreshFailedWarning } from '../../components/RefreshFailedWarning';
import { SimpleTable } from '../../components/SimpleTable';
import { StatusCountChips } from '../../components/StatusCountChips';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import { NeedsAttention } from '../Overview/NeedsAttention';

/** The owned entities and how their objects stand, and what fails or is stuck among them. */
export function OwnedFlux(props: { value: OwnedFluxResources }) {
  const { value } = props;
  if (!value.entities.length) {
    return (
      <EmptyState
        missing="data"
        title="No owned entity selects Flux objects"
        description={`None of the entities owned by ${value.owners.join(
          ', ',
        )} has the annotations backstage.io/kubernetes-id, backstage.io/kubernetes-label-selector or backstage.io/kubernetes-namespace.`}
      />
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} lg={5}>
        <InfoCard
          title="Owned entities"
          subheader={`Owned by ${value.owners.join(', ')}`}
        >
          <SimpleTable
            label="Owned entities"
            testId="owned-entity-row"
            headers={['Entity', 'Flux objects']}
            rows={value.entities.map(entity => [
              <EntityName entityRef={entity.entityRef} />,
              entity.counts.total ? (
                <StatusCountChips counts={entity.counts} />
              ) : (
                'none yet'
              ),
            ])}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={7}>
        <NeedsAttention
          resources={value.needsAttention}
          total={value.counts.failing + value.counts.stalled}
          stuck={{ items: value.stuck, total: value.stuckTotal }}
          allLink={null}
        />
      </Grid>
    </Grid>
  );
}

/**
 * "My Flux": the objects of the catalog entities the signed-in user and their groups own, what fails and what is
 * stuck among them, from the backend's own view of the catalog's ownership.
 */
export function MyFluxPage() {
  const api = useApi(fluxOrchestratorApiRef);
  const owned = useLiveAsync(() => api.getOwnedResources(), [api], {
    rows: value => [...value.needsAttention, ...value.stuck],
  });
  if (owned.error && !owned.value)
    return <BackendErrorPanel error={owned.error} />;
  if (!owned.value) return <Progress />;
  return (
    <>
      {owned.error && (
        <RefreshFailedWarning error={owned.error} what="your objects" />
      )}
      <OwnedFlux value={owned.value} />
    </>
  );
}
