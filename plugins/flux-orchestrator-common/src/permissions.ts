import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The permission resource type of a Flux object. Its resource ref is the object's id
 * (`cluster:Kind:namespace:name`); a policy may answer its permissions with conditions on the cluster, namespace,
 * kind, labels or owning catalog entity of the object.
 *
 * @public
 */
export const FLUX_RESOURCE_RESOURCE_TYPE = 'flux-resource';

/**
 * The permission resource type of a cluster. Its resource ref is the cluster's name; a policy may answer its
 * permissions with conditions on the name or the source of the cluster.
 *
 * @public
 */
export const FLUX_CLUSTER_RESOURCE_TYPE = 'flux-cluster';

/** See Flux objects: lists, counts, summary, entity tab, detail, events and action history. @public */
export const fluxResourceReadPermission = createPermission({
  name: 'flux-orchestrator.resource.read',
  attributes: { action: 'read' },
  resourceType: FLUX_RESOURCE_RESOURCE_TYPE,
});

/** See clusters: list, detail, health and sync history. @public */
export const fluxClusterReadPermission = createPermission({
  name: 'flux-orchestrator.cluster.read',
  attributes: { action: 'read' },
  resourceType: FLUX_CLUSTER_RESOURCE_TYPE,
});

/** Register a cluster from a kubeconfig. @public */
export const fluxClusterCreatePermission = createPermission({
  name: 'flux-orchestrator.cluster.create',
  attributes: { action: 'create' },
});

/** Change a registered cluster (title, description, kubeconfig). @public */
export const fluxClusterUpdatePermission = createPermission({
  name: 'flux-orchestrator.cluster.update',
  attributes: { action: 'update' },
  resourceType: FLUX_CLUSTER_RESOURCE_TYPE,
});

/** Remove a registered cluster and its stored Flux objects. @public */
export const fluxClusterDeletePermission = createPermission({
  name: 'flux-orchestrator.cluster.delete',
  attributes: { action: 'delete' },
  resourceType: FLUX_CLUSTER_RESOURCE_TYPE,
});

/** Start a sync of a cluster now, outside the schedule. @public */
export const fluxClusterSyncPermission = createPermission({
  name: 'flux-orchestrator.cluster.sync',
  attributes: { action: 'update' },
  resourceType: FLUX_CLUSTER_RESOURCE_TYPE,
});

/** Ask Flux to reconcile an object (and optionally its source). @public */
export const fluxResourceReconcilePermission = createPermission({
  name: 'flux-orchestrator.resource.reconcile',
  attributes: { action: 'update' },
  resourceType: FLUX_RESOURCE_RESOURCE_TYPE,
});

/** Suspend or resume an object's reconciliation. @public */
export const fluxResourceSuspendPermission = createPermission({
  name: 'flux-orchestrator.resource.suspend',
  attributes: { action: 'update' },
  resourceType: FLUX_RESOURCE_RESOURCE_TYPE,
});

/** The permissions whose resource is a Flux object. @public */
export const fluxResourcePermissions = [
  fluxResourceReadPermission,
  fluxResourceReconcilePermission,
  fluxResourceSuspendPermission,
];

/** The permissions whose resource is a cluster. @public */
export const fluxClusterPermissions = [
  fluxClusterReadPermission,
  fluxClusterUpdatePermission,
  fluxClusterDeletePermission,
  fluxClusterSyncPermission,
];

/** Every Flux Orchestrator permission, for the backend's permission integration. @public */
export const fluxPermissions = [
  ...fluxResourcePermissions,
  ...fluxClusterPermissions,
  fluxClusterCreatePermission,
];
