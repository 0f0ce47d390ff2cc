import {
  FLUX_KIND_NAMES,
  FLUX_STATUSES,
  RESOURCE_SORT_FIELDS,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { z } from 'zod';
import { booleanParam, listParam } from './parseInput';

export const MAX_PAGE_SIZE = 500;

function oneOf(values: readonly string[]) {
  return { message: `must be one of ${values.join(', ')}` };
}

/** The query string of the resource lists. */
export const resourceQuerySchema = z
  .object({
    cluster: listParam(z.string().min(1).max(253)),
    kind: listParam(z.enum(FLUX_KIND_NAMES, oneOf(FLUX_KIND_NAMES))),
    namespace: listParam(z.string().min(1).max(63)),
    status: listParam(z.enum(FLUX_STATUSES, oneOf(FLUX_STATUSES))),
    suspended: booleanParam,
    text: z
      .string()
      .max(200, { message: 'must be at most 200 characters' })
      .optional(),
    entityRef: z.string().min(1).max(500).optional(),
    sort: z.enum(RESOURCE_SORT_FIELDS, oneOf(RESOURCE_SORT_FIELDS)).optional(),
    order: z.enum(['asc', 'desc'], oneOf(['asc', 'desc'])).optional(),
    limit: z.coerce
      .number({ message: 'must be a number' })
      .int({ message: 'must be a whole number' })
      .min(1, { message: 'must be at least 1' })
      .max(MAX_PAGE_SIZE, { message: `must be at most ${MAX_PAGE_SIZE}` })
      .optional(),
    offset: z.coerce
      .number({ message: 'must be a number' })
      .int({ message: 'must be a whole number' })
      .min(0, { message: 'must be 0 or more' })
      .optional(),
    after: z.string().min(1).max(2000).optional(),
    before: z.string().min(1).max(2000).optional(),
  })
  .strict();
