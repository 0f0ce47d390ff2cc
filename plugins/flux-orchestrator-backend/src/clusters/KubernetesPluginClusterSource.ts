import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  FluxClusterSource,
  FluxSourceCluster,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-node';
import { ClusterPolicy, NetworkPolicy } from './clusterPolicy';
import { readServiceAccountConnection } from './readConfigClusters';

/** The auth provider the Kubernetes plugin reads from a cluster's `authMetadata` in newer releases. */
const AUTH_PROVIDER_KEY = 'kubernetes.io/auth-provider';

/**
 * The clusters the Kubernetes plugin already lists in `kubernetes.clusterLocatorMethods` (type `config`), read
 * when `fluxOrchestrator.kubernetesPluginClusters.enabled` is true, so that a portal does not describe its
 * clusters twice. Only service-account clusters can be reached this way: the other auth providers sign in per
 * user or through the cloud's SDK in the Kubernetes backend, which this plugin does not share. Those clusters
 * are listed with the reason they cannot be synced, so that the choice is visible rather than silent.
 */
export class KubernetesPluginClusterSource implements FluxClusterSource {
  readonly id = 'kubernetes';

  static fromConfig(
    config: Config,
    deps: {
      policy: ClusterPolicy;
      network: NetworkPolicy;
      logger: LoggerService;
    },
  ): KubernetesPluginClusterSource | undefined {
    if (
      !config.getOptionalBoolean(
        'fluxOrchestrator.kubernetesPluginClusters.enabled',
      )
    )
      return undefined;
    const clusters = readKubernetesPluginClusters(config, deps);
    deps.logger.info(
      `Read ${clusters.length} cluster(s) from kubernetes.clusterLocatorMethods`,
    );
    return new KubernetesPluginClusterSource(clusters);
  }

  constructor(private readonly clusters: FluxSourceCluster[]) {}

  async readClusters(): Promise<FluxSourceCluster[]> {
    return this.clusters;
  }
}

/** Each `config` locator's clusters; the other locator types (catalog, gke, localKubectlProxy) are skipped. */
export function readKubernetesPluginClusters(
  config: Config,
  deps: {
    policy: ClusterPolicy;
    network: NetworkPolicy;
    logger: LoggerService;
  },
): FluxSourceCluster[] {
  const methods =
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  return methods.flatMap((method, m) => {
    const type = method.getOptionalString('type');
    if (type !== 'config') {
      deps.logger.info(
        `kubernetes.clusterLocatorMethods[${m}] (type ${type}) is not read: only type config lists its clusters with their connections`,
      );
      return [];
    }
    return (method.getOptionalConfigArray('clusters') ?? []).flatMap((c, i) => {
      const where = `kubernetes.clusterLocatorMethods[${m}].clusters[${i}]`;
      const given = c.getOptionalString('name') ?? '';
      // The Kubernetes plugin allows any name; ours appear in URLs and ids, so they are lowercased.
      const name = given.toLowerCase();
      const title = c.getOptionalString('title') ?? given;
      const url = c.getOptionalString('url');
      const unavailable = (why: string): FluxSourceCluster => ({
        name,
        title,
        connection: {
          unavailable: `${where} ("${given}"): ${why}`,
          server: url,
        },
      });
      const authMetadata =
        c.getOptional<Record<string, unknown>>('authMetadata');
      const provider =
        c.getOptionalString('authProvider') ??
        (typeof authMetadata?.[AUTH_PROVIDER_KEY] === 'string'
          ? (authMetadata[AUTH_PROVIDER_KEY] as string)
          : undefined);
      if (provider !== 'serviceAccount') {
        return [
          unavailable(
            `auth provider ${
              provider ?? '(none)'
            } is not supported; Flux Orchestrator reaches clusters of the Kubernetes plugin's config with authProvider serviceAccount and a serviceAccountToken`,
          ),
        ];
      }
      const token =
        c.getOptionalString('serviceAccountToken') ??
        (typeof authMetadata?.serviceAccountToken === 'string'
          ? authMetadata.serviceAccountToken
          : undefined);
      if (!token) {
        return [
          unavailable(
            'has no serviceAccountToken; the Kubernetes backend then uses its own pod token, which Flux Orchestrator does not borrow',
          ),
        ];
      }
      try {
        return [
          {
            name,
            title,
            connection: readServiceAccountConnection(
              c,
              where,
              deps.policy,
              deps.network,
              token,
            ),
          },
        ];
      } catch (error) {
        // The message names the entry and the field already.
        const why = (error as Error).message;
        return [{ name, title, connection: { unavailable: why, server: url } }];
      }
    });
  });
}
