import {
  FluxAction,
  ResourceActionResult,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { FluxOrchestratorApi } from './FluxOrchestratorApi';
import { errorMessageOf } from './fieldErrors';

/** The backend takes at most this many ids per action request. */
const MAX_IDS_PER_ACTION = 100;

/** An action as the user picks it: reconcile comes with or without its source. */
export type ResourceAction = FluxAction | 'reconcileWithSource';

/** What a suspension says: why, and when the portal is to resume the objects. */
export interface SuspendIntent {
  reason?: string;
  until?: string;
}

function send(
  api: FluxOrchestratorApi,
  action: ResourceAction,
  ids: string[],
  intent: SuspendIntent,
) {
  if (action === 'reconcile' || action === 'reconcileWithSource') {
    return api.reconcile(ids, { withSource: action === 'reconcileWithSource' });
  }
  if (action === 'suspend') return api.suspend(ids, intent);
  return api[action](ids);
}

/**
 * Runs one action on any number of objects, in requests of at most 100 ids, and returns one result per id; it
 * does not throw. A request that fails as a whole (permission denied, backend down) fails the ids it carried
 * with its reason; the batches before and after keep their own outcomes, as the clusters already acted on them.
 */
export async function runResourceAction(
  api: FluxOrchestratorApi,
  action: ResourceAction,
  ids: string[],
  intent: SuspendIntent = {},
): Promise<ResourceActionResult[]> {
  const results: ResourceActionResult[] = [];
  for (let start = 0; start < ids.length; start += MAX_IDS_PER_ACTION) {
    const batch = ids.slice(start, start + MAX_IDS_PER_ACTION);
    try {
      results.push(...(await send(api, action, batch, intent)).results);
    } catch (error) {
      const reason = errorMessageOf(error);
      const fluxAction: FluxAction =
        action === 'reconcileWithSource' ? 'reconcile' : action;
      results.push(
        ...batch.map(id => ({
          id,
          action: fluxAction,
          ok: false,
          error: reason,
        })),
      );
    }
  }
  return results;
}
