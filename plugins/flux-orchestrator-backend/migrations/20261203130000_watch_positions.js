/*
 * Live data (issue 10): per cluster and Flux kind, the resourceVersion a watch has applied up to, so that the
 * replica that takes a cluster's lease next resumes the watch there instead of listing again; and how a
 * cluster's data arrives (live, reconnecting, polling), shown with its health.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('watch_positions', table => {
    table.comment('Where the watch of each cluster and kind has got to');
    table.string('cluster', 253).notNullable();
    table.string('kind', 64).notNullable();
    table.string('resource_version', 64).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['cluster', 'kind']);
  });
  await knex.schema.alterTable('clusters', table => {
    table
      .string('data_mode', 16)
      .nullable()
      .comment('live | reconnecting; null: polling');
    table
      .timestamp('data_mode_since', { useTz: true })
      .nullable()
      .comment('reconnecting: since when');
    table
      .timestamp('data_mode_until', { useTz: true })
      .nullable()
      .comment(
        'the end of the lease of the replica that watches; past it the data is no longer live',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('clusters', table => {
    table.dropColumn('data_mode');
    table.dropColumn('data_mode_since');
    table.dropColumn('data_mode_until');
  });
  await knex.schema.dropTable('watch_positions');
};
