import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createClusterPki } from '@internal/kube-harness';
import { DatabaseFluxStore } from '../database/DatabaseFluxStore';
import { CatalogClusterSource, toCatalogCluster } from './CatalogClusterSource';
import { STRICT_CLUSTER_POLICY } from './clusterPolicy';
import { readClusterPolicy } from './readClusterPolicy';
import { configClusterSource, readConfigClusters } from './readConfigClusters';
import { createRegistry } from '../__testUtils__/createRegistry';
import { strictPolicy } from '../__testUtils__/clusterPolicies';

function clusterEntity(
  name: string,
  annotations: Record<string, string>,
  namespace = 'default',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace, title: `Cluster ${name}`, annotations },
    spec: { type: 'kubernetes-cluster', owner: 'platform' },
  };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const server = {
  'kubernetes.io/api-server': 'https://eu.k8s.example.com:6443',
};
const tokens = new Map([['resource:default/eu', 'sa-token']]);
const { policy, network } = strictPolicy;

let caPem: string;
beforeAll(async () => {
  caPem = (await createClusterPki('catalog')).servingCa.certPem;
}, 30_000);

describe('catalog clusters', () => {
  it('reads the Kubernetes plugin annotations, with the token from config by entity ref', () => {
    const cluster = toCatalogCluster(
      clusterEntity('eu', {
        ...server,
        'kubernetes.io/api-server-certificate-authority': caPem,
        'kubernetes.io/skip-tls-verify': 'false',
      }),
      tokens,
      policy,
      network,
    );
    expect(cluster).toEqual({
      record: {
        name: 'eu',
        title: 'Cluster eu',
        description: undefined,
        source: 'catalog',
        server: 'https://eu.k8s.example.com:6443',
        entityRef: 'resource:default/eu',
      },
      connection: {
        server: 'https://eu.k8s.example.com:6443',
        caData: Buffer.from(caPem).toString('base64'),
        skipTLSVerify: undefined,
        credentials: { type: 'token', token: 'sa-token' },
      },
    });
  });

  it('gives an entity of the same name in another namespace no token', () => {
    expect(
      toCatalogCluster(
        clusterEntity('eu', server, 'team-b'),
        tokens,
        policy,
        network,
      )?.connection,
    ).toBe(
      'Catalog cluster "eu" (resource:team-b/eu): no credentials; add { entityRef: resource:team-b/eu, serviceAccountToken } to fluxOrchestrator.catalogClusters.credentials',
    );
  });

  it('obeys kubernetes.io/skip-tls-verify only where config allows it', () => {
    const entity = clusterEntity('eu', {
      ...server,
      'kubernetes.io/skip-tls-verify': 'true',
    });
    expect(
      toCatalogCluster(entity, tokens, policy, network)?.connection,
    ).toMatch(/allowInsecure does not allow/);
    const lax = { ...STRICT_CLUSTER_POLICY, allowInsecure: true };
    expect(
      toCatalogCluster(entity, tokens, lax, network)?.connection,
    ).toMatchObject({ skipTLSVerify: true });
  });

  it('holds an entity to the network policy', () => {
    const entity = clusterEntity('eu', {
      'kubernetes.io/api-server': 'https://169.254.169.254',
    });
    expect(
      toCatalogCluster(entity, tokens, policy, network)?.connection,
    ).toMatch(/169\.254\.169\.254 is a loopback, link-local, private/);
  });

  it('skips entities without an API server annotation', () => {
    expect(
      toCatalogCluster(clusterEntity('eu', {}), tokens, policy, network),
    ).toBeUndefined();
  });

  it('adds catalog clusters, refuses two entities that claim one name, leaves a config cluster alone, and prunes vanished ones', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseFluxStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const entities = [
      clusterEntity('eu', server),
      clusterEntity('us', server),
      clusterEntity('dev', server),
      clusterEntity('ap', server, 'team-a'),
      clusterEntity('ap', server, 'team-b'),
    ];
    const config = new ConfigReader({
      fluxOrchestrator: {
        clusters: [
          {
            name: 'dev',
            url: 'https://dev.example.com:6443',
            serviceAccountToken: 't',
          },
        ],
        catalogClusters: {
          enabled: true,
          credentials: [
            {
              entityRef: 'resource:default/eu',
              serviceAccountToken: 'eu-token',
            },
            {
              entityRef: 'resource:team-a/ap',
              serviceAccountToken: 'ap-token',
            },
          ],
        },
      },
    });
    const logger = mockServices.logger.mock();
    const build = (items: Entity[]) => {
      const configured = readClusterPolicy(config);
      return createRegistry({
        store,
        logger,
        policies: configured,
        sources: [
          configClusterSource(
            readConfigClusters(config, configured.policy, configured.network),
          ),
          CatalogClusterSource.fromConfig(config, {
            catalog: catalogServiceMock({ entities: items }),
            auth: mockServices.auth(),
            ...configured,
          })!,
        ],
      }).registry;
    };
    const registry = build(entities);
    await registry.writeClusters();
    expect(
      (await store.listClusters()).map(c => [c.name, c.source, c.entityRef]),
    ).toEqual([
      ['ap', 'catalog', 'resource:team-a/ap, resource:team-b/ap'],
      ['dev', 'config', undefined],
      ['eu', 'catalog', 'resource:default/eu'],
      ['us', 'catalog', 'resource:default/us'],
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Cluster "dev" of the catalog (a Resource entity of type kubernetes-cluster) is ignored: a cluster of that name is defined in app-config',
      ),
    );
    expect(await registry.getConnection('eu')).toMatchObject({
      credentials: { type: 'token', token: 'eu-token' },
    });
    await expect(registry.getConnection('us')).rejects.toThrow(
      /no credentials/,
    );
    await expect(registry.getConnection('ap')).rejects.toThrow(
      'Catalog cluster "ap" is claimed by resource:team-a/ap and resource:team-b/ap; neither is used until one is renamed',
    );

    await build([entities[0]]).writeClusters();
    expect((await store.listClusters()).map(c => c.name)).toEqual([
      'dev',
      'eu',
    ]);
  });

  it('refuses credentials keyed by the bare cluster name, which any namespace could claim', () => {
    const config = new ConfigReader({
      fluxOrchestrator: {
        catalogClusters: {
          enabled: true,
          credentials: [{ cluster: 'eu', serviceAccountToken: 't' }],
        },
      },
    });
    expect(() =>
      CatalogClusterSource.fromConfig(config, {
        catalog: catalogServiceMock(),
        auth: mockServices.auth(),
        policy,
        network,
      }),
    ).toThrow(
      /credentials\[0\]\.cluster: catalog credentials are matched by entityRef now/,
    );
  });
});
