import {
  createRouteRef,
  createSubRouteRef,
  useRouteRef,
} from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'flux-orchestrator' });

export const clustersRouteRef = createSubRouteRef({
  id: 'flux-orchestrator/clusters',
  parent: rootRouteRef,
  path: '/clusters',
});

export const clusterRouteRef = createSubRouteRef({
  id: 'flux-orchestrator/cluster',
  parent: rootRouteRef,
  path: '/clusters/:cluster',
});

export const resourcesRouteRef = createSubRouteRef({
  id: 'flux-orchestrator/resources',
  parent: rootRouteRef,
  path: '/resources',
});

export const resourceRouteRef = createSubRouteRef({
  id: 'flux-orchestrator/resource',
  parent: rootRouteRef,
  path: '/resources/:id',
});

/** Builds links to the Flux pages; every link of the plugin goes through here. */
export interface FluxLinks {
  overview(): string;
  clusters(): string;
  cluster(name: string): string;
  /** The fleet-wide list, optionally with a query string such as `status=failing`. */
  resources(query?: string): string;
  resource(id: string): string;
  /** The fleet's Flux versions and the objects at deprecated API versions. */
  upgrades(): string;
  /** "My Flux": the objects of the entities the signed-in user and their groups own. */
  mine(): string;
  /** Each deployment across the fleet, optionally with a query string such as `disagreeing=true`. */
  rollouts(query?: string): string;
}

/**
 * The links of the plugin, or undefined where the Flux page is not mounted (an entity page can exist without
 * it; the entity tab then shows names without links). Resource ids carry colons, so they are URI-encoded into
 * the path; react-router decodes them back in `useParams`.
 */
export function useFluxLinks(): FluxLinks | undefined {
  // useRouteRef throws when a ref cannot be resolved. Each call sits in its own try so that every render calls
  // the same hooks in the same order (useRouteRef runs all of its own hooks before it throws), which the
  // rules-of-hooks lint cannot see through.
  /* eslint-disable react-hooks/rules-of-hooks */
  let root: (() => string) | undefined;
  let clusters: (() => string) | undefined;
  let cluster: ((params: { cluster: string }) => string) | undefined;
  let resources: (() => string) | undefined;
  let resource: ((params: { id: string }) => string) | undefined;
  try {
    root = useRouteRef(rootRouteRef);
  } catch {
    root = undefined;
  }
  try {
    clusters = useRouteRef(clustersRouteRef);
  } catch {
    clusters = undefined;
  }
  try {
    cluster = useRouteRef(clusterRouteRef);
  } catch {
    cluster = undefined;
  }
  try {
    resources = useRouteRef(resourcesRouteRef);
  } catch {
    resources = undefined;
  }
  try {
    resource = useRouteRef(resourceRouteRef);
  } catch {
    resource = undefined;
  }
  /* eslint-enable react-hooks/rules-of-hooks */
  if (!root || !clusters || !cluster || !resources || !resource)
    return undefined;
  const [toRoot, toClusters, toCluster, toResources, toResource] = [
    root,
    clusters,
    cluster,
    resources,
    resource,
  ];
  return {
    overview: () => toRoot(),
    clusters: () => toClusters(),
    cluster: name => toCluster({ cluster: encodeURIComponent(name) }),
    resources: query => (query ? `${toResources()}?${query}` : toResources()),
    resource: id => toResource({ id: encodeURIComponent(id) }),
    // A section of the Flux page, linked to only from within it: the root's path is enough.
    upgrades: () => `${toRoot().replace(/\/$/, '')}/upgrades`,
    mine: () => `${toRoot().replace(/\/$/, '')}/mine`,
    rollouts: query => {
      const path = `${toRoot().replace(/\/$/, '')}/rollouts`;
      return query ? `${path}?${query}` : path;
    },
  };
}
