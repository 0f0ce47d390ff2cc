import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { fluxOrchestratorApiRef } from '../api/FluxOrchestratorApi';
import { BackendErrorPanel } from '../components/BackendErrorPanel';
import { ResourceListView } from '../components/ResourceListView';
import { useLiveAsync } from '../hooks/useLiveAsync';
import { useResourceListQuery } from '../hooks/useResourceListQuery';

/**
 * The Flux tab of an entity: its objects across clusters, with the same table and actions as the fleet list,
 * filtered, sorted and paged by the backend however many objects the entity selects.
 */
export function EntityFluxContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(fluxOrchestratorApiRef);
  const [query, setQuery] = useResourceListQuery();
  // Where its objects are (for the filters) and whether it has any at all.
  const overview = useLiveAsync(
    () => api.getEntityResources(entityRef),
    [api, entityRef],
    { rows: d => d.needsAttention },
  );
  const page = useLiveAsync(
    () => api.listResources({ ...query, entityRef }),
    [api, entityRef, JSON.stringify(query)],
    { rows: p => p.items },
  );

  if (overview.error && !overview.value)
    return <BackendErrorPanel error={overview.error} />;
  if (!overview.value) return <Progress />;
  if (!overview.value.counts.total) {
    return (
      <EmptyState
        missing="data"
        title="No Flux objects found for this entity"
        description="Label the Flux objects with backstage.io/kubernetes-id (or match the entity's label selector and namespace annotations); they appear after the next sync."
      />
    );
  }
  return (
    <ResourceListView
      page={page.value}
      loading={page.loading}
      error={page.error}
      query={query}
      onQueryChange={setQuery}
      onActionsDone={() => {
        page.retry();
        overview.retry();
      }}
      clusters={overview.value.clusters}
      namespaces={overview.value.namespaces}
    />
  );
}
