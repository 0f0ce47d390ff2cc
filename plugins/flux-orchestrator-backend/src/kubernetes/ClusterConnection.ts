/**
 * How to reach one cluster. Every cluster source ends in one of these: config gives either an URL with a CA
 * and a service-account token or a kubeconfig file, the API gives a kubeconfig text.
 */
export type ClusterConnection =
  | {
      type: 'token';
      server: string;
      token: string;
      /** PEM CA bundle (plain or base64), as the Backstage Kubernetes plugin's `caData`. */
      caData?: string;
      skipTLSVerify?: boolean;
    }
  | {
      type: 'kubeconfig';
      /** The kubeconfig as YAML text. */
      kubeconfig: string;
      /** The context to use; the kubeconfig's current context when absent. */
      context?: string;
    };
