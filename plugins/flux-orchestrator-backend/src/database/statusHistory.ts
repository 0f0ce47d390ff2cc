import {
  FluxKind,
  ReliabilityFigures,
  StatusTransition,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { Knex } from 'knex';
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
export const PREVIOUS_STATE_COLUMNS = ['status', 'failing_since', 'synced_at'];

export function toPreviousState(row: Row): PreviousState {
  return {
    status: row.status,
    failingSince: toDate(row.failing_since),
    writtenAt: toDate(row.synced_at) ?? new Date(0),
  };
}

/** What the store holds of the objects about to be rewritten, by id. */
export async function readPreviousStates(
  tx: Knex.Transaction,
  ids: string[],
): Promise<Map<string, PreviousState>> {
  const states = new Map<string, PreviousState>();
  for (let i = 0; i < ids.length; i += READ_BATCH_SIZE) {
    const rows: Row[] = await tx('flux_resources')
      .whereIn('id', ids.slice(i, i + READ_BATCH_SIZE))
      .select('id', ...PREVIOUS_STATE_COLUMNS);
    for (const row of rows) states.set(row.id, toPreviousState(row));
  }
  return states;
}

/**
 * Judges the writes of objects against what was stored: each write's `failing_since`, and the status changes
 * to record, which are inserted in the same transaction as the writes.
 */
export async function recordTransitions(
  tx: Knex.Transaction,
  cluster: string,
  writes: Array<{ id: string; obj: ParsedFluxObject }>,
  previous: Map<string, PreviousState>,
  now: Date,
): Promise<Map<string, Date | undefined>> {
  const failingSince = new Map<string, Date | undefined>();
  const rows = [];
  for (const { id, obj } of writes) {
    const judged = judgeTransition(
      previous.get(id),
      { status: obj.status, conditionChangedAt: obj.conditionChangedAt },
      now,
    );
    failingSince.set(id, judged.failingSince);
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
    });
  }
  for (let i = 0; i < rows.length; i += READ_BATCH_SIZE) {
    await tx(TRANSITIONS).insert(rows.slice(i, i + READ_BATCH_SIZE));
  }
  return failingSince;
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

function figuresOf(row: Row | undefined): ReliabilityFigures {
  const recoveries = Number(row?.recoveries ?? 0);
  return {
    failures: Number(row?.failures ?? 0),
    recoveries,
    meanTimeToRecoveryMs:
      recoveries > 0
        ? Math.round(Number(row!.recovery_ms_sum) / recoveries)
        : undefined,
  };
}

/**
 * Failures opened and recoveries made since `from`, of the objects of `scope`: in all, per cluster and per
 * kind. A label scope matches the changes of objects that still carry the label; a gone object's history is
 * then left out rather than shown to someone who may not see it.
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
  const grouped = (column?: 'cluster' | 'kind') => {
    const query = whereResourceScope(
      db,
      db(TRANSITIONS).where(`${TRANSITIONS}.at`, '>=', from),
      scope,
      TRANSITIONS,
    ).select(
      db.raw(
        `sum(case when ${TRANSITIONS}.opens_failure then 1 else 0 end) as failures`,
      ),
      db.raw(`count(${TRANSITIONS}.recovery_ms) as recoveries`),
      db.raw(`sum(${TRANSITIONS}.recovery_ms) as recovery_ms_sum`),
    );
    if (column) {
      query
        .select(`${TRANSITIONS}.${column} as key`)
        .groupBy(`${TRANSITIONS}.${column}`)
        .orderBy(`${TRANSITIONS}.${column}`);
    }
    return query;
  };
  const [totals, byCluster, byKind] = await Promise.all([
    grouped(),
    grouped('cluster'),
    grouped('kind'),
  ]);
  const active = (row: Row) =>
    Number(row.failures) > 0 || Number(row.recoveries) > 0;
  return {
    totals: figuresOf(totals[0]),
    byCluster: byCluster
      .filter(active)
      .map((row: Row) => ({ cluster: row.key, ...figuresOf(row) })),
    byKind: byKind
      .filter(active)
      .map((row: Row) => ({ kind: row.key, ...figuresOf(row) })),
  };
}

/** Removes the status changes from before `before`; answers how many went. */
export async function pruneTransitions(
  db: Knex,
  before: Date,
): Promise<number> {
  return db(TRANSITIONS).where('at', '<', before).delete();
}
