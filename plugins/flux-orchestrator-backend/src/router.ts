import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import {
  FLUX_ACTIONS,
  RELIABILITY_WINDOWS,
  ROLLOUT_GROUPINGS,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { z } from 'zod';
import { AuthorizedClusters, Caller } from './service/AuthorizedClusters';
import { AuthorizedResources } from './service/AuthorizedResources';
import { booleanParam, parseBody, parseInput } from './service/parseInput';
import { AuditedRequest } from './service/runAudited';
import {
  actionRequestSchema,
  clusterRegistrationSchema,
  clusterUpdateSchema,
  kubeconfigContextsSchema,
  MAX_KUBECONFIG_LENGTH,
} from './service/requestBodySchemas';
import { resourceQuerySchema } from './service/resourceQuerySchema';
import { createOpenApiRouter } from './schema/openapi.generated';

export interface RouterOptions {
  clusters: AuthorizedClusters;
  resources: AuthorizedResources;
  httpAuth: HttpAuthService;
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

const reliabilityQuerySchema = z
  .object({
    window: z
      .enum(RELIABILITY_WINDOWS, {
        message: `must be one of ${RELIABILITY_WINDOWS.join(', ')}`,
      })
      .optional(),
  })
  .strict();

const rolloutQuerySchema = z
  .object({
    groupBy: z
      .enum(ROLLOUT_GROUPINGS, {
        message: `must be one of ${ROLLOUT_GROUPINGS.join(', ')}`,
      })
      .optional(),
    disagreeing: booleanParam,
    search: z
      .string()
      .max(200, { message: 'must be at most 200 characters' })
      .optional(),
    limit: resourceQuerySchema.shape.limit,
    offset: resourceQuerySchema.shape.offset,
  })
  .strict();

const ownedQuerySchema = z
  .object({ ownerRef: z.string().min(1).max(500).optional() })
  .strict();

const entityQuerySchema = z
  .object({
    entityRef: z
      .string({ message: 'is required, e.g. component:default/podinfo' })
      .min(1)
      .max(500),
  })
  .strict();

/**
 * The routes: parse the input, call an authorized service with the caller's credentials, answer. Permission
 * checks, audit events and the rules of each change live in the services, so every caller gets them.
 *
 * The routes are those of the OpenAPI spec (src/schema/openapi.yaml, served at /openapi.json): every request is
 * validated against it before a route sees it, and the handlers are typed by it. The zod schemas then check what
 * the spec does not (unknown body fields, by name) and hand the routes their values.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { clusters, resources, httpAuth } = options;
  // The largest body is a kubeconfig; JSON escaping can grow it, hence the margin over its own limit. The body
  // is parsed before the spec's router, which answers every error of its own middleware with a 400: a body
  // too large stays a 413. (The spec's router parses again only a body not parsed yet, i.e. never.)
  const parseJson = express.json({ limit: MAX_KUBECONFIG_LENGTH * 2 });
  const outer = Router();
  outer.use(parseJson);
  const router = await createOpenApiRouter({ middleware: [parseJson] });
  outer.use(router);

  const credentialsOf = (req: AuditedRequest) => httpAuth.credentials(req);
  const callerOf = async (req: AuditedRequest): Promise<Caller> => ({
    credentials: await credentialsOf(req),
    request: req,
  });

  // Clusters

  router.get('/clusters', async (req, res) => {
    res.json(await clusters.list(await credentialsOf(req)));
  });

  router.post('/clusters', async (req, res) => {
    const caller = await callerOf(req);
    const input = parseBody(clusterRegistrationSchema, req.body);
    res.status(201).json(await clusters.register(caller, input));
  });

  router.post('/kubeconfig/contexts', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { kubeconfig } = parseBody(kubeconfigContextsSchema, req.body);
    res.json(await clusters.kubeconfigContexts(credentials, kubeconfig));
  });

  router.get('/clusters/:id', async (req, res) => {
    res.json(await clusters.get(await credentialsOf(req), req.params.id));
  });

  router.put('/clusters/:id', async (req, res) => {
    const caller = await callerOf(req);
    const input = parseBody(clusterUpdateSchema, req.body);
    res.json(await clusters.update(caller, req.params.id, input));
  });

  router.delete('/clusters/:id', async (req, res) => {
    await clusters.remove(await callerOf(req), req.params.id);
    res.status(204).end();
  });

  router.get('/clusters/:id/health', async (req, res) => {
    res.json(await clusters.health(await credentialsOf(req), req.params.id));
  });

  router.post('/clusters/:id/sync', async (req, res) => {
    res.json(await clusters.sync(await callerOf(req), req.params.id));
  });

  router.get('/clusters/:id/sync-runs', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(limitQuerySchema, req.query, 'query');
    res.json(
      await clusters.syncRuns(credentials, req.params.id, query.limit ?? 50),
    );
  });

  router.get('/clusters/:id/resources', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(
      resourceQuerySchema.omit({ cluster: true }),
      req.query,
      'query',
    );
    const cluster = await clusters.require(credentials, req.params.id);
    res.json(
      await resources.list(credentials, { ...query, cluster: [cluster.name] }),
    );
  });

  // Flux objects

  router.get('/resources', async (req, res) => {
    const credentials = await credentialsOf(req);
    res.json(
      await resources.list(
        credentials,
        parseInput(resourceQuerySchema, req.query, 'query'),
      ),
    );
  });

  for (const action of FLUX_ACTIONS) {
    router.post(`/resources/${action}`, async (req, res) => {
      const caller = await callerOf(req);
      const input = parseBody(actionRequestSchema, req.body);
      res.json({
        results: await resources.act(
          caller,
          action,
          input.ids,
          input.withSource ?? false,
          { reason: input.reason, until: input.until },
        ),
      });
    });
  }

  router.get('/resources/:id', async (req, res) => {
    res.json(await resources.get(await credentialsOf(req), req.params.id));
  });

  router.get('/resources/:id/events', async (req, res) => {
    res.json(await resources.events(await credentialsOf(req), req.params.id));
  });

  router.get('/resources/:id/reconcile-status', async (req, res) => {
    res.json(
      await resources.reconcileStatus(await credentialsOf(req), req.params.id),
    );
  });

  router.get('/resources/:id/actions', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(limitQuerySchema, req.query, 'query');
    res.json(
      await resources.history(credentials, req.params.id, query.limit ?? 50),
    );
  });

  router.get('/resources/:id/transitions', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(limitQuerySchema, req.query, 'query');
    res.json(
      await resources.transitions(
        credentials,
        req.params.id,
        query.limit ?? 50,
      ),
    );
  });

  router.get('/resources/:id/dependents', async (req, res) => {
    res.json(
      await resources.dependents(await credentialsOf(req), req.params.id),
    );
  });

  // Catalog entities

  router.get('/entity-resources', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { entityRef } = parseInput(entityQuerySchema, req.query, 'query');
    res.json(await resources.forEntity(credentials, entityRef));
  });

  router.get('/owned-resources', async (req, res) => {
    const credentials = await credentialsOf(req);
    const { ownerRef } = parseInput(ownedQuerySchema, req.query, 'query');
    res.json(await resources.owned(credentials, ownerRef));
  });

  router.get('/summary', async (req, res) => {
    res.json(await resources.summary(await credentialsOf(req)));
  });

  router.get('/upgrade-readiness', async (req, res) => {
    res.json(await resources.upgradeReadiness(await credentialsOf(req)));
  });

  router.get('/stuck-resources', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(limitQuerySchema, req.query, 'query');
    res.json(await resources.stuck(credentials, query.limit ?? 100));
  });

  router.get('/rollouts', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(rolloutQuerySchema, req.query, 'query');
    res.json(await resources.rollouts(credentials, query));
  });

  router.get('/reliability', async (req, res) => {
    const credentials = await credentialsOf(req);
    const query = parseInput(reliabilityQuerySchema, req.query, 'query');
    res.json(await resources.reliability(credentials, query.window ?? '7d'));
  });

  outer.use(clearerValidationErrors);

  return outer;
}

/** The zod schema of each route that takes a body, by method and path as the spec's validator saw them. */
const BODY_SCHEMAS: Array<[RegExp, z.ZodType]> = [
  [/^POST \/clusters$/, clusterRegistrationSchema],
  [/^PUT \/clusters\/[^/]+$/, clusterUpdateSchema],
  [/^POST \/kubeconfig\/contexts$/, kubeconfigContextsSchema],
  [/^POST \/resources\/[a-z]+$/, actionRequestSchema],
];

/**
 * The spec's validator answers first, in its own words. Two of them a person should not have to decode:
 * - a body that is not JSON is "unsupported media type <type>" ("undefined" without one): say what to send;
 * - a bad body field is `request/body/name must match pattern "^[a-z0-9]…"`: the route's own schema names the
 *   same field with the rule in words (`name: lowercase letters, digits and dashes…`), which the add-cluster
 *   form shows beside the field. Its message is used when it also refuses the body.
 */
function clearerValidationErrors(
  error: unknown,
  req: express.Request,
  _res: express.Response,
  next: express.NextFunction,
) {
  const message = error instanceof Error ? error.message : '';
  const mediaType =
    /^unsupported media type (.+)$|^media type not specified$/.exec(message);
  if (mediaType) {
    const sent =
      mediaType[1] && mediaType[1] !== 'undefined'
        ? ` (this one was sent as ${mediaType[1]})`
        : '';
    next(
      new InputError(
        `This request takes a JSON body, sent with the header Content-Type: application/json${sent}`,
      ),
    );
    return;
  }
  const route = `${req.method} ${req.path}`;
  const schema = BODY_SCHEMAS.find(([pattern]) => pattern.test(route))?.[1];
  if (schema && /^request\/body\b/.test(message)) {
    try {
      parseBody(schema, req.body);
    } catch (bodyError) {
      next(bodyError);
      return;
    }
  }
  next(error);
}
