import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { getFluxKind } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { DatabaseFluxStore } from '../database/DatabaseFluxStore';
import { parseFluxObject } from '../status/parseFluxObject';
import { fluxObject } from '../__testUtils__/fluxObjects';
import { createFluxMetrics } from './fluxMetrics';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** A metrics service that keeps what is recorded, and collects observable gauges on demand. */
function recordingMetrics() {
  const recorded: Array<{
    name: string;
    value: number;
    attributes?: Record<string, unknown>;
  }> = [];
  const callbacks = new Map<
    string,
    Array<
      (result: {
        observe(v: number, a?: Record<string, unknown>): void;
      }) => unknown
    >
  >();
  const instrument = (name: string) => ({
    add: (value: number, attributes?: Record<string, unknown>) =>
      recorded.push({ name, value, attributes }),
    record: (value: number, attributes?: Record<string, unknown>) =>
      recorded.push({ name, value, attributes }),
    addCallback: (callback: any) =>
      callbacks.set(name, [...(callbacks.get(name) ?? []), callback]),
    removeCallback: () => {},
  });
  const service = {
    createCounter: instrument,
    createUpDownCounter: instrument,
    createHistogram: instrument,
    createGauge: instrument,
    createObservableCounter: instrument,
    createObservableUpDownCounter: instrument,
    createObservableGauge: instrument,
  } as unknown as MetricsService;
  async function collect(name: string) {
    const observed: Array<[number, Record<string, unknown> | undefined]> = [];
    for (const callback of callbacks.get(name) ?? [])
      await callback({ observe: (v, a) => observed.push([v, a]) });
    return observed;
  }
  return { service, recorded, collect };
}

describe('createFluxMetrics', () => {
  it('reports the stored objects by cluster and status, the clusters by feed and health, and sync durations', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseFluxStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    await store.upsertCluster({ name: 'dev', title: 'Dev', source: 'config' });
    const parse = (state: 'ready' | 'failing', name: string) =>
      parseFluxObject(
        getFluxKind('Kustomization')!,
        fluxObject('Kustomization', 'v1', state, name, 'apps'),
      );
    await store.replaceClusterResources(
      'dev',
      [parse('ready', 'a'), parse('ready', 'b'), parse('failing', 'c')],
      ['Kustomization'],
      new Date(),
    );
    await store.setClusterFeed(
      'dev',
      { mode: 'live' },
      new Date(Date.now() + 60_000),
    );
    const { service, recorded, collect } = recordingMetrics();
    const metrics = createFluxMetrics(service, store);

    const objects = await collect('flux_orchestrator.objects');
    expect(objects).toEqual(
      expect.arrayContaining([
        [2, { cluster: 'dev', status: 'ready' }],
        [1, { cluster: 'dev', status: 'failing' }],
        [0, { cluster: 'dev', status: 'stalled' }],
      ]),
    );
    expect(await collect('flux_orchestrator.clusters')).toEqual([
      [1, { feed: 'live', health: 'unknown' }],
    ]);

    metrics.syncFinished({
      id: 1,
      cluster: 'dev',
      trigger: 'schedule',
      status: 'partial',
      startedAt: '',
      durationMs: 2500,
      listed: 3,
      inserted: 0,
      updated: 0,
      deleted: 0,
      unchanged: 3,
    });
    expect(recorded).toEqual([
      {
        name: 'flux_orchestrator.sync.duration',
        value: 2.5,
        attributes: { cluster: 'dev', outcome: 'partial' },
      },
    ]);
  });
});
