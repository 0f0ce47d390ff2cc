import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Flux Orchestrator: the clusters to watch and how to sync them. */
  fluxOrchestrator?: {
    /**
     * Clusters defined here are read-only in the UI and API. Each needs either `url` (+ `serviceAccountToken`,
     * optional `caData`/`caFile`) or `kubeconfig` (a file and optionally a context).
     */
    clusters?: Array<{
      /** Unique name: lowercase letters, digits and dashes (it appears in URLs and resource ids). */
      name: string;
      /** Display name; defaults to the name. */
      title?: string;
      description?: string;
      /** The API server URL, e.g. https://10.0.0.1:6443. */
      url?: string;
      /**
       * Bearer token of a service account allowed to list (and, for actions, patch) the Flux kinds.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /**
       * PEM CA bundle of the API server, plain or base64.
       * @visibility secret
       */
      caData?: string;
      /** Path to a PEM CA bundle, instead of `caData`. */
      caFile?: string;
      /** Skip TLS verification of the API server. Only for throwaway test clusters. */
      skipTLSVerify?: boolean;
      /** A kubeconfig file to take the connection from, instead of url/token. */
      kubeconfig?: {
        /** Path of the kubeconfig file. */
        path: string;
        /** Context to use; the file's current context when absent. */
        context?: string;
      };
    }>;
    /**
     * Encryption at rest of the kubeconfigs of clusters registered through the API (AES-256-GCM).
     * Without a key (here or in FLUX_ORCHESTRATOR_ENCRYPTION_KEY) a random one lives as long as the process:
     * fine for the in-memory dev database, not for PostgreSQL.
     */
    encryption?: {
      /**
       * 32 random bytes, base64 (`openssl rand -base64 32`). New credentials are written with it.
       * @visibility secret
       */
      key?: string;
      /**
       * Keys being rotated out: credentials under them are still read and are re-encrypted with `key` at
       * start-up; remove them once every instance has restarted.
       * @visibility secret
       */
      previousKeys?: string[];
    };
    /** What a kubeconfig registered through the API may contain. Everything risky is refused by default. */
    kubeconfig?: {
      /** Allow `exec` credential plugins. They run a program on the backend host. Default false. */
      allowExec?: boolean;
      /** Allow legacy `auth-provider` plugins (gcp, azure, oidc). Default false. */
      allowAuthProvider?: boolean;
      /** Allow plain-http API servers, which send credentials unencrypted. Default false. */
      allowHttp?: boolean;
      /** Allow `insecure-skip-tls-verify`. Default false. */
      allowInsecure?: boolean;
      /**
       * When set, a registered server URL must match one of these; `*` matches within one host label or path
       * segment, e.g. `https://*.k8s.example.com:6443`.
       */
      allowedServers?: string[];
      /** How long the connection check of a new kubeconfig waits. Default 10 seconds. */
      connectionTimeout?: HumanDuration | string;
    };
    /**
     * Clusters from catalog `Resource` entities of `spec.type: kubernetes-cluster`, located through the Kubernetes
     * plugin's annotations (`kubernetes.io/api-server`, `kubernetes.io/api-server-certificate-authority`,
     * `kubernetes.io/skip-tls-verify`). They are read-only here, like config clusters.
     */
    catalogClusters?: {
      enabled?: boolean;
      /** The catalog holds no secrets: the token of each catalog cluster, by entity name. */
      credentials?: Array<{
        cluster: string;
        /** @visibility secret */
        serviceAccountToken: string;
      }>;
    };
    actions?: {
      /** Deadline of one reconcile, suspend or resume of one object. Default 15 seconds. */
      timeout?: HumanDuration | string;
      /** How long a reconcile waits for Flux to report it handled before answering "not yet". Default 3 seconds. */
      handledWait?: HumanDuration | string;
    };
    sync?: {
      /** How often every cluster is synced. Default: 5 minutes. */
      frequency?: HumanDuration | string;
      /** Longest a whole fleet sync may run. Default: 4 minutes. */
      timeout?: HumanDuration | string;
      /** Longest one cluster's sync may take before it is marked unhealthy. Default: 60 seconds. */
      clusterTimeout?: HumanDuration | string;
      /** How many clusters sync at once. Default: 5. */
      concurrency?: number;
      /** Wait before the first scheduled sync after start-up. Default: 5 seconds. */
      initialDelay?: HumanDuration | string;
    };
  };
}
