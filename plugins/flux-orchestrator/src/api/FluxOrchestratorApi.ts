import { createApiRef } from '@backstage/core-plugin-api';
import {
  ActionRecord,
  Cluster,
  ClusterHealth,
  ClusterRegistration,
  ClusterUpdate,
  EntityFluxResources,
  FluxEvent,
  FluxResource,
  FluxResourceDetail,
  KubeconfigContext,
  OwnedFluxResources,
  Page,
  ReconcileStatus,
  Reliability,
  ReliabilityWindow,
  ResourceActionResponse,
  ResourceQuery,
  RolloutQuery,
  Rollouts,
  StatusTransition,
  StuckResources,
  Summary,
  SyncRun,
  UpgradeReadiness,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';

/** The typed client of the Flux Orchestrator backend. @public */
export interface FluxOrchestratorApi {
  listClusters(): Promise<Cluster[]>;
  getCluster(name: string): Promise<Cluster>;
  getClusterHealth(name: string): Promise<ClusterHealth>;
  createCluster(registration: ClusterRegistration): Promise<Cluster>;
  updateCluster(name: string, update: ClusterUpdate): Promise<Cluster>;
  deleteCluster(name: string): Promise<void>;
  /** The contexts of a kubeconfig, for choosing one before registering it. */
  listKubeconfigContexts(kubeconfig: string): Promise<KubeconfigContext[]>;
  /** Syncs a cluster now; resolves when the sync has finished. */
  syncCluster(name: string): Promise<SyncRun>;
  listSyncRuns(name: string, limit?: number): Promise<SyncRun[]>;
  listResources(query?: ResourceQuery): Promise<Page<FluxResource>>;
  listClusterResources(
    cluster: string,
    query?: Omit<ResourceQuery, 'cluster'>,
  ): Promise<Page<FluxResource>>;
  getResource(id: string): Promise<FluxResourceDetail>;
  /** Kubernetes Events about the object, read live from its cluster. */
  listResourceEvents(id: string): Promise<FluxEvent[]>;
  listResourceActions(id: string): Promise<ActionRecord[]>;
  /** The changes of the object's status as the portal saw them, newest first. */
  listResourceTransitions(id: string): Promise<StatusTransition[]>;
  /** Objects of the same cluster whose `spec.dependsOn` names this one. */
  listResourceDependents(id: string): Promise<FluxResource[]>;
  getReconcileStatus(id: string): Promise<ReconcileStatus>;
  reconcile(
    ids: string[],
    options?: { withSource?: boolean },
  ): Promise<ResourceActionResponse>;
  /** Suspends; with a reason and an end, written to the objects, the portal resumes them when it comes. */
  suspend(
    ids: string[],
    options?: { reason?: string; until?: string },
  ): Promise<ResourceActionResponse>;
  resume(ids: string[]): Promise<ResourceActionResponse>;
  /** HelmReleases only: a one-off Helm upgrade even if nothing changed (`flux reconcile hr --force`). */
  force(ids: string[]): Promise<ResourceActionResponse>;
  /** HelmReleases only: clears the failure counts so that remediation retries (`flux reconcile hr --reset`). */
  reset(ids: string[]): Promise<ResourceActionResponse>;
  getSummary(): Promise<Summary>;
  /** The fleet's Flux versions, and the objects at API versions Flux releases deprecate or remove. */
  getUpgradeReadiness(): Promise<UpgradeReadiness>;
  /** The objects judged stuck, stuck longest first, with the reasons. */
  listStuckResources(limit?: number): Promise<StuckResources>;
  /** Failures and mean time to recovery over a window, per cluster and per kind. */
  getReliability(window: ReliabilityWindow): Promise<Reliability>;
  /** How the objects of the entities a user or group owns stand; the signed-in user's without `ownerRef`. */
  getOwnedResources(ownerRef?: string): Promise<OwnedFluxResources>;
  /** Each deployment across the fleet, and the revision every cluster deploying it has applied. */
  getRollouts(query: RolloutQuery): Promise<Rollouts>;
  getEntityResources(entityRef: string): Promise<EntityFluxResources>;
}

/** @public */
export const fluxOrchestratorApiRef = createApiRef<FluxOrchestratorApi>({
  id: 'plugin.flux-orchestrator.service',
});
