import {
  ConditionStatus,
  DeploymentOriginPart,
  FluxKindDefinition,
  FluxResource,
  FluxStatus,
  MAX_SUSPEND_REASON_LENGTH,
  ObjectReference,
  Suspension,
  SUSPENSION_ANNOTATIONS,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { toIsoTimestamp } from '../toIsoTimestamp';
import { readOriginPart, readRevisionChangedAt } from '../rollouts/readOrigin';
import { parseGoDuration } from './parseGoDuration';
import { readAppliedApiVersion } from './readAppliedApiVersion';
import { redactFluxObject, RedactionOptions } from './redactFluxObject';

/** The annotation through which a reconcile is requested (`flux reconcile`, the portal's actions). */
export const REQUESTED_AT_ANNOTATION = 'reconcile.fluxcd.io/requestedAt';

/** A Kubernetes object as the API returns it; only the fields the parser reads are typed. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string | Date;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: unknown;
  };
  spec?: Record<string, any>;
  status?: Record<string, any>;
}

export interface Condition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

/**
 * What the store keeps of one Flux object, before it gets a cluster, an id and a sync time, and what only its
 * history gives (failure start, status start, when a pending request was first seen, stuck judgements).
 */
export type ParsedFluxObject = Omit<
  FluxResource,
  | 'id'
  | 'cluster'
  | 'syncedAt'
  | 'failingSince'
  | 'statusSince'
  | 'reconcileRequestedAt'
  | 'revisionSince'
  | 'stuck'
> & {
  resourceVersion: string;
  /** The whole object minus managedFields and secrets, for the detail page. */
  object: KubernetesObject;
  /** Paths of the values redacted before storing. */
  redacted: string[];
  /** The `lastTransitionTime` of the condition the status was judged by (Stalled when stalled, else Ready). */
  conditionChangedAt?: string;
  /** The `reconcile.fluxcd.io/requestedAt` token while Flux has not handled it. */
  pendingRequest?: string;
  /** Its part of a deployment's origin (see `readOriginPart`). */
  origin?: DeploymentOriginPart;
  /** When the applied revision went live, where the object's own history tells. */
  revisionChangedAt?: string;
};

export function getConditions(obj: KubernetesObject): Condition[] {
  const conditions = obj.status?.conditions;
  return Array.isArray(conditions) ? conditions : [];
}

function findCondition(conditions: Condition[], type: string) {
  return conditions.find(c => c.type === type);
}

/**
 * Judges the one status an object is shown with, following Flux's kstatus conventions
 * (https://fluxcd.io/flux/components/kustomize/kustomizations/#conditions):
 * - `spec.suspend` stops reconciliation, so a suspended object's conditions are stale: suspended wins.
 * - `Stalled=True` means the controller gave up until the spec changes.
 * - `Ready=False` is a failure, even while `Reconciling=True` retries it (reason `ProgressingWithRetry`).
 * - A `generation` ahead of `status.observedGeneration`, `Reconciling=True`, or `Ready=Unknown` is progress.
 * - No conditions at all means no controller has reported on the object yet (Flux's CRDs default
 *   `status.observedGeneration` to -1, so that alone does not tell): unknown, not progressing.
 */
export function judgeStatus(
  obj: KubernetesObject,
  options: { isStatic?: boolean } = {},
): FluxStatus {
  if (obj.spec?.suspend === true) return 'suspended';
  if (options.isStatic) return 'ready';
  const conditions = getConditions(obj);
  if (conditions.length === 0) return 'unknown';
  if (findCondition(conditions, 'Stalled')?.status === 'True') return 'stalled';
  const ready = findCondition(conditions, 'Ready');
  if (ready?.status === 'False') return 'failing';
  if (isProgressing(obj, conditions)) return 'progressing';
  if (ready?.status === 'True') return 'ready';
  if (ready?.status === 'Unknown') return 'progressing';
  return 'unknown';
}

/** The controller has not yet observed the newest spec, or says it is working on it. */
export function isProgressing(
  obj: KubernetesObject,
  conditions: Condition[] = getConditions(obj),
): boolean {
  const generation = obj.metadata?.generation;
  const observed = obj.status?.observedGeneration;
  if (typeof generation === 'number' && typeof observed === 'number') {
    if (observed < generation) return true;
  }
  return findCondition(conditions, 'Reconciling')?.status === 'True';
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The revision that is live, and the one Flux last tried when it is a different one. */
function readRevisions(
  kind: string,
  status: Record<string, any>,
): { revision?: string; attemptedRevision?: string } {
  switch (kind) {
    case 'Kustomization':
    case 'HelmRelease': {
      // helm-controller v2 keeps the release history newest first; lastAppliedRevision is v2beta1's field. Only
      // the deployed release is live: after a failed install there is none, after a failed upgrade it is the
      // one before (the real helm-controller's history showed a failed install's chart as applied otherwise).
      const history = Array.isArray(status.history) ? status.history : [];
      const deployed = history.find((h: any) => h?.status === 'deployed');
      const revision =
        nonEmpty(status.lastAppliedRevision) ??
        nonEmpty(deployed?.chartVersion);
      const attempted = nonEmpty(status.lastAttemptedRevision);
      return {
        revision,
        attemptedRevision: attempted !== revision ? attempted : undefined,
      };
    }
    case 'ImagePolicy': {
      // v1 reports status.latestRef {name, tag, digest}; v1beta2 reported status.latestImage.
      const ref = status.latestRef;
      const fromRef =
        ref?.name && ref?.tag ? `${ref.name}:${ref.tag}` : undefined;
      return { revision: fromRef ?? nonEmpty(status.latestImage) };
    }
    case 'ImageRepository':
      return {
        revision: nonEmpty(status.lastScanResult?.latestTags?.[0]),
      };
    case 'ImageUpdateAutomation':
      return {
        revision:
          nonEmpty(status.lastPushCommit) ??
          nonEmpty(status.observedSourceRevision),
      };
    default:
      return { revision: nonEmpty(status.artifact?.revision) };
  }
}

function inputRefOf(kind: string, spec: Record<string, any>) {
  switch (kind) {
    case 'HelmRelease':
      return spec.chartRef ?? spec.chart?.spec?.sourceRef;
    case 'ImagePolicy':
      return { kind: 'ImageRepository', ...spec.imageRepositoryRef };
    case 'Alert':
      return { kind: 'Provider', ...spec.providerRef };
    default:
      return spec.sourceRef;
  }
}

/** The object this one takes its input from: a source, a chart, an image repository, a provider. */
function readSourceRef(
  kind: string,
  namespace: string,
  spec: Record<string, any>,
): ObjectReference | undefined {
  const ref = inputRefOf(kind, spec);
  if (!ref?.name || !ref?.kind) return undefined;
  return {
    kind: ref.kind,
    name: ref.name,
    namespace: nonEmpty(ref.namespace) ?? namespace,
  };
}

/** The newest moment Flux is known to have acted on the object. */
function readLastReconcileAt(
  status: Record<string, any>,
  conditions: Condition[],
): string | undefined {
  const candidates = [
    findCondition(conditions, 'Ready')?.lastTransitionTime,
    status.artifact?.lastUpdateTime,
    status.lastScanResult?.scanTime,
    status.lastAutomationRunTime,
    // lastHandledReconcileAt is an opaque token; the flux CLI writes RFC 3339 times, which parse.
    status.lastHandledReconcileAt,
  ]
    .map(toIsoTimestamp)
    .filter((t): t is string => t !== undefined);
  return candidates.sort().at(-1);
}

/**
 * The condition whose change made the object's status, whose `lastTransitionTime` dates the change: none for a
 * suspension (a change of spec) or progress that only a newer generation shows.
 */
function decidingCondition(
  status: FluxStatus,
  conditions: Condition[],
): Condition | undefined {
  switch (status) {
    case 'suspended':
      return undefined;
    case 'stalled':
      return findCondition(conditions, 'Stalled');
    case 'progressing': {
      const reconciling = findCondition(conditions, 'Reconciling');
      if (reconciling?.status === 'True') return reconciling;
      const ready = findCondition(conditions, 'Ready');
      return ready?.status === 'Unknown' ? ready : undefined;
    }
    default:
      return findCondition(conditions, 'Ready');
  }
}

/**
 * Who suspended the object, why and until when, from the annotations a suspension through the portal writes (or
 * a person wrote by hand). Only short strings are kept, and `until` and `at` only when they are times.
 */
function readSuspension(
  annotations: Record<string, string> | undefined,
): Suspension | undefined {
  const value = (key: string, max: number) => {
    const text = annotations?.[key];
    return typeof text === 'string' && text.trim() !== ''
      ? text.trim().slice(0, max)
      : undefined;
  };
  const suspension: Suspension = {
    by: value(SUSPENSION_ANNOTATIONS.by, 253),
    reason: value(SUSPENSION_ANNOTATIONS.reason, MAX_SUSPEND_REASON_LENGTH),
    at: toIsoTimestamp(value(SUSPENSION_ANNOTATIONS.at, 64)),
    until: toIsoTimestamp(value(SUSPENSION_ANNOTATIONS.until, 64)),
  };
  return Object.values(suspension).some(v => v !== undefined)
    ? suspension
    : undefined;
}

/** The reconcile request Flux has not handled yet, as the flux CLI tells it (its token), if there is one. */
function pendingRequestOf(
  annotations: Record<string, string> | undefined,
  status: Record<string, any>,
): string | undefined {
  const token = nonEmpty(annotations?.[REQUESTED_AT_ANNOTATION]);
  return token && token !== status.lastHandledReconcileAt
    ? token.slice(0, 255)
    : undefined;
}

/** The longest each identity field may be: Kubernetes' own bounds, and the store's columns. */
const IDENTITY_BOUNDS = {
  name: 253,
  namespace: 63,
  uid: 64,
  resourceVersion: 64,
} as const;

/**
 * Refuses an object whose identity no Kubernetes API server would give: a name, namespace, uid or resourceVersion
 * that is not a string within Kubernetes' bounds. A hostile or broken cluster cannot then make the store refuse
 * a whole list (a value too long for its column) or write an object under an id no other path finds.
 */
function checkIdentity(metadata: KubernetesObject['metadata'] = {}) {
  for (const [field, max] of Object.entries(IDENTITY_BOUNDS)) {
    const value = (metadata as Record<string, unknown>)[field];
    const required = field === 'name';
    if (value === undefined && !required) continue;
    if (typeof value !== 'string' || (required && !value) || value.length > max)
      throw new Error(
        `metadata.${field} must be a string of at most ${max} characters${
          required ? ', not empty' : ''
        }`,
      );
  }
}

/** Turns a Flux object from the API into the row the store keeps; throws for one whose identity is not valid. */
export function parseFluxObject(
  definition: FluxKindDefinition,
  received: KubernetesObject,
  redaction: RedactionOptions = {},
): ParsedFluxObject {
  checkIdentity(received.metadata);
  // Secrets go first: every column below (the message among them) is read from the redacted object.
  const { object: obj, redacted } = redactFluxObject(received, {
    ...redaction,
    kind: definition.kind,
  });
  const metadata = obj.metadata ?? {};
  const spec = obj.spec ?? {};
  const status = obj.status ?? {};
  const apiVersion =
    obj.apiVersion ?? `${definition.group}/${definition.versions[0]}`;
  const version = apiVersion.split('/')[1];
  const isStatic = definition.staticVersions?.includes(version) ?? false;
  const conditions = getConditions(obj);
  const ready = findCondition(conditions, 'Ready');
  const namespace = metadata.namespace ?? '';
  const { managedFields: _dropped, ...metadataWithoutManagedFields } = metadata;
  const judged = judgeStatus(obj, { isStatic });
  const deciding = decidingCondition(judged, conditions);
  const revisions = readRevisions(definition.kind, status);

  return {
    kind: definition.kind,
    apiVersion,
    namespace,
    name: metadata.name ?? '',
    uid: metadata.uid ?? '',
    resourceVersion: metadata.resourceVersion ?? '',
    status: judged,
    ready: isStatic ? 'True' : ready?.status ?? 'Unknown',
    reason: nonEmpty(ready?.reason),
    message: nonEmpty(ready?.message),
    suspended: spec.suspend === true,
    ...revisions,
    originRevision: nonEmpty(status.lastAppliedOriginRevision),
    revisionChangedAt: readRevisionChangedAt(
      definition.kind,
      status,
      revisions.revision,
    ),
    origin: readOriginPart(definition.kind, spec),
    sourceRef: readSourceRef(definition.kind, namespace, spec),
    lastReconcileAt: readLastReconcileAt(status, conditions),
    lastHandledReconcileAt: nonEmpty(status.lastHandledReconcileAt),
    generation: metadata.generation,
    observedGeneration:
      typeof status.observedGeneration === 'number'
        ? status.observedGeneration
        : undefined,
    labels: metadata.labels ?? {},
    createdAt: toIsoTimestamp(metadata.creationTimestamp),
    object: { ...obj, metadata: metadataWithoutManagedFields },
    redacted,
    conditionChangedAt: toIsoTimestamp(deciding?.lastTransitionTime),
    intervalMs: parseGoDuration(spec.interval),
    artifactUpdatedAt: toIsoTimestamp(status.artifact?.lastUpdateTime),
    appliedApiVersion: readAppliedApiVersion(
      metadata.managedFields,
      definition.group,
    ),
    // A version without status (notification v1beta3) never answers a request: none is pending there.
    pendingRequest: isStatic
      ? undefined
      : pendingRequestOf(metadata.annotations, status),
    suspension:
      spec.suspend === true ? readSuspension(metadata.annotations) : undefined,
  };
}
