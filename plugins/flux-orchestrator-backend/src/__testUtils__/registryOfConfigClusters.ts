import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ClusterPolicy, NetworkPolicy } from '../clusters/clusterPolicy';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import { CredentialCipher } from '../clusters/CredentialCipher';
import { readConfigClusters } from '../clusters/readConfigClusters';
import { FluxStore } from '../database/FluxStore';
import { loopbackPolicy } from './clusterPolicies';

/** A registry of app-config clusters (entries of `fluxOrchestrator.clusters`), refreshed into the store. */
export async function registryOfConfigClusters(
  store: FluxStore,
  clusters: object[],
  policies: { policy: ClusterPolicy; network: NetworkPolicy } = loopbackPolicy,
): Promise<ClusterRegistry> {
  const registry = new ClusterRegistry({
    store,
    configClusters: readConfigClusters(
      new ConfigReader({ fluxOrchestrator: { clusters } }),
      policies.policy,
      policies.network,
    ),
    cipher: CredentialCipher.fromConfig(new ConfigReader({}), {
      ephemeralDatabase: true,
      onEphemeralKey: () => {},
    }),
    logger: mockServices.logger.mock(),
    ...policies,
  });
  await registry.refresh();
  return registry;
}
