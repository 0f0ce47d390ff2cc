/*
 * Upgrade readiness (issue 13): the API version each object's manifest was last applied at, read from its
 * managed fields by the sync. Every stored row is marked to be rewritten by the next sync, which fills it.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('flux_resources', table => {
    table
      .string('applied_api_version', 128)
      .nullable()
      .comment('the version its manifest was last applied at');
    // Upgrade readiness counts only the objects at deprecated versions, found through these.
    table.index(['api_version'], 'flux_resources_api_version_idx');
    table.index(
      ['applied_api_version'],
      'flux_resources_applied_api_version_idx',
    );
  });
  await knex('flux_resources').update({ resource_version: '' });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('flux_resources', table => {
    table.dropIndex([], 'flux_resources_api_version_idx');
    table.dropIndex([], 'flux_resources_applied_api_version_idx');
  });
  // Raw: knex rebuilds a SQLite table to drop a column, which the generated search_text column does not survive.
  await knex.raw('alter table flux_resources drop column applied_api_version');
};
