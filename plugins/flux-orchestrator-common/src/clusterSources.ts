/**
 * The backend's own cluster sources: app-config (`config`), registered by users through the API (`api`), the
 * catalog (`catalog`) and the Kubernetes plugin's `kubernetes.clusterLocatorMethods` (`kubernetes`). Backend
 * modules add sources of their own through the `-node` package's extension point. Only `api` clusters can be
 * changed through the API.
 *
 * @public
 */
export const BUILT_IN_CLUSTER_SOURCES = [
  'config',
  'api',
  'catalog',
  'kubernetes',
] as const;

/**
 * What a source id looks like: lowercase letters, digits and dashes, at most 16, starting with a letter.
 *
 * @public
 */
export const CLUSTER_SOURCE_PATTERN = /^[a-z][a-z0-9-]{0,15}$/;

/**
 * Where a cluster is defined: one of {@link BUILT_IN_CLUSTER_SOURCES} or the id of a module's source.
 *
 * @public
 */
export type ClusterSource =
  | (typeof BUILT_IN_CLUSTER_SOURCES)[number]
  | (string & {});

/**
 * Where a source keeps its clusters, for messages that tell a person where to change one: "defined in …".
 *
 * @public
 */
export function describeClusterSource(source: ClusterSource): string {
  switch (source) {
    case 'config':
      return 'app-config (fluxOrchestrator.clusters)';
    case 'api':
      return 'the API';
    case 'catalog':
      return 'the catalog (a Resource entity of type kubernetes-cluster)';
    case 'kubernetes':
      return "the Kubernetes plugin's config (kubernetes.clusterLocatorMethods)";
    default:
      return `the backend module of cluster source "${source}"`;
  }
}
