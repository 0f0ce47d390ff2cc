import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  EntityFluxResources,
  FLUX_STATUSES,
  FluxAction,
  fluxClusterCreatePermission,
  fluxClusterDeletePermission,
  fluxClusterSyncPermission,
  fluxClusterUpdatePermission,
  fluxReadPermission,
  fluxResourceReconcilePermission,
  fluxResourceSuspendPermission,
  getFluxKind,
  readEntitySelector,
  StatusCounts,
} from '@internal/plugin-flux-orchestrator-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { ResourceActions } from './actions/ResourceActions';
import { ClusterAdmin } from './clusters/ClusterAdmin';
import { listKubeconfigContexts } from './clusters/parseKubeconfig';
import { FluxStore } from './database/FluxStore';
import { toLabelRequirements } from './entities/entitySelector';
import { parseBody, parseInput } from './service/parseInput';
import {
  actionRequestSchema,
  clusterRegistrationSchema,
  clusterUpdateSchema,
  kubeconfigContextsSchema,
  MAX_KUBECONFIG_LENGTH,
} from './service/requestBodySchemas';
import { resourceQuerySchema } from './service/resourceQuerySchema';
import { toClusterResponse } from './service/toClusterResponse';
import { ClusterSyncer } from './sync/ClusterSyncer';

export interface RouterOptions {
  store: FluxStore;
  syncer: ClusterSyncer;
  admin: ClusterAdmin;
  actions: ResourceActions;
  catalog: CatalogService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
}

const limitQuerySchema = z
  .object({
    limit: z.coerce
      .number({ message: 'must be a number' })
      .int({ message: 'must be a whole number' })
      .min(1, { message: 'must be at least 1' })
      .max(200, { message: 'must be at most 200' })
      .optional(),
  })
  .strict();

const entityQuerySchema = z
  .object({ entityRef: z.string({ message: 'is required, e.g. component:default/podinfo' }).min(1).max(500) })
  .strict();

/** Objects an entity page lists at most; an entity selecting more has a selector too wide to be useful. */
const MAX_ENTITY_RESOURCES = 2000;

const ACTION_PERMISSIONS: Record<FluxAction, BasicPermission> = {
  reconcile: fluxResourceReconcilePermission,
  suspend: fluxResourceSuspendPermission,
  resume: fluxResourceSuspendPermission,
};

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { store, syncer, admin, actions, catalog, httpAuth, permissions, auditor, logger } = options;
  /** The first sync after a change runs in the background; its failure is recorded in its run, and logged. */
  const syncInBackground = (cluster: string) =>
    syncer.syncCluster(cluster, 'manual').catch(error => logger.warn(`Sync of cluster "${cluster}" failed: ${error}`));
  const router = Router();
  // The largest body is a kubeconfig; JSON escaping can grow it, hence the margin over its own limit.
  router.use(express.json({ limit: MAX_KUBECONFIG_LENGTH * 2 }));

  /**
   * Passes when the policy allows any of the permissions; a denial names them all. Changes are taken from users
   * only: Backstage's permission service allows service principals without asking the policy, so a service
   * token could otherwise register clusters or patch objects past it. Reads stay open to services (another
   * plugin, a search collator), as everywhere in Backstage.
   */
  async function authorize(req: Request, ...anyOf: BasicPermission[]) {
    const mutating = anyOf.some(p => p.attributes.action !== 'read');
    const credentials = mutating
      ? await httpAuth.credentials(req, { allow: ['user'] })
      : await httpAuth.credentials(req);
    const decisions = await permissions.authorize(
      anyOf.map(permission => ({ permission })),
      { credentials },
    );
    if (!decisions.some(d => d.result === AuthorizeResult.ALLOW)) {
      const names = anyOf.map(p => `${p.name} (${p.attributes.action ?? 'use'})`).join(' or ');
      throw new NotAllowedError(`Not allowed: ${names} was denied by the permission policy`);
    }
    return credentials;
  }

  /** The entity ref of whoever the credentials belong to, for the action history. */
  function actorOf(credentials: BackstageCredentials): string {
    const principal = credentials.principal as { type: string; userEntityRef?: string; subject?: string };
    return principal.userEntityRef ?? principal.subject ?? principal.type;
  }

  async function requireCluster(name: string) {
    const cluster = await store.getCluster(name);
    if (!cluster) throw new NotFoundError(`No cluster named "${name}"`);
    return cluster;
  }

  async function requireResource(id: string) {
    const resource = await store.getResource(id);
    if (!resource) throw new NotFoundError(`No Flux object with id "${id}"`);
    return resource;
  }

  async function clusterResponse(name: string) {
    const cluster = await requireCluster(name);
    const [counts, runs] = await Promise.all([
      store.countByCluster(cluster.name),
      store.listSyncRuns(cluster.name, 1),
    ]);
    return toClusterResponse(cluster, counts[cluster.name], runs[0]);
  }

  /** Runs a cluster change as one audit event: who, which cluster, and whether it worked. */
  async function audited<T>(req: Request, eventId: string, cluster: string, fn: () => Promise<T>): Promise<T> {
    const event = await auditor.createEvent({ eventId, severityLevel: 'medium', request: req, meta: { cluster } });
    try {
      const result = await fn();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  // Clusters

  router.get('/clusters', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const [clusters, counts, runs] = await Promise.all([
      store.listClusters(),
      store.countByCluster(),
      store.latestSyncRuns(),
    ]);
    res.json(clusters.map(c => toClusterResponse(c, counts[c.name], runs[c.name])));
  });

  router.post('/clusters', async (req, res) => {
    await authorize(req, fluxClusterCreatePermission);
    const input = parseBody(clusterRegistrationSchema, req.body);
    await audited(req, 'cluster-register', input.name, () => admin.register(input));
    // The first sync runs in the background; the UI follows it through the cluster's lastSyncRun.
    syncInBackground(input.name);
    res.status(201).json(await clusterResponse(input.name));
  });

  router.post('/kubeconfig/contexts', async (req, res) => {
    // The add and the edit form both list contexts; either right is enough to read a pasted kubeconfig.
    await authorize(req, fluxClusterCreatePermission, fluxClusterUpdatePermission);
    const { kubeconfig } = parseBody(kubeconfigContextsSchema, req.body);
    res.json(listKubeconfigContexts(kubeconfig));
  });

  router.get('/clusters/:id', async (req, res) => {
    await authorize(req, fluxReadPermission);
    res.json(await clusterResponse(req.params.id));
  });

  router.put('/clusters/:id', async (req, res) => {
    await authorize(req, fluxClusterUpdatePermission);
    const input = parseBody(clusterUpdateSchema, req.body);
    await audited(req, 'cluster-update', req.params.id, () => admin.update(req.params.id, input));
    if (input.kubeconfig !== undefined || input.context !== undefined) {
      syncInBackground(req.params.id);
    }
    res.json(await clusterResponse(req.params.id));
  });

  router.delete('/clusters/:id', async (req, res) => {
    await authorize(req, fluxClusterDeletePermission);
    await audited(req, 'cluster-delete', req.params.id, () => admin.remove(req.params.id));
    res.status(204).end();
  });

  router.get('/clusters/:id/health', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const cluster = await requireCluster(req.params.id);
    res.json(cluster.health);
  });

  router.post('/clusters/:id/sync', async (req, res) => {
    await authorize(req, fluxClusterSyncPermission);
    const cluster = await requireCluster(req.params.id);
    res.json(await audited(req, 'cluster-sync', cluster.name, () => syncer.syncCluster(cluster.name, 'manual')));
  });

  router.get('/clusters/:id/sync-runs', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const query = parseInput(limitQuerySchema, req.query, 'query');
    const cluster = await requireCluster(req.params.id);
    res.json(await store.listSyncRuns(cluster.name, query.limit ?? 50));
  });

  router.get('/clusters/:id/resources', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const query = parseInput(resourceQuerySchema.omit({ cluster: true }), req.query, 'query');
    const cluster = await requireCluster(req.params.id);
    res.json(await store.listResources({ ...query, cluster: [cluster.name] }));
  });

  // Flux objects

  router.get('/resources', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const query = parseInput(resourceQuerySchema, req.query, 'query');
    res.json(await store.listResources(query));
  });

  for (const action of ['reconcile', 'suspend', 'resume'] as const) {
    router.post(`/resources/${action}`, async (req, res) => {
      const credentials = await authorize(req, ACTION_PERMISSIONS[action]);
      const input = parseBody(actionRequestSchema, req.body);
      const ids = [...new Set(input.ids)];
      const resources = await actions.requireResources(ids);
      if (action !== 'reconcile') {
        const fixed = resources.filter(r => !getFluxKind(r.kind)?.suspendable);
        if (fixed.length) {
          throw new InputError(
            `ids: ${fixed.map(r => `${r.kind} ${r.namespace}/${r.name}`).join(', ')} cannot be suspended or resumed (the kind has no spec.suspend)`,
          );
        }
      }
      const results = await actions.run(action, resources, input.withSource ?? false, {
        actor: actorOf(credentials),
        request: req,
      });
      res.json({ results });
    });
  }

  router.get('/resources/:id', async (req, res) => {
    await authorize(req, fluxReadPermission);
    res.json(await requireResource(req.params.id));
  });

  router.get('/resources/:id/events', async (req, res) => {
    await authorize(req, fluxReadPermission);
    res.json(await actions.events(await requireResource(req.params.id)));
  });

  router.get('/resources/:id/reconcile-status', async (req, res) => {
    await authorize(req, fluxReadPermission);
    res.json(await actions.reconcileStatus(await requireResource(req.params.id)));
  });

  router.get('/resources/:id/actions', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const query = parseInput(limitQuerySchema, req.query, 'query');
    const resource = await requireResource(req.params.id);
    res.json(await store.listActions(resource.id, query.limit ?? 50));
  });

  router.get('/resources/:id/dependents', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const resource = await requireResource(req.params.id);
    res.json(await store.listDependents(resource.id));
  });

  // Catalog entities

  router.get('/entity-resources', async (req, res) => {
    const credentials = await authorize(req, fluxReadPermission);
    const { entityRef } = parseInput(entityQuerySchema, req.query, 'query');
    let ref;
    try {
      ref = parseEntityRef(entityRef);
    } catch (error) {
      throw new InputError(`Invalid query: entityRef: ${(error as Error).message}`);
    }
    // The user's own credentials: an entity they cannot see in the catalog is not found here either.
    const entity = await catalog.getEntityByRef(ref, { credentials });
    if (!entity) throw new NotFoundError(`No catalog entity ${stringifyEntityRef(ref)}`);
    const selector = readEntitySelector(entity.metadata.annotations);
    if (!selector) {
      throw new InputError(
        `Entity ${stringifyEntityRef(entity)} has none of the annotations backstage.io/kubernetes-id, backstage.io/kubernetes-label-selector, backstage.io/kubernetes-namespace`,
      );
    }
    const items = await store.listResourcesByLabels(
      toLabelRequirements(selector),
      selector.namespace,
      MAX_ENTITY_RESOURCES,
    );
    const counts = Object.fromEntries([...FLUX_STATUSES, 'total'].map(s => [s, 0])) as StatusCounts;
    for (const item of items) {
      counts[item.status]++;
      counts.total++;
    }
    const body: EntityFluxResources = { entityRef: stringifyEntityRef(entity), selector, items, counts };
    res.json(body);
  });

  router.get('/summary', async (req, res) => {
    await authorize(req, fluxReadPermission);
    res.json(await store.getSummary());
  });

  return router;
}
