/*
 * Operator intent (issue 13): who suspended an object, why and until when, as its annotations say (JSON, for the
 * lists), with the end of the suspension as a column the task that resumes expired suspensions finds rows by;
 * and a suspension's reason and end in the action history.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('flux_resources', table => {
    table
      .text('suspension')
      .nullable()
      .comment('JSON: by, reason, at, until of a suspension');
    table.timestamp('suspended_until', { useTz: true }).nullable();
    table.index(['suspended_until'], 'flux_resources_suspended_until_idx');
  });
  await knex.schema.alterTable('action_history', table => {
    table.text('reason').nullable();
    table.timestamp('until', { useTz: true }).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('action_history', table => {
    table.dropColumn('reason');
    table.dropColumn('until');
  });
  await knex.schema.alterTable('flux_resources', table => {
    table.dropIndex([], 'flux_resources_suspended_until_idx');
  });
  // Raw: knex rebuilds a SQLite table to drop a column, which the generated search_text column does not survive.
  for (const column of ['suspension', 'suspended_until']) {
    await knex.raw(`alter table flux_resources drop column ${column}`);
  }
};
