import type { FluxKind } from './fluxKinds';

/** Where a cluster is defined. Config and catalog clusters are read-only in the API. @public */
export type ClusterSource = 'config' | 'api' | 'catalog';

/** @public */
export type ClusterHealthStatus = 'healthy' | 'unhealthy' | 'unknown';

/** What the last contact with a cluster found. @public */
export interface ClusterHealth {
  status: ClusterHealthStatus;
  /** Why the cluster is unhealthy, with the cause (`ECONNREFUSED 127.0.0.1:6443`, `403 … cannot list …`). */
  error?: string;
  kubernetesVersion?: string;
  fluxInstalled: boolean;
  /** The Flux distribution version, e.g. `v2.9.1`, when the cluster tells it. */
  fluxVersion?: string;
  /** The API version served for each Flux kind; kinds the cluster does not serve are absent. */
  servedVersions: Partial<Record<FluxKind, string>>;
  /** Kinds that could not be listed, with the reason; the other kinds still synced. */
  kindErrors?: Partial<Record<FluxKind, string>>;
  checkedAt?: string;
}

/** @public */
export interface Cluster {
  /** The cluster's name; also its id in routes. */
  name: string;
  title: string;
  description?: string;
  source: ClusterSource;
  /** The API server URL (never credentials). */
  server?: string;
  /** True for config and catalog clusters, which the API cannot change. */
  readOnly: boolean;
  health: ClusterHealth;
  /** When the Flux objects of this cluster were last written by a successful sync. */
  lastSyncedAt?: string;
  /** The newest sync run, finished or not. */
  lastSyncRun?: SyncRun;
  /** How many Flux objects are stored for the cluster, by status. */
  counts: StatusCounts;
  createdAt: string;
  updatedAt: string;
}

/**
 * The one status a Flux object is shown with, judged as Flux's own tools do (kstatus conditions):
 * suspended objects are not reconciled, Stalled means Flux gave up, Ready=False is a failure, a newer
 * generation than the observed one or Reconciling=True means work in progress.
 *
 * @public
 */
export const FLUX_STATUSES = [
  'ready',
  'failing',
  'progressing',
  'stalled',
  'suspended',
  'unknown',
] as const;

/** @public */
export type FluxStatus = (typeof FLUX_STATUSES)[number];

/** @public */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** @public */
export type StatusCounts = Record<FluxStatus, number> & { total: number };

/** @public */
export interface ObjectReference {
  kind: string;
  name: string;
  namespace?: string;
}

/** A Flux object as stored: what the UI lists, filters and sorts on. @public */
export interface FluxResource {
  /** `cluster:Kind:namespace:name`, stable across syncs, usable in URLs. */
  id: string;
  cluster: string;
  kind: FluxKind;
  apiVersion: string;
  namespace: string;
  name: string;
  uid: string;
  status: FluxStatus;
  /** The Ready condition's status, or Unknown when there is none. */
  ready: ConditionStatus;
  reason?: string;
  message?: string;
  suspended: boolean;
  /** The applied revision (Kustomization, HelmRelease) or the artifact revision (sources). */
  revision?: string;
  /** The revision Flux last tried, when it differs from the applied one. */
  attemptedRevision?: string;
  sourceRef?: ObjectReference;
  /** When Flux last changed the object's status (newest of Ready's transition, artifact update, handled request). */
  lastReconcileAt?: string;
  /** `status.lastHandledReconcileAt`: the last `reconcile.fluxcd.io/requestedAt` token Flux handled. */
  lastHandledReconcileAt?: string;
  generation?: number;
  observedGeneration?: number;
  labels: Record<string, string>;
  createdAt?: string;
  /** When this row was last written from the cluster. */
  syncedAt: string;
}

/** A Flux object with its whole Kubernetes object, for the detail page. @public */
export interface FluxResourceDetail extends FluxResource {
  object: Record<string, unknown>;
}

/** @public */
export const RESOURCE_SORT_FIELDS = [
  'name',
  'namespace',
  'kind',
  'cluster',
  'status',
  'lastReconcileAt',
] as const;

/** @public */
export type ResourceSortField = (typeof RESOURCE_SORT_FIELDS)[number];

/** Filters of the resource lists; every list value is an OR, the fields AND together. @public */
export interface ResourceQuery {
  cluster?: string[];
  kind?: FluxKind[];
  namespace?: string[];
  status?: FluxStatus[];
  suspended?: boolean;
  /** Case-insensitive substring of name, namespace, reason, message or revision. */
  text?: string;
  sort?: ResourceSortField;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

/** @public */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** @public */
export type SyncTrigger = 'schedule' | 'manual' | 'action';

/** @public */
export type SyncOutcome = 'running' | 'succeeded' | 'partial' | 'failed';

/** One sync of one cluster. @public */
export interface SyncRun {
  id: number;
  cluster: string;
  trigger: SyncTrigger;
  status: SyncOutcome;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  /** Objects the cluster returned. */
  listed: number;
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
  error?: string;
}

/** Counts for the overview. @public */
export interface Summary {
  totals: StatusCounts;
  byKind: Array<{ kind: FluxKind; counts: StatusCounts }>;
  byCluster: Array<{ cluster: string; counts: StatusCounts }>;
  clusters: Record<ClusterHealthStatus, number> & { total: number };
}
