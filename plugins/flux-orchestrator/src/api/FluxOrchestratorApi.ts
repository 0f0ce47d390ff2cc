import { createApiRef } from '@backstage/core-plugin-api';
import {
  Cluster,
  ClusterHealth,
  FluxResource,
  FluxResourceDetail,
  Page,
  ResourceQuery,
  Summary,
  SyncRun,
} from '@internal/plugin-flux-orchestrator-common';

/** The typed client of the Flux Orchestrator backend. @public */
export interface FluxOrchestratorApi {
  listClusters(): Promise<Cluster[]>;
  getCluster(name: string): Promise<Cluster>;
  getClusterHealth(name: string): Promise<ClusterHealth>;
  syncCluster(name: string): Promise<SyncRun>;
  listSyncRuns(name: string, limit?: number): Promise<SyncRun[]>;
  listResources(query?: ResourceQuery): Promise<Page<FluxResource>>;
  getResource(id: string): Promise<FluxResourceDetail>;
  getSummary(): Promise<Summary>;
}

/** @public */
export const fluxOrchestratorApiRef = createApiRef<FluxOrchestratorApi>({
  id: 'plugin.flux-orchestrator.service',
});
