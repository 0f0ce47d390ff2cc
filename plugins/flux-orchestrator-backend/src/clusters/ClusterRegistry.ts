import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { FluxStore } from '../database/FluxStore';
import { ClusterConnection } from '../kubernetes/ClusterConnection';
import { FluxClusterClient } from '../kubernetes/FluxClusterClient';
import { CatalogClusterSource } from './CatalogClusterSource';
import { CredentialCipher } from './CredentialCipher';
import { ConfiguredCluster } from './readConfigClusters';

export interface ClusterRegistryOptions {
  store: FluxStore;
  configClusters: ConfiguredCluster[];
  cipher: CredentialCipher;
  logger: LoggerService;
  /** Resource entities of type kubernetes-cluster, when `fluxOrchestrator.catalogClusters.enabled`. */
  catalog?: CatalogClusterSource;
}

/** What an API-registered cluster keeps, encrypted, in the `credentials` column. */
interface StoredCredentials {
  kubeconfig: string;
  context: string;
}

/**
 * Knows every cluster and how to reach it, whatever its source. Config and catalog clusters are written to
 * the store on refresh (so the UI lists them with their health) and those their source no longer has are
 * pruned with their objects; API clusters live only in the store, their kubeconfig encrypted.
 */
export class ClusterRegistry {
  private readonly configConnections: Map<string, ClusterConnection>;
  private catalogConnections = new Map<string, ClusterConnection | string>();

  constructor(private readonly options: ClusterRegistryOptions) {
    this.configConnections = new Map(
      options.configClusters.map(c => [c.record.name, c.connection]),
    );
  }

  /** Writes config and catalog clusters to the store and removes the ones their source no longer has. */
  async refresh(): Promise<void> {
    await this.refreshConfigClusters();
    await this.refreshCatalogClusters();
  }

  /** The config clusters alone: at start-up, before the catalog can answer. */
  async refreshConfigClusters(): Promise<void> {
    const { store, logger, configClusters } = this.options;
    for (const { record } of configClusters) {
      const existing = await store.getCluster(record.name);
      if (existing && existing.source !== 'config') {
        logger.warn(
          `Cluster "${record.name}" is defined in app-config and ${existing.source === 'api' ? 'was registered through the API' : 'in the catalog'}; the app-config definition wins`,
        );
      }
      await store.upsertCluster({ ...record, credentials: undefined });
    }
    for (const name of await store.pruneClusters('config', configClusters.map(c => c.record.name))) {
      logger.info(`Removed cluster "${name}": it is no longer in app-config`);
    }
  }

  private async refreshCatalogClusters(): Promise<void> {
    const { store, logger, catalog } = this.options;
    if (!catalog) return;

    let found;
    try {
      found = await catalog.read();
    } catch (error) {
      // Keep the catalog clusters known so far: a catalog hiccup must not delete their objects.
      logger.warn(`Could not read kubernetes-cluster entities from the catalog: ${error}`);
      return;
    }
    const connections = new Map<string, ClusterConnection | string>();
    for (const cluster of found) {
      const existing = await store.getCluster(cluster.record.name);
      if (existing && existing.source !== 'catalog') {
        logger.warn(
          `Catalog entity for cluster "${cluster.record.name}" is ignored: a cluster of that name is defined ${existing.source === 'config' ? 'in app-config' : 'through the API'}`,
        );
        continue;
      }
      await store.upsertCluster({ ...cluster.record, credentials: undefined });
      connections.set(cluster.record.name, cluster.connection);
    }
    this.catalogConnections = connections;
    for (const name of await store.pruneClusters('catalog', [...connections.keys()])) {
      logger.info(`Removed cluster "${name}": its catalog entity is gone`);
    }
  }

  async listClusterNames(): Promise<string[]> {
    return (await this.options.store.listClusters()).map(c => c.name);
  }

  /** Encrypts a registered cluster's kubeconfig for the `credentials` column. */
  sealCredentials(cluster: string, kubeconfig: string, context: string): string {
    const credentials: StoredCredentials = { kubeconfig, context };
    return this.options.cipher.encrypt(JSON.stringify(credentials), cluster);
  }

  /** The stored kubeconfig of a registered cluster, decrypted; for a PUT that changes only the context. */
  async openCredentials(cluster: string): Promise<StoredCredentials> {
    const stored = await this.options.store.getCluster(cluster);
    if (!stored?.credentials) throw new NotFoundError(`Cluster "${cluster}" has no stored credentials`);
    return JSON.parse(this.options.cipher.decrypt(stored.credentials, cluster));
  }

  /** How to reach a cluster; NotFoundError when it is unknown or has no usable credentials. */
  async getConnection(name: string): Promise<ClusterConnection> {
    const fromConfig = this.configConnections.get(name);
    if (fromConfig) return fromConfig;
    const stored = await this.options.store.getCluster(name);
    if (!stored) throw new NotFoundError(`No cluster named "${name}"`);
    if (stored.source === 'api') {
      const { kubeconfig, context } = await this.openCredentials(name);
      return { type: 'kubeconfig', kubeconfig, context };
    }
    const fromCatalog = this.catalogConnections.get(name);
    if (typeof fromCatalog === 'string') throw new NotFoundError(fromCatalog);
    if (fromCatalog) return fromCatalog;
    throw new NotFoundError(`Cluster "${name}" (source ${stored.source}) has no connection details`);
  }

  /** The one way the plugin gets a Kubernetes client for a cluster. */
  async getClient(name: string): Promise<FluxClusterClient> {
    return FluxClusterClient.create(name, await this.getConnection(name));
  }

  /**
   * Re-encrypts every registered cluster whose credentials are under an older key, so that the old key can be
   * removed from `previousKeys`. Run at start-up; returns how many were rewritten.
   */
  async rotateCredentials(): Promise<number> {
    const { store, cipher, logger } = this.options;
    let rotated = 0;
    for (const cluster of await store.listClusters()) {
      if (cluster.source !== 'api' || !cluster.credentials) continue;
      if (cipher.keyIdOf(cluster.credentials) === cipher.currentKeyId) continue;
      try {
        const plain = cipher.decrypt(cluster.credentials, cluster.name);
        await store.updateCluster(cluster.name, { credentials: cipher.encrypt(plain, cluster.name) });
        rotated++;
      } catch (error) {
        logger.error(`Could not re-encrypt the credentials of cluster "${cluster.name}": ${(error as Error).message}`);
      }
    }
    return rotated;
  }
}
