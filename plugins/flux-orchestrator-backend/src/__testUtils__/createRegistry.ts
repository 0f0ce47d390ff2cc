import { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { FluxClusterSource } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-node';
import { ClusterPolicy, NetworkPolicy } from '../clusters/clusterPolicy';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import { CredentialCipher } from '../clusters/CredentialCipher';
import { RegisteredClusterSource } from '../clusters/RegisteredClusterSource';
import { FluxStore } from '../database/FluxStore';
import { loopbackPolicy } from './clusterPolicies';

/** A registry over the given sources and the store's registered clusters, under an ephemeral key. */
export function createRegistry(options: {
  store: FluxStore;
  sources?: FluxClusterSource[];
  logger?: LoggerService;
  policies?: { policy: ClusterPolicy; network: NetworkPolicy };
  cipher?: CredentialCipher;
}): { registry: ClusterRegistry; registered: RegisteredClusterSource } {
  const policies = options.policies ?? loopbackPolicy;
  const registered = new RegisteredClusterSource({
    store: options.store,
    cipher:
      options.cipher ??
      CredentialCipher.fromConfig(new ConfigReader({}), {
        ephemeralDatabase: true,
        onEphemeralKey: () => {},
      }),
    ...policies,
  });
  const registry = new ClusterRegistry({
    store: options.store,
    registered,
    sources: options.sources ?? [],
    logger: options.logger ?? mockServices.logger.mock(),
    ...policies,
  });
  return { registry, registered };
}
