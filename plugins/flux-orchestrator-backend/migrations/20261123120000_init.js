/*
 * The registered clusters, the Flux objects synced from them, and the history of syncs.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('clusters', table => {
    table.comment(
      'Clusters from config, the API and the catalog, merged by name',
    );
    table.string('name', 253).primary().notNullable();
    table.string('title').notNullable();
    table.text('description').nullable();
    table.string('source', 16).notNullable().comment('config | api | catalog');
    table
      .text('server')
      .nullable()
      .comment('API server URL; never credentials');
    table
      .text('credentials')
      .nullable()
      .comment('AES-256-GCM encrypted connection (API clusters only)');
    table.string('health_status', 16).notNullable().defaultTo('unknown');
    table.text('health_error').nullable();
    table.string('kubernetes_version').nullable();
    table.boolean('flux_installed').notNullable().defaultTo(false);
    table.string('flux_version').nullable();
    table.text('served_versions').nullable().comment('JSON: kind -> version');
    table.text('kind_errors').nullable().comment('JSON: kind -> error');
    table.timestamp('health_checked_at', { useTz: true }).nullable();
    table.timestamp('last_synced_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('flux_resources', table => {
    table.comment('The Flux objects of every cluster, as of their last sync');
    table
      .string('id', 600)
      .primary()
      .notNullable()
      .comment('cluster:Kind:namespace:name');
    table
      .string('cluster', 253)
      .notNullable()
      .references('name')
      .inTable('clusters')
      .onDelete('CASCADE');
    table.string('kind', 64).notNullable();
    table.string('api_version', 128).notNullable();
    table.string('namespace', 63).notNullable();
    table.string('name', 253).notNullable();
    table.string('uid', 64).notNullable();
    table.string('resource_version', 64).notNullable();
    table.string('status', 16).notNullable();
    table.string('ready', 8).notNullable();
    table.string('reason', 255).nullable();
    table.text('message').nullable();
    table.boolean('suspended').notNullable().defaultTo(false);
    table.text('revision').nullable();
    table.text('attempted_revision').nullable();
    table.string('source_kind', 64).nullable();
    table.string('source_name', 253).nullable();
    table.string('source_namespace', 63).nullable();
    table.timestamp('last_reconcile_at', { useTz: true }).nullable();
    table.string('last_handled_reconcile_at', 255).nullable();
    table.bigInteger('generation').nullable();
    table.bigInteger('observed_generation').nullable();
    table.text('labels').notNullable().comment('JSON');
    table.timestamp('created_at', { useTz: true }).nullable();
    table.timestamp('synced_at', { useTz: true }).notNullable();
    table.text('object').notNullable().comment('JSON, without managedFields');

    table.unique(['cluster', 'kind', 'namespace', 'name'], {
      indexName: 'flux_resources_identity_idx',
    });
    // The filters the UI offers: status tiles, kind and namespace pickers, suspended toggle, sources.
    table.index(['status'], 'flux_resources_status_idx');
    table.index(['kind', 'status'], 'flux_resources_kind_status_idx');
    table.index(['namespace'], 'flux_resources_namespace_idx');
    table.index(['suspended'], 'flux_resources_suspended_idx');
    table.index(['name'], 'flux_resources_name_idx');
    table.index(
      ['cluster', 'source_kind', 'source_namespace', 'source_name'],
      'flux_resources_source_idx',
    );
  });

  await knex.schema.createTable('sync_runs', table => {
    table.comment('One row per sync of one cluster');
    table.increments('id').primary();
    table
      .string('cluster', 253)
      .notNullable()
      .references('name')
      .inTable('clusters')
      .onDelete('CASCADE');
    table.string('trigger', 16).notNullable();
    table.string('status', 16).notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.integer('duration_ms').nullable();
    table.integer('listed').notNullable().defaultTo(0);
    table.integer('inserted').notNullable().defaultTo(0);
    table.integer('updated').notNullable().defaultTo(0);
    table.integer('deleted').notNullable().defaultTo(0);
    table.integer('unchanged').notNullable().defaultTo(0);
    table.text('error').nullable();
    table.index(['cluster', 'started_at'], 'sync_runs_cluster_started_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('sync_runs');
  await knex.schema.dropTable('flux_resources');
  await knex.schema.dropTable('clusters');
};
