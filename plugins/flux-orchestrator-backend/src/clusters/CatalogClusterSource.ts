import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ClusterRecord } from '../database/FluxStore';
import { ClusterConnection } from '../kubernetes/ClusterConnection';
import { CLUSTER_NAME_PATTERN } from './readConfigClusters';

// The annotations the Backstage Kubernetes plugin's catalog cluster locator reads.
export const API_SERVER_ANNOTATION = 'kubernetes.io/api-server';
export const API_SERVER_CA_ANNOTATION = 'kubernetes.io/api-server-certificate-authority';
export const SKIP_TLS_VERIFY_ANNOTATION = 'kubernetes.io/skip-tls-verify';

export interface CatalogCluster {
  record: ClusterRecord;
  /** How to reach it, or why it cannot be reached (no token configured). */
  connection: ClusterConnection | string;
}

/**
 * Clusters from catalog `Resource` entities of type `kubernetes-cluster`. The catalog holds no secrets, so the
 * service-account token of each comes from `fluxOrchestrator.catalogClusters.credentials` by entity name.
 */
export class CatalogClusterSource {
  static fromConfig(config: Config, catalog: CatalogService, auth: AuthService): CatalogClusterSource | undefined {
    const section = config.getOptionalConfig('fluxOrchestrator.catalogClusters');
    if (!section?.getOptionalBoolean('enabled')) return undefined;
    const tokens = new Map(
      (section.getOptionalConfigArray('credentials') ?? []).map(c => [
        c.getString('cluster'),
        c.getString('serviceAccountToken'),
      ]),
    );
    return new CatalogClusterSource(catalog, auth, tokens);
  }

  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly tokens: Map<string, string>,
  ) {}

  async read(): Promise<CatalogCluster[]> {
    const { items } = await this.catalog.getEntities(
      { filter: { kind: 'Resource', 'spec.type': 'kubernetes-cluster' } },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return items.flatMap(entity => {
      const cluster = toCatalogCluster(entity, this.tokens);
      return cluster ? [cluster] : [];
    });
  }
}

/** A kubernetes-cluster entity as a cluster; undefined for entities that cannot name or locate one. */
export function toCatalogCluster(entity: Entity, tokens: Map<string, string>): CatalogCluster | undefined {
  const name = entity.metadata.name.toLowerCase();
  const server = entity.metadata.annotations?.[API_SERVER_ANNOTATION];
  if (!server || !CLUSTER_NAME_PATTERN.test(name)) return undefined;
  const token = tokens.get(name);
  return {
    record: {
      name,
      title: entity.metadata.title ?? entity.metadata.name,
      description: entity.metadata.description,
      source: 'catalog',
      server,
    },
    connection: token
      ? {
          type: 'token',
          server,
          token,
          caData: entity.metadata.annotations?.[API_SERVER_CA_ANNOTATION],
          skipTLSVerify: entity.metadata.annotations?.[SKIP_TLS_VERIFY_ANNOTATION] === 'true',
        }
      : `Catalog cluster "${name}" has no credentials: add { cluster: ${name}, serviceAccountToken } to fluxOrchestrator.catalogClusters.credentials`,
  };
}
