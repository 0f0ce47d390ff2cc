import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { BackendErrorPanel } from '../../components/BackendErrorPanel';
import { ResourceListView } from '../../components/ResourceListView';
import { listRelevance } from '../../hooks/useFluxRefresh';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import { useResourceListQuery } from '../../hooks/useResourceListQuery';

/** Every Flux object of the fleet, filtered, sorted and paged by the backend. */
export function ResourcesPage() {
  const api = useApi(fluxOrchestratorApiRef);
  const [query, setQuery] = useResourceListQuery();
  const clusters = useLiveAsync(() => api.listClusters(), [api], {
    relevant: listRelevance(undefined),
  });
  const page = useLiveAsync(
    () => api.listResources(query),
    [api, JSON.stringify(query)],
    { rows: p => p.items },
  );
  return (
    <>
      {/* The list works without the cluster names; only the cluster filter has nothing to offer. */}
      {clusters.error && !clusters.value && (
        <Box mb={2}>
          <BackendErrorPanel
            title="The clusters could not be loaded for the cluster filter"
            error={clusters.error}
          />
        </Box>
      )}
      <ResourceListView
        page={page.value}
        loading={page.loading}
        error={page.error}
        query={query}
        onQueryChange={setQuery}
        onActionsDone={page.retry}
        clusters={clusters.value?.map(c => c.name) ?? query.cluster ?? []}
      />
    </>
  );
}
