/*
 * What the stuck judgements read (issue 13): when an object took its status, its interval, since when a
 * reconcile request has waited for Flux, and when a source's artifact last changed. The last three are read from
 * the object by the sync, so every stored row is marked to be rewritten: its resourceVersion is cleared, and the
 * first sync after the upgrade rewrites each object (its status, and so its history, unchanged).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('flux_resources', table => {
    table.timestamp('status_since', { useTz: true }).nullable();
    table.bigInteger('interval_ms').nullable().comment('spec.interval');
    table
      .timestamp('reconcile_requested_at', { useTz: true })
      .nullable()
      .comment('while a reconcile request waits for Flux: when it was made');
    table.timestamp('artifact_updated_at', { useTz: true }).nullable();
    table.index(['status', 'status_since'], 'flux_resources_status_since_idx');
    table.index(
      ['reconcile_requested_at'],
      'flux_resources_reconcile_requested_idx',
    );
    table.index(['artifact_updated_at'], 'flux_resources_artifact_idx');
  });
  await knex('flux_resources').update({
    status_since: knex.raw('coalesce(last_reconcile_at, synced_at)'),
    resource_version: '',
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('flux_resources', table => {
    table.dropIndex([], 'flux_resources_status_since_idx');
    table.dropIndex([], 'flux_resources_reconcile_requested_idx');
    table.dropIndex([], 'flux_resources_artifact_idx');
  });
  // Raw: knex rebuilds a SQLite table to drop a column, which the generated search_text column does not survive.
  for (const column of [
    'status_since',
    'interval_ms',
    'reconcile_requested_at',
    'artifact_updated_at',
  ]) {
    await knex.raw(`alter table flux_resources drop column ${column}`);
  }
};
