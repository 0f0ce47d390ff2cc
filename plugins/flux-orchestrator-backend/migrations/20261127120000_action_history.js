/*
 * Every action taken through the console (reconcile, suspend, resume), for the object's history in the UI.
 * The audit log proper goes to the auditor service; this table is what users see.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('action_history', table => {
    table.comment('Actions taken on Flux objects through the console');
    table.increments('id').primary();
    table
      .string('cluster', 253)
      .notNullable()
      .references('name')
      .inTable('clusters')
      .onDelete('CASCADE');
    table
      .string('resource_id', 600)
      .notNullable()
      .comment('cluster:Kind:namespace:name');
    table.string('kind', 64).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('name', 253).notNullable();
    table
      .string('action', 16)
      .notNullable()
      .comment('reconcile | suspend | resume');
    table.boolean('with_source').notNullable().defaultTo(false);
    table
      .string('actor', 255)
      .notNullable()
      .comment('entity ref of the user or service');
    table.string('outcome', 16).notNullable().comment('succeeded | failed');
    table.text('error').nullable();
    table
      .string('requested_at', 64)
      .nullable()
      .comment('the reconcile.fluxcd.io/requestedAt token written');
    table.timestamp('at', { useTz: true }).notNullable();
    table.index(['resource_id', 'id'], 'action_history_resource_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('action_history');
};
