import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseFluxStore } from '../database/DatabaseFluxStore';
import { registryOfConfigClusters } from '../__testUtils__/registryOfConfigClusters';
import { ClusterSyncer } from './ClusterSyncer';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('ClusterSyncer.syncAll', () => {
  it('syncs the rest of the fleet when the store fails around one cluster', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseFluxStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    // Nothing listens on port 1 of loopback: each sync fails fast, and is recorded as failed.
    const clusters = ['alpha', 'bravo', 'charlie'].map(name => ({
      name,
      url: 'https://127.0.0.1:1',
      serviceAccountToken: 'token',
    }));
    const logger = mockServices.logger.mock();
    const registry = await registryOfConfigClusters(store, clusters);
    const flakyStore = Object.create(store, {
      startSyncRun: {
        value: (name: string, ...rest: [any, Date]) =>
          name === 'bravo'
            ? Promise.reject(new Error('connection terminated'))
            : store.startSyncRun(name, ...rest),
      },
    });
    const syncer = new ClusterSyncer({
      store: flakyStore,
      registry,
      logger,
      clusterTimeoutMs: 5000,
      concurrency: 1,
    });

    const runs = await syncer.syncAll('schedule');

    expect(runs.map(r => [r.cluster, r.status])).toEqual([
      ['alpha', 'failed'],
      ['charlie', 'failed'],
    ]);
    expect(runs[0].error).toMatch(/ECONNREFUSED 127\.0\.0\.1:1/);
    expect(await store.listSyncRuns('charlie', 5)).toHaveLength(1);
    expect(await store.listSyncRuns('bravo', 5)).toHaveLength(0);
  });
});
