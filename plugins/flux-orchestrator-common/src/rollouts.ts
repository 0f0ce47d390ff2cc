import type { FluxStatus, ObjectReference } from './types';

/**
 * What one object contributes to a deployment's origin: a source's location (host and path, whatever the scheme)
 * and, for Git, the reference it follows; a chart's name or path; a Kustomization's path in its source (empty
 * for the root).
 *
 * @public
 */
export interface DeploymentOriginPart {
  url?: string;
  /** `branch main`, `tag v1.2.0`, `semver >=1.0.0`, `name refs/pull/1/head`, `commit 0a1b2c…`. */
  ref?: string;
  chart?: string;
  path?: string;
}

/**
 * Where a deployment's configuration comes from, the same in every cluster that deploys it: a Git URL, ref and
 * path; an OCI URL and path; a bucket and path; a chart and its repository.
 *
 * @public
 */
export interface DeploymentOrigin extends DeploymentOriginPart {
  /** The kind of the source at the root of the chain; absent when it could not be read. */
  sourceKind?: string;
  /**
   * The reference that could not be followed: a source that is not in the portal or not readable by the caller,
   * or the deploying object itself when its spec names no origin that can be read. The origin is then unknown,
   * and the row holds the objects with the same such reference.
   */
  unresolved?: ObjectReference;
}

/** `GET /rollouts?groupBy=`: rows by origin, or by the catalog entity that selects the objects. @public */
export const ROLLOUT_GROUPINGS = ['source', 'entity'] as const;

/** @public */
export type RolloutGrouping = (typeof ROLLOUT_GROUPINGS)[number];

/** One deploying object of a rollout row, in one cluster. @public */
export interface RolloutObject {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  status: FluxStatus;
  /** The revision the cluster has applied (`lastAppliedRevision`, a HelmRelease's deployed chart version). */
  revision?: string;
  /** The commit behind it, where Flux records one (`lastAppliedOriginRevision`, from an OCI artifact). */
  originRevision?: string;
  /** The revision Flux last attempted, when it is not the applied one. */
  attemptedRevision?: string;
  /** Since when the applied revision has been live. */
  revisionSince?: string;
  /**
   * The revision the cluster's source offers now, when it is comparable with the applied one (a Kustomization's
   * source artifact): a different one means the cluster has not applied its source's newest yet.
   */
  sourceRevision?: string;
}

/**
 * One deployment across the fleet: the object of one kind, namespace and name deploying one origin, and what each
 * cluster has applied.
 *
 * @public
 */
export interface RolloutRow {
  /** Stable identity of the row (kind, namespace, name, origin and, grouped by entity, the entity). */
  key: string;
  deployKind: 'Kustomization' | 'HelmRelease';
  namespace: string;
  name: string;
  origin: DeploymentOrigin;
  /** Grouped by entity: the entity selecting the objects; absent for objects no entity selects. */
  entityRef?: string;
  /** The objects, by cluster name, ordered by cluster. */
  clusters: Array<{ cluster: string; objects: RolloutObject[] }>;
  /** The applied revisions of the row, most clusters first; `disagrees` when there is more than one. */
  revisions: Array<{ revision?: string; clusters: number }>;
  disagrees: boolean;
}

/** `GET /rollouts`: a page of rows, the clusters they span, and how many disagree. @public */
export interface Rollouts {
  groupBy: RolloutGrouping;
  /** Every cluster of the rows of every page, the columns of a matrix. */
  clusters: string[];
  items: RolloutRow[];
  totalItems: number;
  /** Rows whose clusters have applied more than one revision, before the `disagreeing` filter. */
  disagreeing: number;
}

/** The filters and page of `GET /rollouts`. @public */
export interface RolloutQuery {
  groupBy?: RolloutGrouping;
  /** Only rows whose clusters disagree. */
  disagreeing?: boolean;
  /** Text to find in the origin, the entity, or the objects' names. */
  search?: string;
  limit?: number;
  offset?: number;
}
