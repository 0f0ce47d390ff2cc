import { Config } from '@backstage/config';
import { ClusterPolicy, NetworkPolicy } from './clusterPolicy';

/**
 * `fluxOrchestrator.kubeconfig`: the policy every cluster's connection meets, whatever its source. A bad value
 * stops the backend with the key named.
 */
export function readClusterPolicy(config: Config): {
  policy: ClusterPolicy;
  network: NetworkPolicy;
} {
  const c = config.getOptionalConfig('fluxOrchestrator.kubeconfig');
  for (const removed of ['allowExec', 'allowAuthProvider']) {
    if (c?.has(removed)) {
      throw new Error(
        `fluxOrchestrator.kubeconfig.${removed} is no longer supported: a kubeconfig from the API or the catalog may never run a plugin on the backend host. For an app-config kubeconfig file that needs an exec plugin, set kubeconfig.allowExec on that cluster's entry in fluxOrchestrator.clusters`,
      );
    }
  }
  const privateNetworks = c?.getOptional('allowPrivateNetworks');
  if (
    privateNetworks !== undefined &&
    typeof privateNetworks !== 'boolean' &&
    !(
      Array.isArray(privateNetworks) &&
      privateNetworks.every(p => typeof p === 'string')
    )
  ) {
    throw new Error(
      'fluxOrchestrator.kubeconfig.allowPrivateNetworks: must be true, false or a list of CIDR ranges',
    );
  }
  const policy: ClusterPolicy = {
    allowHttp: c?.getOptionalBoolean('allowHttp') ?? false,
    allowInsecure: c?.getOptionalBoolean('allowInsecure') ?? false,
    allowedServers: c?.getOptionalStringArray('allowedServers') ?? [],
    allowPrivateNetworks:
      (privateNetworks as boolean | string[] | undefined) ?? false,
  };
  return { policy, network: new NetworkPolicy(policy) };
}
