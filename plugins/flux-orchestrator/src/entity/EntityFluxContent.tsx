import { EmptyState, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { fluxOrchestratorApiRef } from '../api/FluxOrchestratorApi';
import { BackendErrorPanel } from '../components/BackendErrorPanel';
import { ResourceListView } from '../components/ResourceListView';
import { useLiveAsync } from '../hooks/useLiveAsync';
import { useResourceListQuery } from '../hooks/useResourceListQuery';
import { applyResourceQuery } from './applyResourceQuery';

const distinct = (values: string[]) => [...new Set(values)].sort();

/** The Flux tab of an entity: its objects across clusters, with the same table and actions as the fleet list. */
export function EntityFluxContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(fluxOrchestratorApiRef);
  const [query, setQuery] = useResourceListQuery();
  // Any change may add, change or remove one of the entity's objects: one of its own reloads at once.
  const data = useLiveAsync(() => api.getEntityResources(entityRef), [api, entityRef], { rows: d => d.items });

  if (data.error && !data.value) return <BackendErrorPanel error={data.error} />;
  if (!data.value) return <Progress />;
  if (!data.value.items.length) {
    return (
      <EmptyState
        missing="data"
        title="No Flux objects found for this entity"
        description="Label the Flux objects with backstage.io/kubernetes-id (or match the entity's label selector and namespace annotations); they appear after the next sync."
      />
    );
  }
  const items = data.value.items;
  return (
    <ResourceListView
      page={applyResourceQuery(items, query)}
      loading={data.loading}
      error={data.error}
      query={query}
      onQueryChange={setQuery}
      onActionsDone={data.retry}
      clusters={distinct(items.map(r => r.cluster))}
      namespaces={distinct(items.map(r => r.namespace))}
    />
  );
}
