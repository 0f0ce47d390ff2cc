/*
 * Which replica watches a cluster, for people and for the replica tests. "Sync now" runs as the cluster's own scheduler task (issue 10), on whichever replica claims it, so that one
 * replica at a time syncs a cluster. The request is noted on the cluster, so the run records that it was asked
 * for by a person rather than by the schedule.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('clusters', table => {
    table
      .timestamp('sync_requested_at', { useTz: true })
      .nullable()
      .comment('a person asked for a sync; cleared by the run that serves it');
    table
      .string('watched_by', 255)
      .nullable()
      .comment('the replica that holds the lease on the watches (host:pid)');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('clusters', table => {
    table.dropColumn('sync_requested_at');
    table.dropColumn('watched_by');
  });
};
