import {
  FluxResource,
  getFluxKind,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { ResourceAction } from '../api/runResourceAction';

export const ACTION_LABELS: Record<ResourceAction, string> = {
  reconcile: 'Reconcile',
  reconcileWithSource: 'Reconcile with source',
  suspend: 'Suspend',
  resume: 'Resume',
  force: 'Force upgrade',
  reset: 'Reset retries',
};

/**
 * The objects an action applies to: suspend skips what is suspended or cannot be, resume what is not suspended,
 * force and reset what is not a HelmRelease.
 */
export function actionTargets(
  action: ResourceAction,
  resources: FluxResource[],
): FluxResource[] {
  switch (action) {
    case 'suspend':
      return resources.filter(
        r => !r.suspended && getFluxKind(r.kind)?.suspendable,
      );
    case 'resume':
      return resources.filter(r => r.suspended);
    case 'reconcileWithSource':
      return resources.filter(r => r.sourceRef);
    case 'force':
    case 'reset':
      return resources.filter(r => r.kind === 'HelmRelease');
    default:
      return resources;
  }
}

/**
 * Why an action cannot run on these objects, or undefined when it can. The sentence is what the disabled
 * button says on hover, so it names the permission or the state that stands in the way.
 */
export function actionUnavailableReason(
  action: ResourceAction,
  resources: FluxResource[],
  permissionDenied: string | undefined,
): string | undefined {
  if (permissionDenied) return permissionDenied;
  if (!resources.length) return 'Select objects first';
  if (actionTargets(action, resources).length) return undefined;
  const one = resources.length === 1 ? resources[0] : undefined;
  switch (action) {
    case 'suspend':
      if (one && !getFluxKind(one.kind)?.suspendable)
        return `A ${one.kind} cannot be suspended`;
      return one
        ? 'Already suspended'
        : 'None of the selected objects can be suspended';
    case 'resume':
      return one
        ? 'Not suspended'
        : 'None of the selected objects is suspended';
    case 'reconcileWithSource':
      return one
        ? `A ${one.kind} has no source reference`
        : 'None of the selected objects has a source reference';
    case 'force':
    case 'reset':
      return one
        ? `Only HelmReleases can be ${action === 'force' ? 'forced' : 'reset'}`
        : 'None of the selected objects is a HelmRelease';
    default:
      return undefined;
  }
}

/** Whether a mode should offer force and reset for these objects: only where a HelmRelease is among them. */
export function offersHelmActions(resources: FluxResource[]): boolean {
  return resources.some(r => r.kind === 'HelmRelease');
}
