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
  throw new InputError(`Invalid ${what}: ${describeIssues(result.error)}`);
}

/**
 * Validates a JSON body. The message starts with the first bad field (`kubeconfig: is required …`), so that a
 * form can show it beside that field.
 */
export function parseBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
): z.infer<S> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new InputError(
      'body: must be a JSON object (Content-Type: application/json)',
    );
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new InputError(describeIssues(result.error));
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map(issue => {
      if (issue.code === 'unrecognized_keys') {
        return `${issue.keys.join(', ')}: ${
          issue.keys.length > 1 ? 'are' : 'is'
        } not a known field`;
      }
      const path = issue.path.join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
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

const BOOLEAN_TEXT: Record<string, boolean> = { true: true, false: false };

/**
 * A boolean query parameter: `true` or `false`, nothing else. The spec's validator has turned it into a boolean
 * before a route parses it; the text form is read too, so that the schema holds without the validator.
 */
export const booleanParam = z.preprocess(
  value => (typeof value === 'string' ? BOOLEAN_TEXT[value] ?? value : value),
  z.boolean({ message: 'must be true or false' }).optional(),
);
