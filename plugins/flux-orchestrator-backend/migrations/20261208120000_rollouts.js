/*
 * The rollout tracker (issue 13): what each object contributes to the identity of a deployment across clusters
 * (a source's location and ref, a Kustomization's path, a chart's name), the origin revision Flux records, and
 * since when the applied revision has been live. Every stored row is marked to be rewritten by the next sync,
 * which fills them.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('flux_resources', table => {
    table
      .text('origin')
      .nullable()
      .comment('JSON: its part of a deployment origin (url, ref, chart, path)');
    table
      .text('origin_revision')
      .nullable()
      .comment('the commit behind the applied revision, where Flux records it');
    table
      .timestamp('revision_since', { useTz: true })
      .nullable()
      .comment('since when the applied revision has been live');
  });
  await knex('flux_resources').update({ resource_version: '' });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  // Raw: knex rebuilds a SQLite table to drop a column, which the generated search_text column does not survive.
  for (const column of ['origin', 'origin_revision', 'revision_since'])
    await knex.raw(`alter table flux_resources drop column ${column}`);
};
