import { z } from 'zod';

import type {
  FluxClusterConnection,
  FluxClusterCredentials,
  FluxExecCredential,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-node';

/**
 * How to reach one cluster: the only shape in which connection details travel inside the backend, whatever
 * their source. Defined in the -node package, where module sources give it; API clusters store exactly this
 * structure, encrypted, without an exec plugin.
 */
export type ClusterConnection = FluxClusterConnection;
export type ClusterCredentials = FluxClusterCredentials;
export type ExecCredentialConfig = FluxExecCredential;

/**
 * What the `credentials` column of an API cluster decrypts to. The format number lets a later change of the
 * structure re-validate older rows instead of misreading them (format 1 was raw kubeconfig text).
 */
export interface StoredClusterCredentials {
  format: 2;
  /** The kubeconfig context the connection was taken from, for the edit form. */
  context: string;
  connection: ClusterConnection;
}

const base64 = z
  .string()
  .min(1)
  .max(200_000)
  .regex(/^[A-Za-z0-9+/=\s]+$/);

const tokenCredentials = z
  .object({ type: z.literal('token'), token: z.string().min(1).max(16_384) })
  .strict();
const certificateCredentials = z
  .object({
    type: z.literal('clientCertificate'),
    certData: base64,
    keyData: base64,
  })
  .strict();
const execCredentials = z
  .object({
    type: z.literal('exec'),
    exec: z
      .object({
        apiVersion: z.string().min(1).max(253),
        command: z.string().min(1).max(4096),
        args: z.array(z.string().max(4096)).max(64).optional(),
        env: z
          .array(
            z
              .object({ name: z.string().min(1).max(256), value: z.string() })
              .strict(),
          )
          .max(64)
          .optional(),
        provideClusterInfo: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();

function connectionSchema(allowExec: boolean) {
  return z
    .object({
      server: z.string().url().max(2048),
      caData: base64.optional(),
      tlsServerName: z.string().max(253).optional(),
      skipTLSVerify: z.boolean().optional(),
      namespace: z.string().max(63).optional(),
      credentials: allowExec
        ? z.discriminatedUnion('type', [
            tokenCredentials,
            certificateCredentials,
            execCredentials,
          ])
        : z.discriminatedUnion('type', [
            tokenCredentials,
            certificateCredentials,
          ]),
    })
    .strict();
}

/**
 * A connection a source gives: every field checked and nothing else kept (an unknown field is refused, not
 * passed on), an exec plugin included — sources are backend code and app-config, which may configure one.
 */
export const suppliedConnectionSchema = connectionSchema(
  true,
) as z.ZodType<ClusterConnection>;

/** The stored form, checked again when decrypted: an API cluster can never hold an exec plugin. */
export const storedClusterCredentialsSchema: z.ZodType<StoredClusterCredentials> =
  z
    .object({
      format: z.literal(2),
      context: z.string().min(1).max(253),
      connection: connectionSchema(false),
    })
    .strict() as z.ZodType<StoredClusterCredentials>;
