import { notificationService } from '@backstage/plugin-notifications-node';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  FLUX_SIGNAL_CHANNEL,
  FluxSignal,
  fluxClusterCreatePermission,
  fluxClusterPermissions,
  fluxResourcePermissions,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import {
  FluxClusterSource,
  fluxClusterSourcesExtensionPoint,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-node';
import { ResourceActions } from './actions/ResourceActions';
import { CatalogClusterSource } from './clusters/CatalogClusterSource';
import { ClusterAdmin } from './clusters/ClusterAdmin';
import { ClusterRegistry } from './clusters/ClusterRegistry';
import { CredentialCipher } from './clusters/CredentialCipher';
import { KubernetesPluginClusterSource } from './clusters/KubernetesPluginClusterSource';
import {
  configClusterSource,
  readConfigClusters,
} from './clusters/readConfigClusters';
import { readClusterPolicy } from './clusters/readClusterPolicy';
import { RegisteredClusterSource } from './clusters/RegisteredClusterSource';
import { DatabaseFluxStore } from './database/DatabaseFluxStore';
import { EntitySelections } from './permissions/EntitySelections';
import { OwnerNotifier } from './notifications/OwnerNotifier';
import { readNotificationSettings } from './notifications/readNotificationSettings';
import {
  fluxClusterPermissionResourceRef,
  fluxClusterPermissionRules,
} from './permissions/fluxClusterRules';
import { FluxAuthorizer } from './permissions/FluxAuthorizer';
import {
  fluxResourcePermissionResourceRef,
  fluxResourcePermissionRules,
} from './permissions/fluxResourceRules';
import { EVERYTHING } from './permissions/Scope';
import { createRouter } from './router';
import { AuthorizedClusters } from './service/AuthorizedClusters';
import { AuthorizedResources } from './service/AuthorizedResources';
import { ClusterSyncer } from './sync/ClusterSyncer';
import { ChangeBatcher } from './sync/ChangeBatcher';
import { ClusterWatcher } from './sync/ClusterWatcher';
import { createFluxMetrics } from './sync/fluxMetrics';
import { readSyncSettings } from './sync/readSyncSettings';
import { readStuckThresholds } from './history/judgeStuck';
import { resumeExpiredSuspensions } from './actions/resumeExpiredSuspensions';
import { ClusterTasks } from './sync/ClusterTasks';

/**
 * The Flux Orchestrator backend: keeps every cluster's Flux objects in the plugin database, synced by a
 * scheduler task, and serves them under /api/flux-orchestrator.
 *
 * @public
 */
export const fluxOrchestratorPlugin = createBackendPlugin({
  pluginId: 'flux-orchestrator',
  register(env) {
    const moduleSources: FluxClusterSource[] = [];
    env.registerExtensionPoint(fluxClusterSourcesExtensionPoint, {
      addClusterSource(source) {
        moduleSources.push(source);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        metrics: metricsServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, scheduler, signals } = deps;
        const settings = readSyncSettings(config);
        const { policy, network } = readClusterPolicy(config);
        const store = await DatabaseFluxStore.create({
          database: deps.database,
        });
        const cipher = CredentialCipher.fromConfig(config, {
          ephemeralDatabase: store.isEphemeral(),
          onEphemeralKey: message => logger.warn(message),
        });
        const registered = new RegisteredClusterSource({
          store,
          cipher,
          policy,
          network,
        });
        const sources = [
          configClusterSource(readConfigClusters(config, policy, network)),
          KubernetesPluginClusterSource.fromConfig(config, {
            policy,
            network,
            logger,
          }),
          ...moduleSources,
          CatalogClusterSource.fromConfig(config, {
            catalog: deps.catalog,
            auth: deps.auth,
            policy,
            network,
          }),
        ].filter((source): source is FluxClusterSource => !!source);
        const registry = new ClusterRegistry({
          store,
          registered,
          sources,
          logger,
          policy,
          network,
        });
        // The clusters are listed from the start; the catalog's wait for the first refresh, as it may not answer
        // before the backend is up.
        await registry.writeClusters(
          sources.map(s => s.id).filter(id => id !== 'catalog'),
        );
        // A run cannot outlive its cluster's deadline; one still "running" past it was cut off by a stop.
        const closeInterruptedRuns = async () => {
          const closed = await store.closeInterruptedRuns(
            new Date(Date.now() - settings.clusterTimeoutMs - 60_000),
          );
          if (closed)
            logger.info(
              `Closed ${closed} sync run(s) that a stopped backend left running`,
            );
        };
        await closeInterruptedRuns();
        const review = await registered.reviewStoredCredentials(logger);
        if (review.rotated) {
          logger.info(
            `Re-encrypted the credentials of ${review.rotated} cluster(s) with key ${cipher.currentKeyId}; the previous key can be removed once every backend instance runs with the new one`,
          );
        }
        if (review.upgraded || review.refused) {
          logger.info(
            `Re-validated the stored kubeconfigs of ${
              review.upgraded + review.refused
            } cluster(s): ${review.upgraded} rewritten as connections, ${
              review.refused
            } refused and marked unhealthy`,
          );
        }
        // Signals are best effort: a page that misses one still polls.
        const publish = (message: FluxSignal) =>
          signals
            .publish({
              recipients: { type: 'broadcast' },
              channel: FLUX_SIGNAL_CHANNEL,
              message,
            })
            .catch(error =>
              logger.debug(`Could not publish a signal: ${error}`),
            );
        // Helm values are redacted unless config keeps them for a cluster whose readers may see them.
        const metrics = createFluxMetrics(deps.metrics, store);
        const keepHelmValues = new Set(
          config.getOptionalStringArray(
            'fluxOrchestrator.secrets.keepHelmReleaseValues',
          ) ?? [],
        );
        const redactionFor = (cluster: string) => ({
          keepHelmValues: keepHelmValues.has(cluster),
        });
        const syncer = new ClusterSyncer({
          store,
          registry,
          logger,
          redactionFor,
          clusterTimeoutMs: settings.clusterTimeoutMs,
          concurrency: settings.concurrency,
          onRunFinished: run => {
            metrics.syncFinished(run);
            publish({ type: 'sync-finished' });
          },
        });
        const actions = new ResourceActions({
          store,
          registry,
          redactionFor,
          auditor: deps.auditor,
          logger,
          timeoutMs: settings.actionTimeoutMs,
          handledWaitMs: settings.handledWaitMs,
          onActionsFinished: uids => publish({ type: 'action', uids }),
        });
        // The watcher asks the tasks for a sync when a cluster comes back; the tasks run the watcher's leases.
        let tasks: ClusterTasks | undefined = undefined;
        const changes = new ChangeBatcher(1000, (_cluster, uids) =>
          publish({ type: 'changed', uids }),
        );
        const watcher = new ClusterWatcher({
          store,
          registry,
          logger,
          redactionFor,
          onChange: (cluster, uids) => changes.add(cluster, uids),
          metrics,
          listTimeoutMs: settings.clusterTimeoutMs,
          // Back after being unreachable: its health and any change the watches could not see need a full sync.
          onReconnected: cluster =>
            tasks
              ?.syncSoon(cluster)
              .catch(error =>
                logger.warn(
                  `Could not start a sync of cluster "${cluster}": ${error}`,
                ),
              ),
        });
        const clusterTasks = new ClusterTasks({
          scheduler,
          registry,
          store,
          syncer,
          watcher,
          settings,
        });
        tasks = clusterTasks;
        const admin = new ClusterAdmin({
          store,
          registered,
          policy,
          network,
          connectionTimeoutMs: settings.connectionTimeoutMs,
        });

        const entities = new EntitySelections({
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
        });
        deps.permissionsRegistry.addPermissions([fluxClusterCreatePermission]);
        // getResources serves decisions on single objects (the frontend asking about a button); lists and
        // counts never load objects to judge them, they run the decision as SQL (FluxAuthorizer).
        deps.permissionsRegistry.addResourceType({
          resourceRef: fluxResourcePermissionResourceRef,
          permissions: fluxResourcePermissions,
          rules: Object.values(fluxResourcePermissionRules),
          getResources: async ids => {
            const found = await store.getResources(ids, EVERYTHING);
            const subjects = new Map(
              (await entities.subjectsOf(found)).map(s => [s.resource.id, s]),
            );
            return ids.map(id => subjects.get(id));
          },
        });
        deps.permissionsRegistry.addResourceType({
          resourceRef: fluxClusterPermissionResourceRef,
          permissions: fluxClusterPermissions,
          rules: Object.values(fluxClusterPermissionRules),
          getResources: async names => {
            const found = new Map(
              (await store.listClusters({ field: 'name', values: names })).map(
                c => [c.name, c],
              ),
            );
            return names.map(name => found.get(name));
          },
        });
        const authorizer = new FluxAuthorizer({
          permissions: deps.permissions,
          auth: deps.auth,
          entities,
          resourceRules: deps.permissionsRegistry.getPermissionRuleset(
            fluxResourcePermissionResourceRef,
          ),
          clusterRules: deps.permissionsRegistry.getPermissionRuleset(
            fluxClusterPermissionResourceRef,
          ),
        });

        // Every replica reads every source into memory, so that whichever runs a cluster's sync can reach it;
        // one replica writes what they hold to the store.
        await scheduler.scheduleTask({
          id: 'flux-orchestrator-read-cluster-sources',
          scope: 'local',
          frequency: { minutes: 1 },
          timeout: { minutes: 1 },
          fn: () => registry.readSources(),
        });
        await scheduler.scheduleTask({
          id: 'flux-orchestrator-refresh-clusters',
          scope: 'global',
          frequency: { minutes: 1 },
          timeout: { minutes: 1 },
          initialDelay: settings.schedule.initialDelay,
          fn: async () => {
            await registry.writeClusters();
            await closeInterruptedRuns();
          },
        });
        await scheduler.scheduleTask({
          id: 'flux-orchestrator-prune-history',
          scope: 'global',
          frequency: { hours: 1 },
          timeout: { minutes: 10 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            const pruned = await store.pruneTransitions(
              new Date(Date.now() - settings.historyRetentionMs),
            );
            if (pruned)
              logger.info(
                `Removed ${pruned} status change(s) older than the history retention`,
              );
          },
        });
        // A suspension with an end is resumed by the portal when it ends (actions/resumeExpiredSuspensions.ts).
        await scheduler.scheduleTask({
          id: 'flux-orchestrator-resume-expired',
          scope: 'global',
          frequency: { minutes: 1 },
          timeout: { minutes: 5 },
          initialDelay: settings.schedule.initialDelay,
          fn: async () => {
            await resumeExpiredSuspensions({ store, actions, logger });
          },
        });
        const notificationSettings = readNotificationSettings(config);
        if (notificationSettings.enabled) {
          const notifier = new OwnerNotifier({
            store,
            matchers: () => entities.matchers(),
            notifications: deps.notifications,
            logger,
            settings: notificationSettings,
          });
          // One replica at a time settles the outbox; every 30 s by default keeps a failure's notice within a minute.
          await scheduler.scheduleTask({
            id: 'flux-orchestrator-notify-owners',
            scope: 'global',
            frequency: notificationSettings.frequency,
            timeout: { minutes: 2 },
            fn: async () => {
              const counts = await notifier.run();
              if (Object.keys(counts).length)
                logger.info(
                  `Flux notifications to entity owners: ${JSON.stringify(
                    counts,
                  )}`,
                );
            },
          });
        }
        // Every replica gives every cluster its tasks, wherever the cluster was added, so that any replica can
        // take over a cluster's sync and watches.
        await clusterTasks.scheduleAll();
        await scheduler.scheduleTask({
          id: 'flux-orchestrator-schedule-clusters',
          scope: 'local',
          frequency: { seconds: 30 },
          timeout: { minutes: 1 },
          fn: () => clusterTasks.scheduleAll(),
        });
        deps.httpRouter.use(
          await createRouter({
            clusters: new AuthorizedClusters({
              store,
              admin,
              authorizer,
              auditor: deps.auditor,
              logger,
              syncNow: name => clusterTasks.syncNow(name),
              onClusterAdded: () => clusterTasks.scheduleAll(),
            }),
            resources: new AuthorizedResources({
              store,
              actions,
              authorizer,
              catalog: deps.catalog,
              entities,
              userInfo: deps.userInfo,
              historyRetentionMs: settings.historyRetentionMs,
              stuckThresholds: readStuckThresholds(config),
            }),
            httpAuth: deps.httpAuth,
          }),
        );
      },
    });
  },
});
