import Grid from '@material-ui/core/Grid';
import { ResourceFilters } from './ResourceFilters';
import { ResourceTable, ResourceTableProps } from './ResourceTable';

/**
 * A list of Flux objects as every page shows one: the filters at the side, the table beside them. The fleet
 * list, a cluster's page and an entity's tab differ only in where the page comes from and which filters apply.
 */
export function ResourceListView(
  props: ResourceTableProps & {
    /** Cluster names to offer; the cluster filter is left out when undefined (a one-cluster list). */
    clusters?: string[];
    /** Namespaces to offer; any namespace can also be typed. */
    namespaces?: string[];
  },
) {
  const { clusters, namespaces, ...table } = props;
  return (
    // The filters beside the table on wide screens only: below 1920 px the table needs the whole width for its
    // columns, and the filters make a row above it.
    <Grid container spacing={3}>
      <Grid item xs={12} xl={2}>
        <ResourceFilters
          query={table.query}
          onChange={table.onQueryChange}
          clusters={clusters}
          namespaces={namespaces}
        />
      </Grid>
      <Grid item xs={12} xl={10}>
        <ResourceTable {...table} />
      </Grid>
    </Grid>
  );
}
