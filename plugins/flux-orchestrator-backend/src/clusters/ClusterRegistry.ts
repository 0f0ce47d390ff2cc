import { LoggerService } from '@backstage/backend-plugin-api';
import { createHash } from 'crypto';
import { InputError, NotFoundError } from '@backstage/errors';
import { FluxStore } from '../database/FluxStore';
import {
  ClusterConnection,
  StoredClusterCredentials,
  storedClusterCredentialsSchema,
} from '../kubernetes/ClusterConnection';
import { FluxClusterClient } from '../kubernetes/FluxClusterClient';
import { CatalogClusterSource } from './CatalogClusterSource';
import { checkServer, ClusterPolicy, NetworkPolicy } from './clusterPolicy';
import { CredentialCipher } from './CredentialCipher';
import { parseKubeconfig, ParsedKubeconfig } from './parseKubeconfig';
import { ConfiguredCluster } from './readConfigClusters';

export interface ClusterRegistryOptions {
  store: FluxStore;
  configClusters: ConfiguredCluster[];
  cipher: CredentialCipher;
  logger: LoggerService;
  policy: ClusterPolicy;
  network: NetworkPolicy;
  /** Resource entities of type kubernetes-cluster, when `fluxOrchestrator.catalogClusters.enabled`. */
  catalog?: CatalogClusterSource;
}

/** What the `credentials` column held before format 2: the kubeconfig text as the user sent it. */
interface LegacyCredentials {
  kubeconfig: string;
  context?: string;
}

export interface CredentialsReview {
  /** Rewritten under the current key. */
  rotated: number;
  /** Stored as raw kubeconfig text before, re-validated and rewritten as the allow-listed structure. */
  upgraded: number;
  /** Refused by the validation: marked unhealthy with the reason, never loaded. */
  refused: number;
}

/**
 * Knows every cluster and how to reach it, whatever its source. Config and catalog clusters are written to
 * the store on refresh (so the UI lists them with their health) and those their source no longer has are
 * pruned with their objects; API clusters live only in the store, their kubeconfig encrypted.
 */
export class ClusterRegistry {
  private readonly configConnections: Map<string, ClusterConnection>;
  private catalogConnections = new Map<string, ClusterConnection | string>();
  /** Each cluster's client, with a digest of the connection it was made for (see getClient). */
  private readonly clients = new Map<
    string,
    { fingerprint: string; client: Promise<FluxClusterClient> }
  >();

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
          `Cluster "${record.name}" is defined in app-config and ${
            existing.source === 'api'
              ? 'was registered through the API'
              : 'in the catalog'
          }; the app-config definition wins`,
        );
      }
      await store.upsertCluster({ ...record, credentials: undefined });
    }
    for (const name of await store.pruneClusters(
      'config',
      configClusters.map(c => c.record.name),
    )) {
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
      logger.warn(
        `Could not read kubernetes-cluster entities from the catalog: ${error}`,
      );
      return;
    }
    const connections = new Map<string, ClusterConnection | string>();
    for (const cluster of found) {
      const existing = await store.getCluster(cluster.record.name);
      if (existing && existing.source !== 'catalog') {
        logger.warn(
          `Catalog entity for cluster "${
            cluster.record.name
          }" is ignored: a cluster of that name is defined ${
            existing.source === 'config' ? 'in app-config' : 'through the API'
          }`,
        );
        continue;
      }
      await store.upsertCluster({ ...cluster.record, credentials: undefined });
      connections.set(cluster.record.name, cluster.connection);
    }
    this.catalogConnections = connections;
    for (const name of await store.pruneClusters('catalog', [
      ...connections.keys(),
    ])) {
      logger.info(`Removed cluster "${name}": its catalog entity is gone`);
    }
  }

  async listClusterNames(): Promise<string[]> {
    return (await this.options.store.listClusters()).map(c => c.name);
  }

  /** Encrypts a registered cluster's allow-listed connection for the `credentials` column. */
  sealCredentials(cluster: string, parsed: ParsedKubeconfig): string {
    const stored: StoredClusterCredentials = {
      format: 2,
      context: parsed.context,
      connection: parsed.connection,
    };
    return this.options.cipher.encrypt(JSON.stringify(stored), cluster);
  }

  /**
   * The connection of a registered cluster, decrypted and checked again. Rows written before format 2 hold the
   * user's kubeconfig text: that text goes through the one kubeconfig parser (and is refused as it would be
   * today) — it is never handed to client-node.
   */
  private openConnection(
    cluster: string,
    cipherText: string,
  ): ParsedKubeconfig & { legacy?: true } {
    const { cipher, policy, network } = this.options;
    const plain = JSON.parse(cipher.decrypt(cipherText, cluster)) as Partial<
      StoredClusterCredentials & LegacyCredentials
    >;
    if (plain.format === undefined && typeof plain.kubeconfig === 'string') {
      try {
        return {
          ...parseKubeconfig(plain.kubeconfig, plain.context, policy, network),
          legacy: true,
        };
      } catch (error) {
        throw new InputError(
          `The kubeconfig stored for cluster "${cluster}" before the allow-list was introduced is refused: ${
            (error as Error).message
          }. Give the cluster a kubeconfig again (edit it in the Clusters page)`,
        );
      }
    }
    const parsed = storedClusterCredentialsSchema.safeParse(plain);
    if (!parsed.success)
      throw new InputError(
        `The stored credentials of cluster "${cluster}" are not in a known format`,
      );
    // The policy may have tightened since the cluster was registered.
    checkServer(
      parsed.data.connection.server,
      `cluster "${cluster}" server`,
      policy,
      network,
    );
    return { context: parsed.data.context, connection: parsed.data.connection };
  }

  /** How to reach a cluster; NotFoundError when it is unknown or has no usable credentials. */
  async getConnection(name: string): Promise<ClusterConnection> {
    const fromConfig = this.configConnections.get(name);
    if (fromConfig) return fromConfig;
    const stored = await this.options.store.getCluster(name);
    if (!stored) throw new NotFoundError(`No cluster named "${name}"`);
    if (stored.source === 'api') {
      if (!stored.credentials)
        throw new NotFoundError(`Cluster "${name}" has no stored credentials`);
      return this.openConnection(name, stored.credentials).connection;
    }
    const fromCatalog = this.catalogConnections.get(name);
    if (typeof fromCatalog === 'string') throw new NotFoundError(fromCatalog);
    if (fromCatalog) return fromCatalog;
    throw new NotFoundError(
      `Cluster "${name}" (source ${stored.source}) has no connection details`,
    );
  }

  /**
   * The one way the plugin gets a Kubernetes client for a cluster. A cluster's client is kept while its
   * connection stays the same, so that its connections and TLS sessions are reused: a watch lease renewed every
   * minute would otherwise shake hands anew for each of a cluster's 26 streams (a fifth of a core at 100
   * clusters). A changed connection (new credentials, say) gets a new client and closes the old one's sockets.
   */
  async getClient(name: string): Promise<FluxClusterClient> {
    let connection: ClusterConnection;
    try {
      connection = await this.getConnection(name);
    } catch (error) {
      this.forgetClient(name);
      throw error;
    }
    // A digest of the whole connection, secrets included; it never leaves this process's memory.
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(connection))
      .digest('hex');
    const kept = this.clients.get(name);
    if (kept?.fingerprint === fingerprint) return kept.client;
    this.forgetClient(name);
    const client = FluxClusterClient.create(connection, this.options.network);
    this.clients.set(name, { fingerprint, client });
    client.catch(
      () =>
        this.clients.get(name)?.client === client && this.clients.delete(name),
    );
    return client;
  }

  private forgetClient(name: string) {
    const kept = this.clients.get(name);
    if (!kept) return;
    this.clients.delete(name);
    kept.client.then(
      client => client.close(),
      () => undefined,
    );
  }

  /**
   * Run at start-up, before any cluster is loaded: every registered cluster's credentials are opened and
   * checked; rows of the pre-allow-list format that pass are rewritten as the structure, those that fail are
   * marked unhealthy with the reason (and stay unusable: opening them fails the same way); rows under an
   * older key are re-encrypted with the current one, so that it can be removed from `previousKeys`.
   */
  async reviewStoredCredentials(): Promise<CredentialsReview> {
    const { store, cipher, logger } = this.options;
    const review: CredentialsReview = { rotated: 0, upgraded: 0, refused: 0 };
    for (const cluster of await store.listClusters()) {
      if (cluster.source !== 'api' || !cluster.credentials) continue;
      try {
        const { legacy, ...parsed } = this.openConnection(
          cluster.name,
          cluster.credentials,
        );
        const oldKey =
          cipher.keyIdOf(cluster.credentials) !== cipher.currentKeyId;
        if (!legacy && !oldKey) continue;
        await store.updateCluster(cluster.name, {
          credentials: this.sealCredentials(cluster.name, parsed),
        });
        if (legacy) review.upgraded++;
        if (oldKey) review.rotated++;
      } catch (error) {
        review.refused++;
        const reason = (error as Error).message;
        logger.error(`Cluster "${cluster.name}" cannot be loaded: ${reason}`);
        await store.markClusterUnhealthy(cluster.name, reason);
      }
    }
    return review;
  }
}
