import type { FluxKind } from './fluxKinds';
import type { ClusterSource } from './clusterSources';

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
  /** How the cluster's data arrives. */
  feed: ClusterFeed;
}

/**
 * `live`: a replica watches the cluster and changes arrive within seconds; `reconnecting`: its watch broke
 * `since` then and is being re-established; `polling`: the data is as fresh as the last sync.
 *
 * @public
 */
export interface ClusterFeed {
  mode: 'live' | 'reconnecting' | 'polling';
  since?: string;
  /** The backend replica that watches the cluster (host:pid), while one does. */
  watchedBy?: string;
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
  /** Catalog clusters: the ref of the Resource entity that defines the cluster. */
  entityRef?: string;
  /** True for every cluster but those registered through the API, which alone the API can change. */
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
  /** The commit behind the applied revision, where Flux records it (`lastAppliedOriginRevision`). */
  originRevision?: string;
  /** Since when the applied revision has been live: the object's own history's time, else when first seen. */
  revisionSince?: string;
  sourceRef?: ObjectReference;
  /** When Flux last changed the object's status (newest of Ready's transition, artifact update, handled request). */
  lastReconcileAt?: string;
  /** `status.lastHandledReconcileAt`: the last `reconcile.fluxcd.io/requestedAt` token Flux handled. */
  lastHandledReconcileAt?: string;
  /**
   * Since when the object has been failing or stalled: the start of its current failure, which lasts until it is
   * ready again (a retry in progress does not end it). Kept while the object is suspended or progressing.
   */
  failingSince?: string;
  /** When the object took its current status. */
  statusSince?: string;
  /** `spec.interval`, in milliseconds. */
  intervalMs?: number;
  /** While a `reconcile.fluxcd.io/requestedAt` request waits for Flux to handle it: when it was made. */
  reconcileRequestedAt?: string;
  /** `status.artifact.lastUpdateTime` of a source: when its artifact last changed. */
  artifactUpdatedAt?: string;
  /**
   * The API version its manifest was last applied at (from `metadata.managedFields`), where that tells: the
   * version the Git repository or the person used, which a Flux upgrade may stop serving.
   */
  appliedApiVersion?: string;
  /** Who suspended it, why and until when, while it is suspended and its annotations say so. */
  suspension?: Suspension;
  /** Why the backend judges the object stuck; absent when it does not (see `StuckReason`). */
  stuck?: StuckReason[];
  generation?: number;
  observedGeneration?: number;
  labels: Record<string, string>;
  createdAt?: string;
  /** When this row was last written from the cluster. */
  syncedAt: string;
}

/** A Flux object with its whole Kubernetes object, for the detail page. @public */
export interface FluxResourceDetail extends FluxResource {
  /** The Kubernetes object minus managedFields, with secret-bearing values replaced (see `redacted`). */
  object: Record<string, unknown>;
  /** Paths of the values removed before storing (`spec.values`, `spec.postBuild.substitute.DB_PASSWORD`, …). */
  redacted: string[];
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
  /** Only the objects of this catalog entity, as its Kubernetes annotations select them. */
  entityRef?: string;
  sort?: ResourceSortField;
  order?: 'asc' | 'desc';
  limit?: number;
  /** The page's first row's position, for display; a cursor, when given, decides which rows come. */
  offset?: number;
  /** The page after the row this cursor (a `nextCursor`) stands for. */
  after?: string;
  /** The page before the row this cursor (a `previousCursor`) stands for. */
  before?: string;
}

/** @public */
export interface Page<T> {
  items: T[];
  /** How many rows match; with `totalIsLowerBound`, at least this many (a text search counts so far only). */
  total: number;
  totalIsLowerBound?: boolean;
  limit: number;
  offset: number;
  /** For `after`: the next page, when there is one. */
  nextCursor?: string;
  /** For `before`: the previous page, when this is not the first. */
  previousCursor?: string;
}

/** @public */
export type SyncTrigger = 'schedule' | 'manual' | 'action';

/** `interrupted`: the backend that ran it stopped (a crash, a redeploy) before it finished. @public */
export type SyncOutcome =
  | 'running'
  | 'succeeded'
  | 'partial'
  | 'failed'
  | 'interrupted';

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

/** The judgements of stuck objects (`fluxOrchestrator.stuck` sets their thresholds). @public */
export const STUCK_REASONS = [
  'progressing',
  'request-unhandled',
  'stale-artifact',
  'suspended',
] as const;

/** @public */
export type StuckReasonKind = (typeof STUCK_REASONS)[number];

/**
 * Why an object is judged stuck, and since when: progressing for longer than a multiple of its interval, a
 * reconcile request not handled after a bound, a source's artifact older than a multiple of its interval, or
 * suspended for longer than a bound. @public
 */
export interface StuckReason {
  reason: StuckReasonKind;
  since: string;
  /** The judgement in words, with the figures it rests on. */
  message: string;
}

/** `GET /stuck-resources`: the objects judged stuck, longest stuck first. @public */
export interface StuckResources {
  items: Array<FluxResource & { stuck: StuckReason[] }>;
  /** How many objects are judged stuck, of which `items` holds the first ones. */
  total: number;
}

/**
 * Objects of a cluster at an API version that a Flux release deprecates or removes: the version the cluster
 * serves them at (`served`: its Flux is that old) or the one their manifests were applied at (`applied`).
 * @public
 */
export interface DeprecatedApiFinding {
  cluster: string;
  kind: FluxKind;
  /** `group/version`. */
  apiVersion: string;
  where: 'served' | 'applied';
  objects: number;
  deprecatedIn?: string;
  removedIn?: string;
  /** The version to move to. */
  replacedBy: string;
}

/**
 * `GET /owned-resources`: how the Flux objects of the entities a user or group owns stand, by catalog ownership:
 * the signed-in user's (they and their groups) for "My Flux", or a given user's or group's.
 *
 * @public
 */
export interface OwnedFluxResources {
  /** The users and groups whose ownership was followed. */
  owners: string[];
  /** The owned entities that select Flux objects, with their objects' counts (the caller's view). */
  entities: Array<{ entityRef: string; counts: StatusCounts }>;
  counts: StatusCounts;
  /** Failing and stalled objects, worst first, at most 50; `counts` says how many there are. */
  needsAttention: FluxResource[];
  /** Objects judged stuck, stuck longest first, at most 50, with the reasons. */
  stuck: Array<FluxResource & { stuck: StuckReason[] }>;
  stuckTotal: number;
}

/** `GET /upgrade-readiness`: the Flux versions of the fleet and what stands in the way of upgrading. @public */
export interface UpgradeReadiness {
  /** Each Flux version of the fleet with its clusters, newest first; `unknown` for clusters without a known one. */
  fluxVersions: Array<{ version: string; clusters: string[] }>;
  newestFluxVersion?: string;
  findings: DeprecatedApiFinding[];
  /** Objects at a deprecated version (served or applied) that no Flux release has removed yet. */
  objectsAtDeprecatedVersions: number;
  /** Objects at a version some Flux release no longer serves. */
  objectsAtRemovedVersions: number;
}

/** One change of an object's judged status, as the portal saw it. @public */
export interface StatusTransition {
  /** The status before; absent when the portal first saw the object. */
  from?: FluxStatus;
  to: FluxStatus;
  /** The Ready condition's reason and message after the change. */
  reason?: string;
  message?: string;
  revision?: string;
  /** When: the condition's own transition time when the cluster recorded a plausible one, else when it was seen. */
  at: string;
  /** On the change to ready that ends a failure: how long the failure lasted. */
  recoveredAfterMs?: number;
}

/** The windows the reliability figures are given over. @public */
export const RELIABILITY_WINDOWS = ['24h', '7d', '30d'] as const;

/** @public */
export type ReliabilityWindow = (typeof RELIABILITY_WINDOWS)[number];

/** Failures and recoveries of some objects over a window. @public */
export interface ReliabilityFigures {
  /** Objects that turned failing or stalled after being ready (or were first seen so). */
  failures: number;
  /** Failures that ended with the object ready again. */
  recoveries: number;
  /** Mean time to recovery of those, when there were any. */
  meanTimeToRecoveryMs?: number;
}

/** `GET /reliability`: failures and mean time to recovery per cluster and per kind. @public */
export interface Reliability {
  window: ReliabilityWindow;
  from: string;
  to: string;
  /** The oldest change still kept (history is pruned by age); figures of a longer window are partial. */
  keptSince: string;
  totals: ReliabilityFigures;
  byCluster: Array<{ cluster: string } & ReliabilityFigures>;
  byKind: Array<{ kind: FluxKind } & ReliabilityFigures>;
}

/** Counts for the overview. @public */
export interface Summary {
  /** The fleet's Flux versions and the objects in the way of an upgrade (see `UpgradeReadiness`). */
  upgrades?: {
    fluxVersions: Array<{ version: string; clusters: number }>;
    objectsAtDeprecatedVersions: number;
    objectsAtRemovedVersions: number;
  };
  totals: StatusCounts;
  byKind: Array<{ kind: FluxKind; counts: StatusCounts }>;
  byCluster: Array<{ cluster: string; counts: StatusCounts }>;
  clusters: Record<ClusterHealthStatus, number> & { total: number };
}

/** `POST /clusters`: register a cluster from a kubeconfig. @public */
export interface ClusterRegistration {
  /** Lowercase letters, digits and dashes; becomes the cluster's id in URLs and resource ids. */
  name: string;
  title?: string;
  description?: string;
  /** The kubeconfig as YAML text. Stored encrypted; never returned. */
  kubeconfig: string;
  /** The context to use; the kubeconfig's current context when absent. */
  context?: string;
  /** Store without checking that the cluster answers with these credentials. */
  skipConnectionCheck?: boolean;
}

/** `PUT /clusters/:id`: change a registered cluster; absent fields stay as they are. @public */
export interface ClusterUpdate {
  title?: string;
  description?: string;
  /** A new kubeconfig replaces the stored one (validated like a registration). */
  kubeconfig?: string;
  context?: string;
  skipConnectionCheck?: boolean;
}

/** One context of a kubeconfig, as `POST /kubeconfig/contexts` lists them for the add-cluster form. @public */
export interface KubeconfigContext {
  name: string;
  cluster: string;
  user: string;
  server?: string;
  current: boolean;
}

/** @public */
export const FLUX_ACTIONS = [
  'reconcile',
  'suspend',
  'resume',
  'force',
  'reset',
] as const;

/** @public */
export type FluxAction = (typeof FLUX_ACTIONS)[number];

/**
 * Body of `POST /resources/reconcile`, `/resources/suspend`, `/resources/resume`, and, for HelmReleases only,
 * `/resources/force` (a one-off Helm upgrade even if nothing changed, as `flux reconcile hr --force`) and
 * `/resources/reset` (clears the release's failure counts so that it retries, as `flux reconcile hr --reset`).
 * @public
 */
export interface ResourceActionRequest {
  /** Resource ids (`cluster:Kind:namespace:name`), at most 100. */
  ids: string[];
  /** Reconcile: also request a reconcile of each object's source first, like `flux reconcile --with-source`. */
  withSource?: boolean;
  /** Suspend: why, written to the object (`SUSPENSION_ANNOTATIONS.reason`) and kept in the action history. */
  reason?: string;
  /** Suspend: when the portal resumes the object by itself (an RFC 3339 time in the future, within a year). */
  until?: string;
}

/**
 * The annotations a suspension through the portal writes on the object, so that `kubectl` users see who
 * suspended it, why and until when; a resume removes them. Set by hand, they are shown (and honoured) too.
 *
 * @public
 */
export const SUSPENSION_ANNOTATIONS = {
  by: 'flux-orchestrator/suspended-by',
  reason: 'flux-orchestrator/suspend-reason',
  until: 'flux-orchestrator/suspended-until',
  at: 'flux-orchestrator/suspended-at',
} as const;

/** The longest reason of a suspension. @public */
export const MAX_SUSPEND_REASON_LENGTH = 500;

/** Who suspended an object, why, since and until when, as its annotations say. @public */
export interface Suspension {
  by?: string;
  reason?: string;
  at?: string;
  /** When the portal resumes it. */
  until?: string;
}

/** What one action did to one object. @public */
export interface ResourceActionResult {
  id: string;
  action: FluxAction;
  ok: boolean;
  /** Why it failed, with the cluster's answer (`403 Forbidden: … cannot patch …`). */
  error?: string;
  /**
   * The `reconcile.fluxcd.io/requestedAt` token written (every action but suspend); force and reset write it to
   * `reconcile.fluxcd.io/forceAt` or `resetAt` too.
   */
  requestedAt?: string;
  /**
   * Whether Flux had handled the request when answered: `status.lastHandledReconcileAt` (reconcile, resume),
   * `lastHandledForceAt` (force) or `lastHandledResetAt` (reset) equals the token.
   */
  handled?: boolean;
  /** The object as re-read from the cluster right after the action. */
  resource?: FluxResource;
}

/** @public */
export interface ResourceActionResponse {
  results: ResourceActionResult[];
}

/** `GET /resources/:id/reconcile-status`: whether Flux has handled the last reconcile request. @public */
export interface ReconcileStatus {
  id: string;
  /** The object's current `reconcile.fluxcd.io/requestedAt` annotation. */
  requestedAt?: string;
  lastHandledReconcileAt?: string;
  /** True when Flux has handled the newest request. */
  handled: boolean;
  /** The object as just re-read from the cluster. */
  resource: FluxResource;
}

/** A Kubernetes Event about a Flux object, from `GET /resources/:id/events`. @public */
export interface FluxEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
  firstSeen?: string;
  lastSeen?: string;
  /** The controller that reported it, e.g. `kustomize-controller`. */
  source?: string;
}

/** @public */
export type ActionOutcome = 'succeeded' | 'failed';

/** One action taken through the console, kept for the object's history. @public */
export interface ActionRecord {
  id: number;
  resourceId: string;
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  action: FluxAction;
  withSource: boolean;
  /** The user (or service) entity ref that asked. */
  actor: string;
  outcome: ActionOutcome;
  error?: string;
  requestedAt?: string;
  /** A suspension's reason, and when it was to end. */
  reason?: string;
  until?: string;
  at: string;
}

/** How an entity's annotations select Flux objects (the Kubernetes plugin's conventions). @public */
export interface EntityFluxSelector {
  /** `backstage.io/kubernetes-id`: objects labelled `backstage.io/kubernetes-id=<id>`. */
  kubernetesId?: string;
  /** `backstage.io/kubernetes-label-selector`: a Kubernetes label selector. */
  labelSelector?: string;
  /** `backstage.io/kubernetes-namespace`: only objects in this namespace. */
  namespace?: string;
}

/**
 * `GET /entity-resources?entityRef=…`: how a catalog entity's Flux objects stand across clusters. The objects
 * themselves, page by page, come from `GET /resources?entityRef=…`. @public
 */
export interface EntityFluxResources {
  entityRef: string;
  selector: EntityFluxSelector;
  counts: StatusCounts;
  /** The clusters and namespaces its objects are in, for the filters. */
  clusters: string[];
  namespaces: string[];
  /** Its failing and stalled objects, worst first, at most 20; `counts` says how many there are. */
  needsAttention: FluxResource[];
}
