/*
 * The trust boundary (issue 9): catalog clusters are identified by entity ref, and the Flux objects are stored
 * without their secrets, with the list of what was redacted. Rows synced before this change may hold secrets
 * (Helm values, substitutions, credentials in URLs, last-applied-configuration): their object and message are
 * cleared here, and their resource version too, so that the next sync rewrites every one of them redacted.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('clusters', table => {
    table
      .text('entity_ref')
      .nullable()
      .comment(
        'catalog clusters: the Resource entity that defines the cluster',
      );
  });
  await knex.schema.alterTable('flux_resources', table => {
    table
      .text('redacted')
      .nullable()
      .comment('JSON: paths of the values removed before storing');
  });
  await knex('flux_resources').update({
    object: '{}',
    message: null,
    resource_version: '',
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('flux_resources', table => {
    table.dropColumn('redacted');
  });
  await knex.schema.alterTable('clusters', table => {
    table.dropColumn('entity_ref');
  });
};
