import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Fleet, seedFluxObjects, startFleet } from '@internal/kube-harness';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import { DatabaseFluxStore } from '../database/DatabaseFluxStore';
import { registryOfConfigClusters } from './registryOfConfigClusters';

/** One harness API server seeded with the current generation's Flux objects, and a store on PostgreSQL. */
export interface SeededCluster {
  fleet: Fleet;
  store: DatabaseFluxStore;
  registry: ClusterRegistry;
  /** A cluster-admin client, to change objects as a person or a controller would. */
  admin: KubeConfig;
  k8s: typeof import('@kubernetes/client-node');
}

/**
 * Starts the cluster `name`, registered from app-config with the harness token `token` (what the plugin may do
 * there), against a fresh PostgreSQL database with the plugin's migrations run.
 */
export async function startSeededCluster(
  databases: TestDatabases,
  name: string,
  token: 'viewer' | 'operator',
): Promise<SeededCluster> {
  const fleet = await startFleet({
    clusters: [{ name, generation: 'current' }],
  });
  const [cluster] = fleet.clusters;
  await seedFluxObjects(cluster.adminKubeconfig, 'current');
  const k8s = await import('@kubernetes/client-node');
  const admin = new k8s.KubeConfig();
  admin.loadFromString(cluster.adminKubeconfig);
  const knex = await databases.init('POSTGRES_15');
  const store = await DatabaseFluxStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const registry = await registryOfConfigClusters(store, [
    {
      name,
      url: cluster.server,
      caData: cluster.caPem,
      serviceAccountToken: cluster.tokens[token],
    },
  ]);
  return { fleet, store, registry, admin, k8s };
}
