import { FluxStatus } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { Knex } from 'knex';
import { toIsoTimestamp } from '../toIsoTimestamp';
import { Row } from './rowMapping';

const TRANSITIONS = 'flux_status_transitions';
const NOTIFIED = 'flux_notified_objects';

/** Ids written at once, within every database's limit on bound values. */
const BATCH_SIZE = 500;

/** A change of status that owners are to hear of: a failure opening, or one ending. */
export interface PendingNotification {
  id: number;
  resourceId: string;
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
  to: FluxStatus;
  reason?: string;
  at: string;
  /** On a recovery: how long the failure lasted. */
  recoveryMs?: number;
}

/** How the notification task settled a pending change. */
export type NotificationOutcome =
  | 'sent'
  | 'summarized'
  | 'suppressed'
  | 'unowned'
  | 'expired'
  | 'undeliverable';

/** The last notification sent about an object. */
export interface NotifiedObject {
  event: 'failing' | 'stalled' | 'recovered';
  sentAt: Date;
}

/** The oldest pending changes, in the order they were written. */
export async function listPendingNotifications(
  db: Knex,
  limit: number,
): Promise<PendingNotification[]> {
  const rows: Row[] = await db(TRANSITIONS)
    .where('notification', 'pending')
    .orderBy('id')
    .limit(limit)
    .select(
      'id',
      'resource_id',
      'cluster',
      'kind',
      'namespace',
      'name',
      'to_status',
      'reason',
      'at',
      'recovery_ms',
    );
  return rows.map(row => ({
    id: Number(row.id),
    resourceId: row.resource_id,
    cluster: row.cluster,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    to: row.to_status,
    reason: row.reason ?? undefined,
    at: toIsoTimestamp(row.at)!,
    recoveryMs:
      row.recovery_ms === null || row.recovery_ms === undefined
        ? undefined
        : Number(row.recovery_ms),
  }));
}

/** The last notification sent about each of the objects, by id. */
export async function readNotifiedObjects(
  db: Knex,
  resourceIds: string[],
): Promise<Map<string, NotifiedObject>> {
  const found = new Map<string, NotifiedObject>();
  for (let i = 0; i < resourceIds.length; i += BATCH_SIZE) {
    const rows: Row[] = await db(NOTIFIED).whereIn(
      'resource_id',
      resourceIds.slice(i, i + BATCH_SIZE),
    );
    for (const row of rows)
      found.set(row.resource_id, {
        event: row.event,
        sentAt: new Date(toIsoTimestamp(row.sent_at)!),
      });
  }
  return found;
}

/**
 * Settles pending changes and records what was sent about which object, in one transaction: a change is never
 * marked sent without the record that rate-limits the next.
 */
export async function settleNotifications(
  db: Knex,
  outcomes: Map<number, NotificationOutcome>,
  sent: Map<string, NotifiedObject>,
): Promise<void> {
  await db.transaction(async tx => {
    const byOutcome = new Map<NotificationOutcome, number[]>();
    for (const [id, outcome] of outcomes)
      byOutcome.set(outcome, [...(byOutcome.get(outcome) ?? []), id]);
    for (const [outcome, ids] of byOutcome) {
      for (let i = 0; i < ids.length; i += BATCH_SIZE) {
        await tx(TRANSITIONS)
          .whereIn('id', ids.slice(i, i + BATCH_SIZE))
          .update({ notification: outcome });
      }
    }
    const rows = [...sent.entries()].map(([resourceId, object]) => ({
      resource_id: resourceId,
      event: object.event,
      sent_at: object.sentAt,
    }));
    for (let i = 0; i < rows.length; i += BATCH_SIZE) {
      await tx(NOTIFIED)
        .insert(rows.slice(i, i + BATCH_SIZE))
        .onConflict('resource_id')
        .merge();
    }
  });
}
