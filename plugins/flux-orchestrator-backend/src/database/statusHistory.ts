import {
  FluxKind,
  ReliabilityFigures,
  StatusTransition,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { Knex } from 'knex';
import { judgeRevisionSince } from '../history/judgeRevisionSince';
import { judgeTransition, PreviousState } from '../history/judgeTransition';
import { ResourceScope } from '../permissions/Scope';
import { ParsedFluxObject } from '../status/parseFluxObject';
import { toIsoTimestamp } from '../toIsoTimestamp';
import { Row } from './rowMapping';
import { whereResourceScope } from './whereScope';

const TRANSITIONS = 'flux_status_transitions';

/** Ids read at once, within every database's limit on bound values. */
const READ_BATCH_SIZE = 500;

function toDate(value: unknown): Date | undefined {
  const iso = toIsoTimestamp(value);
  return iso ? new Date(iso) : undefined;
}

/** The columns of an object's row that `toPreviousState` reads. */
export const PREVIOUS_STATE_COLUMNS = [
  'status',
  'failing_since',
  'status_since',
  'synced_at',
  'reconcile_requested_at',
  'revision',
  'revision_since',
];

/** What the store knew of an object: its status, when a request it had pending was made, its applied revision. */
export type StoredState = PreviousState & {
  reconcileRequestedAt?: Date;
  revision?: string;
  revisionSince?: Date;
};

export function toPreviousState(row: Row): StoredState {
  return {
    status: row.status,
    failingSince: toDate(row.failing_since),
    statusSince: toDate(row.status_since),
    writtenAt: toDate(row.synced_at) ?? new Date(0),
    reconcileRequestedAt: toDate(row.reconcile_requested_at),
    revision: row.revision ?? undefined,
    revisionSince: toDate(row.revision_since),
  };
}

/** What an object's history gives its row: the columns no single copy of the object holds. */
export interface HistoryFacts {
  failingSince?: Date;
  statusSince: Date;
  reconcileRequestedAt?: Date;
  revisionSince?: Date;
}

/**
 * When a pending reconcile request was made: the time its token tells (the flux CLI and the portal write RFC
 * 3339 times), else when the store first saw it pending.
 */
function requestedAt(
  token: string | undefined,
  previous: StoredState | undefined,
  now: Date,
): Date | undefined {
  if (!token) return undefined;
  const stated = toDate(token);
  if (stated && stated.getTime() <= now.getTime()) return stated;
  return previous?.reconcileRequestedAt ?? now;
}

/** What the store holds of the objects about to be rewritten, by id. */
export async function readPreviousStates(
  tx: Knex.Transaction,
  ids: string[],
): Promise<Map<string, StoredState>> {
  const states = new Map<string, StoredState>();
  for (let i = 0; i < ids.length; i += READ_BATCH_SIZE) {
    const rows: Row[] = await tx('flux_resources')
      .whereIn('id', ids.slice(i, i + READ_BATCH_SIZE))
      .select('id', ...PREVIOUS_STATE_COLUMNS);
    for (const row of rows) states.set(row.id, toPreviousState(row));
  }
  return states;
}

/**
 * Judges the writes of objects against what was stored: each write's history facts, and the status changes to
 * record, which are inserted in the same transaction as the writes.
 */
export async function recordTransitions(
  tx: Knex.Transaction,
  cluster: string,
  writes: Array<{ id: string; obj: ParsedFluxObject }>,
  previous: Map<string, StoredState>,
  now: Date,
): Promise<Map<string, HistoryFacts>> {
  const facts = new Map<string, HistoryFacts>();
  const rows = [];
  for (const { id, obj } of writes) {
    const stored = previous.get(id);
    const judged = judgeTransition(
      stored,
      { status: obj.status, conditionChangedAt: obj.conditionChangedAt },
      now,
    );
    facts.set(id, {
      failingSince: judged.failingSince,
      statusSince: judged.statusSince,
      reconcileRequestedAt: requestedAt(obj.pendingRequest, stored, now),
      revisionSince: judgeRevisionSince(
        stored,
        { revision: obj.revision, changedAt: obj.revisionChangedAt },
        now,
      ),
    });
    const change = judged.transition;
    if (!change) continue;
    rows.push({
      resource_id: id,
      cluster,
      kind: obj.kind,
      namespace: obj.namespace,
      name: obj.name,
      from_status: change.from ?? null,
      to_status: change.to,
      reason: obj.reason?.slice(0, 255) ?? null,
      message: obj.message ?? null,
      revision: obj.revision ?? null,
      at: change.at,
      opens_failure: change.opensFailure,
      recovery_ms: change.recoveryMs ?? null,
      // For the owners: a failure that opens or ends, not an object first seen failing (a new cluster's first
      // sync would tell of every failure it has).
      notification:
        change.from !== undefined &&
        (change.opensFailure || change.recoveryMs !== undefined)
          ? 'pending'
          : null,
    });
  }
  for (let i = 0; i < rows.length; i += READ_BATCH_SIZE) {
    await tx(TRANSITIONS).insert(rows.slice(i, i + READ_BATCH_SIZE));
  }
  return facts;
}

/** The status changes of one object, newest first. */
export async function listTransitions(
  db: Knex,
  resourceId: string,
  limit: number,
): Promise<StatusTransition[]> {
  const rows: Row[] = await db(TRANSITIONS)
    .where({ resource_id: resourceId })
    .orderBy([
      { column: 'at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(limit);
  return rows.map(row => ({
    from: row.from_status ?? undefined,
    to: row.to_status,
    reason: row.reason ?? undefined,
    message: row.message ?? undefined,
    revision: row.revision ?? undefined,
    at: toIsoTimestamp(row.at)!,
    recoveredAfterMs:
      row.recovery_ms === null || row.recovery_ms === undefined
        ? undefined
        : Number(row.recovery_ms),
  }));
}

/** Sums of figures, and the mean time to recovery of the sums. */
class Tally {
  failures = 0;
  recoveries = 0;
  recoveryMs = 0;

  add(row: Row) {
    this.failures += Number(row.failures);
    this.recoveries += Number(row.recoveries);
    this.recoveryMs += Number(row.recovery_ms_sum ?? 0);
  }

  figures(): ReliabilityFigures {
    return {
      failures: this.failures,
      recoveries: this.recoveries,
      meanTimeToRecoveryMs:
        this.recoveries > 0
          ? Math.round(this.recoveryMs / this.recoveries)
          : undefined,
    };
  }
}

function tallyBy(rows: Row[], key: (row: Row) => string) {
  const tallies = new Map<string, Tally>();
  for (const row of rows) {
    const name = key(row);
    if (!tallies.has(name)) tallies.set(name, new Tally());
    tallies.get(name)!.add(row);
  }
  return [...tallies.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, tally]) => [name, tally.figures()] as const)
    .filter(([, f]) => f.failures > 0 || f.recoveries > 0);
}

/**
 * Failures opened and recoveries made since `from`, of the objects of `scope`: in all, per cluster and per
 * kind, from one pass over the window's changes grouped by cluster and kind (a few hundred groups). A label
 * scope matches the changes of objects that still carry the label; a gone object's history is then left out
 * rather than shown to someone who may not see it.
 */
export async function queryReliability(
  db: Knex,
  scope: ResourceScope,
  from: Date,
): Promise<{
  totals: ReliabilityFigures;
  byCluster: Array<{ cluster: string } & ReliabilityFigures>;
  byKind: Array<{ kind: FluxKind } & ReliabilityFigures>;
}> {
  const rows: Row[] = await whereResourceScope(
    db,
    db(TRANSITIONS).where(`${TRANSITIONS}.at`, '>=', from),
    scope,
    TRANSITIONS,
  )
    .select(
      `${TRANSITIONS}.cluster`,
      `${TRANSITIONS}.kind`,
      db.raw(
        `sum(case when ${TRANSITIONS}.opens_failure then 1 else 0 end) as failures`,
      ),
      db.raw(`count(${TRANSITIONS}.recovery_ms) as recoveries`),
      db.raw(`sum(${TRANSITIONS}.recovery_ms) as recovery_ms_sum`),
    )
    .groupBy(`${TRANSITIONS}.cluster`, `${TRANSITIONS}.kind`);
  const totals = new Tally();
  for (const row of rows) totals.add(row);
  return {
    totals: totals.figures(),
    byCluster: tallyBy(rows, row => row.cluster).map(([cluster, f]) => ({
      cluster,
      ...f,
    })),
    byKind: tallyBy(rows, row => row.kind).map(([kind, f]) => ({
      kind: kind as FluxKind,
      ...f,
    })),
  };
}

/** Removes the status changes from before `before`; answers how many went. */
export async function pruneTransitions(
  db: Knex,
  before: Date,
): Promise<number> {
  // What was last sent about an object before then no longer limits what is sent next.
  await db('flux_notified_objects').where('sent_at', '<', before).delete();
  return db(TRANSITIONS).where('at', '<', before).delete();
}
