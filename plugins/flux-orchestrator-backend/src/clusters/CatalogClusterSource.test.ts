import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DatabaseFluxStore } from '../database/DatabaseFluxStore';
import { CatalogClusterSource, toCatalogCluster } from './CatalogClusterSource';
import { ClusterRegistry } from './ClusterRegistry';
import { CredentialCipher } from './CredentialCipher';
import { readConfigClusters } from './readConfigClusters';

function clusterEntity(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: 'default', title: `Cluster ${name}`, annotations },
    spec: { type: 'kubernetes-cluster', owner: 'platform' },
  };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const server = { 'kubernetes.io/api-server': 'https://eu.k8s.example.com:6443' };

describe('catalog clusters', () => {
  it('reads the Kubernetes plugin annotations, with the token from config', () => {
    const cluster = toCatalogCluster(
      clusterEntity('eu', { ...server, 'kubernetes.io/api-server-certificate-authority': 'LS0tCA==', 'kubernetes.io/skip-tls-verify': 'false' }),
      new Map([['eu', 'sa-token']]),
    );
    expect(cluster).toEqual({
      record: { name: 'eu', title: 'Cluster eu', description: undefined, source: 'catalog', server: 'https://eu.k8s.example.com:6443' },
      connection: { type: 'token', server: 'https://eu.k8s.example.com:6443', token: 'sa-token', caData: 'LS0tCA==', skipTLSVerify: false },
    });
  });

  it('says which config entry is missing when a catalog cluster has no token', () => {
    expect(toCatalogCluster(clusterEntity('eu', server), new Map())?.connection).toBe(
      'Catalog cluster "eu" has no credentials: add { cluster: eu, serviceAccountToken } to fluxOrchestrator.catalogClusters.credentials',
    );
  });

  it('skips entities without an API server annotation', () => {
    expect(toCatalogCluster(clusterEntity('eu', {}), new Map())).toBeUndefined();
  });

  it('adds catalog clusters, leaves a config cluster of the same name alone, and prunes vanished ones', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseFluxStore.create({ database: mockServices.database({ knex, migrations: { skip: false } }) });
    const entities = [clusterEntity('eu', server), clusterEntity('us', server), clusterEntity('dev', server)];
    const catalog = catalogServiceMock({ entities });
    const config = new ConfigReader({
      fluxOrchestrator: {
        clusters: [{ name: 'dev', url: 'https://dev:6443', serviceAccountToken: 't' }],
        catalogClusters: { enabled: true, credentials: [{ cluster: 'eu', serviceAccountToken: 'eu-token' }] },
      },
    });
    const logger = mockServices.logger.mock();
    const registry = new ClusterRegistry({
      store,
      configClusters: readConfigClusters(config),
      cipher: CredentialCipher.fromConfig(new ConfigReader({}), () => {}),
      logger,
      catalog: CatalogClusterSource.fromConfig(config, catalog, mockServices.auth()),
    });
    await registry.refresh();
    expect((await store.listClusters()).map(c => [c.name, c.source])).toEqual([
      ['dev', 'config'],
      ['eu', 'catalog'],
      ['us', 'catalog'],
    ]);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('Catalog entity for cluster "dev" is ignored'));
    expect(await registry.getConnection('eu')).toMatchObject({ type: 'token', token: 'eu-token' });
    await expect(registry.getConnection('us')).rejects.toThrow(/has no credentials/);

    const fewer = new ClusterRegistry({
      store,
      configClusters: readConfigClusters(config),
      cipher: CredentialCipher.fromConfig(new ConfigReader({}), () => {}),
      logger,
      catalog: CatalogClusterSource.fromConfig(config, catalogServiceMock({ entities: [entities[0]] }), mockServices.auth()),
    });
    await fewer.refresh();
    expect((await store.listClusters()).map(c => c.name)).toEqual(['dev', 'eu']);
  });
});
