import {
  ActionRecord,
  ClusterFeed,
  ClusterHealth,
  ClusterSource,
  DeploymentOriginPart,
  FluxEvent,
  FluxKind,
  FluxResource,
  FluxResourceDetail,
  FluxStatus,
  ObjectReference,
  Page,
  Reliability,
  ResourceQuery,
  StatusCounts,
  StatusTransition,
  Summary,
  SyncOutcome,
  SyncRun,
  SyncTrigger,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { ClusterScope, ResourceScope } from '../permissions/Scope';
import { KindEvent } from '../kubernetes/FluxClusterClient';
import { ParsedFluxObject } from '../status/parseFluxObject';
import { StuckThresholds } from '../history/judgeStuck';
import {
  NotificationOutcome,
  NotifiedObject,
  PendingNotification,
} from './notificationOutbox';

/** One change a watch reported: an object added or modified, or one deleted. */
export type WatchChange =
  | { type: 'upsert'; object: ParsedFluxObject }
  | {
      type: 'delete';
      kind: string;
      namespace: string;
      name: string;
      resourceVersion: string;
    };

/** One change of an Event that a watch reported. */
export type EventChange =
  | { type: 'upsert'; event: KindEvent }
  | { type: 'delete'; uid: string };

/** The resourceVersion a kind's watch has applied up to. */
export interface WatchPosition {
  kind: string;
  resourceVersion: string;
}

/** A cluster as its source defines it. */
export interface ClusterRecord {
  name: string;
  title: string;
  description?: string;
  source: ClusterSource;
  server?: string;
  /** Catalog clusters: the entity that defines the cluster. */
  entityRef?: string;
  /** Encrypted connection details; only API-registered clusters have them in the database. */
  credentials?: string;
}

export interface StoredCluster extends ClusterRecord {
  health: ClusterHealth;
  lastSyncedAt?: string;
  createdAt: string;
  updatedAt: string;
}

export interface ResourceWriteCounts {
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

export interface SyncRunResult extends Partial<ResourceWriteCounts> {
  status: Exclude<SyncOutcome, 'running'>;
  listed?: number;
  error?: string;
}

/** The changeable fields of a registered cluster. */
export type ClusterChanges = Partial<
  Pick<ClusterRecord, 'title' | 'description' | 'server' | 'credentials'>
>;

/** An action to keep in an object's history. */
export type NewActionRecord = Omit<ActionRecord, 'id'>;

/** How many objects of a cluster and kind are served at a version and were applied at another. */
export interface ApiVersionCount {
  cluster: string;
  kind: FluxKind;
  apiVersion: string;
  appliedApiVersion?: string;
  count: number;
}

/** What the rollout tracker reads of a deploying object or a source: its part of an origin, and its revisions. */
export interface OriginRow {
  id: string;
  cluster: string;
  kind: FluxKind;
  namespace: string;
  name: string;
  status: FluxStatus;
  revision?: string;
  attemptedRevision?: string;
  originRevision?: string;
  revisionSince?: string;
  origin?: DeploymentOriginPart;
  sourceRef?: ObjectReference;
  labels: Record<string, string>;
}

/** Everything the plugin keeps. Only implementations of this interface touch SQL. */
export interface FluxStore {
  upsertCluster(record: ClusterRecord): Promise<void>;
  /** Adds a cluster; ConflictError naming the existing cluster's source when the name is taken. */
  insertCluster(record: ClusterRecord): Promise<void>;
  /** Changes a cluster; false when there is none. */
  updateCluster(name: string, changes: ClusterChanges): Promise<boolean>;
  /** A cluster; undefined when there is none or it is outside `scope` (default: every cluster). */
  getCluster(
    name: string,
    scope?: ClusterScope,
  ): Promise<StoredCluster | undefined>;
  listClusters(scope?: ClusterScope): Promise<StoredCluster[]>;
  /** Removes a cluster with its Flux objects and sync history; false when there was none. */
  deleteCluster(name: string): Promise<boolean>;
  /** Removes the clusters of `source` whose names are not in `keep`; returns the removed names. */
  pruneClusters(source: ClusterSource, keep: string[]): Promise<string[]>;
  /** What a health check found; how the data arrives (`feed`) is set by the watcher, not by a check. */
  setClusterHealth(
    name: string,
    health: Omit<ClusterHealth, 'feed'>,
  ): Promise<void>;
  /** Marks a cluster unhealthy with the reason, now; what the last check found otherwise stays. */
  markClusterUnhealthy(name: string, reason: string): Promise<void>;
  /** Notes that a person asked for a sync of the cluster. */
  requestSync(name: string): Promise<void>;
  /** Clears the note; answers whether there was one (then the run serving it is a manual one). */
  takeSyncRequest(name: string): Promise<boolean>;

  /**
   * Makes the stored objects of `cluster` match what it returned for `listedKinds`, in one transaction:
   * new objects inserted, changed ones (by resourceVersion) rewritten, vanished ones deleted.
   */
  replaceClusterResources(
    cluster: string,
    objects: ParsedFluxObject[],
    listedKinds: string[],
    syncedAt: Date,
    /** The resourceVersion of each kind's list: rows a watch stored after it are kept. */
    listVersions?: Partial<Record<string, string>>,
  ): Promise<ResourceWriteCounts>;
  /**
   * Applies one change a watch reported, with the position the watch has reached, in one transaction. A change
   * older than the stored row (by etcd revision) is skipped; answers whether anything was written.
   */
  applyWatchChange(
    cluster: string,
    change: WatchChange,
    position: WatchPosition,
  ): Promise<boolean>;
  /** Where each kind's watch of the cluster has got to (a resourceVersion per kind). */
  getWatchPositions(cluster: string): Promise<Partial<Record<string, string>>>;
  setWatchPosition(cluster: string, position: WatchPosition): Promise<void>;
  /** Makes the stored Events about objects of `kind` on the cluster exactly these (after a list). */
  replaceKindEvents(
    cluster: string,
    kind: string,
    events: KindEvent[],
  ): Promise<void>;
  /** Applies one Event a watch reported (added or changed, or deleted by uid), with the watch's position. */
  applyEventChange(
    cluster: string,
    kind: string,
    change: EventChange,
    position: WatchPosition,
  ): Promise<void>;
  /** The newest stored Events about one object first. */
  listEvents(resourceId: string, limit: number): Promise<FluxEvent[]>;
  /** How the cluster's data arrives, until the end of the current lease. */
  setClusterFeed(name: string, feed: ClusterFeed, until: Date): Promise<void>;
  /** Rewrites one object after an action; `undefined` removes it (it no longer exists). */
  putResource(
    cluster: string,
    kind: string,
    namespace: string,
    name: string,
    object: ParsedFluxObject | undefined,
    syncedAt: Date,
  ): Promise<void>;
  /*
   * Every read of Flux objects takes the scope its caller may see; a permission decision becomes that scope,
   * and the scope a WHERE clause. Internal callers that act for the plugin itself pass EVERYTHING.
   */
  /** One page of the objects in scope that match the query. */
  listResources(
    query: ResourceQuery,
    scope: ResourceScope,
  ): Promise<Page<FluxResource>>;
  /** The objects in scope, by cluster, kind, namespace and name, up to `limit`. */
  selectResources(scope: ResourceScope, limit: number): Promise<FluxResource[]>;
  /** The objects in scope of the same cluster and kind whose `spec.dependsOn` names this one. */
  listDependents(
    resourceId: string,
    scope: ResourceScope,
  ): Promise<FluxResource[]>;
  /** One object; undefined when there is none or it is outside `scope`. */
  getResource(
    id: string,
    scope: ResourceScope,
  ): Promise<FluxResourceDetail | undefined>;
  /** The objects of `ids` that exist and are in scope, in no particular order. */
  getResources(
    ids: string[],
    scope: ResourceScope,
  ): Promise<FluxResourceDetail[]>;
  /** Counts by status per cluster of the objects in scope; of one cluster when `cluster` is given. */
  countByCluster(
    scope: ResourceScope,
    cluster?: string,
  ): Promise<Record<string, StatusCounts>>;
  /** How many objects `scope` holds by status, and the clusters and namespaces they are in (sorted). */
  describeScope(scope: ResourceScope): Promise<{
    counts: StatusCounts;
    clusters: string[];
    namespaces: string[];
  }>;
  /** Object counts of `scope`, and the health of the clusters of `clusterScope`. */
  getSummary(
    scope: ResourceScope,
    clusterScope: ClusterScope,
  ): Promise<Summary>;

  startSyncRun(
    cluster: string,
    trigger: SyncTrigger,
    startedAt: Date,
  ): Promise<SyncRun>;
  finishSyncRun(
    id: number,
    result: SyncRunResult,
    finishedAt: Date,
  ): Promise<SyncRun>;
  listSyncRuns(cluster: string, limit: number): Promise<SyncRun[]>;
  /**
   * Closes, as interrupted, the runs still marked running that started before `startedBefore`: a run cannot
   * outlive its cluster's deadline, so such a run belongs to a backend that stopped mid-run. Returns how many.
   */
  closeInterruptedRuns(startedBefore: Date): Promise<number>;
  latestSyncRuns(): Promise<Record<string, SyncRun>>;

  /**
   * The objects in scope that meet a stuck judgement of `thresholds` at `now` (see `judgeStuck`, which gives the
   * reasons), those in their status longest first, up to `limit`.
   */
  listStuckCandidates(
    scope: ResourceScope,
    thresholds: StuckThresholds,
    now: Date,
    limit: number,
  ): Promise<FluxResource[]>;
  /**
   * The objects in scope served or applied at one of `versions` (`group/version`), counted by cluster, kind,
   * served and applied API version.
   */
  countApiVersions(
    scope: ResourceScope,
    versions: string[],
  ): Promise<ApiVersionCount[]>;
  /** The oldest status changes owners are still to hear of (see `notificationOutbox`). */
  listPendingNotifications(limit: number): Promise<PendingNotification[]>;
  /** The last notification sent about each of the objects. */
  readNotifiedObjects(
    resourceIds: string[],
  ): Promise<Map<string, NotifiedObject>>;
  /** Settles pending changes and records what was sent about which object, together. */
  settleNotifications(
    outcomes: Map<number, NotificationOutcome>,
    sent: Map<string, NotifiedObject>,
  ): Promise<void>;
  /**
   * The objects in scope of the given kinds, as the rollout tracker reads them: with their labels only when asked
   * (`labels` is empty otherwise), and only those with an origin part when `withOrigin`.
   */
  listOriginRows(
    scope: ResourceScope,
    kinds: string[],
    options?: { labels?: boolean; withOrigin?: boolean },
  ): Promise<OriginRow[]>;
  /** Suspended objects whose suspension was to end by `now`, the longest overdue first. */
  listExpiredSuspensions(
    now: Date,
    limit: number,
  ): Promise<FluxResourceDetail[]>;
  /** The status changes of one object, newest first. */
  listTransitions(
    resourceId: string,
    limit: number,
  ): Promise<StatusTransition[]>;
  /** Failures opened and recoveries made since `from` by the objects in scope: in all, per cluster, per kind. */
  getReliability(
    scope: ResourceScope,
    from: Date,
  ): Promise<Pick<Reliability, 'totals' | 'byCluster' | 'byKind'>>;
  /** Removes the status changes from before `before`; answers how many went. */
  pruneTransitions(before: Date): Promise<number>;

  recordAction(record: NewActionRecord): Promise<ActionRecord>;
  /** The newest actions on one object first. */
  listActions(resourceId: string, limit: number): Promise<ActionRecord[]>;
}
