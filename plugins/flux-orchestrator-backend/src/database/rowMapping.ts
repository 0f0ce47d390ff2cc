import {
  ActionRecord,
  ClusterFeed,
  ClusterHealth,
  FluxResource,
  FluxResourceDetail,
  ObjectReference,
  SyncRun,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { toIsoTimestamp } from '../toIsoTimestamp';
import { StoredCluster } from './FluxStore';

// SQLite hands back what was bound (epoch numbers for dates, 0/1 for booleans); PostgreSQL hands back
// Date and boolean. These helpers make both look the same to the rest of the plugin.

export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

function toNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  return Number(value);
}

function parseJson<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string' || value === '') return fallback;
  return JSON.parse(value) as T;
}

export type Row = Record<string, any>;

/** The object a row's object takes its input from, if it names one. */
export function sourceRefFromRow(row: Row): ObjectReference | undefined {
  return row.source_kind
    ? {
        kind: row.source_kind,
        name: row.source_name,
        namespace: row.source_namespace ?? undefined,
      }
    : undefined;
}

/** Live or reconnecting only while the lease of the replica that watches lasts; after that, polling. */
function feedFromRow(row: Row): ClusterFeed {
  const until = toIsoTimestamp(row.data_mode_until);
  if (
    (row.data_mode === 'live' || row.data_mode === 'reconnecting') &&
    until &&
    Date.parse(until) > Date.now()
  ) {
    return {
      mode: row.data_mode,
      since: toIsoTimestamp(row.data_mode_since),
      watchedBy: row.watched_by ?? undefined,
    };
  }
  return { mode: 'polling' };
}

export function clusterFromRow(row: Row): StoredCluster {
  const health: ClusterHealth = {
    status: row.health_status,
    error: row.health_error ?? undefined,
    kubernetesVersion: row.kubernetes_version ?? undefined,
    fluxInstalled: toBool(row.flux_installed),
    fluxVersion: row.flux_version ?? undefined,
    servedVersions: parseJson(row.served_versions, {}),
    kindErrors: parseJson(row.kind_errors, undefined),
    checkedAt: toIsoTimestamp(row.health_checked_at),
    feed: feedFromRow(row),
  };
  return {
    name: row.name,
    title: row.title,
    description: row.description ?? undefined,
    source: row.source,
    server: row.server ?? undefined,
    entityRef: row.entity_ref ?? undefined,
    credentials: row.credentials ?? undefined,
    health,
    lastSyncedAt: toIsoTimestamp(row.last_synced_at),
    createdAt: toIsoTimestamp(row.created_at)!,
    updatedAt: toIsoTimestamp(row.updated_at)!,
  };
}

export function resourceFromRow(row: Row): FluxResource {
  return {
    id: row.id,
    cluster: row.cluster,
    kind: row.kind,
    apiVersion: row.api_version,
    namespace: row.namespace,
    name: row.name,
    uid: row.uid,
    status: row.status,
    ready: row.ready,
    reason: row.reason ?? undefined,
    message: row.message ?? undefined,
    suspended: toBool(row.suspended),
    revision: row.revision ?? undefined,
    attemptedRevision: row.attempted_revision ?? undefined,
    originRevision: row.origin_revision ?? undefined,
    revisionSince: toIsoTimestamp(row.revision_since),
    sourceRef: sourceRefFromRow(row),
    lastReconcileAt: toIsoTimestamp(row.last_reconcile_at),
    lastHandledReconcileAt: row.last_handled_reconcile_at ?? undefined,
    failingSince: toIsoTimestamp(row.failing_since),
    statusSince: toIsoTimestamp(row.status_since),
    intervalMs: toNumber(row.interval_ms),
    reconcileRequestedAt: toIsoTimestamp(row.reconcile_requested_at),
    artifactUpdatedAt: toIsoTimestamp(row.artifact_updated_at),
    suspension: parseJson(row.suspension, undefined),
    appliedApiVersion: row.applied_api_version ?? undefined,
    generation: toNumber(row.generation),
    observedGeneration: toNumber(row.observed_generation),
    labels: parseJson(row.labels, {}),
    createdAt: toIsoTimestamp(row.created_at),
    syncedAt: toIsoTimestamp(row.synced_at)!,
  };
}

export function resourceDetailFromRow(row: Row): FluxResourceDetail {
  return {
    ...resourceFromRow(row),
    object: parseJson(row.object, {}),
    redacted: parseJson(row.redacted, []),
  };
}

export function syncRunFromRow(row: Row): SyncRun {
  return {
    id: Number(row.id),
    cluster: row.cluster,
    trigger: row.trigger,
    status: row.status,
    startedAt: toIsoTimestamp(row.started_at)!,
    finishedAt: toIsoTimestamp(row.finished_at),
    durationMs: toNumber(row.duration_ms),
    listed: Number(row.listed),
    inserted: Number(row.inserted),
    updated: Number(row.updated),
    deleted: Number(row.deleted),
    unchanged: Number(row.unchanged),
    error: row.error ?? undefined,
  };
}

export function actionFromRow(row: Row): ActionRecord {
  return {
    id: Number(row.id),
    resourceId: row.resource_id,
    cluster: row.cluster,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    action: row.action,
    withSource: toBool(row.with_source),
    actor: row.actor,
    outcome: row.outcome,
    error: row.error ?? undefined,
    requestedAt: row.requested_at ?? undefined,
    reason: row.reason ?? undefined,
    until: toIsoTimestamp(row.until),
    at: toIsoTimestamp(row.at)!,
  };
}
