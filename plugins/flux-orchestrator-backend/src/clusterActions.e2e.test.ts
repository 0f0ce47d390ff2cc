import { TestDatabases } from '@backstage/backend-test-utils';
import {
  FakeFluxController,
  RealFluxCluster,
  startRealFluxCluster,
  startStandInBesideRealFlux,
} from '@internal/kube-harness';
import request from './__testUtils__/specCheckedRequest';
import { startPluginOnPostgres } from './__testUtils__/startPluginOnPostgres';

// Registration and actions end to end: a cluster added through the API with a real kubeconfig, objects patched
// on a real kube-apiserver, and the real source-, kustomize- and helm-controller answering. Notification and
// image objects, whose controllers cannot be built here, are seeded and answered by the stand-in.
// The database is the real PostgreSQL, so the plaintext check below reads what production would store.
jest.setTimeout(240_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

describe('registering clusters and acting on Flux objects, on real API servers', () => {
  let real: RealFluxCluster;
  let standIn: FakeFluxController;
  let app: Parameters<typeof request>[0];
  let knex: Awaited<ReturnType<typeof databases.init>>;

  beforeAll(async () => {
    real = await startRealFluxCluster('prod');
    standIn = await startStandInBesideRealFlux(real.cluster.adminKubeconfig, {
      delayMs: 300,
    });
    ({ server: app, knex } = await startPluginOnPostgres(databases, {
      sync: { initialDelay: { hours: 1 }, clusterTimeout: { seconds: 10 } },
      actions: { handledWait: { seconds: 5 } },
    }));
  });

  afterAll(async () => {
    standIn?.stop();
    await real?.stop();
  });

  const api = (p: string) => `/api/flux-orchestrator${p}`;
  const id = (s: string) => encodeURIComponent(s);

  it('registers a cluster from a kubeconfig, stores no plaintext credential, and syncs it', async () => {
    const prod = real.cluster;
    const kubeconfig = prod.kubeconfigFor('operator');
    const created = await request(app)
      .post(api('/clusters'))
      .send({ name: 'prod', title: 'Production', kubeconfig });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'prod',
      title: 'Production',
      source: 'api',
      readOnly: false,
      server: prod.server,
    });
    expect(JSON.stringify(created.body)).not.toContain(prod.tokens.operator);

    const rows = await knex('clusters').where({ name: 'prod' });
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(prod.tokens.operator);
    expect(stored).not.toContain('BEGIN CERTIFICATE');
    expect(stored).not.toContain(
      Buffer.from(prod.caPem).toString('base64').slice(0, 40),
    );
    expect(rows[0].credentials).toMatch(/^v1:[0-9a-f]{8}:/);

    const sync = await request(app).post(api('/clusters/prod/sync'));
    expect(sync.body).toMatchObject({ status: 'succeeded' });
    expect(sync.body.listed).toBeGreaterThan(10);
  });

  it('refuses a second cluster of the same name with a 409', async () => {
    const res = await request(app)
      .post(api('/clusters'))
      .send({
        name: 'prod',
        kubeconfig: real.cluster.kubeconfigFor('operator'),
      });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /^name: a cluster named "prod" is already defined in the API/,
    );
  });

  it('refuses a kubeconfig whose token the cluster rejects, storing nothing', async () => {
    const bad = real.cluster
      .kubeconfigFor('operator')
      .replace(real.cluster.tokens.operator, 'not-a-valid-token');
    const res = await request(app)
      .post(api('/clusters'))
      .send({ name: 'bad-token', kubeconfig: bad });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^kubeconfig: the cluster at https:\/\/127\.0\.0\.1:\d+ did not answer with these credentials \(401 Unauthorized.*set skipConnectionCheck/,
    );
    expect(await knex('clusters').where({ name: 'bad-token' })).toHaveLength(0);
  });

  it('reconciles with the source and reports when Flux has handled it', async () => {
    const res = await request(app)
      .post(api('/resources/reconcile'))
      .send({
        ids: ['prod:Kustomization:flux-system:tenants'],
        withSource: true,
      });
    expect(res.status).toBe(200);
    const [result] = res.body.results;
    expect(result).toMatchObject({
      id: 'prod:Kustomization:flux-system:tenants',
      action: 'reconcile',
      ok: true,
      handled: true,
    });
    // The stored row was refreshed at once: kustomize-controller handled the request, and the overlay still does
    // not build (a folder is missing from the repository).
    expect(result.resource).toMatchObject({
      status: 'failing',
      reason: 'BuildFailed',
      lastHandledReconcileAt: result.requestedAt,
    });
    const status = await request(app).get(
      api(
        `/resources/${id(
          'prod:Kustomization:flux-system:tenants',
        )}/reconcile-status`,
      ),
    );
    expect(status.body).toMatchObject({
      requestedAt: result.requestedAt,
      handled: true,
    });
    // source-controller handled the same request on the GitRepository first.
    await request(app).post(api('/clusters/prod/sync'));
    const source = await request(app).get(
      api(`/resources/${id('prod:GitRepository:flux-system:fleet')}`),
    );
    expect(source.body.object.status.lastHandledReconcileAt).toBe(
      result.requestedAt,
    );
  });

  it('reconciles an object of a kind without a real controller here through the stand-in', async () => {
    const target = 'prod:ImageRepository:flux-system:podinfo';
    const res = await request(app)
      .post(api('/resources/reconcile'))
      .send({ ids: [target] });
    const [result] = res.body.results;
    expect(result).toMatchObject({
      ok: true,
      handled: true,
      resource: { lastHandledReconcileAt: result.requestedAt },
    });
    expect(standIn.handled).toContain(
      `ImageRepository/flux-system/podinfo@${result.requestedAt}`,
    );
  });

  it('suspends and resumes, and resume requests a reconcile', async () => {
    const target = 'prod:HelmRelease:apps:podinfo';
    const suspended = await request(app)
      .post(api('/resources/suspend'))
      .send({ ids: [target] });
    expect(suspended.body.results[0]).toMatchObject({
      ok: true,
      resource: { status: 'suspended', suspended: true },
    });
    const stored = await request(app).get(api(`/resources/${id(target)}`));
    expect(stored.body.object.spec.suspend).toBe(true);

    const resumed = await request(app)
      .post(api('/resources/resume'))
      .send({ ids: [target] });
    expect(resumed.body.results[0]).toMatchObject({
      ok: true,
      handled: true,
      resource: { suspended: false, status: 'ready' },
    });

    const history = await request(app).get(
      api(`/resources/${id(target)}/actions`),
    );
    expect(history.body.map((a: any) => [a.action, a.outcome])).toEqual([
      ['resume', 'succeeded'],
      ['suspend', 'succeeded'],
    ]);
    expect(history.body[0].actor).toMatch(/^user:/);
  });

  it('forces and resets a HelmRelease as helm-controller takes them, and records both', async () => {
    const target = 'prod:HelmRelease:apps:podinfo';
    for (const [action, annotation, handledField] of [
      ['force', 'reconcile.fluxcd.io/forceAt', 'lastHandledForceAt'],
      ['reset', 'reconcile.fluxcd.io/resetAt', 'lastHandledResetAt'],
    ]) {
      const res = await request(app)
        .post(api(`/resources/${action}`))
        .send({ ids: [target] });
      expect(res.status).toBe(200);
      const [result] = res.body.results;
      expect(result).toMatchObject({
        id: target,
        action,
        ok: true,
        handled: true,
      });
      const stored = await request(app).get(api(`/resources/${id(target)}`));
      // The token goes with a reconcile request, as `flux reconcile hr --force` / `--reset` write it.
      expect(stored.body.object.metadata.annotations).toMatchObject({
        'reconcile.fluxcd.io/requestedAt': result.requestedAt,
        [annotation]: result.requestedAt,
      });
      expect(stored.body.object.status[handledField]).toBe(result.requestedAt);
    }
    const history = await request(app).get(
      api(`/resources/${id(target)}/actions`),
    );
    expect(
      history.body.slice(0, 2).map((a: any) => [a.action, a.outcome]),
    ).toEqual([
      ['reset', 'succeeded'],
      ['force', 'succeeded'],
    ]);
  });

  it("serves an object's Kubernetes Events live from its cluster, as helm-controller recorded them", async () => {
    // redis's install waits for a Deployment that never becomes ready; helm-controller records the failure.
    const deadline = Date.now() + 90_000;
    let events: any[] = [];
    while (
      Date.now() < deadline &&
      !events.some(e => e.reason === 'InstallFailed')
    ) {
      const res = await request(app).get(
        api(`/resources/${id('prod:HelmRelease:apps:redis')}/events`),
      );
      expect(res.status).toBe(200);
      events = res.body;
      await new Promise(r => setTimeout(r, 1000));
    }
    expect(events.find(e => e.reason === 'InstallFailed')).toMatchObject({
      type: 'Warning',
      message: expect.stringContaining('redis'),
    });
  });

  it('surfaces the 403 of a viewer-only ServiceAccount as such, per object', async () => {
    const prod = real.cluster;
    const put = await request(app)
      .put(api('/clusters/prod'))
      .send({ kubeconfig: prod.kubeconfigFor('viewer') });
    expect(put.status).toBe(200);
    const res = await request(app)
      .post(api('/resources/reconcile'))
      .send({ ids: ['prod:Kustomization:flux-system:apps'] });
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ ok: false });
    expect(res.body.results[0].error).toMatch(
      /^403 Forbidden: .*User "system:serviceaccount:flux-orchestrator:flux-orchestrator-viewer" cannot patch resource "kustomizations"/,
    );
    const history = await request(app).get(
      api(`/resources/${id('prod:Kustomization:flux-system:apps')}/actions`),
    );
    expect(history.body[0]).toMatchObject({
      action: 'reconcile',
      outcome: 'failed',
      error: expect.stringMatching(/^403 Forbidden/),
    });
  });

  it('deletes the cluster with its objects, history and credentials', async () => {
    const res = await request(app).delete(api('/clusters/prod'));
    expect(res.status).toBe(204);
    expect(await knex('clusters').where({ name: 'prod' })).toHaveLength(0);
    expect(
      await knex('flux_resources').where({ cluster: 'prod' }),
    ).toHaveLength(0);
    expect(
      await knex('action_history').where({ cluster: 'prod' }),
    ).toHaveLength(0);
    expect((await request(app).get(api('/clusters/prod'))).status).toBe(404);
  });
});
