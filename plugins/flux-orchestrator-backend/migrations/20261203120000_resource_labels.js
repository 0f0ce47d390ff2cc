/*
 * Labels as rows (issue 9): label selectors, the entity rule of the permission policy and the entity tab select
 * objects by label in SQL, on SQLite and PostgreSQL alike, as the catalog does with its search table. Only
 * labels that Kubernetes itself accepts are rows (key up to 253 + 1 + 63 characters, value up to 63); the JSON
 * column keeps every label for display.
 */

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function labelRows(row) {
  let labels;
  try {
    labels = JSON.parse(row.labels);
  } catch {
    return [];
  }
  if (!labels || typeof labels !== 'object' || Array.isArray(labels)) return [];
  return Object.entries(labels)
    .filter(
      ([key, value]) =>
        typeof value === 'string' &&
        key.length <= 317 &&
        value.length <= 63 &&
        LABEL_KEY.test(key) &&
        LABEL_VALUE.test(value),
    )
    .map(([key, value]) => ({
      resource_id: row.id,
      cluster: row.cluster,
      key,
      value,
    }));
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('flux_resource_labels', table => {
    table.comment(
      'One row per label of a Flux object, so label selectors run in SQL',
    );
    table.string('resource_id', 600).notNullable().comment('flux_resources.id');
    table
      .string('cluster', 253)
      .notNullable()
      .comment('for deleting a cluster without a join');
    table.string('key', 317).notNullable();
    table.string('value', 63).notNullable();
    table.primary(['resource_id', 'key']);
    table.index(['key', 'value'], 'flux_resource_labels_key_value_idx');
    table.index(['cluster'], 'flux_resource_labels_cluster_idx');
  });
  // Pages by id, so a large fleet's backfill never holds every object in memory.
  let after = '';
  for (;;) {
    const rows = await knex('flux_resources')
      .where('id', '>', after)
      .orderBy('id')
      .limit(1000)
      .select('id', 'cluster', 'labels');
    if (!rows.length) break;
    const labels = rows.flatMap(labelRows);
    for (let i = 0; i < labels.length; i += 1000) {
      await knex('flux_resource_labels').insert(labels.slice(i, i + 1000));
    }
    after = rows[rows.length - 1].id;
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('flux_resource_labels');
};
