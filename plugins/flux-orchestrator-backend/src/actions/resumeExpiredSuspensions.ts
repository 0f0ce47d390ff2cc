import { LoggerService } from '@backstage/backend-plugin-api';
import { ResourceActionResult } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { FluxStore } from '../database/FluxStore';
import { ResourceActions } from './ResourceActions';

/** Who resumes a suspension that has ended, in the action history and the audit events. */
export const EXPIRY_ACTOR = 'plugin:flux-orchestrator';

/** Suspensions resumed per run; more wait for the next minute. */
const BATCH = 50;

/**
 * Resumes the objects whose suspension has ended, as the person who set the end asked: a resume like theirs,
 * audited and kept in the action history, by the plugin. Only if the object is unchanged since the store read
 * it: one suspended again meanwhile (a new end, no end) keeps its new intent, and is looked at again once the
 * store holds it.
 */
export async function resumeExpiredSuspensions(options: {
  store: FluxStore;
  actions: ResourceActions;
  logger: LoggerService;
  now?: Date;
}): Promise<ResourceActionResult[]> {
  const { store, actions, logger } = options;
  const expired = await store.listExpiredSuspensions(
    options.now ?? new Date(),
    BATCH,
  );
  if (!expired.length) return [];
  const results = await actions.run('resume', expired, false, {
    actor: EXPIRY_ACTOR,
    trigger: 'suspension-expired',
    onlyIfUnchanged: true,
  });
  for (const result of results) {
    if (result.ok) logger.info(`Resumed ${result.id}: its suspension ended`);
    else
      logger.warn(
        `Could not resume ${result.id} at the end of its suspension: ${result.error}`,
      );
  }
  return results;
}
