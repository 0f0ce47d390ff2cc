/*
 * Notifications to the owners of an object's entities (issue 13): the status changes that open a failure or end
 * one are an outbox, marked pending when written in the transaction that writes the object, and settled by the
 * notification task (sent, suppressed by the rate limit, unowned, expired, or refused by the notifications
 * backend). The last notification sent per
 * object keeps the rate limit and tells a recovery whose failure nobody heard of.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('flux_status_transitions', table => {
    table
      .string('notification', 16)
      .nullable()
      .comment(
        'pending | sent | summarized | suppressed | unowned | expired | undeliverable',
      );
  });
  // Only the pending rows are ever looked for: a small index however long the history.
  await knex.schema.alterTable('flux_status_transitions', table => {
    table.index(['id'], 'flux_status_transitions_pending_idx', {
      predicate: knex.whereRaw("notification = 'pending'"),
    });
  });
  await knex.schema.createTable('flux_notified_objects', table => {
    table.comment('The last notification sent about each object');
    table.string('resource_id', 600).primary().notNullable();
    table
      .string('event', 16)
      .notNullable()
      .comment('failing | stalled | recovered');
    table.timestamp('sent_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('flux_notified_objects');
  await knex.schema.alterTable('flux_status_transitions', table => {
    table.dropIndex([], 'flux_status_transitions_pending_idx');
  });
  await knex.raw(
    'alter table flux_status_transitions drop column notification',
  );
};
