import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/** Runs a change as one audit event: who (from the request, when there is one), what, and whether it worked. */
export async function runAudited<T>(
  auditor: AuditorService,
  event: { eventId: string; request?: Request; meta: JsonObject },
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
