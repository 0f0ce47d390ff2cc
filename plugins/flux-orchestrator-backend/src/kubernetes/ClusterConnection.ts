import { z } from 'zod';

/**
 * How to reach one cluster: the only shape in which connection details travel inside the backend, whatever
 * their source (app-config, a kubeconfig posted to the API, a catalog entity). It holds an allow-list of
 * fields and nothing that names a file, a program or a proxy; the Kubernetes client is built from these
 * fields alone. API clusters store exactly this structure, encrypted.
 */
export interface ClusterConnection {
  /** The API server: an https URL (http only where config allows it), without credentials, query or fragment. */
  server: string;
  /** Base64 of the PEM CA bundle that signs the server's certificate. */
  caData?: string;
  /** The name to verify the server's certificate against, when it differs from the URL's host. */
  tlsServerName?: string;
  /** Only where config allows it (`fluxOrchestrator.kubeconfig.allowInsecure`, or an app-config cluster's own). */
  skipTLSVerify?: boolean;
  /** The kubeconfig context's namespace, kept for display; lists are cluster-wide. */
  namespace?: string;
  credentials: ClusterCredentials;
}

export type ClusterCredentials =
  | { type: 'token'; token: string }
  /** Base64 of the PEM client certificate and key. */
  | { type: 'clientCertificate'; certData: string; keyData: string }
  /** Only for app-config kubeconfig files whose entry opts in (`kubeconfig.allowExec`); never stored. */
  | { type: 'exec'; exec: ExecCredentialConfig };

/** client-go's exec credential plugin, as far as a cloud sign-in needs it. */
export interface ExecCredentialConfig {
  apiVersion: string;
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }>;
  provideClusterInfo?: boolean;
}

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

/** The stored form, checked again when decrypted: an API cluster can never hold an exec plugin. */
export const storedClusterCredentialsSchema: z.ZodType<StoredClusterCredentials> =
  z
    .object({
      format: z.literal(2),
      context: z.string().min(1).max(253),
      connection: z
        .object({
          server: z.string().url().max(2048),
          caData: base64.optional(),
          tlsServerName: z.string().max(253).optional(),
          skipTLSVerify: z.boolean().optional(),
          namespace: z.string().max(63).optional(),
          credentials: z.discriminatedUnion('type', [
            z
              .object({
                type: z.literal('token'),
                token: z.string().min(1).max(16_384),
              })
              .strict(),
            z
              .object({
                type: z.literal('clientCertificate'),
                certData: base64,
                keyData: base64,
              })
              .strict(),
          ]),
        })
        .strict(),
    })
    .strict() as z.ZodType<StoredClusterCredentials>;
