import fs from 'fs';
import os from 'os';
import path from 'path';
import { clientNode, kubeConfigFrom } from './clientNode';
import { Fleet, startFleet } from './fleet';
import { RunningFluxControllers } from './fluxControllers';
import { DemoSources, startDemoSources, startRealFlux } from './realFlux';

jest.setTimeout(240_000);

const GROUPS = {
  GitRepository: { group: 'source.toolkit.fluxcd.io', version: 'v1', plural: 'gitrepositories' },
  Kustomization: { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', plural: 'kustomizations' },
  HelmRelease: { group: 'helm.toolkit.fluxcd.io', version: 'v2', plural: 'helmreleases' },
};
type Kind = keyof typeof GROUPS;

describe('real Flux controllers against the harness', () => {
  let fleet: Fleet;
  let sources: DemoSources;
  let controllers: RunningFluxControllers;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-flux-'));
    fleet = await startFleet({ clusters: [{ name: 'real', generation: 'current' }] });
    sources = await startDemoSources(path.join(dir, 'sources'));
    controllers = await startRealFlux(fleet.clusters[0].adminKubeconfig, sources, path.join(dir, 'flux'));
  });

  afterAll(async () => {
    await controllers?.stop();
    await sources?.close();
    await fleet?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function clients() {
    const k8s = await clientNode();
    const kc = await kubeConfigFrom(fleet.clusters[0].adminKubeconfig);
    return { k8s, custom: kc.makeApiClient(k8s.CustomObjectsApi), core: kc.makeApiClient(k8s.CoreV1Api) };
  }

  async function get(kind: Kind, name: string): Promise<any> {
    const { custom } = await clients();
    return custom.getNamespacedCustomObject({ ...GROUPS[kind], namespace: 'flux-system', name });
  }

  const ready = (obj: any) => obj?.status?.conditions?.find((c: any) => c.type === 'Ready');

  /** Polls an object until `test` holds, failing with what the object last said. */
  async function until(kind: Kind, name: string, test: (obj: any) => boolean, timeoutMs = 90_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < deadline) {
      last = await get(kind, name).catch(() => undefined);
      if (last && test(last)) return last;
      await new Promise(r => setTimeout(r, 500));
    }
    throw new Error(`${kind}/${name} did not get there; its status: ${JSON.stringify(last?.status)}`);
  }

  async function requestReconcile(kind: Kind, name: string, token: string) {
    const { k8s, custom } = await clients();
    await custom.patchNamespacedCustomObject(
      { ...GROUPS[kind], namespace: 'flux-system', name, body: { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': token } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  }

  it('fetches the Git repository and applies an overlay from it', async () => {
    const head = await sources.fleet.head();
    const git = await until('GitRepository', 'fleet', o => ready(o)?.status === 'True');
    expect(git.status.artifact.revision).toBe(`main@sha1:${head}`);
    expect(git.status.artifact.url).toContain(controllers.artifactServer.replace('http://', ''));

    const web = await until('Kustomization', 'web', o => ready(o)?.status === 'True');
    expect(web.status.lastAppliedRevision).toBe(`main@sha1:${head}`);
    expect(web.status.inventory.entries.map((e: any) => e.id).sort()).toEqual(['_web__Namespace', 'web_web-settings__ConfigMap', 'web_web__Service']);
    const { core } = await clients();
    const settings = await core.readNamespacedConfigMap({ namespace: 'web', name: 'web-settings' });
    expect(settings.data?.message).toBe('hello from the first commit');
  });

  it("reports an overlay that does not build with kustomize's own error", async () => {
    const broken = await until('Kustomization', 'broken', o => ready(o)?.status === 'False' && ready(o)?.reason === 'BuildFailed');
    expect(ready(broken).message).toContain('missing-deployment.yaml');
  });

  it('fails the health check of a Deployment that never becomes ready', async () => {
    const api = await until('Kustomization', 'api', o => ready(o)?.status === 'False' && ready(o)?.reason === 'HealthCheckFailed');
    expect(ready(api).message).toMatch(/Deployment\/api\/api/);
  });

  it("installs a chart, and reports values the chart refuses with Helm's error", async () => {
    await until('HelmRelease', 'greeter', o => ready(o)?.status === 'True');
    const { core } = await clients();
    expect((await core.readNamespacedConfigMap({ namespace: 'greetings', name: 'greeter-greeting' })).data?.greeting).toBe('hello from Helm');
    const broken = await until('HelmRelease', 'greeter-broken', o => ready(o)?.status === 'False' && /greeting is required/.test(ready(o)?.message));
    expect(ready(broken).reason).toMatch(/InstallFailed|RenderFailed/);
  });

  it('handles a forced upgrade and a reset of a HelmRelease', async () => {
    const { k8s, custom } = await clients();
    for (const [name, annotation, handled] of [
      ['greeter', 'reconcile.fluxcd.io/forceAt', 'lastHandledForceAt'],
      ['greeter-broken', 'reconcile.fluxcd.io/resetAt', 'lastHandledResetAt'],
    ]) {
      const token = `${new Date().toISOString()}-${name}`;
      await custom.patchNamespacedCustomObject(
        {
          ...GROUPS.HelmRelease,
          namespace: 'flux-system',
          name,
          body: { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': token, [annotation]: token } } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      const released = await until('HelmRelease', name, o => o.status?.lastHandledReconcileAt === token);
      expect(released.status[handled]).toBe(token);
    }
  });

  it('handles a reconcile request, and rolls out a new commit when asked to fetch it', async () => {
    const token = new Date().toISOString();
    await requestReconcile('Kustomization', 'web', token);
    await until('Kustomization', 'web', o => o.status?.lastHandledReconcileAt === token);

    const commit = await sources.fleet.commit('Change the greeting', {
      'apps/web/configmap.yaml': sources.fleet.read('apps/web/configmap.yaml').replace('first commit', 'second commit'),
    });
    await requestReconcile('GitRepository', 'fleet', `${token}-source`);
    await until('GitRepository', 'fleet', o => o.status?.artifact?.revision === `main@sha1:${commit}`);
    await requestReconcile('Kustomization', 'web', `${token}-apply`);
    await until('Kustomization', 'web', o => o.status?.lastAppliedRevision === `main@sha1:${commit}`);
    const { core } = await clients();
    expect((await core.readNamespacedConfigMap({ namespace: 'web', name: 'web-settings' })).data?.message).toBe('hello from the second commit');
  });
});
