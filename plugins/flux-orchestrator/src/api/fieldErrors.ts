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
 * Places a backend validation error on the form field it names. The backend starts every InputError message
 * with the field and a colon (`kubeconfig: user "ci" uses an exec plugin; …`), so the form can show it beside
 * that field; other errors, and names the form does not have, stay unplaced.
 */
export function fieldErrorOf(
  error: unknown,
  fields: readonly string[],
): FieldError {
  const message = errorMessageOf(error);
  const match = /^([A-Za-z]+): ([\s\S]*)$/.exec(message);
  if (match && fields.includes(match[1]))
    return { field: match[1], message: match[2] };
  return { message };
}
