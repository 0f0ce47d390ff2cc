import { useApi } from '@backstage/core-plugin-api';
import Grid from '@material-ui/core/Grid';
import { fluxOrchestratorApiRef } from '../../api/FluxOrchestratorApi';
import { ResourceFilters } from '../../components/ResourceFilters';
import { ResourceTable } from '../../components/ResourceTable';
import { useLiveAsync } from '../../hooks/useLiveAsync';
import { useResourceListQuery } from '../../hooks/useResourceListQuery';

/** Every Flux object of the fleet, filtered, sorted and paged by the backend. */
export function ResourcesPage() {
  const api = useApi(fluxOrchestratorApiRef);
  const [query, setQuery] = useResourceListQuery();
  const clusters = useLiveAsync(() => api.listClusters(), [api]);
  const page = useLiveAsync(() => api.listResources(query), [api, JSON.stringify(query)]);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={3} lg={2}>
        <ResourceFilters
          query={query}
          onChange={setQuery}
          clusters={clusters.value?.map(c => c.name) ?? query.cluster ?? []}
        />
      </Grid>
      <Grid item xs={12} md={9} lg={10}>
        <ResourceTable
          page={page.value}
          loading={page.loading}
          error={page.error}
          query={query}
          onQueryChange={setQuery}
          onActionsDone={page.retry}
        />
      </Grid>
    </Grid>
  );
}
