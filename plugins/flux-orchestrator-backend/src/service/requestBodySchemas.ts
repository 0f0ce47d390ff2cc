import {
  FLUX_ACTIONS,
  MAX_SUSPEND_REASON_LENGTH,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { z } from 'zod';
import { CLUSTER_NAME_PATTERN } from '../clusters/readConfigClusters';

/** A kubeconfig with embedded certificates is a few KB; 256 KB leaves room for many contexts. */
export const MAX_KUBECONFIG_LENGTH = 256 * 1024;
export const MAX_ACTION_IDS = 100;
/** The longest a suspension through the portal may be set to last before it is resumed. */
export const MAX_SUSPENSION_MS = 366 * 86_400_000;

/** zod's error map: one message when the field is missing, another when it has the wrong type. */
function typeError(required: string, wrongType: string) {
  return {
    error: (issue: { input?: unknown }) =>
      issue.input === undefined ? required : wrongType,
  };
}

const isControlCharacter = (character: string) => {
  const code = character.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
};

const text = (max: number) =>
  z
    .string(typeError('is required', 'must be a string'))
    .max(max, { message: `must be at most ${max} characters` });

const kubeconfig = z
  .string(
    typeError(
      'is required: paste the YAML of a kubeconfig',
      'must be the kubeconfig YAML as a string',
    ),
  )
  .max(MAX_KUBECONFIG_LENGTH, {
    message: `is larger than ${
      MAX_KUBECONFIG_LENGTH / 1024
    } KB; export only the context you need (kubectl config view --minify --raw)`,
  });

const context = text(253).min(1, {
  message: 'must not be empty; leave it out to use the current context',
});
const skipConnectionCheck = z.boolean(
  typeError('is required', 'must be true or false'),
);

export const clusterRegistrationSchema = z
  .object({
    name: z
      .string(typeError('is required', 'must be a string'))
      .regex(CLUSTER_NAME_PATTERN, {
        message:
          'must be lowercase letters, digits and dashes (at most 63), starting and ending with a letter or digit',
      }),
    title: text(200).optional(),
    description: text(2000).optional(),
    kubeconfig,
    context: context.optional(),
    skipConnectionCheck: skipConnectionCheck.optional(),
  })
  .strict();

export const clusterUpdateSchema = z
  .object({
    title: text(200).optional(),
    description: text(2000).optional(),
    kubeconfig: kubeconfig.optional(),
    context: context.optional(),
    skipConnectionCheck: skipConnectionCheck.optional(),
  })
  .strict();

export const kubeconfigContextsSchema = z.object({ kubeconfig }).strict();

export const actionRequestSchema = z
  .object({
    ids: z
      .array(
        text(600).min(1, { message: 'must not be empty' }),
        typeError(
          'is required: the ids of the objects to act on',
          'must be a list of resource ids',
        ),
      )
      .min(1, { message: 'must name at least one object' })
      .max(MAX_ACTION_IDS, {
        message: `must name at most ${MAX_ACTION_IDS} objects at once`,
      }),
    withSource: z
      .boolean(typeError('is required', 'must be true or false'))
      .optional(),
    reason: text(MAX_SUSPEND_REASON_LENGTH)
      .trim()
      .min(1, { message: 'must not be empty; leave it out to give none' })
      // One line of text: it becomes an annotation that kubectl prints.
      .refine(value => ![...value].some(isControlCharacter), {
        message: 'must be one line of text, without control characters',
      })
      .optional(),
    until: z
      .string(typeError('is required', 'must be a time as a string'))
      .datetime({
        offset: true,
        message: 'must be an RFC 3339 time, e.g. 2026-12-24T18:00:00Z',
        // Only a time is judged further: one message for a value that is not one.
        abort: true,
      })
      .refine(value => Date.parse(value) > Date.now(), {
        message: 'must be in the future',
      })
      .refine(value => Date.parse(value) <= Date.now() + MAX_SUSPENSION_MS, {
        message: 'must be within a year',
      })
      .optional(),
  })
  .strict();

export const fluxActionSchema = z.enum(FLUX_ACTIONS);
