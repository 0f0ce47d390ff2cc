import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  FLUX_KIND_NAMES,
  FLUX_RESOURCE_RESOURCE_TYPE,
  FluxResource,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { z } from 'zod';
import { FluxResourceFact } from './Scope';
import { normalizeEntityRef } from './normalizeEntityRef';

/**
 * A Flux object as the rules see it when a decision is applied to one loaded object (the frontend asking whether
 * a button may be used): its identity and labels, and the catalog entities that select it, with their owners.
 *
 * @public
 */
export interface FluxResourceSubject {
  resource: Pick<
    FluxResource,
    'id' | 'cluster' | 'namespace' | 'kind' | 'labels'
  >;
  /** The entities whose Kubernetes annotations select this object, as lower-case refs. */
  entities: Array<{ entityRef: string; owners: string[] }>;
}

/**
 * What a rule asks of the database. Entity facts are answered through the catalog first and become facts about
 * namespaces and labels, so every decision runs as SQL.
 *
 * @public
 */
export type FluxResourceQuery =
  | FluxResourceFact
  | { entityRefs: string[] }
  | { ownedBy: string[] };

/** @public */
export const fluxResourcePermissionResourceRef = createPermissionResourceRef<
  FluxResourceSubject,
  FluxResourceQuery
>().with({
  pluginId: 'flux-orchestrator',
  resourceType: FLUX_RESOURCE_RESOURCE_TYPE,
});

const isInCluster = createPermissionRule({
  name: 'IS_IN_CLUSTER',
  description: 'Allow Flux objects of the given clusters',
  resourceRef: fluxResourcePermissionResourceRef,
  paramsSchema: z.object({
    clusters: z.array(z.string()).describe('Names of clusters, as registered'),
  }),
  apply: ({ resource }, { clusters }) => clusters.includes(resource.cluster),
  toQuery: ({ clusters }) => ({ field: 'cluster', values: clusters }),
});

const isInNamespace = createPermissionRule({
  name: 'IS_IN_NAMESPACE',
  description: 'Allow Flux objects in the given namespaces, on any cluster',
  resourceRef: fluxResourcePermissionResourceRef,
  paramsSchema: z.object({
    namespaces: z.array(z.string()).describe('Kubernetes namespaces'),
  }),
  apply: ({ resource }, { namespaces }) =>
    namespaces.includes(resource.namespace),
  toQuery: ({ namespaces }) => ({ field: 'namespace', values: namespaces }),
});

const isFluxKind = createPermissionRule({
  name: 'IS_FLUX_KIND',
  description: 'Allow Flux objects of the given kinds',
  resourceRef: fluxResourcePermissionResourceRef,
  paramsSchema: z.object({
    kinds: z
      .array(z.enum(FLUX_KIND_NAMES))
      .describe('Flux kinds, e.g. HelmRelease'),
  }),
  apply: ({ resource }, { kinds }) =>
    (kinds as string[]).includes(resource.kind),
  toQuery: ({ kinds }) => ({ field: 'kind', values: kinds }),
});

const hasLabel = createPermissionRule({
  name: 'HAS_LABEL',
  description:
    'Allow Flux objects that carry a label, optionally with a given value',
  resourceRef: fluxResourcePermissionResourceRef,
  paramsSchema: z.object({
    label: z.string().describe('Label key, e.g. app.kubernetes.io/part-of'),
    value: z
      .string()
      .optional()
      .describe('Label value; any value when left out'),
  }),
  apply: ({ resource }, { label, value }) =>
    Object.prototype.hasOwnProperty.call(resource.labels, label) &&
    (value === undefined || resource.labels[label] === value),
  toQuery: ({ label, value }) => ({
    labels: [
      value === undefined
        ? { key: label, operator: 'exists' }
        : { key: label, operator: 'equals', value },
    ],
  }),
});

const belongsToEntity = createPermissionRule({
  name: 'BELONGS_TO_ENTITY',
  description:
    "Allow the Flux objects that the given catalog entities select through their Kubernetes annotations (the entity's Flux tab)",
  resourceRef: fluxResourcePermissionResourceRef,
  paramsSchema: z.object({
    entityRefs: z
      .array(z.string())
      .describe('Entity refs, e.g. component:default/podinfo'),
  }),
  apply: ({ entities }, { entityRefs }) => {
    const wanted = new Set(entityRefs.map(normalizeEntityRef));
    return entities.some(entity => wanted.has(entity.entityRef));
  },
  toQuery: ({ entityRefs }) => ({ entityRefs }),
});

const isEntityOwner = createPermissionRule({
  name: 'IS_ENTITY_OWNER',
  description:
    'Allow the Flux objects of catalog entities owned by one of the claims (the user and their groups), matched through the entities’ Kubernetes annotations',
  resourceRef: fluxResourcePermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Owner entity refs, e.g. group:default/team-a'),
  }),
  apply: ({ entities }, { claims }) => {
    const owners = new Set(claims.map(normalizeEntityRef));
    return entities.some(entity =>
      entity.owners.some(owner => owners.has(owner)),
    );
  },
  toQuery: ({ claims }) => ({ ownedBy: claims }),
});

/** @public */
export const fluxResourcePermissionRules = {
  isInCluster,
  isInNamespace,
  isFluxKind,
  hasLabel,
  belongsToEntity,
  isEntityOwner,
};

const conditionExports = createConditionExports({
  resourceRef: fluxResourcePermissionResourceRef,
  rules: fluxResourcePermissionRules,
});

/**
 * Conditions for a policy's decisions on Flux objects, e.g. `fluxResourceConditions.isInNamespace({ namespaces: ['team-a'] })`.
 *
 * @public
 */
export const fluxResourceConditions = conditionExports.conditions;

/**
 * A conditional decision on Flux objects for a permission policy, e.g.
 * `createFluxResourceConditionalDecision(permission, fluxResourceConditions.isInNamespace({ namespaces: ['team-a'] }))`.
 *
 * @public
 */
export const createFluxResourceConditionalDecision =
  conditionExports.createConditionalDecision;
