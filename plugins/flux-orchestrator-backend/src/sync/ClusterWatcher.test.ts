import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DatabaseFluxStore } from '../database/DatabaseFluxStore';
import { EVERYTHING } from '../permissions/Scope';
import { KubernetesObject } from '../status/parseFluxObject';
import { strictPolicy } from '../__testUtils__/clusterPolicies';
import { fakeClusterApi } from '../__testUtils__/fakeClusterApi';
import { fluxObject } from '../__testUtils__/fluxObjects';
import { registryOfConfigClusters } from '../__testUtils__/registryOfConfigClusters';
import { ClusterWatcher } from './ClusterWatcher';

// The watch protocol against msw: list, then watch from the list's version; events applied in order; bookmarks
// move the position; 410 lists again; a broken stream reconnects and resumes. The e2e tier does the same on a
// real API server.
jest.setTimeout(30_000);

const SERVER = 'https://watch.cluster.test:6443';
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function kustomization(
  name: string,
  resourceVersion: string,
  state: 'ready' | 'failing' = 'ready',
): KubernetesObject {
  const obj = fluxObject('Kustomization', 'v1', state, name, 'apps');
  obj.metadata!.resourceVersion = resourceVersion;
  return obj;
}

/** A watch stream the test writes to: events, a bookmark, an end, or a break. */
class WatchStream {
  private controller?: ReadableStreamDefaultController<Uint8Array>;
  readonly opened: Array<{ resourceVersion: string | null }> = [];

  response(resourceVersion: string | null) {
    this.opened.push({ resourceVersion });
    const stream = new ReadableStream<Uint8Array>({
      start: controller => {
        this.controller = controller;
        // An API server sends a watch's headers at once; the mock sends them with its first bytes, so some come.
        controller.enqueue(new TextEncoder().encode('\n'));
      },
    });
    return new HttpResponse(stream, {
      headers: { 'content-type': 'application/json' },
    });
  }

  send(type: string, object: unknown) {
    this.controller!.enqueue(
      new TextEncoder().encode(`${JSON.stringify({ type, object })}\n`),
    );
  }

  end() {
    this.controller?.close();
  }

  break() {
    this.controller?.error(new Error('connection reset'));
  }
}

async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('ClusterWatcher', () => {
  const listed = [kustomization('a', '10'), kustomization('b', '11')];
  const streams: WatchStream[] = [];
  const eventStreams: WatchStream[] = [];
  let lists = 0;
  let listVersion = '12';
  /** The timeoutSeconds of each watch of Kustomizations. */
  const watchTimeouts: number[] = [];
  /** Lists of Events running now, and the most that ran at once. */
  const eventLists = { inFlight: 0, most: 0 };
  /** While set, the list of Kustomizations waits for it: a slow first list. */
  let listGate: Promise<void> | undefined;
  const server = setupServer(
    http.get(
      `${SERVER}/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations`,
      async ({ request }) => {
        const url = new URL(request.url);
        if (url.searchParams.get('watch') !== 'true') {
          await listGate;
          lists += 1;
          return HttpResponse.json({
            kind: 'KustomizationList',
            metadata: { resourceVersion: listVersion },
            items: listed,
          });
        }
        watchTimeouts.push(Number(url.searchParams.get('timeoutSeconds')));
        const stream = new WatchStream();
        streams.push(stream);
        return stream.response(url.searchParams.get('resourceVersion'));
      },
    ),
    // Events: listed empty, then watched through a stream the test writes to.
    http.get(`${SERVER}/api/v1/events`, async ({ request }) => {
      const url = new URL(request.url);
      if (url.searchParams.get('watch') !== 'true') {
        eventLists.inFlight += 1;
        eventLists.most = Math.max(eventLists.most, eventLists.inFlight);
        await new Promise(resolve => setTimeout(resolve, 20));
        eventLists.inFlight -= 1;
        return HttpResponse.json({
          kind: 'EventList',
          apiVersion: 'v1',
          metadata: { resourceVersion: '12' },
          items: [],
        });
      }
      const stream = new WatchStream();
      if (
        url.searchParams.get('fieldSelector') ===
        'involvedObject.kind=Kustomization'
      )
        eventStreams.push(stream);
      return stream.response(url.searchParams.get('resourceVersion'));
    }),
    // The other kinds have no objects: their watches stay open and quiet.
    http.get(`${SERVER}/apis/:group/:version/:plural`, ({ request }) =>
      new URL(request.url).searchParams.get('watch') === 'true'
        ? new WatchStream().response(null)
        : undefined,
    ),
    ...fakeClusterApi(SERVER, { objects: [] }),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());

  async function setup(
    options: { listTimeoutMs?: number; leaseMs?: number } = {},
  ) {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseFluxStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const registry = await registryOfConfigClusters(
      store,
      [{ name: 'live', url: SERVER, serviceAccountToken: 'token' }],
      strictPolicy,
    );
    const changes: Array<string[] | undefined> = [];
    const watcher = new ClusterWatcher({
      store,
      registry,
      logger: mockServices.logger.mock(),
      onChange: (_cluster, ids) => changes.push(ids),
      backoff: { initialMs: 20, maxMs: 100 },
      listTimeoutMs: options.listTimeoutMs,
    });
    const lease = new AbortController();
    const leaseMs = options.leaseMs ?? 60_000;
    const running = watcher.watch('live', {
      signal: AbortSignal.any([lease.signal, AbortSignal.timeout(leaseMs)]),
      until: new Date(Date.now() + leaseMs),
    });
    const ids = async () =>
      (await store.selectResources(EVERYTHING, 100)).map(
        r => `${r.name}@${r.status}`,
      );
    return { store, knex, changes, lease, running, ids };
  }

  beforeEach(() => {
    watchTimeouts.length = 0;
    streams.length = 0;
    eventStreams.length = 0;
    lists = 0;
    listVersion = '12';
  });

  it('runs two lists of a cluster at once at most, however many kinds it serves', async () => {
    eventLists.most = 0;
    const { store, lease, running } = await setup();
    await until(
      async () => (await store.getCluster('live'))?.health.feed.mode === 'live',
      'the live feed',
    );
    // Every served kind's Events were listed (thirteen lists of 20 ms), never more than two at a time.
    expect(eventLists.most).toBe(2);
    lease.abort();
    await running;
  });

  it('abandons a list that does not answer by its deadline, lists again, and holds no other list up meanwhile', async () => {
    const attempts: number[] = [];
    let release = () => {};
    // The first list of Kustomizations never answers; the next one does.
    const gate = new Promise<void>(resolve => (release = resolve));
    server.use(
      http.get(
        `${SERVER}/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations`,
        async ({ request }) => {
          if (new URL(request.url).searchParams.get('watch') === 'true')
            return undefined;
          attempts.push(Date.now());
          if (attempts.length === 1) await gate;
          return undefined;
        },
      ),
    );
    try {
      const { store, lease, running } = await setup({ listTimeoutMs: 1500 });
      // Meanwhile the other streams list and open through the cluster's other list slot.
      await until(
        async () => eventStreams.length === 1,
        'the events of Kustomizations',
      );
      expect(attempts).toHaveLength(1);
      await until(
        async () =>
          (await store.getCluster('live'))?.health.feed.mode === 'live',
        'the live feed',
      );
      expect(attempts).toHaveLength(2);
      expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(1500);
      expect(streams).toHaveLength(1);
      lease.abort();
      await running;
    } finally {
      release();
      server.resetHandlers();
    }
  });

  it('has the server end each stream just before the lease ends, and opens none in its last seconds', async () => {
    const started = Date.now();
    const { lease, running } = await setup({ leaseMs: 8_000 });
    await until(async () => streams.length === 1, 'the watch');
    // Its bookmark, 2 s before that timeout, then keeps the position fresh for the next lease.
    expect(watchTimeouts[0]).toBeGreaterThanOrEqual(4);
    expect(watchTimeouts[0]).toBeLessThanOrEqual(6);
    // The server ends the stream with under 5 s of the lease left: too little for another with a bookmark.
    await new Promise(resolve =>
      setTimeout(resolve, started + 3_500 - Date.now()),
    );
    streams[0].end();
    await new Promise(resolve => setTimeout(resolve, 1500));
    expect(streams).toHaveLength(1);
    lease.abort();
    await running;
  });

  it('says live only once every stream has listed and opened, not while a slow list is still running', async () => {
    let release = () => {};
    listGate = new Promise(resolve => (release = resolve));
    try {
      const { store, lease, running } = await setup();
      // Every other kind and every Event stream opens meanwhile.
      await new Promise(resolve => setTimeout(resolve, 500));
      expect((await store.getCluster('live'))?.health.feed.mode).not.toBe(
        'live',
      );
      expect(streams).toHaveLength(0);
      release();
      await until(
        async () =>
          (await store.getCluster('live'))?.health.feed.mode === 'live',
        'the live feed',
      );
      expect(streams).toHaveLength(1);
      lease.abort();
      await running;
    } finally {
      listGate = undefined;
      release();
    }
  });

  it('lists, then applies added, modified and deleted objects from the list’s version, and says it is live', async () => {
    const { store, changes, lease, running, ids } = await setup();
    await until(async () => streams.length === 1, 'the watch');
    expect(streams[0].opened).toEqual([{ resourceVersion: '12' }]);
    expect(await ids()).toEqual(['a@ready', 'b@ready']);
    await until(
      async () => (await store.getCluster('live'))?.health.feed.mode === 'live',
      'the live feed',
    );

    streams[0].send('ADDED', kustomization('c', '13'));
    streams[0].send('MODIFIED', kustomization('a', '14', 'failing'));
    streams[0].send('DELETED', kustomization('b', '15'));
    await until(
      async () => (await ids()).join() === 'a@failing,c@ready',
      'the three changes',
    );
    expect(await store.getWatchPositions('live')).toMatchObject({
      Kustomization: '15',
      HelmRelease: '5000',
    });
    // Told by Kubernetes uid: signals go to every user, and a uid names nothing a reader could not read.
    expect(changes).toEqual(
      expect.arrayContaining([
        ['uid-Kustomization-c'],
        ['uid-Kustomization-a'],
        ['uid-Kustomization-b'],
      ]),
    );

    streams[0].send('BOOKMARK', {
      kind: 'Kustomization',
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      metadata: { resourceVersion: '40' },
    });
    await until(
      async () =>
        (await store.getWatchPositions('live')).Kustomization === '40',
      'the bookmark',
    );
    lease.abort();
    await running;
  });

  it('renews an ended stream from its position, and resumes a broken one after a pause, without listing again', async () => {
    const { store, lease, running, ids } = await setup();
    await until(async () => streams.length === 1, 'the watch');
    streams[0].send('ADDED', kustomization('c', '13'));
    await until(
      async () => (await ids()).includes('c@ready'),
      'the first event',
    );
    streams[0].end();
    await until(async () => streams.length === 2, 'the renewed watch');
    expect(streams[1].opened).toEqual([{ resourceVersion: '13' }]);

    streams[1].break();
    await until(async () => streams.length === 3, 'the reconnected watch');
    expect(streams[2].opened).toEqual([{ resourceVersion: '13' }]);
    expect(lists).toBe(1);
    // msw sends a stream's headers with its first bytes; an API server sends them at once.
    streams[2].send('BOOKMARK', { metadata: { resourceVersion: '20' } });
    await until(
      async () => (await store.getCluster('live'))?.health.feed.mode === 'live',
      'live again',
    );
    lease.abort();
    await running;
  });

  it('lists again when the server says the position is gone (410), losing nothing', async () => {
    const { lease, running, ids } = await setup();
    await until(async () => streams.length === 1, 'the watch');
    // While the position was compacted away, "b" was deleted and "d" created; only a new list can tell.
    listed.splice(1, 1, kustomization('d', '30'));
    listVersion = '31';
    streams[0].send('ERROR', {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: 410,
      reason: 'Expired',
      message: 'too old resource version: 12 (25)',
    });
    await until(
      async () => streams.length === 2,
      'the watch after the new list',
    );
    expect(lists).toBe(2);
    expect(streams[1].opened).toEqual([{ resourceVersion: '31' }]);
    expect(await ids()).toEqual(['a@ready', 'd@ready']);
    lease.abort();
    await running;
    listed.splice(1, 1, kustomization('b', '11'));
  });

  it('keeps the Events of Flux objects, scrubbed of credentials, and drops them when the cluster does', async () => {
    const { store, lease, running } = await setup();
    await until(async () => eventStreams.length === 1, 'the events watch');
    expect(eventStreams[0].opened).toEqual([{ resourceVersion: '12' }]);
    const event = (uid: string, message: string, resourceVersion: string) => ({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `a.${uid}`, namespace: 'apps', uid, resourceVersion },
      involvedObject: {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        name: 'a',
        namespace: 'apps',
      },
      type: 'Warning',
      reason: 'ReconciliationFailed',
      message,
      count: 2,
      lastTimestamp: '2026-12-02T10:00:00Z',
      source: { component: 'kustomize-controller' },
    });
    eventStreams[0].send(
      'ADDED',
      event(
        'e1',
        "failed to clone 'https://deploy:s3cr3t@git.example.com/fleet.git'",
        '20',
      ),
    );
    // An Event about another project's kind of the same name is not ours.
    eventStreams[0].send('ADDED', {
      ...event('e2', 'not flux', '21'),
      involvedObject: {
        apiVersion: 'pkg.crossplane.io/v1',
        kind: 'Kustomization',
        name: 'a',
        namespace: 'apps',
      },
    });
    await until(
      async () =>
        (await store.getWatchPositions('live'))['events:Kustomization'] ===
        '21',
      'both events',
    );
    expect(await store.listEvents('live:Kustomization:apps:a', 10)).toEqual([
      {
        type: 'Warning',
        reason: 'ReconciliationFailed',
        message:
          "failed to clone 'https://[redacted]@git.example.com/fleet.git'",
        count: 2,
        firstSeen: undefined,
        lastSeen: '2026-12-02T10:00:00.000Z',
        source: 'kustomize-controller',
      },
    ]);
    eventStreams[0].send('DELETED', event('e1', 'gone', '22'));
    await until(
      async () =>
        (await store.listEvents('live:Kustomization:apps:a', 10)).length === 0,
      'the expired event to go',
    );
    lease.abort();
    await running;
  });

  it('says the cluster is reconnecting, and since when, while a watch cannot be re-established', async () => {
    const { store, lease, running } = await setup();
    await until(async () => streams.length === 1, 'the watch');
    server.use(
      http.get(
        `${SERVER}/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations`,
        () =>
          HttpResponse.json(
            {
              kind: 'Status',
              code: 503,
              message: 'the server is shutting down',
            },
            { status: 503 },
          ),
      ),
    );
    streams[0].break();
    await until(
      async () =>
        (await store.getCluster('live'))?.health.feed.mode === 'reconnecting',
      'reconnecting',
    );
    const { feed } = (await store.getCluster('live'))!.health;
    expect(Date.parse(feed.since!)).toBeGreaterThan(Date.now() - 10_000);
    server.resetHandlers();
    await until(async () => streams.length === 2, 'the reconnected watch');
    streams[1].send('BOOKMARK', { metadata: { resourceVersion: '20' } });
    await until(
      async () => (await store.getCluster('live'))?.health.feed.mode === 'live',
      'live again',
    );
    lease.abort();
    await running;
  });
});
