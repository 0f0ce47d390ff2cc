import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  Fleet,
  fluxFleetObjects,
  seedFluxObjects,
  startFleet,
} from '@internal/kube-harness';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from './__testUtils__/specCheckedRequest';
import { fluxOrchestratorPlugin } from './plugin';

// End to end against real kube-apiservers (with etcd and the Flux CRDs): two clusters, one on Flux 2.9's
// APIs and one on a Flux 2.4-era set. Nothing here is mocked between the plugin and the API servers.
jest.setTimeout(180_000);

describe('sync against real Kubernetes API servers', () => {
  let fleet: Fleet;
  let app: Parameters<typeof request>[0];
  let workDir: string;
  const seeded = fluxFleetObjects('current').length;

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: [
        { name: 'dev', generation: 'current' },
        { name: 'legacy', generation: 'legacy' },
      ],
    });
    const [dev, legacy] = fleet.clusters;
    await seedFluxObjects(dev.adminKubeconfig, 'current');
    await seedFluxObjects(legacy.adminKubeconfig, 'legacy');

    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-e2e-'));
    const devKubeconfig = path.join(workDir, 'dev.yaml');
    fs.writeFileSync(devKubeconfig, dev.kubeconfigFor('viewer'));
    const { server } = await startTestBackend({
      features: [
        fluxOrchestratorPlugin,
        mockServices.rootConfig.factory({
          data: {
            fluxOrchestrator: {
              sync: {
                initialDelay: { hours: 1 },
                clusterTimeout: { seconds: 10 },
              },
              kubeconfig: { allowPrivateNetworks: ['127.0.0.0/8'] },
              clusters: [
                { name: 'dev', kubeconfig: { path: devKubeconfig } },
                {
                  name: 'legacy',
                  url: legacy.server,
                  caData: legacy.caPem,
                  serviceAccountToken: legacy.tokens.operator,
                },
                {
                  name: 'denied',
                  url: dev.server,
                  caData: dev.caPem,
                  serviceAccountToken: dev.tokens.noRights,
                },
              ],
            },
          },
        }),
      ],
    });
    app = server;
  });

  afterAll(async () => {
    await fleet?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  const api = (p: string) => `/api/flux-orchestrator${p}`;

  it('syncs every Flux kind of a current cluster with its states', async () => {
    const sync = await request(app).post(api('/clusters/dev/sync'));
    expect(sync.body).toMatchObject({
      status: 'succeeded',
      listed: seeded,
      inserted: seeded,
    });
    const health = await request(app).get(api('/clusters/dev/health'));
    expect(health.body).toMatchObject({
      status: 'healthy',
      kubernetesVersion: 'v1.36.3',
      fluxVersion: 'v2.9.5',
      servedVersions: {
        Kustomization: 'v1',
        HelmRelease: 'v2',
        GitRepository: 'v1',
        OCIRepository: 'v1',
        Alert: 'v1beta3',
        Receiver: 'v1',
        ImagePolicy: 'v1',
      },
    });
    const byName = async (id: string) =>
      (await request(app).get(api(`/resources/${encodeURIComponent(id)}`)))
        .body;
    expect(await byName('dev:Kustomization:flux-system:tenants')).toMatchObject(
      { status: 'failing', reason: 'BuildFailed' },
    );
    expect(
      await byName('dev:Kustomization:flux-system:monitoring'),
    ).toMatchObject({ status: 'stalled' });
    expect(await byName('dev:Kustomization:flux-system:apps')).toMatchObject({
      status: 'progressing',
    });
    expect(await byName('dev:Bucket:flux-system:artifacts')).toMatchObject({
      status: 'suspended',
      suspended: true,
    });
    expect(await byName('dev:HelmRelease:apps:new-service')).toMatchObject({
      status: 'unknown',
      ready: 'Unknown',
    });
    expect(await byName('dev:HelmRelease:apps:podinfo')).toMatchObject({
      status: 'ready',
      revision: '6.7.1',
    });
    expect(await byName('dev:ImagePolicy:flux-system:podinfo')).toMatchObject({
      revision: 'registry.example.com/apps/podinfo:6.7.1',
    });
    const kinds = await request(app).get(api('/summary'));
    expect(kinds.body.byKind.map((k: any) => k.kind)).toHaveLength(13);
  });

  it('discovers the older API versions of a Flux 2.4-era cluster', async () => {
    const sync = await request(app).post(api('/clusters/legacy/sync'));
    expect(sync.body).toMatchObject({ status: 'succeeded', listed: seeded });
    const health = await request(app).get(api('/clusters/legacy/health'));
    expect(health.body.servedVersions).toMatchObject({
      OCIRepository: 'v1beta2',
      ImagePolicy: 'v1beta2',
      Alert: 'v1beta3',
    });
    const list = await request(app).get(
      api('/resources?cluster=legacy&kind=HelmRelease&sort=name'),
    );
    expect(list.body.items.map((r: any) => [r.name, r.status])).toEqual([
      ['new-service', 'unknown'],
      ['podinfo', 'ready'],
      ['redis', 'failing'],
    ]);
    expect(list.body.items[1]).toMatchObject({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      revision: '6.7.1',
    });
    const policy = await request(app).get(
      api(
        `/resources/${encodeURIComponent(
          'legacy:ImagePolicy:flux-system:podinfo',
        )}`,
      ),
    );
    expect(policy.body).toMatchObject({
      apiVersion: 'image.toolkit.fluxcd.io/v1beta2',
      revision: 'registry.example.com/apps/podinfo:6.7.1',
    });
  });

  it('reports a ServiceAccount without RBAC as a clear 403 on each Flux kind', async () => {
    const sync = await request(app).post(api('/clusters/denied/sync'));
    expect(sync.body.status).toBe('failed');
    expect(sync.body.error).toMatch(
      /^cannot list 13 of 13 Flux kinds .*403 Forbidden: .* User "system:serviceaccount:flux-orchestrator:flux-no-rights" cannot list resource/,
    );
  });

  it('writes only the changes on a resync and removes deleted objects', async () => {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromString(fleet.clusters[0].adminKubeconfig);
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    await custom.deleteNamespacedCustomObject({
      group: 'helm.toolkit.fluxcd.io',
      version: 'v2',
      namespace: 'apps',
      plural: 'helmreleases',
      name: 'redis',
    });
    await custom.patchNamespacedCustomObject(
      {
        group: 'kustomize.toolkit.fluxcd.io',
        version: 'v1',
        namespace: 'flux-system',
        plural: 'kustomizations',
        name: 'tenants',
        body: { spec: { suspend: true } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const resync = await request(app).post(api('/clusters/dev/sync'));
    expect(resync.body).toMatchObject({
      status: 'succeeded',
      inserted: 0,
      updated: 1,
      deleted: 1,
      unchanged: seeded - 2,
    });
    const tenants = await request(app).get(
      api(
        `/resources/${encodeURIComponent(
          'dev:Kustomization:flux-system:tenants',
        )}`,
      ),
    );
    expect(tenants.body.status).toBe('suspended');
  });

  it('marks a cluster that went away unhealthy while the others stay fresh', async () => {
    await fleet.clusters[1].stop();
    const [dev, legacy] = await Promise.all([
      request(app).post(api('/clusters/dev/sync')),
      request(app).post(api('/clusters/legacy/sync')),
    ]);
    expect(dev.body.status).toBe('succeeded');
    expect(legacy.body).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/ECONNREFUSED 127\.0\.0\.1:\d+/),
    });
    // The last good state of the lost cluster is kept, marked as such by its health.
    const kept = await request(app).get(api('/resources?cluster=legacy'));
    expect(kept.body.total).toBe(seeded);
    const clusters = await request(app).get(api('/clusters'));
    const health = Object.fromEntries(
      clusters.body.map((c: any) => [c.name, c.health.status]),
    );
    expect(health).toMatchObject({ dev: 'healthy', legacy: 'unhealthy' });
  });
});
