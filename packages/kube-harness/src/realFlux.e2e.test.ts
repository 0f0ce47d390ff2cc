import { clientNode, kubeConfigFrom } from './clientNode';
import { RealFluxCluster, startRealFluxCluster } from './realFlux';

jest.setTimeout(240_000);

const GROUPS = {
  GitRepository: {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'gitrepositories',
  },
  HelmRepository: {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'helmrepositories',
  },
  OCIRepository: {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'ocirepositories',
  },
  Bucket: {
    group: 'source.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'buckets',
  },
  Kustomization: {
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'kustomizations',
  },
  HelmRelease: {
    group: 'helm.toolkit.fluxcd.io',
    version: 'v2',
    plural: 'helmreleases',
  },
};
type Kind = keyof typeof GROUPS;

describe('real Flux controllers against the harness', () => {
  let real: RealFluxCluster;

  beforeAll(async () => {
    real = await startRealFluxCluster('real');
  });

  afterAll(async () => {
    await real?.stop();
  });

  async function clients() {
    const k8s = await clientNode();
    const kc = await kubeConfigFrom(real.cluster.adminKubeconfig);
    return {
      k8s,
      custom: kc.makeApiClient(k8s.CustomObjectsApi),
      core: kc.makeApiClient(k8s.CoreV1Api),
    };
  }

  /** An object by `name` in flux-system, or by `namespace/name`. */
  async function get(kind: Kind, name: string): Promise<any> {
    const { custom } = await clients();
    const [namespace, own] = name.includes('/')
      ? name.split('/')
      : ['flux-system', name];
    return custom.getNamespacedCustomObject({
      ...GROUPS[kind],
      namespace,
      name: own,
    });
  }

  const ready = (obj: any) =>
    obj?.status?.conditions?.find((c: any) => c.type === 'Ready');

  /** Polls an object until `test` holds, failing with what the object last said. */
  async function until(
    kind: Kind,
    name: string,
    test: (obj: any) => boolean,
    timeoutMs = 90_000,
  ): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < deadline) {
      last = await get(kind, name).catch(() => undefined);
      if (last && test(last)) return last;
      await new Promise(r => setTimeout(r, 500));
    }
    throw new Error(
      `${kind}/${name} did not get there; its status: ${JSON.stringify(
        last?.status,
      )}`,
    );
  }

  async function requestReconcile(kind: Kind, name: string, token: string) {
    const { k8s, custom } = await clients();
    await custom.patchNamespacedCustomObject(
      {
        ...GROUPS[kind],
        namespace: 'flux-system',
        name,
        body: {
          metadata: {
            annotations: { 'reconcile.fluxcd.io/requestedAt': token },
          },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  }

  it('fetches the Git repository and applies an overlay from it', async () => {
    const head = await real.sources.fleet.head();
    const git = await until(
      'GitRepository',
      'fleet',
      o => ready(o)?.status === 'True',
    );
    expect(git.status.artifact.revision).toBe(`main@sha1:${head}`);
    expect(git.status.artifact.url).toContain(
      real.controllers.artifactServer.replace('http://', ''),
    );

    const web = await until(
      'Kustomization',
      'web',
      o => ready(o)?.status === 'True',
    );
    expect(web.status.lastAppliedRevision).toBe(`main@sha1:${head}`);
    expect(web.status.inventory.entries.map((e: any) => e.id).sort()).toEqual([
      '_web__Namespace',
      'web_web-settings__ConfigMap',
      'web_web__Service',
    ]);
    const { core } = await clients();
    const settings = await core.readNamespacedConfigMap({
      namespace: 'web',
      name: 'web-settings',
    });
    expect(settings.data?.message).toBe('hello from the first commit');
  });

  it('gives the objects of the demo fleet the states the demo shows, all written by the controllers', async () => {
    const infra = await until(
      'Kustomization',
      'infra-controllers',
      o => ready(o)?.status === 'True',
    );
    expect(infra.status.inventory.entries.map((e: any) => e.id)).toEqual(
      expect.arrayContaining([
        'cert-manager_cert-manager_apps_Deployment',
        'ingress-nginx_ingress-nginx-controller_apps_Deployment',
      ]),
    );
    // Applied after the Kustomization it depends on.
    await until('Kustomization', 'apps', o => ready(o)?.status === 'True');
    const tenants = await until(
      'Kustomization',
      'tenants',
      o => ready(o)?.reason === 'BuildFailed',
    );
    expect(ready(tenants).message).toContain('team-a');
    await until(
      'HelmRelease',
      'apps/podinfo',
      o => ready(o)?.status === 'True',
    );
    // redis waits for a Deployment that never becomes ready: the install fails when its timeout ends.
    const redis = await until(
      'HelmRelease',
      'apps/redis',
      o => ready(o)?.status === 'False' && ready(o)?.reason === 'InstallFailed',
    );
    expect(ready(redis).message).toMatch(/redis/);
    const bitnami = await until(
      'HelmRepository',
      'bitnami',
      o => ready(o)?.status === 'False',
    );
    expect(ready(bitnami).message).toMatch(/404/);
    // Pulled from the harness's OCI registry, and applied from there.
    const manifests = await until(
      'OCIRepository',
      'manifests',
      o => ready(o)?.status === 'True',
    );
    expect(manifests.status.artifact.revision).toMatch(
      /^latest@sha256:[0-9a-f]{64}$/,
    );
    const monitoring = await until(
      'Kustomization',
      'monitoring',
      o => ready(o)?.status === 'True',
    );
    expect(monitoring.status.inventory.entries.map((e: any) => e.id)).toContain(
      'monitoring_fleet-dashboards__ConfigMap',
    );
    // Suspended since their creation: no controller ever wrote a Ready condition.
    for (const [kind, name] of [
      ['HelmRelease', 'apps/new-service'],
      ['Bucket', 'artifacts'],
    ] as const) {
      expect(ready(await get(kind, name))).toBeUndefined();
    }
  });

  it("reports an overlay that does not build with kustomize's own error", async () => {
    const broken = await until(
      'Kustomization',
      'broken',
      o => ready(o)?.status === 'False' && ready(o)?.reason === 'BuildFailed',
    );
    expect(ready(broken).message).toContain('missing-deployment.yaml');
  });

  it('fails the health check of a Deployment that never becomes ready', async () => {
    const api = await until(
      'Kustomization',
      'api',
      o =>
        ready(o)?.status === 'False' &&
        ready(o)?.reason === 'HealthCheckFailed',
    );
    expect(ready(api).message).toMatch(/Deployment\/api\/api/);
  });

  it("installs a chart, and reports values the chart refuses with Helm's error", async () => {
    await until('HelmRelease', 'greeter', o => ready(o)?.status === 'True');
    const { core } = await clients();
    expect(
      (
        await core.readNamespacedConfigMap({
          namespace: 'greetings',
          name: 'greeter-greeting',
        })
      ).data?.greeting,
    ).toBe('hello from Helm');
    const broken = await until(
      'HelmRelease',
      'greeter-broken',
      o =>
        ready(o)?.status === 'False' &&
        /greeting is required/.test(ready(o)?.message),
    );
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
          body: {
            metadata: {
              annotations: {
                'reconcile.fluxcd.io/requestedAt': token,
                [annotation]: token,
              },
            },
          },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      const released = await until(
        'HelmRelease',
        name,
        o => o.status?.lastHandledReconcileAt === token,
      );
      expect(released.status[handled]).toBe(token);
    }
  });

  it('handles a reconcile request, and rolls out a new commit when asked to fetch it', async () => {
    const token = new Date().toISOString();
    await requestReconcile('Kustomization', 'web', token);
    await until(
      'Kustomization',
      'web',
      o => o.status?.lastHandledReconcileAt === token,
    );

    const commit = await real.sources.fleet.commit('Change the greeting', {
      'apps/web/configmap.yaml': real.sources.fleet
        .read('apps/web/configmap.yaml')
        .replace('first commit', 'second commit'),
    });
    await requestReconcile('GitRepository', 'fleet', `${token}-source`);
    await until(
      'GitRepository',
      'fleet',
      o => o.status?.artifact?.revision === `main@sha1:${commit}`,
    );
    await requestReconcile('Kustomization', 'web', `${token}-apply`);
    await until(
      'Kustomization',
      'web',
      o => o.status?.lastAppliedRevision === `main@sha1:${commit}`,
    );
    const { core } = await clients();
    expect(
      (
        await core.readNamespacedConfigMap({
          namespace: 'web',
          name: 'web-settings',
        })
      ).data?.message,
    ).toBe('hello from the second commit');
  });
});
