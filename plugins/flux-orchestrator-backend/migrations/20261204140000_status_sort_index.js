/*
 * An index for the status sort (issue 10), which orders by severity rather than by the status's name. It indexes
 * the very expression `src/database/resourceOrder.ts` sorts by; change both together, or the status sort reads
 * the whole table again.
 */

const SEVERITY = [
  'stalled',
  'failing',
  'progressing',
  'unknown',
  'suspended',
  'ready',
];
const SEVERITY_SQL = `(case status ${SEVERITY.map(
  (s, i) => `when '${s}' then ${i}`,
).join(' ')} else ${SEVERITY.length} end)`;

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.raw(
    `create index flux_resources_sort_status_idx on flux_resources (${SEVERITY_SQL}, id)`,
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.raw('drop index flux_resources_sort_status_idx');
};
