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
