import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * Validates request input with zod and turns the first problems into one InputError (400) that names
 * each bad parameter: `Invalid query: status: "broken" is not one of ready, failing, …`.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map(issue => {
      const path = issue.path.join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
  throw new InputError(`Invalid ${what}: ${problems}`);
}

/** A list parameter given as `?kind=A&kind=B` or `?kind=A,B`. */
export function listParam<T extends z.ZodType>(item: T) {
  return z.preprocess(value => {
    if (value === undefined) return undefined;
    const values = Array.isArray(value) ? value : [value];
    return values
      .flatMap(v => (typeof v === 'string' ? v.split(',') : [v]))
      .map(v => (typeof v === 'string' ? v.trim() : v))
      .filter(v => v !== '');
  }, z.array(item).optional());
}

/** A boolean query parameter: `true` or `false`, nothing else. */
export const booleanParam = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .transform(v => v === 'true')
  .optional();
