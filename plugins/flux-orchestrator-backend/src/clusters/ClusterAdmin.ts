import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { ClusterRegistration, ClusterUpdate } from '@internal/plugin-flux-orchestrator-common';
import { FluxStore, StoredCluster } from '../database/FluxStore';
import { describeClusterError } from '../kubernetes/describeClusterError';
import { FluxClusterClient } from '../kubernetes/FluxClusterClient';
import { ClusterRegistry } from './ClusterRegistry';
import { KubeconfigPolicy, parseKubeconfig, ValidKubeconfig } from './parseKubeconfig';

export interface ClusterAdminOptions {
  store: FluxStore;
  registry: ClusterRegistry;
  policy: KubeconfigPolicy;
  /** How long the connection check waits for the cluster. */
  connectionTimeoutMs: number;
}

const SOURCE_HOME = {
  config: 'app-config (fluxOrchestrator.clusters)',
  catalog: 'the catalog (a Resource entity of type kubernetes-cluster)',
  api: 'the API',
} as const;

/**
 * Registering, changing and removing API clusters. A kubeconfig is validated and, unless skipped, tried
 * against the cluster before anything is written; the stored copy is encrypted.
 */
export class ClusterAdmin {
  constructor(private readonly options: ClusterAdminOptions) {}

  async register(input: ClusterRegistration): Promise<void> {
    const { store, registry, policy } = this.options;
    const existing = await store.getCluster(input.name);
    if (existing) {
      throw new ConflictError(
        `name: a cluster named "${input.name}" is already defined in ${SOURCE_HOME[existing.source]}; choose another name`,
      );
    }
    const valid = parseKubeconfig(input.kubeconfig, input.context, policy);
    if (!input.skipConnectionCheck) await this.checkConnection(input.name, input.kubeconfig, valid);
    await store.insertCluster({
      name: input.name,
      title: input.title?.trim() || input.name,
      description: input.description,
      source: 'api',
      server: valid.server,
      credentials: registry.sealCredentials(input.name, input.kubeconfig, valid.context),
    });
  }

  async update(name: string, input: ClusterUpdate): Promise<void> {
    const { store, registry, policy } = this.options;
    const cluster = await this.requireWritable(name);
    let server: string | undefined;
    let credentials: string | undefined;
    if (input.kubeconfig !== undefined || input.context !== undefined) {
      // A new context alone is checked against the stored kubeconfig.
      const kubeconfig = input.kubeconfig ?? (await registry.openCredentials(cluster.name)).kubeconfig;
      const valid = parseKubeconfig(kubeconfig, input.context, policy);
      if (!input.skipConnectionCheck) await this.checkConnection(name, kubeconfig, valid);
      server = valid.server;
      credentials = registry.sealCredentials(name, kubeconfig, valid.context);
    }
    await store.updateCluster(name, {
      title: input.title === undefined ? undefined : input.title.trim() || name,
      description: input.description,
      server,
      credentials,
    });
  }

  async remove(name: string): Promise<void> {
    await this.requireWritable(name);
    await this.options.store.deleteCluster(name);
  }

  private async requireWritable(name: string): Promise<StoredCluster> {
    const cluster = await this.options.store.getCluster(name);
    if (!cluster) throw new NotFoundError(`No cluster named "${name}"`);
    if (cluster.source !== 'api') {
      throw new ConflictError(
        `Cluster "${name}" is defined in ${SOURCE_HOME[cluster.source]} and is read-only here; change it there`,
      );
    }
    return cluster;
  }

  private async checkConnection(name: string, kubeconfig: string, valid: ValidKubeconfig) {
    const signal = AbortSignal.timeout(this.options.connectionTimeoutMs);
    try {
      const client = await FluxClusterClient.create(name, { type: 'kubeconfig', kubeconfig, context: valid.context });
      await client.getVersion(signal);
    } catch (error) {
      const cause = signal.aborted
        ? `no answer within ${Math.round(this.options.connectionTimeoutMs / 1000)}s`
        : describeClusterError(error);
      throw new InputError(
        `kubeconfig: the cluster at ${valid.server} did not answer with these credentials (${cause}); fix the kubeconfig, or set skipConnectionCheck to register it anyway`,
      );
    }
  }
}
