import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  ClusterRegistration,
  ClusterUpdate,
  describeClusterSource,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { FluxStore, StoredCluster } from '../database/FluxStore';
import { describeClusterError } from '../kubernetes/describeClusterError';
import { FluxClusterClient } from '../kubernetes/FluxClusterClient';
import { ClusterConnection } from '../kubernetes/ClusterConnection';
import { ClusterPolicy, NetworkPolicy } from './clusterPolicy';
import { parseKubeconfig } from './parseKubeconfig';
import { RegisteredClusterSource } from './RegisteredClusterSource';

export interface ClusterAdminOptions {
  store: FluxStore;
  registered: RegisteredClusterSource;
  policy: ClusterPolicy;
  network: NetworkPolicy;
  /** How long the connection check waits for the cluster. */
  connectionTimeoutMs: number;
}

/**
 * Registering, changing and removing API clusters. A kubeconfig is validated and, unless skipped, tried
 * against the cluster before anything is written; the stored copy is encrypted.
 */
export class ClusterAdmin {
  constructor(private readonly options: ClusterAdminOptions) {}

  async register(input: ClusterRegistration): Promise<void> {
    const { store, registered, policy, network } = this.options;
    const existing = await store.getCluster(input.name);
    if (existing) {
      throw new ConflictError(
        `name: a cluster named "${
          input.name
        }" is already defined in ${describeClusterSource(
          existing.source,
        )}; choose another name`,
      );
    }
    const parsed = parseKubeconfig(
      input.kubeconfig,
      input.context,
      policy,
      network,
    );
    if (!input.skipConnectionCheck)
      await this.checkConnection(parsed.connection);
    await store.insertCluster({
      name: input.name,
      title: input.title?.trim() || input.name,
      description: input.description,
      source: 'api',
      server: parsed.connection.server,
      credentials: registered.sealCredentials(input.name, parsed),
    });
  }

  async update(name: string, input: ClusterUpdate): Promise<void> {
    const { store, registered, policy, network } = this.options;
    await this.requireWritable(name);
    let server: string | undefined;
    let credentials: string | undefined;
    if (input.kubeconfig === undefined && input.context !== undefined) {
      // Only the chosen context's entries were kept, so there is no other context to switch to.
      throw new InputError(
        'context: to change the context, paste the kubeconfig again; only the entries of the context in use are stored',
      );
    }
    if (input.kubeconfig !== undefined) {
      const parsed = parseKubeconfig(
        input.kubeconfig,
        input.context,
        policy,
        network,
      );
      if (!input.skipConnectionCheck)
        await this.checkConnection(parsed.connection);
      server = parsed.connection.server;
      credentials = registered.sealCredentials(name, parsed);
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
        `Cluster "${name}" is defined in ${describeClusterSource(
          cluster.source,
        )} and is read-only here; change it there`,
      );
    }
    return cluster;
  }

  /** Asks the cluster for /version with the parsed connection: the same client every later call uses. */
  private async checkConnection(connection: ClusterConnection) {
    const signal = AbortSignal.timeout(this.options.connectionTimeoutMs);
    try {
      const client = await FluxClusterClient.create(
        connection,
        this.options.network,
      );
      await client.getVersion(signal);
    } catch (error) {
      const cause = signal.aborted
        ? `no answer within ${Math.round(
            this.options.connectionTimeoutMs / 1000,
          )}s`
        : describeClusterError(error);
      throw new InputError(
        `kubeconfig: the cluster at ${connection.server} did not answer with these credentials (${cause}); fix the kubeconfig, or set skipConnectionCheck to register it anyway`,
      );
    }
  }
}
