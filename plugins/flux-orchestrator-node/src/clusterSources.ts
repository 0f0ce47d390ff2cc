import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { FluxClusterConnection } from './clusterConnection';

/**
 * One cluster as a source knows it.
 *
 * @public
 */
export interface FluxSourceCluster {
  /**
   * The cluster's name in the portal, its URLs and its objects' ids: lowercase letters, digits and dashes, at
   * most 63, starting and ending with a letter or digit.
   */
  name: string;
  title?: string;
  description?: string;
  /** The catalog entity that stands for the cluster, when there is one (`resource:default/prod-eu`). */
  entityRef?: string;
  /**
   * How to reach it; or, when the source knows the cluster but cannot give a usable connection (no token, an
   * unsupported sign-in), a sentence saying why, which the portal shows on the cluster, and its server if known.
   */
  connection: FluxClusterConnection | { unavailable: string; server?: string };
}

/**
 * Somewhere clusters are described: app-config, the catalog, the Kubernetes plugin's config, or a module's own
 * (a cloud account, an inventory service). Clusters registered through the API are kept by the backend itself.
 *
 * The backend reads every source on every replica once a minute, keeps the connections in memory, and lists the
 * clusters with their health. A cluster its source no longer returns is removed with its objects. A name that
 * a cluster of another source already holds is refused with a warning (app-config alone takes a name over); on
 * an empty database the order is app-config, the Kubernetes plugin's config, module
 * sources in the order they were added, then the catalog.
 *
 * Every connection a source returns meets the same checks as a kubeconfig sent to the API: the server
 * policy (`fluxOrchestrator.kubeconfig`), and only the fields of {@link FluxClusterConnection}.
 *
 * @public
 */
export interface FluxClusterSource {
  /**
   * Names the source: stored with its clusters and shown in the portal. Lowercase letters, digits and dashes,
   * at most 16, starting with a letter; `config`, `api`, `catalog` and `kubernetes` are the backend's own.
   */
  readonly id: string;
  /**
   * Every cluster of the source now. Throwing keeps the clusters (and connections) read the last time, so a
   * source that is briefly down does not remove its clusters' objects.
   */
  readClusters(): Promise<FluxSourceCluster[]>;
}

/**
 * Lets a backend module add a source of clusters to the Flux Orchestrator backend.
 *
 * @public
 */
export interface FluxClusterSourcesExtensionPoint {
  addClusterSource(source: FluxClusterSource): void;
}

/**
 * The extension point of {@link FluxClusterSourcesExtensionPoint}.
 *
 * @example
 * ```ts
 * createBackendModule({
 *   pluginId: 'flux-orchestrator',
 *   moduleId: 'inventory-clusters',
 *   register(env) {
 *     env.registerInit({
 *       deps: { sources: fluxClusterSourcesExtensionPoint },
 *       async init({ sources }) {
 *         sources.addClusterSource({ id: 'inventory', readClusters: () => readInventory() });
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const fluxClusterSourcesExtensionPoint =
  createExtensionPoint<FluxClusterSourcesExtensionPoint>({
    id: 'flux-orchestrator.cluster-sources',
  });
