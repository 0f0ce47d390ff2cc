import { InputError, NotFoundError } from '@backstage/errors';
import { FluxStore, StoredCluster } from '../database/FluxStore';
import {
  ClusterConnection,
  StoredClusterCredentials,
  storedClusterCredentialsSchema,
} from '../kubernetes/ClusterConnection';
import { checkServer, ClusterPolicy, NetworkPolicy } from './clusterPolicy';
import { CredentialCipher } from './CredentialCipher';
import { parseKubeconfig, ParsedKubeconfig } from './parseKubeconfig';

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
 * The clusters users registered through the API. Unlike the listed sources (FluxClusterSource) they are not
 * read and written to the store: the API (ClusterAdmin) writes them there, their connection encrypted, and a
 * connection is read from the row each time it is asked for, so that an edit takes effect at once on every
 * replica.
 */
export class RegisteredClusterSource {
  readonly id = 'api';

  constructor(
    private readonly options: {
      store: FluxStore;
      cipher: CredentialCipher;
      policy: ClusterPolicy;
      network: NetworkPolicy;
    },
  ) {}

  /** How to reach a registered cluster, decrypted and checked again. */
  connectionOf(cluster: StoredCluster): ClusterConnection {
    if (!cluster.credentials)
      throw new NotFoundError(
        `Cluster "${cluster.name}" has no stored credentials`,
      );
    return this.openConnection(cluster.name, cluster.credentials).connection;
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
   * Rows written before format 2 hold the user's kubeconfig text: that text goes through the one kubeconfig
   * parser (and is refused as it would be today) — it is never handed to client-node.
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

  /**
   * Run at start-up, before any cluster is loaded: every registered cluster's credentials are opened and
   * checked; rows of the pre-allow-list format that pass are rewritten as the structure, those that fail are
   * marked unhealthy with the reason (and stay unusable: opening them fails the same way); rows under an
   * older key are re-encrypted with the current one, so that it can be removed from `previousKeys`.
   */
  async reviewStoredCredentials(log: {
    error(message: string): void;
  }): Promise<CredentialsReview> {
    const { store, cipher } = this.options;
    const review: CredentialsReview = { rotated: 0, upgraded: 0, refused: 0 };
    for (const cluster of await store.listClusters()) {
      if (cluster.source !== this.id || !cluster.credentials) continue;
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
        log.error(`Cluster "${cluster.name}" cannot be loaded: ${reason}`);
        await store.markClusterUnhealthy(cluster.name, reason);
      }
    }
    return review;
  }
}
