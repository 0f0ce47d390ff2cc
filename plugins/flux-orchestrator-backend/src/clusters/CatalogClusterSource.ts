import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FluxClusterSource,
  FluxSourceCluster,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-node';
import { ClusterRecord } from '../database/FluxStore';
import { ClusterConnection } from '../kubernetes/ClusterConnection';
import { checkServer, ClusterPolicy, NetworkPolicy } from './clusterPolicy';
import { checkToken, toPemBase64 } from './parseKubeconfig';
import { CLUSTER_NAME_PATTERN } from './readConfigClusters';

// The annotations the Backstage Kubernetes plugin's catalog cluster locator reads.
export const API_SERVER_ANNOTATION = 'kubernetes.io/api-server';
export const API_SERVER_CA_ANNOTATION =
  'kubernetes.io/api-server-certificate-authority';
export const SKIP_TLS_VERIFY_ANNOTATION = 'kubernetes.io/skip-tls-verify';

export interface CatalogCluster {
  record: ClusterRecord;
  /** How to reach it, or why it cannot be reached (no token configured, refused by the policy, a name clash). */
  connection: ClusterConnection | string;
}

/**
 * Reads `fluxOrchestrator.catalogClusters.credentials`: a token per entity ref. Matching by full ref (not by
 * name) keeps an entity in another namespace, or of another kind, from taking a cluster's token.
 */
function readCredentials(section: Config): Map<string, string> {
  const tokens = new Map<string, string>();
  (section.getOptionalConfigArray('credentials') ?? []).forEach((c, index) => {
    const where = `fluxOrchestrator.catalogClusters.credentials[${index}]`;
    if (c.has('cluster')) {
      throw new Error(
        `${where}.cluster: catalog credentials are matched by entityRef now (resource:<namespace>/<name>), so that an entity of the same name in another namespace cannot take them; replace cluster with entityRef`,
      );
    }
    let ref: string;
    try {
      ref = stringifyEntityRef(
        parseEntityRef(c.getString('entityRef'), {
          defaultKind: 'resource',
          defaultNamespace: 'default',
        }),
      );
    } catch (error) {
      throw new Error(`${where}.entityRef: ${(error as Error).message}`);
    }
    tokens.set(
      ref,
      checkToken(
        c.getString('serviceAccountToken'),
        `${where}.serviceAccountToken`,
      ),
    );
  });
  return tokens;
}

/**
 * Clusters from catalog `Resource` entities of type `kubernetes-cluster`, identified by their entity ref. The
 * catalog holds no secrets: each token comes from config by entity ref. An entity is as untrusted as a request:
 * its server meets the same policy, and `kubernetes.io/skip-tls-verify` is obeyed only where config allows it.
 */
export class CatalogClusterSource implements FluxClusterSource {
  readonly id = 'catalog';

  static fromConfig(
    config: Config,
    deps: {
      catalog: CatalogService;
      auth: AuthService;
      policy: ClusterPolicy;
      network: NetworkPolicy;
    },
  ): CatalogClusterSource | undefined {
    const section = config.getOptionalConfig(
      'fluxOrchestrator.catalogClusters',
    );
    if (!section?.getOptionalBoolean('enabled')) return undefined;
    return new CatalogClusterSource({
      ...deps,
      tokens: readCredentials(section),
    });
  }

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      policy: ClusterPolicy;
      network: NetworkPolicy;
      tokens: Map<string, string>;
    },
  ) {}

  async readClusters(): Promise<FluxSourceCluster[]> {
    return (await this.read()).map(({ record, connection }) => ({
      name: record.name,
      title: record.title,
      description: record.description,
      entityRef: record.entityRef,
      connection:
        typeof connection === 'string'
          ? { unavailable: connection, server: record.server }
          : connection,
    }));
  }

  private async read(): Promise<CatalogCluster[]> {
    const { catalog, auth, tokens, policy, network } = this.deps;
    const { items } = await catalog.getEntities(
      { filter: { kind: 'Resource', 'spec.type': 'kubernetes-cluster' } },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const clusters = items.flatMap(entity => {
      const cluster = toCatalogCluster(entity, tokens, policy, network);
      return cluster ? [cluster] : [];
    });
    return refuseNameClashes(clusters);
  }
}

/** Two entities that claim one cluster name: neither gets it, and the error names both. */
function refuseNameClashes(clusters: CatalogCluster[]): CatalogCluster[] {
  const byName = new Map<string, CatalogCluster[]>();
  for (const cluster of clusters)
    byName.set(cluster.record.name, [
      ...(byName.get(cluster.record.name) ?? []),
      cluster,
    ]);
  return [...byName.values()].map(claims => {
    if (claims.length === 1) return claims[0];
    const refs = claims.map(c => c.record.entityRef).sort();
    return {
      record: { ...claims[0].record, entityRef: refs.join(', ') },
      connection: `Catalog cluster "${
        claims[0].record.name
      }" is claimed by ${refs.join(
        ' and ',
      )}; neither is used until one is renamed`,
    };
  });
}

/** A kubernetes-cluster entity as a cluster; undefined for entities that cannot name or locate one. */
export function toCatalogCluster(
  entity: Entity,
  tokens: Map<string, string>,
  policy: ClusterPolicy,
  network: NetworkPolicy,
): CatalogCluster | undefined {
  const name = entity.metadata.name.toLowerCase();
  const annotations = entity.metadata.annotations ?? {};
  const server = annotations[API_SERVER_ANNOTATION];
  if (!server || !CLUSTER_NAME_PATTERN.test(name)) return undefined;
  const entityRef = stringifyEntityRef(entity);
  const record: ClusterRecord = {
    name,
    title: entity.metadata.title ?? entity.metadata.name,
    description: entity.metadata.description,
    source: 'catalog',
    entityRef,
  };
  const refuse = (why: string): CatalogCluster => ({
    record,
    connection: `Catalog cluster "${name}" (${entityRef}): ${why}`,
  });
  let checked: string;
  try {
    checked = checkServer(
      server,
      `annotation ${API_SERVER_ANNOTATION}`,
      policy,
      network,
    );
  } catch (error) {
    return refuse((error as Error).message);
  }
  record.server = checked;
  const token = tokens.get(entityRef);
  if (!token) {
    return refuse(
      `no credentials; add { entityRef: ${entityRef}, serviceAccountToken } to fluxOrchestrator.catalogClusters.credentials`,
    );
  }
  const ca = annotations[API_SERVER_CA_ANNOTATION];
  const caData =
    ca === undefined ? undefined : toPemBase64(ca.trim(), 'CERTIFICATE');
  if (ca !== undefined && !caData)
    return refuse(
      `annotation ${API_SERVER_CA_ANNOTATION} is not a PEM CA certificate (plain or base64)`,
    );
  const wantsSkip = annotations[SKIP_TLS_VERIFY_ANNOTATION] === 'true';
  if (wantsSkip && !policy.allowInsecure) {
    return refuse(
      `annotation ${SKIP_TLS_VERIFY_ANNOTATION} asks to skip TLS verification, which fluxOrchestrator.kubeconfig.allowInsecure does not allow; give ${API_SERVER_CA_ANNOTATION} instead`,
    );
  }
  return {
    record,
    connection: {
      server: checked,
      caData,
      skipTLSVerify: wantsSkip || undefined,
      credentials: { type: 'token', token },
    },
  };
}
