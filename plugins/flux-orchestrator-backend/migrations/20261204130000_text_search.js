/*
 * Trigram indexes for the resource lists' text search on PostgreSQL (issue 10). The search is a substring match
 * (`lower(column) like '%text%'`) over the columns below; without these indexes every search reads the whole
 * table, longest when nothing matches. pg_trgm ships with PostgreSQL and is a trusted extension (13+), so the
 * database owner the plugin connects as may create it; where it may not, the search keeps scanning, as it does
 * on SQLite, and the migration says so rather than failing the backend's start.
 */

const SEARCHED = ['name', 'namespace', 'reason', 'message', 'revision'];

/**
 * New entries wait in a GIN index's pending list until a vacuum (or the list's limit) merges them, and every
 * search reads the whole list: a freshly synced fleet searched in 65 ms instead of 3 ms with the default 4 MB.
 * A small list merges often, a little at a time, as the watches write.
 */
const PENDING_LIST_KB = 256;

async function hasTrigrams(knex) {
  const { rows } = await knex.raw(
    `select 1 from pg_extension where extname = 'pg_trgm'`,
  );
  if (rows.length) return true;
  try {
    // A savepoint, so that a refusal leaves the migration's transaction usable.
    await knex.transaction(trx =>
      trx.raw('create extension if not exists pg_trgm'),
    );
    return true;
  } catch (error) {
    console.warn(
      `flux-orchestrator: text search stays a full scan, the pg_trgm extension could not be created: ${error.message}`,
    );
    return false;
  }
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  if (knex.client.config.client !== 'pg' || !(await hasTrigrams(knex))) return;
  for (const column of SEARCHED) {
    await knex.raw(
      `create index if not exists flux_resources_text_${column}_idx on flux_resources using gin (lower(${column}) gin_trgm_ops)
       with (gin_pending_list_limit = ${PENDING_LIST_KB})`,
    );
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (knex.client.config.client !== 'pg') return;
  for (const column of SEARCHED)
    await knex.raw(`drop index if exists flux_resources_text_${column}_idx`);
};
