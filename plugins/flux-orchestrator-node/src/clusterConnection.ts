/**
 * How the backend reaches one cluster. This is the only shape in which connection details travel inside the
 * backend, whatever their source: an allow-list of fields, none of which names a file, a program to run (except
 * an exec plugin, which only trusted sources may give) or a proxy. The Kubernetes client is built from these
 * fields alone.
 *
 * @public
 */
export interface FluxClusterConnection {
  /** The API server: an https URL (http only where config allows it), without credentials, query or fragment. */
  server: string;
  /** Base64 of the PEM CA bundle that signs the server's certificate. */
  caData?: string;
  /** The name to verify the server's certificate against, when it differs from the URL's host. */
  tlsServerName?: string;
  /** Skips the server certificate check; obeyed only where the backend's config allows it for the source. */
  skipTLSVerify?: boolean;
  /** A namespace to show beside the cluster; lists are cluster-wide. */
  namespace?: string;
  credentials: FluxClusterCredentials;
}

/**
 * What the backend presents to a cluster's API server.
 *
 * @public
 */
export type FluxClusterCredentials =
  | { type: 'token'; token: string }
  /** Base64 of the PEM client certificate and key. */
  | { type: 'clientCertificate'; certData: string; keyData: string }
  /**
   * A client-go exec credential plugin (a cloud sign-in). Never stored; only app-config kubeconfig files that
   * opt in and modules' cluster sources may give one.
   */
  | { type: 'exec'; exec: FluxExecCredential };

/**
 * client-go's exec credential plugin, as far as a cloud sign-in needs it.
 *
 * @public
 */
export interface FluxExecCredential {
  apiVersion: string;
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }>;
  provideClusterInfo?: boolean;
}
