import { LoggerService } from '@backstage/backend-plugin-api';
import { createHash } from 'crypto';
import { NotFoundError } from '@backstage/errors';
import {
  CLUSTER_SOURCE_PATTERN,
  describeClusterSource,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { FluxClusterSource } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-node';
import { FluxStore } from '../database/FluxStore';
import { ClusterConnection } from '../kubernetes/ClusterConnection';
import { FluxClusterClient } from '../kubernetes/FluxClusterClient';
import { CheckedSourceCluster, checkSourceCluster } from './checkSourceCluster';
import { ClusterPolicy, NetworkPolicy } from './clusterPolicy';
import { RegisteredClusterSource } from './RegisteredClusterSource';

export interface ClusterRegistryOptions {
  store: FluxStore;
  logger: LoggerService;
  policy: ClusterPolicy;
  network: NetworkPolicy;
  /** The clusters registered through the API, which live in the store. */
  registered: RegisteredClusterSource;
  /**
   * The other sources, app-config first. A name that a cluster of another source already holds is refused
   * (app-config alone takes it over): the registered clusters and earlier sources come first.
   */
  sources: FluxClusterSource[];
}

/** A source's clusters as this replica last read them. */
interface SourceRead {
  readAt: number;
  clusters: Map<string, CheckedSourceCluster>;
}

/** A cluster asked for but missing from its source's last read is looked up again, at most this often. */
const REREAD_AFTER_MS = 10_000;

/**
 * Knows every cluster and how to reach it, whatever its source. Every replica reads every source (readSources)
 * and keeps their connections in memory, so that whichever replica runs a cluster's sync can reach it; one
 * replica writes the clusters to the store (writeClusters), so that the UI lists them with their health, and
 * removes with their objects those their source no longer has. Registered clusters live only in the store,
 * their connection encrypted, and are read from it each time.
 */
export class ClusterRegistry {
  private readonly reads = new Map<string, SourceRead>();
  private readonly reading = new Map<string, Promise<SourceRead | undefined>>();
  /** Each cluster's client, with a digest of the connection it was made for (see getClient). */
  private readonly clients = new Map<
    string,
    { fingerprint: string; client: Promise<FluxClusterClient> }
  >();

  constructor(private readonly options: ClusterRegistryOptions) {
    const ids = new Set([options.registered.id]);
    for (const source of options.sources) {
      if (!CLUSTER_SOURCE_PATTERN.test(source.id))
        throw new Error(
          `Cluster source id "${source.id}" must be lowercase letters, digits and dashes (at most 16), starting with a letter`,
        );
      if (ids.has(source.id))
        throw new Error(`Two cluster sources are both named "${source.id}"`);
      ids.add(source.id);
    }
  }

  /** Reads every source into this replica's memory; a source that fails keeps what it gave last time. */
  async readSources(): Promise<void> {
    await Promise.all(this.options.sources.map(source => this.read(source)));
  }

  /**
   * Writes every source's clusters to the store and removes the clusters their source no longer has,
   * including those of a source this backend no longer has (its module removed). `only` limits it to some
   * sources, without removing anything of the others: at start-up, every source but the catalog, which may not
   * answer before the backend is up.
   */
  async writeClusters(only?: string[]): Promise<void> {
    const { store, logger, sources, registered } = this.options;
    for (const source of sources) {
      if (only && !only.includes(source.id)) continue;
      const read = await this.read(source);
      if (read) await this.writeSource(source.id, read);
    }
    if (only) return;
    const known = new Set([registered.id, ...sources.map(s => s.id)]);
    const orphaned = new Set(
      (await store.listClusters())
        .map(c => c.source)
        .filter(source => !known.has(source)),
    );
    for (const source of orphaned) {
      for (const name of await store.pruneClusters(source, [])) {
        logger.info(
          `Removed cluster "${name}": its source "${source}" is no longer part of this backend`,
        );
      }
    }
  }

  private async writeSource(id: string, read: SourceRead): Promise<void> {
    const { store, logger } = this.options;
    const kept: string[] = [];
    for (const { record } of read.clusters.values()) {
      const existing = await store.getCluster(record.name);
      if (existing && existing.source !== id) {
        if (id !== 'config') {
          logger.warn(
            `Cluster "${record.name}" of ${describeClusterSource(
              id,
            )} is ignored: a cluster of that name is defined in ${describeClusterSource(
              existing.source,
            )}`,
          );
          continue;
        }
        logger.warn(
          `Cluster "${
            record.name
          }" is defined in app-config and in ${describeClusterSource(
            existing.source,
          )}; the app-config definition wins`,
        );
      }
      await store.upsertCluster({ ...record, credentials: undefined });
      kept.push(record.name);
    }
    for (const name of await store.pruneClusters(id, kept)) {
      logger.info(
        `Removed cluster "${name}": ${describeClusterSource(
          id,
        )} no longer has it`,
      );
    }
  }

  /** One source's clusters, checked; concurrent callers share one read. */
  private read(source: FluxClusterSource): Promise<SourceRead | undefined> {
    const pending = this.reading.get(source.id);
    if (pending) return pending;
    const read = this.readNow(source).finally(() =>
      this.reading.delete(source.id),
    );
    this.reading.set(source.id, read);
    return read;
  }

  private async readNow(
    source: FluxClusterSource,
  ): Promise<SourceRead | undefined> {
    const { logger, policy, network } = this.options;
    let given;
    try {
      given = await source.readClusters();
      if (!Array.isArray(given)) throw new Error('it did not return a list');
    } catch (error) {
      // Keep what the source gave last time: a hiccup must not delete its clusters' objects.
      logger.warn(
        `Could not read the clusters of ${describeClusterSource(
          source.id,
        )}: ${error}`,
      );
      return this.reads.get(source.id);
    }
    const clusters = new Map<string, CheckedSourceCluster>();
    for (const cluster of given) {
      const checked = checkSourceCluster(source.id, cluster, policy, network);
      if ('refused' in checked) {
        logger.warn(
          `A cluster of ${describeClusterSource(source.id)} is ignored: ${
            checked.refused
          }`,
        );
      } else if (clusters.has(checked.record.name)) {
        logger.warn(
          `${describeClusterSource(source.id)} gives cluster "${
            checked.record.name
          }" twice; the first is used`,
        );
      } else {
        clusters.set(checked.record.name, checked);
      }
    }
    const read = { readAt: Date.now(), clusters };
    this.reads.set(source.id, read);
    return read;
  }

  async listClusterNames(): Promise<string[]> {
    return (await this.options.store.listClusters()).map(c => c.name);
  }

  /** How to reach a cluster; NotFoundError when it is unknown or has no usable connection. */
  async getConnection(name: string): Promise<ClusterConnection> {
    const { store, registered, sources } = this.options;
    const stored = await store.getCluster(name);
    if (!stored) throw new NotFoundError(`No cluster named "${name}"`);
    if (stored.source === registered.id) return registered.connectionOf(stored);
    const source = sources.find(s => s.id === stored.source);
    if (!source) {
      throw new NotFoundError(
        `Cluster "${name}" comes from source "${stored.source}", which this backend does not have (is its module installed?)`,
      );
    }
    let read = this.reads.get(source.id);
    if (
      !read?.clusters.has(name) &&
      (!read || Date.now() - read.readAt > REREAD_AFTER_MS)
    ) {
      read = (await this.read(source)) ?? read;
    }
    const found = read?.clusters.get(name);
    if (!found) {
      throw new NotFoundError(
        `Cluster "${name}" is no longer given by ${describeClusterSource(
          source.id,
        )}`,
      );
    }
    if (typeof found.connection === 'string')
      throw new NotFoundError(found.connection);
    return found.connection;
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
}
