import { ResponseError } from '@backstage/errors';

/** The message the backend gave for a failed request, or the error's own message. */
export function errorMessageOf(error: unknown): string {
  if (error instanceof ResponseError) return error.body.error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A validation error located on one form field, or on none. */
export interface FieldError {
  field?: string;
  message: string;
}

/**
 * Where a backend validation error says the problem is, and what it is. The routes start their messages with
 * the field and a colon (`kubeconfig: user "ci" uses an exec plugin; …`), also when the API's OpenAPI validator
 * refused the body first; a refusal only the spec makes keeps the validator's form, which names the field by
 * its place in the request (`request/body/name must …`, `request/body must have required property 'name'`).
 */
const FIELD_MESSAGES: Array<[RegExp, (match: RegExpExecArray) => string]> = [
  [/^([A-Za-z]+): ([\s\S]*)$/, match => match[2]],
  [/^request\/body\/([A-Za-z]+)(?:\/\S*)? ([\s\S]*)$/, match => match[2]],
  [
    /^request\/body must have required property '([A-Za-z]+)'$/,
    () => 'is required',
  ],
];

/**
 * Places a backend validation error on the form field it names, so that the form can show it beside that field;
 * other errors, and names the form does not have, stay unplaced.
 */
export function fieldErrorOf(
  error: unknown,
  fields: readonly string[],
): FieldError {
  const message = errorMessageOf(error);
  for (const [pattern, problem] of FIELD_MESSAGES) {
    const match = pattern.exec(message);
    if (match && fields.includes(match[1]))
      return { field: match[1], message: problem(match) };
  }
  return { message };
}
