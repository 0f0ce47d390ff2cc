import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  FluxClusterSource,
  FluxSourceCluster,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-node';
import { createRegistry } from '../__testUtils__/createRegistry';
import { strictPolicy } from '../__testUtils__/clusterPolicies';
import { DatabaseFluxStore } from '../database/DatabaseFluxStore';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const connection = (server: string, token = 'inventory-token') => ({
  server,
  credentials: { type: 'token' as const, token },
});

/** A module's source whose answer the test changes between reads. */
function inventorySource(id = 'inventory') {
  const source = {
    id,
    given: [] as FluxSourceCluster[] | Error,
    reads: 0,
    async readClusters() {
      source.reads++;
      if (source.given instanceof Error) throw source.given;
      return source.given;
    },
  };
  return source;
}

describe.each(databases.eachSupportedId())('ClusterRegistry on %p', dbId => {
  async function setup(sources: FluxClusterSource[]) {
    const knex = await databases.init(dbId);
    const store = await DatabaseFluxStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const logger = mockServices.logger.mock();
    const { registry } = createRegistry({
      store,
      sources,
      logger,
      policies: strictPolicy,
    });
    return { store, registry, logger, knex };
  }

  it("lists a module source's clusters as read-only clusters of that source, and removes those it drops", async () => {
    const inventory = inventorySource();
    inventory.given = [
      {
        name: 'eu-1',
        title: 'EU 1',
        entityRef: 'resource:default/eu-1',
        connection: connection('https://eu-1.k8s.example.com'),
      },
      { name: 'us-1', connection: connection('https://us-1.k8s.example.com') },
    ];
    const { store, registry, logger } = await setup([inventory]);
    await registry.writeClusters();
    expect(
      (await store.listClusters()).map(c => [
        c.name,
        c.title,
        c.source,
        c.server,
        c.entityRef,
      ]),
    ).toEqual([
      [
        'eu-1',
        'EU 1',
        'inventory',
        'https://eu-1.k8s.example.com',
        'resource:default/eu-1',
      ],
      ['us-1', 'us-1', 'inventory', 'https://us-1.k8s.example.com', undefined],
    ]);
    expect(await registry.getConnection('eu-1')).toEqual(
      connection('https://eu-1.k8s.example.com'),
    );

    inventory.given = [inventory.given[0]];
    await registry.writeClusters();
    expect((await store.listClusters()).map(c => c.name)).toEqual(['eu-1']);
    expect(logger.info).toHaveBeenCalledWith(
      'Removed cluster "us-1": the backend module of cluster source "inventory" no longer has it',
    );
  });

  it('keeps the clusters of a source that fails to answer, with their connections', async () => {
    const inventory = inventorySource();
    inventory.given = [
      { name: 'eu-1', connection: connection('https://eu-1.k8s.example.com') },
    ];
    const { store, registry, logger } = await setup([inventory]);
    await registry.writeClusters();
    inventory.given = new Error('inventory service: 503 Service Unavailable');
    await registry.writeClusters();
    expect((await store.listClusters()).map(c => c.name)).toEqual(['eu-1']);
    expect(await registry.getConnection('eu-1')).toMatchObject({
      server: 'https://eu-1.k8s.example.com',
    });
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not read the clusters of the backend module of cluster source "inventory": Error: inventory service: 503 Service Unavailable',
    );
  });

  it('checks what a source gives as a kubeconfig sent to the API is checked, and says why on the cluster', async () => {
    const inventory = inventorySource();
    inventory.given = [
      {
        name: 'proxied',
        // A field outside the allow-list is refused, not passed on to the client.
        connection: {
          ...connection('https://proxied.k8s.example.com'),
          proxyUrl: 'http://attacker.example.com:3128',
        } as FluxSourceCluster['connection'],
      },
      {
        name: 'metadata',
        connection: connection('https://169.254.169.254'),
      },
      {
        name: 'insecure',
        connection: {
          ...connection('https://insecure.k8s.example.com'),
          skipTLSVerify: true,
        },
      },
      {
        name: 'no-token',
        connection: {
          unavailable: 'the inventory has no token for no-token',
          server: 'https://no-token.k8s.example.com',
        },
      },
      { name: 'Not A Name', connection: connection('https://x.example.com') },
    ];
    const { store, registry, logger } = await setup([inventory]);
    await registry.writeClusters();
    expect((await store.listClusters()).map(c => [c.name, c.server])).toEqual([
      ['insecure', 'https://insecure.k8s.example.com'],
      ['metadata', undefined],
      ['no-token', 'https://no-token.k8s.example.com'],
      ['proxied', undefined],
    ]);
    await expect(registry.getConnection('proxied')).rejects.toThrow(
      'Cluster "proxied" of source "inventory": its connection is refused (connection: Unrecognized key: "proxyUrl")',
    );
    await expect(registry.getConnection('metadata')).rejects.toThrow(
      /169\.254\.169\.254.*(private|non-public|link-local)/,
    );
    await expect(registry.getConnection('insecure')).rejects.toThrow(
      'Cluster "insecure" of source "inventory" asks to skip TLS verification, which fluxOrchestrator.kubeconfig.allowInsecure does not allow',
    );
    await expect(registry.getConnection('no-token')).rejects.toThrow(
      'the inventory has no token for no-token',
    );
    expect(logger.warn).toHaveBeenCalledWith(
      'A cluster of the backend module of cluster source "inventory" is ignored: the name "Not A Name" is not lowercase letters, digits and dashes (at most 63, starting and ending with a letter or digit)',
    );
  });

  it('refuses a name another source holds, but lets app-config take it over', async () => {
    const config = inventorySource('config');
    const first = inventorySource('first');
    const second = inventorySource('second');
    first.given = [
      { name: 'shared', connection: connection('https://first.example.com') },
    ];
    second.given = [
      { name: 'shared', connection: connection('https://second.example.com') },
    ];
    const { store, registry, logger } = await setup([config, first, second]);
    await registry.writeClusters();
    expect(await store.getCluster('shared')).toMatchObject({
      source: 'first',
    });
    expect(logger.warn).toHaveBeenCalledWith(
      'Cluster "shared" of the backend module of cluster source "second" is ignored: a cluster of that name is defined in the backend module of cluster source "first"',
    );

    config.given = [
      { name: 'shared', connection: connection('https://config.example.com') },
    ];
    await registry.writeClusters();
    expect(await store.getCluster('shared')).toMatchObject({
      source: 'config',
      server: 'https://config.example.com',
    });
    expect(await registry.getConnection('shared')).toMatchObject({
      server: 'https://config.example.com',
    });
  });

  it("reaches a cluster on a replica that never wrote the clusters, by reading the cluster's source", async () => {
    const inventory = inventorySource();
    inventory.given = [
      { name: 'eu-1', connection: connection('https://eu-1.k8s.example.com') },
    ];
    const { store, registry } = await setup([inventory]);
    await registry.writeClusters();
    const other = createRegistry({
      store,
      sources: [inventory],
      policies: strictPolicy,
    }).registry;
    const reads = inventory.reads;
    expect(await other.getConnection('eu-1')).toMatchObject({
      server: 'https://eu-1.k8s.example.com',
    });
    expect(inventory.reads).toBe(reads + 1);
    // The read is kept: the next lookup does not ask the source again.
    await other.getConnection('eu-1');
    expect(inventory.reads).toBe(reads + 1);
  });

  it('removes the clusters of a source the backend no longer has, and says so for a lookup before that', async () => {
    const inventory = inventorySource();
    inventory.given = [
      { name: 'eu-1', connection: connection('https://eu-1.k8s.example.com') },
    ];
    const { store, registry } = await setup([inventory]);
    await registry.writeClusters();
    const without = createRegistry({ store, policies: strictPolicy }).registry;
    await expect(without.getConnection('eu-1')).rejects.toThrow(
      'Cluster "eu-1" comes from source "inventory", which this backend does not have (is its module installed?)',
    );
    await without.writeClusters();
    expect(await store.listClusters()).toEqual([]);
  });

  it('refuses two sources with one id, and an id that could not be stored', async () => {
    const { store } = await setup([]);
    expect(() =>
      createRegistry({
        store,
        sources: [inventorySource('twin'), inventorySource('twin')],
      }),
    ).toThrow('Two cluster sources are both named "twin"');
    expect(() =>
      createRegistry({ store, sources: [inventorySource('api')] }),
    ).toThrow('Two cluster sources are both named "api"');
    expect(() =>
      createRegistry({
        store,
        sources: [inventorySource('a-source-id-longer-than-16')],
      }),
    ).toThrow(
      'Cluster source id "a-source-id-longer-than-16" must be lowercase letters, digits and dashes (at most 16), starting with a letter',
    );
  });
});
