import { FluxAction, ResourceActionResult } from '@internal/plugin-flux-orchestrator-common';
import { FluxOrchestratorApi } from './FluxOrchestratorApi';

/** The backend takes at most this many ids per action request. */
const MAX_IDS_PER_ACTION = 100;

/** An action as the user picks it: reconcile comes with or without its source. */
export type ResourceAction = FluxAction | 'reconcileWithSource';

/** Runs one action on any number of objects, in requests of at most 100 ids, and returns one result per id. */
export async function runResourceAction(
  api: FluxOrchestratorApi,
  action: ResourceAction,
  ids: string[],
): Promise<ResourceActionResult[]> {
  const results: ResourceActionResult[] = [];
  for (let start = 0; start < ids.length; start += MAX_IDS_PER_ACTION) {
    const chunk = ids.slice(start, start + MAX_IDS_PER_ACTION);
    let response;
    if (action === 'reconcile' || action === 'reconcileWithSource') {
      response = await api.reconcile(chunk, { withSource: action === 'reconcileWithSource' });
    } else if (action === 'suspend') {
      response = await api.suspend(chunk);
    } else {
      response = await api.resume(chunk);
    }
    results.push(...response.results);
  }
  return results;
}
