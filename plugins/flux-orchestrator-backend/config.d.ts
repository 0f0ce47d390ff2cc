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
      /**
       * Skip TLS verification of the API server (also honours the kubeconfig file's insecure-skip-tls-verify).
       * A per-cluster opt-in that only app-config can give. Only for throwaway test clusters.
       */
      skipTLSVerify?: boolean;
      /**
       * A kubeconfig file to take the connection from, instead of url/token. It is parsed by the same strict
       * parser and allow-list as a kubeconfig posted to the API.
       */
      kubeconfig?: {
        /** Path of the kubeconfig file. */
        path: string;
        /** Context to use; the file's current context when absent. */
        context?: string;
        /**
         * Let this file's user run its exec credential plugin (cloud sign-in such as `aws eks get-token`). It runs
         * a program on the backend host: only app-config can opt in, per cluster. Default false.
         */
        allowExec?: boolean;
      };
    }>;
    /**
     * Encryption at rest of the connections of clusters registered through the API (AES-256-GCM). Required
     * (here or in FLUX_ORCHESTRATOR_ENCRYPTION_KEY) for any database that persists: without it the backend
     * does not start. Only the in-memory SQLite database gets a generated key.
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
    /**
     * The policy every cluster's connection meets, whatever its source (app-config, the API, the catalog).
     * Everything risky is refused by default. Exec and auth-provider plugins are never accepted from the API or
     * the catalog (the former `allowExec` and `allowAuthProvider` keys stop the backend with an explanation).
     */
    kubeconfig?: {
      /** Allow plain-http API servers, which send credentials unencrypted. Default false. */
      allowHttp?: boolean;
      /** Allow `insecure-skip-tls-verify` and the catalog's `kubernetes.io/skip-tls-verify`. Default false. */
      allowInsecure?: boolean;
      /**
       * When set, a server URL must match one of these; `*` matches within one host label or path segment,
       * e.g. `https://*.k8s.example.com:6443`. A server named here may use a private address.
       */
      allowedServers?: string[];
      /**
       * Servers that resolve to loopback, link-local, private or otherwise non-public addresses are refused,
       * judged on the address actually connected to: `true` allows all of them, a list of CIDR ranges allows
       * those (`['10.0.0.0/8']`). Default false.
       */
      allowPrivateNetworks?: boolean | string[];
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
      /**
       * The catalog holds no secrets: the token of each catalog cluster, by the full ref of its entity
       * (`resource:default/eu`), so that an entity of the same name elsewhere cannot take it.
       */
      credentials?: Array<{
        entityRef: string;
        /** @visibility secret */
        serviceAccountToken: string;
      }>;
    };
    /**
     * Also read the clusters the Kubernetes plugin lists in `kubernetes.clusterLocatorMethods` (type `config`),
     * so that a portal does not describe them twice. Only clusters with `authProvider: serviceAccount` and a
     * `serviceAccountToken` can be synced; the others are listed with the reason. Names are lowercased; a
     * name that `fluxOrchestrator.clusters` also has is taken from there. Default: false.
     */
    kubernetesPluginClusters?: {
      enabled?: boolean;
    };
    /** What the sync removes from Flux objects before storing them. */
    secrets?: {
      /**
       * Clusters whose HelmRelease `spec.values` are kept, for teams whose readers may see them. By default
       * the values are replaced by their top-level keys with a marker.
       */
      keepHelmReleaseValues?: string[];
    };
    /** The status history of Flux objects: every change of an object's status, for timelines and reliability. */
    history?: {
      /** How long status changes are kept; older ones are removed every hour. Default: 30 days. */
      retention?: HumanDuration | string;
    };
    /** When an object is judged stuck and listed under Needs attention with the reason. 0 turns a judgement off. */
    stuck?: {
      /** Progressing for longer than this many of its intervals (`spec.interval`). Default: 5. */
      progressingIntervals?: number;
      /** A reconcile request (`reconcile.fluxcd.io/requestedAt`) Flux has not handled after this long. Default: 10 minutes. */
      unhandledRequestAfter?: HumanDuration | string;
      /**
       * A source whose artifact has not changed for this many of its intervals. Default: 0 (off): source-controller
       * writes a new artifact only when the upstream changes, so a quiet repository would be judged stuck.
       */
      artifactAgeIntervals?: number;
      /** Suspended for longer than this. Default: 7 days. */
      suspendedFor?: HumanDuration | string;
    };
    /**
     * Backstage notifications to the owners of the catalog entities that select an object, when it turns failing
     * or stalled and when it recovers. Needs the notifications backend plugin in the same backend.
     */
    notifications?: {
      /** Default: false. */
      enabled?: boolean;
      /** At most one notification about an object in this long; a flapping object tells once. Default: 30 minutes. */
      minInterval?: HumanDuration | string;
      /** Changes older than this when the task runs (after an outage of the backend) are not told. Default: 1 hour. */
      maxAge?: HumanDuration | string;
      /** Notifications about the objects of one entity per run of the task; the rest are one summary. Default: 5. */
      maxPerEntity?: number;
      /** Where the Flux page is mounted in the app, for the links. Default: /flux. */
      pagePath?: string;
      /** How often the changes are looked for and told. Default: 30 seconds. */
      frequency?: HumanDuration | string;
    };
    actions?: {
      /** Deadline of one reconcile, suspend or resume of one object. Default 15 seconds. */
      timeout?: HumanDuration | string;
      /** How long a reconcile waits for Flux to report it handled before answering "not yet". Default 3 seconds. */
      handledWait?: HumanDuration | string;
    };
    sync?: {
      /**
       * Watch every cluster for changes, so that they reach the portal within seconds. The full sync then runs
       * as a safety net. Default: true; with false, the full sync is the only source of data.
       */
      watch?: boolean;
      /**
       * How long one backend replica holds a cluster's watches before the lease is taken again (by it or
       * another replica). A replica that dies costs its clusters' liveness for at most about this plus 75
       * seconds. Default: 1 minute.
       */
      watchLease?: HumanDuration | string;
      /**
       * How often every cluster is fully synced (listed). Default: 30 minutes while watching, 5 minutes with
       * `watch: false`. Strings such as '30m' or 'PT30M' replace a value from another config file whole,
       * where objects would merge key by key.
       */
      frequency?: HumanDuration | string;
      /** Longest one cluster's sync may take before it is marked unhealthy. Default: 60 seconds. */
      clusterTimeout?: HumanDuration | string;
      /** How many clusters sync at once. Default: 5. */
      concurrency?: number;
      /** Wait before the first scheduled sync after start-up. Default: 5 seconds. */
      initialDelay?: HumanDuration | string;
    };
  };
}
