/*
 * The Kubernetes Events of Flux objects, kept live by the watches (issue 10) so that a resource page shows them
 * as they happen, without asking the cluster. Messages are stored scrubbed of inline credentials. Events expire
 * in the cluster (after an hour by default) and go from here when they do.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('flux_events', table => {
    table.comment(
      'Kubernetes Events about Flux objects, as the watches see them',
    );
    table.string('cluster', 253).notNullable();
    table.string('uid', 64).notNullable().comment("the Event object's uid");
    table
      .string('kind', 64)
      .notNullable()
      .comment('the Flux kind of the object it is about');
    table
      .string('resource_id', 600)
      .notNullable()
      .comment('flux_resources.id of that object (it may be gone)');
    table.string('type', 32).notNullable();
    table.string('reason', 255).notNullable();
    table.text('message').notNullable();
    table.integer('count').notNullable();
    table.timestamp('first_seen', { useTz: true }).nullable();
    table.timestamp('last_seen', { useTz: true }).nullable();
    table.string('source', 255).nullable();
    table.primary(['cluster', 'uid']);
    table.index(['resource_id', 'last_seen'], 'flux_events_resource_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('flux_events');
};
