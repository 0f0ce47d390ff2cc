import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  BasicPermission,
  AuthorizeResult,
} from '@backstage/plugin-permission-common';
import {
  fluxClusterSyncPermission,
  fluxReadPermission,
} from '@internal/plugin-flux-orchestrator-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { FluxStore } from './database/FluxStore';
import { parseInput } from './service/parseInput';
import { resourceQuerySchema } from './service/resourceQuerySchema';
import { toClusterResponse } from './service/toClusterResponse';
import { ClusterSyncer } from './sync/ClusterSyncer';

export interface RouterOptions {
  store: FluxStore;
  syncer: ClusterSyncer;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}

const syncRunsQuerySchema = z
  .object({
    limit: z.coerce
      .number({ message: 'must be a number' })
      .int({ message: 'must be a whole number' })
      .min(1, { message: 'must be at least 1' })
      .max(200, { message: 'must be at most 200' })
      .optional(),
  })
  .strict();

export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const { store, syncer, httpAuth, permissions } = options;
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  async function authorize(req: Request, permission: BasicPermission) {
    const credentials = await httpAuth.credentials(req);
    const [decision] = await permissions.authorize([{ permission }], { credentials });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(`Not allowed: ${permission.name}`);
    }
  }

  async function requireCluster(name: string) {
    const cluster = await store.getCluster(name);
    if (!cluster) throw new NotFoundError(`No cluster named "${name}"`);
    return cluster;
  }

  router.get('/clusters', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const [clusters, counts, runs] = await Promise.all([
      store.listClusters(),
      store.countByCluster(),
      store.latestSyncRuns(),
    ]);
    res.json(clusters.map(c => toClusterResponse(c, counts[c.name], runs[c.name])));
  });

  router.get('/clusters/:id', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const cluster = await requireCluster(req.params.id);
    const [counts, runs] = await Promise.all([
      store.countByCluster(cluster.name),
      store.listSyncRuns(cluster.name, 1),
    ]);
    res.json(toClusterResponse(cluster, counts[cluster.name], runs[0]));
  });

  router.get('/clusters/:id/health', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const cluster = await requireCluster(req.params.id);
    res.json(cluster.health);
  });

  router.post('/clusters/:id/sync', async (req, res) => {
    await authorize(req, fluxClusterSyncPermission);
    const cluster = await requireCluster(req.params.id);
    res.json(await syncer.syncCluster(cluster.name, 'manual'));
  });

  router.get('/clusters/:id/sync-runs', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const query = parseInput(syncRunsQuerySchema, req.query, 'query');
    const cluster = await requireCluster(req.params.id);
    res.json(await store.listSyncRuns(cluster.name, query.limit ?? 50));
  });

  router.get('/clusters/:id/resources', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const query = parseInput(resourceQuerySchema.omit({ cluster: true }), req.query, 'query');
    const cluster = await requireCluster(req.params.id);
    res.json(await store.listResources({ ...query, cluster: [cluster.name] }));
  });

  router.get('/resources', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const query = parseInput(resourceQuerySchema, req.query, 'query');
    res.json(await store.listResources(query));
  });

  router.get('/resources/:id', async (req, res) => {
    await authorize(req, fluxReadPermission);
    const resource = await store.getResource(req.params.id);
    if (!resource) throw new NotFoundError(`No Flux object with id "${req.params.id}"`);
    res.json(resource);
  });

  router.get('/summary', async (req, res) => {
    await authorize(req, fluxReadPermission);
    res.json(await store.getSummary());
  });

  return router;
}
