import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { fluxPermissions } from '@internal/plugin-flux-orchestrator-common';
import { ClusterRegistry } from './clusters/ClusterRegistry';
import { readConfigClusters } from './clusters/readConfigClusters';
import { DatabaseFluxStore } from './database/DatabaseFluxStore';
import { createRouter } from './router';
import { ClusterSyncer } from './sync/ClusterSyncer';
import { readSyncSettings } from './sync/readSyncSettings';

/**
 * The Flux Orchestrator backend: keeps every cluster's Flux objects in the plugin database, synced by a
 * scheduler task, and serves them under /api/flux-orchestrator.
 *
 * @public
 */
export const fluxOrchestratorPlugin = createBackendPlugin({
  pluginId: 'flux-orchestrator',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init(deps) {
        const { config, logger, scheduler } = deps;
        const settings = readSyncSettings(config);
        const store = await DatabaseFluxStore.create({ database: deps.database });
        const registry = new ClusterRegistry(store, readConfigClusters(config), logger);
        await registry.refresh();
        const syncer = new ClusterSyncer({
          store,
          registry,
          logger,
          clusterTimeoutMs: settings.clusterTimeoutMs,
          concurrency: settings.concurrency,
        });

        deps.permissionsRegistry.addPermissions(fluxPermissions);

        await scheduler.scheduleTask({
          id: 'flux-orchestrator-sync-fleet',
          ...settings.schedule,
          scope: 'global',
          fn: async () => {
            await registry.refresh();
            const runs = await syncer.syncAll('schedule');
            const failed = runs.filter(r => r.status !== 'succeeded').length;
            logger.info(
              `Synced ${runs.length} cluster(s): ${runs.length - failed} fully, ${failed} with errors`,
            );
          },
        });

        deps.httpRouter.use(
          await createRouter({
            store,
            syncer,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
          }),
        );
      },
    });
  },
});
