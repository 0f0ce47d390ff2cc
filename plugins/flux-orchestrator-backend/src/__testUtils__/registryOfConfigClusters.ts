import { ConfigReader } from '@backstage/config';
import { ClusterPolicy, NetworkPolicy } from '../clusters/clusterPolicy';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import {
  configClusterSource,
  readConfigClusters,
} from '../clusters/readConfigClusters';
import { FluxStore } from '../database/FluxStore';
import { loopbackPolicy } from './clusterPolicies';
import { createRegistry } from './createRegistry';

/** A registry of app-config clusters (entries of `fluxOrchestrator.clusters`), written to the store. */
export async function registryOfConfigClusters(
  store: FluxStore,
  clusters: object[],
  policies: { policy: ClusterPolicy; network: NetworkPolicy } = loopbackPolicy,
): Promise<ClusterRegistry> {
  const config = new ConfigReader({ fluxOrchestrator: { clusters } });
  const { registry } = createRegistry({
    store,
    sources: [
      configClusterSource(
        readConfigClusters(config, policies.policy, policies.network),
      ),
    ],
    policies,
  });
  await registry.writeClusters();
  return registry;
}
