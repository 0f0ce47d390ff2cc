/**
 * Extension points of the Flux Orchestrator backend.
 *
 * @packageDocumentation
 */
export type {
  FluxClusterConnection,
  FluxClusterCredentials,
  FluxExecCredential,
} from './clusterConnection';
export { fluxClusterSourcesExtensionPoint } from './clusterSources';
export type {
  FluxClusterSource,
  FluxClusterSourcesExtensionPoint,
  FluxSourceCluster,
} from './clusterSources';
