/*
 * Counts of Flux objects kept as they are written (issue 10): the summary, the cluster list and the totals of
 * unfiltered or facet-filtered lists read a few hundred count rows instead of grouping the whole table on every
 * request. Triggers keep them, so every write path (sync, watch, action, cluster deletion) counts alike and no
 * write can forget to. Rows are keyed by every facet a list filters on or a permission scopes by, except labels.
 */

const KEY = ['cluster', 'namespace', 'kind', 'status', 'suspended'];
const KEY_LIST = KEY.join(', ');

/**
 * PostgreSQL: one statement trigger per operation, which adds the statement's net change per key in one
 * upsert (in key order) and drops keys that reach zero. Row triggers would write a count row per object.
 */
function postgresCountingTrigger(operation, deltas) {
  const transition = {
    INSERT: 'referencing new table as new_rows',
    UPDATE: 'referencing old table as old_rows new table as new_rows',
    DELETE: 'referencing old table as old_rows',
  }[operation];
  const name = `flux_resource_counts_${operation.toLowerCase()}`;
  const netChange = `select ${KEY_LIST}, sum(n) as n from (${deltas}) d group by ${KEY_LIST}`;
  return [
    `create function ${name}() returns trigger language plpgsql as $$
     begin
       insert into flux_resource_counts as c (${KEY_LIST}, count)
         select ${KEY_LIST}, n from (${netChange}) changed where n <> 0 order by ${KEY_LIST}
       on conflict (${KEY_LIST}) do update set count = c.count + excluded.count;
       delete from flux_resource_counts c
         where c.count = 0 and (${KEY.map(k => `c.${k}`).join(
           ', ',
         )}) in (select ${KEY_LIST} from (${deltas}) d);
       return null;
     end $$`,
    `create trigger ${name} after ${operation} on flux_resources ${transition}
     for each statement execute function ${name}()`,
  ];
}

const ADDED = `select ${KEY_LIST}, 1 as n from new_rows`;
const REMOVED = `select ${KEY_LIST}, -1 as n from old_rows`;

const POSTGRES_TRIGGERS = [
  ...postgresCountingTrigger('INSERT', ADDED),
  ...postgresCountingTrigger('UPDATE', `${ADDED} union all ${REMOVED}`),
  ...postgresCountingTrigger('DELETE', REMOVED),
];

/** SQLite has row triggers only; the embedded default holds a demo fleet, so a count row per object is fine. */
function sqliteCount(row, n) {
  const values = KEY.map(k => `${row}.${k}`).join(', ');
  const match = KEY.map(k => `${k} = ${row}.${k}`).join(' and ');
  return `insert into flux_resource_counts (${KEY_LIST}, count) values (${values}, ${n})
      on conflict (${KEY_LIST}) do update set count = count + ${n};
    delete from flux_resource_counts where ${match} and count = 0;`;
}

const SQLITE_TRIGGERS = [
  `create trigger flux_resource_counts_insert after insert on flux_resources begin ${sqliteCount(
    'new',
    1,
  )} end`,
  `create trigger flux_resource_counts_update after update of ${KEY_LIST} on flux_resources
   when ${KEY.map(k => `old.${k} is not new.${k}`).join(' or ')}
   begin ${sqliteCount('old', -1)} ${sqliteCount('new', 1)} end`,
  `create trigger flux_resource_counts_delete after delete on flux_resources begin ${sqliteCount(
    'old',
    -1,
  )} end`,
];

function isPostgres(knex) {
  return knex.client.config.client === 'pg';
}

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('flux_resource_counts', table => {
    table.comment(
      'How many Flux objects there are per cluster, namespace, kind, status and suspension',
    );
    table.string('cluster', 253).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('kind', 64).notNullable();
    table.string('status', 16).notNullable();
    table.boolean('suspended').notNullable();
    table.bigInteger('count').notNullable();
    // No foreign key: a cluster's deletion cascades to its objects, whose trigger then zeroes these rows.
    table.primary(KEY, 'flux_resource_counts_pkey');
  });
  await knex.raw(
    `insert into flux_resource_counts (${KEY_LIST}, count)
     select ${KEY_LIST}, count(*) from flux_resources group by ${KEY_LIST}`,
  );
  for (const statement of isPostgres(knex)
    ? POSTGRES_TRIGGERS
    : SQLITE_TRIGGERS)
    await knex.raw(statement);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const operation of ['insert', 'update', 'delete']) {
    const name = `flux_resource_counts_${operation}`;
    if (isPostgres(knex)) {
      await knex.raw(`drop trigger if exists ${name} on flux_resources`);
      await knex.raw(`drop function if exists ${name}()`);
    } else {
      await knex.raw(`drop trigger if exists ${name}`);
    }
  }
  await knex.schema.dropTable('flux_resource_counts');
};
