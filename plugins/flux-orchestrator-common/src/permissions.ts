import { createPermission } from '@backstage/plugin-permission-common';

/** Read clusters, Flux objects, summaries, sync history and events. @public */
export const fluxReadPermission = createPermission({
  name: 'flux-orchestrator.read',
  attributes: { action: 'read' },
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
});

/** Remove a registered cluster and its stored Flux objects. @public */
export const fluxClusterDeletePermission = createPermission({
  name: 'flux-orchestrator.cluster.delete',
  attributes: { action: 'delete' },
});

/** Start a sync of a cluster now, outside the schedule. @public */
export const fluxClusterSyncPermission = createPermission({
  name: 'flux-orchestrator.cluster.sync',
  attributes: { action: 'update' },
});

/** Ask Flux to reconcile an object (and optionally its source). @public */
export const fluxResourceReconcilePermission = createPermission({
  name: 'flux-orchestrator.resource.reconcile',
  attributes: { action: 'update' },
});

/** Suspend or resume an object's reconciliation. @public */
export const fluxResourceSuspendPermission = createPermission({
  name: 'flux-orchestrator.resource.suspend',
  attributes: { action: 'update' },
});

/** Every Flux Orchestrator permission, for the backend's permission integration. @public */
export const fluxPermissions = [
  fluxReadPermission,
  fluxClusterCreatePermission,
  fluxClusterUpdatePermission,
  fluxClusterDeletePermission,
  fluxClusterSyncPermission,
  fluxResourceReconcilePermission,
  fluxResourceSuspendPermission,
];
