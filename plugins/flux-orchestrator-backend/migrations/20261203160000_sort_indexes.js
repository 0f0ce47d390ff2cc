/*
 * An index per sort the resource table offers (issue 10), each with the id as its tie-breaker, so that a page
 * sorted by any column is read in index order instead of sorting the whole table on every request.
 */

const SORTS = ['name', 'namespace', 'kind', 'cluster', 'last_reconcile_at'];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('flux_resources', table => {
    for (const column of SORTS)
      table.index([column, 'id'], `flux_resources_sort_${column}_idx`);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('flux_resources', table => {
    for (const column of SORTS)
      table.dropIndex([column, 'id'], `flux_resources_sort_${column}_idx`);
  });
};
