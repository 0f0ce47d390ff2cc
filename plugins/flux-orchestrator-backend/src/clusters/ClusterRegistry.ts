import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { FluxStore } from '../database/FluxStore';
import { ClusterConnection } from '../kubernetes/ClusterConnection';
import { ConfiguredCluster } from './readConfigClusters';

/**
 * Knows every cluster and how to reach it. Config clusters are written to the store at start-up (so the
 * UI lists them with their health) and those removed from config are pruned with their objects.
 */
export class ClusterRegistry {
  private readonly configConnections: Map<string, ClusterConnection>;

  constructor(
    private readonly store: FluxStore,
    private readonly configClusters: ConfiguredCluster[],
    private readonly logger: LoggerService,
  ) {
    this.configConnections = new Map(
      configClusters.map(c => [c.record.name, c.connection]),
    );
  }

  /** Writes the config clusters to the store and removes the ones config no longer has. */
  async refresh(): Promise<void> {
    for (const { record } of this.configClusters) {
      const existing = await this.store.getCluster(record.name);
      if (existing && existing.source !== 'config') {
        this.logger.warn(
          `Cluster "${record.name}" is defined in app-config and was registered through the API; the app-config definition wins`,
        );
      }
      await this.store.upsertCluster({ ...record, credentials: undefined });
    }
    const removed = await this.store.pruneClusters(
      'config',
      this.configClusters.map(c => c.record.name),
    );
    for (const name of removed) {
      this.logger.info(`Removed cluster "${name}": it is no longer in app-config`);
    }
  }

  async listClusterNames(): Promise<string[]> {
    return (await this.store.listClusters()).map(c => c.name);
  }

  /** How to reach a cluster; NotFoundError when it is unknown. */
  async getConnection(name: string): Promise<ClusterConnection> {
    const fromConfig = this.configConnections.get(name);
    if (fromConfig) return fromConfig;
    const stored = await this.store.getCluster(name);
    if (!stored) throw new NotFoundError(`No cluster named "${name}"`);
    throw new NotFoundError(
      `Cluster "${name}" (source ${stored.source}) has no connection details`,
    );
  }
}
