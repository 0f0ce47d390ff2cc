import { TestDatabases } from '@backstage/backend-test-utils';
import { RealFluxCluster, startRealFluxCluster } from '@internal/kube-harness';
import request from './__testUtils__/specCheckedRequest';
import { startPluginOnPostgres } from './__testUtils__/startPluginOnPostgres';

// The console's actions against the real Flux controllers (issue 12): source-, kustomize- and helm-controller
// reconciling a Git repository and a chart repository on loopback, on a real kube-apiserver. Every state
// asserted here was written by a controller, none by the harness.
jest.setTimeout(300_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const WEB = 'real:Kustomization:flux-system:web';
const FLEET = 'real:GitRepository:flux-system:fleet';
const BROKEN = 'real:Kustomization:flux-system:broken';
const GREETER = 'real:HelmRelease:flux-system:greeter';
const GREETER_BROKEN = 'real:HelmRelease:flux-system:greeter-broken';

describe('the console against real Flux controllers', () => {
  let real: RealFluxCluster;
  let app: Parameters<typeof request>[0];

  beforeAll(async () => {
    real = await startRealFluxCluster('real');
    const { cluster } = real;
    ({ server: app } = await startPluginOnPostgres(databases, {
      // Synced on request only, so that every state below is one the test asked for.
      sync: {
        watch: false,
        initialDelay: { hours: 1 },
        clusterTimeout: { seconds: 20 },
      },
      actions: { handledWait: { seconds: 10 } },
      clusters: [
        {
          name: 'real',
          url: cluster.server,
          caData: cluster.caPem,
          serviceAccountToken: cluster.tokens.operator,
        },
      ],
    }));
  });

  afterAll(async () => {
    await real?.stop();
  });

  const api = (p: string) => `/api/flux-orchestrator${p}`;

  async function sync() {
    const res = await request(app).post(api('/clusters/real/sync'));
    expect(res.status).toBeLessThan(300);
  }

  async function resource(id: string) {
    return (await request(app).get(api(`/resources/${encodeURIComponent(id)}`)))
      .body;
  }

  /** Syncs until the stored object meets `test`, as the console would show it; fails with what it last showed. */
  async function shown(
    id: string,
    test: (r: any) => boolean,
    timeoutMs = 120_000,
  ): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < deadline) {
      await sync();
      last = await resource(id);
      if (last?.id && test(last)) return last;
      await new Promise(r => setTimeout(r, 1000));
    }
    throw new Error(
      `${id} was not shown as expected; last: ${JSON.stringify({
        status: last?.status,
        message: last?.message,
        revision: last?.revision,
      })}`,
    );
  }

  async function act(action: string, ids: string[], body: object = {}) {
    const res = await request(app)
      .post(api(`/resources/${action}`))
      .send({ ids, ...body });
    expect(res.status).toBe(200);
    return res.body.results;
  }

  const revisionOf = (commit: string) => `main@sha1:${commit}`;

  // Each test starts from what the cluster holds now.
  beforeEach(sync);

  it("shows the controllers' own statuses: applied, a build error, a chart installed and one that does not render", async () => {
    const head = await real.sources.fleet.head();
    expect(await shown(WEB, r => r.status === 'ready')).toMatchObject({
      revision: revisionOf(head),
    });
    expect(await shown(FLEET, r => r.status === 'ready')).toMatchObject({
      revision: revisionOf(head),
    });
    const broken = await shown(BROKEN, r => r.status === 'failing');
    expect(broken.reason).toBe('BuildFailed');
    expect(broken.message).toContain('missing-deployment.yaml');
    await shown(GREETER, r => r.status === 'ready');
    const badValues = await shown(
      GREETER_BROKEN,
      r => r.status === 'failing' || r.status === 'stalled',
    );
    expect(badValues.message).toContain('values.greeting is required');
  });

  it('reconciles, and Flux reports the request handled', async () => {
    const [result] = await act('reconcile', [WEB]);
    expect(result).toMatchObject({ ok: true, handled: true });
    expect(result.resource.lastHandledReconcileAt).toBe(result.requestedAt);
  });

  it('reconciles with the source: the new commit is fetched and applied', async () => {
    const commit = await real.sources.fleet.commit('Greet from the console', {
      'apps/web/configmap.yaml': real.sources.fleet
        .read('apps/web/configmap.yaml')
        .replace(/message: .*/, 'message: "reconciled with source"'),
    });
    const [result] = await act('reconcile', [WEB], { withSource: true });
    expect(result).toMatchObject({ ok: true });
    const web = await shown(WEB, r => r.revision === revisionOf(commit));
    expect(web.status).toBe('ready');
    expect((await resource(FLEET)).revision).toBe(revisionOf(commit));
  });

  it('suspends: the controller leaves the object alone until it is resumed', async () => {
    const [suspended] = await act('suspend', [WEB]);
    expect(suspended).toMatchObject({
      ok: true,
      resource: { suspended: true, status: 'suspended' },
    });
    const before = (await resource(WEB)).revision;
    const commit = await real.sources.fleet.commit('Change while suspended', {
      'apps/web/configmap.yaml': real.sources.fleet
        .read('apps/web/configmap.yaml')
        .replace(/message: .*/, 'message: "while suspended"'),
    });
    await act('reconcile', [FLEET]);
    await shown(FLEET, r => r.revision === revisionOf(commit));
    // Asked to reconcile while suspended, kustomize-controller v1.9.5 notes the request as handled
    // (lastHandledReconcileAt) but applies nothing: the new commit stays out.
    const [ignored] = await act('reconcile', [WEB]);
    expect(ignored).toMatchObject({
      ok: true,
      resource: { suspended: true, status: 'suspended', revision: before },
    });
    await new Promise(r => setTimeout(r, 3000));
    expect(await shown(WEB, () => true)).toMatchObject({
      revision: before,
      status: 'suspended',
    });

    const [resumed] = await act('resume', [WEB]);
    expect(resumed).toMatchObject({ ok: true, handled: true });
    expect(
      await shown(WEB, r => r.revision === revisionOf(commit)),
    ).toMatchObject({ suspended: false, status: 'ready' });
  });

  it("forces a HelmRelease's upgrade and resets its retries, as helm-controller reports", async () => {
    const [forced] = await act('force', [GREETER]);
    expect(forced).toMatchObject({ ok: true, handled: true });
    const [reset] = await act('reset', [GREETER_BROKEN]);
    expect(reset).toMatchObject({ ok: true, handled: true });
    const stored = await resource(GREETER);
    expect(stored.object.status.lastHandledForceAt).toBe(forced.requestedAt);
  });

  it("shows the controller's error for a commit that breaks an overlay, and clears it with the fix", async () => {
    const good = real.sources.fleet.read('apps/web/kustomization.yaml');
    const breaking = await real.sources.fleet.commit('Break the web overlay', {
      'apps/web/kustomization.yaml': `${good}  - not-there.yaml\n`,
    });
    await act('reconcile', [WEB], { withSource: true });
    const failing = await shown(
      WEB,
      r =>
        r.status === 'failing' && r.attemptedRevision === revisionOf(breaking),
    );
    expect(failing.message).toContain('not-there.yaml');

    const fixing = await real.sources.fleet.commit('Fix the web overlay', {
      'apps/web/kustomization.yaml': good,
    });
    await act('reconcile', [WEB], { withSource: true });
    const fixed = await shown(
      WEB,
      r => r.status === 'ready' && r.revision === revisionOf(fixing),
    );
    expect(fixed.message).not.toContain('not-there.yaml');
  });
});
