import { Knex } from 'knex';
import { SOURCE_KINDS, StuckThresholds } from '../history/judgeStuck';

/**
 * Restricts a query on `flux_resources` to the objects that meet a stuck judgement at `now`, by the same rules
 * as `judgeStuck` (which then gives the reasons). A judgement whose threshold is zero is off. Time arithmetic
 * is done on epoch milliseconds: SQLite stores the times as such, PostgreSQL is asked for them.
 */
export function whereStuck(
  query: Knex.QueryBuilder,
  thresholds: StuckThresholds,
  now: Date,
  sqlite: boolean,
): Knex.QueryBuilder {
  const epochMs = (column: string) =>
    sqlite
      ? `flux_resources.${column}`
      : `(extract(epoch from flux_resources.${column}) * 1000)`;
  const nowMs = now.getTime();
  return query.where(any => {
    if (thresholds.progressingIntervals > 0) {
      any.orWhere(q =>
        q
          .where('flux_resources.status', 'progressing')
          .whereNotNull('flux_resources.interval_ms')
          .whereNotNull('flux_resources.status_since')
          .whereRaw(
            `${epochMs('status_since')} + ? * flux_resources.interval_ms < ?`,
            [thresholds.progressingIntervals, nowMs],
          ),
      );
    }
    if (thresholds.unhandledRequestMs > 0) {
      any.orWhere(q =>
        q
          .where('flux_resources.suspended', false)
          .where(
            'flux_resources.reconcile_requested_at',
            '<',
            new Date(nowMs - thresholds.unhandledRequestMs),
          ),
      );
    }
    if (thresholds.artifactAgeIntervals > 0) {
      any.orWhere(q =>
        q
          .whereIn('flux_resources.kind', SOURCE_KINDS)
          .where('flux_resources.suspended', false)
          .whereNotNull('flux_resources.interval_ms')
          .whereNotNull('flux_resources.artifact_updated_at')
          .whereRaw(
            `${epochMs(
              'artifact_updated_at',
            )} + ? * flux_resources.interval_ms < ?`,
            [thresholds.artifactAgeIntervals, nowMs],
          ),
      );
    }
    if (thresholds.suspendedMs > 0) {
      any.orWhere(q =>
        q
          .where('flux_resources.status', 'suspended')
          .where(
            'flux_resources.status_since',
            '<',
            new Date(nowMs - thresholds.suspendedMs),
          ),
      );
    }
    // Every judgement off: nothing is stuck.
    any.orWhereRaw('1 = 0');
  });
}
