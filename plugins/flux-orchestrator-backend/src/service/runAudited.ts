import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

/**
 * An HTTP request as the auditor takes it, whatever the route's typed params, query and body: the audit event
 * reads the caller's details from it.
 */
export type AuditedRequest = NonNullable<
  Parameters<AuditorService['createEvent']>[0]['request']
>;

/** Runs a change as one audit event: who (from the request, when there is one), what, and whether it worked. */
export async function runAudited<T>(
  auditor: AuditorService,
  event: { eventId: string; request?: AuditedRequest; meta: JsonObject },
  fn: () => Promise<T>,
): Promise<T> {
  const audit = await auditor.createEvent({
    severityLevel: 'medium',
    ...event,
  });
  try {
    const result = await fn();
    await audit.success();
    return result;
  } catch (error) {
    await audit.fail({ error: error as Error });
    throw error;
  }
}
