import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  CLUSTER_SOURCE_PATTERN,
  ClusterSource,
  FLUX_CLUSTER_RESOURCE_TYPE,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { z } from 'zod';
import { FluxClusterQuery } from './Scope';

/** A cluster as the rules see it. @public */
export interface FluxClusterSubject {
  name: string;
  source: ClusterSource;
}

/** @public */
export const fluxClusterPermissionResourceRef = createPermissionResourceRef<
  FluxClusterSubject,
  FluxClusterQuery
>().with({
  pluginId: 'flux-orchestrator',
  resourceType: FLUX_CLUSTER_RESOURCE_TYPE,
});

const isCluster = createPermissionRule({
  name: 'IS_CLUSTER',
  description: 'Allow the given clusters',
  resourceRef: fluxClusterPermissionResourceRef,
  paramsSchema: z.object({
    clusters: z.array(z.string()).describe('Names of clusters, as registered'),
  }),
  apply: (cluster, { clusters }) => clusters.includes(cluster.name),
  toQuery: ({ clusters }) => ({ field: 'name', values: clusters }),
});

const isClusterSource = createPermissionRule({
  name: 'IS_CLUSTER_SOURCE',
  description:
    'Allow clusters defined in the given places: config (app-config), api (registered by users), catalog, kubernetes (the Kubernetes plugin config) or a module source',
  resourceRef: fluxClusterPermissionResourceRef,
  paramsSchema: z.object({
    sources: z
      .array(z.string().regex(CLUSTER_SOURCE_PATTERN))
      .describe(
        'config, api, catalog, kubernetes or the id of a module source',
      ),
  }),
  apply: (cluster, { sources }) => sources.includes(cluster.source),
  toQuery: ({ sources }) => ({ field: 'source', values: sources }),
});

/** @public */
export const fluxClusterPermissionRules = { isCluster, isClusterSource };

const conditionExports = createConditionExports({
  resourceRef: fluxClusterPermissionResourceRef,
  rules: fluxClusterPermissionRules,
});

/**
 * Conditions for a policy's decisions on clusters, e.g. `fluxClusterConditions.isCluster({ clusters: ['staging'] })`.
 *
 * @public
 */
export const fluxClusterConditions = conditionExports.conditions;

/**
 * A conditional decision on clusters for a permission policy, e.g.
 * `createFluxClusterConditionalDecision(permission, fluxClusterConditions.isCluster({ clusters: ['staging'] }))`.
 *
 * @public
 */
export const createFluxClusterConditionalDecision =
  conditionExports.createConditionalDecision;
