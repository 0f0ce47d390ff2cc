import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Fleet, seedFluxObjects, startFleet } from '@internal/kube-harness';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import { DatabaseFluxStore } from '../database/DatabaseFluxStore';
import { registryOfConfigClusters } from './registryOfConfigClusters';

/** Harness API servers seeded with the current generation's Flux objects, and a store on PostgreSQL. */
export interface SeededCluster {
  fleet: Fleet;
  store: DatabaseFluxStore;
  registry: ClusterRegistry;
  /** A cluster-admin client of the first cluster, to change objects as a person or a controller would. */
  admin: KubeConfig;
  /** The cluster-admin client of each cluster, by name. */
  admins: Record<string, KubeConfig>;
  k8s: typeof import('@kubernetes/client-node');
}

/**
 * Starts the clusters `names` (one or several), each registered from app-config with the harness token `token`
 * (what the plugin may do there), against a fresh PostgreSQL database with the plugin's migrations run.
 */
export async function startSeededCluster(
  databases: TestDatabases,
  names: string | string[],
  token: 'viewer' | 'operator',
): Promise<SeededCluster> {
  const fleet = await startFleet({
    clusters: [names].flat().map(name => ({ name, generation: 'current' })),
  });
  const k8s = await import('@kubernetes/client-node');
  const admins: Record<string, KubeConfig> = {};
  for (const cluster of fleet.clusters) {
    await seedFluxObjects(cluster.adminKubeconfig, 'current');
    admins[cluster.name] = new k8s.KubeConfig();
    admins[cluster.name].loadFromString(cluster.adminKubeconfig);
  }
  const knex = await databases.init('POSTGRES_15');
  const store = await DatabaseFluxStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const registry = await registryOfConfigClusters(
    store,
    fleet.clusters.map(cluster => ({
      name: cluster.name,
      url: cluster.server,
      caData: cluster.caPem,
      serviceAccountToken: cluster.tokens[token],
    })),
  );
  const admin = admins[fleet.clusters[0].name];
  return { fleet, store, registry, admin, admins, k8s };
}
