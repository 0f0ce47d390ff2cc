import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Fleet } from '@internal/kube-harness';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterRegistry } from './clusters/ClusterRegistry';
import { DatabaseFluxStore } from './database/DatabaseFluxStore';
import { judgeStuck } from './history/judgeStuck';
import { EVERYTHING } from './permissions/Scope';
import { ClusterWatcher } from './sync/ClusterWatcher';
import { startSeededCluster } from './__testUtils__/startSeededCluster';

// Live data end to end: a real kube-apiserver, the real PostgreSQL, the watcher holding one lease. Changes
// made with kubectl's API reach the store within seconds; a cluster that goes away is said to be reconnecting.
jest.setTimeout(180_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

async function until<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

describe('live data from a real API server', () => {
  let fleet: Fleet;
  let store: DatabaseFluxStore;
  let admin: KubeConfig;
  let k8s: typeof import('@kubernetes/client-node');
  const lease = new AbortController();
  let watching: Promise<void>;
  const changed: string[] = [];

  beforeAll(async () => {
    let registry: ClusterRegistry;
    ({ fleet, store, registry, admin, k8s } = await startSeededCluster(
      databases,
      'live',
      'viewer',
    ));
    const watcher = new ClusterWatcher({
      store,
      registry,
      logger: mockServices.logger.mock(),
      onChange: (_cluster, ids) => changed.push(...(ids ?? ['*'])),
      backoff: { initialMs: 200, maxMs: 1000 },
    });
    watching = watcher.watch('live', {
      signal: lease.signal,
      until: new Date(Date.now() + 170_000),
    });
    await until(
      async () => (await store.getCluster('live'))?.health.feed.mode === 'live',
      'the first lease to go live',
      60_000,
    );
    await until(
      async () =>
        Object.keys(await store.getWatchPositions('live')).length >= 26,
      'every kind and its Events listed',
      60_000,
    );
  });

  afterAll(async () => {
    lease.abort();
    await watching;
    await fleet?.stop();
  });

  const custom = () => admin.makeApiClient(k8s.CustomObjectsApi);
  const gitRepositories = {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'gitrepositories',
    namespace: 'flux-system',
  };
  const stored = (name: string) =>
    store.getResource(`live:GitRepository:flux-system:${name}`, EVERYTHING);

  it('lists every kind once, then stores what is created, changed and deleted within seconds', async () => {
    const seeded = (await store.selectResources(EVERYTHING, 1000)).length;
    expect(seeded).toBeGreaterThan(15);

    const started = Date.now();
    await custom().createNamespacedCustomObject({
      ...gitRepositories,
      body: {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: {
          name: 'watched',
          namespace: 'flux-system',
          labels: { team: 'apps' },
        },
        spec: {
          interval: '1m',
          url: 'https://git.example.com/watched.git',
          ref: { branch: 'main' },
        },
      },
    });
    const created = await until(() => stored('watched'), 'the created object');
    const createdAfter = Date.now() - started;
    expect(created).toMatchObject({
      status: 'unknown',
      labels: { team: 'apps' },
    });

    const changedAt = Date.now();
    await custom().patchNamespacedCustomObjectStatus(
      {
        ...gitRepositories,
        name: 'watched',
        body: {
          status: {
            observedGeneration: 1,
            conditions: [
              {
                type: 'Ready',
                status: 'False',
                reason: 'GitOperationFailed',
                message: 'authentication required',
                lastTransitionTime: new Date().toISOString(),
                observedGeneration: 1,
              },
            ],
          },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await until(
      async () => (await stored('watched'))?.status === 'failing' && true,
      'the changed status',
    );
    const changedAfter = Date.now() - changedAt;

    // Its controller's Events arrive too, as the resource page shows them.
    await admin.makeApiClient(k8s.CoreV1Api).createNamespacedEvent({
      namespace: 'flux-system',
      body: {
        metadata: { name: 'watched.e2e', namespace: 'flux-system' },
        involvedObject: {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'GitRepository',
          name: 'watched',
          namespace: 'flux-system',
        },
        type: 'Warning',
        reason: 'GitOperationFailed',
        message:
          "failed to checkout: unable to clone 'https://ci:token123@git.example.com/watched.git'",
        count: 1,
        lastTimestamp: new Date(),
        source: { component: 'source-controller' },
      },
    });
    const events = await until(async () => {
      const list = await store.listEvents(
        'live:GitRepository:flux-system:watched',
        10,
      );
      return list.length > 0 && list;
    }, 'the Event');
    expect(events[0]).toMatchObject({
      reason: 'GitOperationFailed',
      source: 'source-controller',
    });
    expect(events[0].message).not.toContain('token123');

    const deletedAt = Date.now();
    await custom().deleteNamespacedCustomObject({
      ...gitRepositories,
      name: 'watched',
    });
    await until(async () => !(await stored('watched')), 'the deletion');
    const deletedAfter = Date.now() - deletedAt;

    // Figures for docs/benchmarks.md, not assertions of speed: each must merely arrive within the wait above.
    console.log(
      `watch latency on a real API server: created ${createdAfter} ms, changed ${changedAfter} ms, deleted ${deletedAfter} ms`,
    );
    expect(created.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(changed).toEqual(expect.arrayContaining([created.uid]));
    expect((await store.selectResources(EVERYTHING, 1000)).length).toBe(seeded);
  });

  it('keeps every status change the API server reports, and times a failure until it recovers', async () => {
    const name = 'flaky';
    const id = `live:GitRepository:flux-system:${name}`;
    const since = new Date();
    await custom().createNamespacedCustomObject({
      ...gitRepositories,
      body: {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name, namespace: 'flux-system' },
        spec: { interval: '1m', url: 'https://git.example.com/flaky.git' },
      },
    });
    await until(() => stored(name), 'the created object');
    /** Writes the status as a controller would, stamped with this second (Kubernetes keeps whole seconds). */
    const report = async (
      conditions: Array<{ type: string; status: string; reason: string }>,
    ) => {
      await new Promise(r => setTimeout(r, 1100));
      const at = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
      await custom().patchNamespacedCustomObjectStatus(
        {
          ...gitRepositories,
          name,
          body: {
            status: {
              observedGeneration: 1,
              conditions: conditions.map(c => ({
                ...c,
                message: `${c.reason} (e2e)`,
                lastTransitionTime: at,
                observedGeneration: 1,
              })),
            },
          },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      return at;
    };
    const reaches = (status: string) =>
      until(
        async () => (await stored(name))?.status === status && true,
        `status ${status}`,
      );
    const failedAt = await report([
      { type: 'Ready', status: 'False', reason: 'GitOperationFailed' },
    ]);
    await reaches('failing');
    expect((await stored(name))?.failingSince).toBe(
      new Date(failedAt).toISOString(),
    );
    // The controller retries: Reconciling, then failing again, then it recovers.
    await report([
      { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry' },
      { type: 'Ready', status: 'Unknown', reason: 'Progressing' },
    ]);
    await reaches('progressing');
    await report([
      { type: 'Ready', status: 'False', reason: 'GitOperationFailed' },
    ]);
    await reaches('failing');
    const recoveredAt = await report([
      { type: 'Ready', status: 'True', reason: 'Succeeded' },
    ]);
    await reaches('ready');

    const history = await store.listTransitions(id, 50);
    expect(history.map(t => [t.from, t.to])).toEqual([
      ['failing', 'ready'],
      ['progressing', 'failing'],
      ['failing', 'progressing'],
      ['unknown', 'failing'],
      [undefined, 'unknown'],
    ]);
    expect(history[0]).toMatchObject({
      at: new Date(recoveredAt).toISOString(),
      reason: 'Succeeded',
      recoveredAfterMs: Date.parse(recoveredAt) - Date.parse(failedAt),
    });
    expect(history[3]).toMatchObject({
      reason: 'GitOperationFailed',
      message: 'GitOperationFailed (e2e)',
    });
    expect((await stored(name))?.failingSince).toBeUndefined();
    const figures = await store.getReliability(
      { field: 'cluster', values: ['live'] },
      since,
    );
    expect(figures.byKind).toEqual([
      {
        kind: 'GitRepository',
        failures: 1,
        recoveries: 1,
        meanTimeToRecoveryMs: Date.parse(recoveredAt) - Date.parse(failedAt),
      },
    ]);
    await custom().deleteNamespacedCustomObject({ ...gitRepositories, name });
    await until(async () => !(await stored(name)), 'the deletion');
  });

  it('judges stuck what its API server shows stuck: a request nobody handles, progress that never ends', async () => {
    const name = 'stuck';
    const id = `live:GitRepository:flux-system:${name}`;
    await custom().createNamespacedCustomObject({
      ...gitRepositories,
      body: {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: {
          name,
          namespace: 'flux-system',
          // As `flux reconcile` asks; no controller runs here to handle it.
          annotations: {
            'reconcile.fluxcd.io/requestedAt': new Date().toISOString(),
          },
        },
        spec: { interval: '1s', url: 'https://git.example.com/stuck.git' },
      },
    });
    await until(() => stored(name), 'the created object');
    await custom().patchNamespacedCustomObjectStatus(
      {
        ...gitRepositories,
        name,
        body: {
          status: {
            observedGeneration: 1,
            conditions: [
              {
                type: 'Reconciling',
                status: 'True',
                reason: 'Progressing',
                message: 'building artifact',
                lastTransitionTime: new Date().toISOString(),
                observedGeneration: 1,
              },
            ],
          },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await until(
      async () => (await stored(name))?.status === 'progressing' && true,
      'progressing',
    );
    const thresholds = {
      progressingIntervals: 3,
      unhandledRequestMs: 2_000,
      artifactAgeIntervals: 0,
      suspendedMs: 0,
    };
    const reasons = await until(async () => {
      const candidates = await store.listStuckCandidates(
        { field: 'cluster', values: ['live'] },
        thresholds,
        new Date(),
        100,
      );
      const found = candidates.find(r => r.id === id);
      const judged = found && judgeStuck(found, thresholds, Date.now());
      return judged && judged.length === 2 && judged;
    }, 'both stuck judgements');
    expect(reasons.map(r => r.reason)).toEqual([
      'progressing',
      'request-unhandled',
    ]);
    expect(reasons[0].message).toMatch(
      /^Progressing for \d+ s, [\d.]+ times its interval of 1 s$/,
    );
    // Flux handles the request: that judgement goes, the other stays.
    const requested = (await stored(name))!.object.metadata as {
      annotations: Record<string, string>;
    };
    await custom().patchNamespacedCustomObjectStatus(
      {
        ...gitRepositories,
        name,
        body: {
          status: {
            lastHandledReconcileAt:
              requested.annotations['reconcile.fluxcd.io/requestedAt'],
          },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await until(
      async () => !(await stored(name))?.reconcileRequestedAt,
      'the handled request',
    );
    const left = await store.listStuckCandidates(
      { field: 'cluster', values: ['live'] },
      thresholds,
      new Date(),
      100,
    );
    expect(
      judgeStuck(left.find(r => r.id === id)!, thresholds, Date.now()).map(
        r => r.reason,
      ),
    ).toEqual(['progressing']);
    await custom().deleteNamespacedCustomObject({ ...gitRepositories, name });
    await until(async () => !(await stored(name)), 'the deletion');
  });

  it('says the cluster is reconnecting, since when, when its API server goes away', async () => {
    const wentAway = Date.now();
    await fleet.clusters[0].stop();
    const cluster = await until(
      async () => {
        const c = await store.getCluster('live');
        return c?.health.feed.mode === 'reconnecting' && c;
      },
      'the reconnecting feed',
      30_000,
    );
    expect(Date.parse(cluster.health.feed.since!)).toBeGreaterThanOrEqual(
      wentAway - 1000,
    );
  });
});
