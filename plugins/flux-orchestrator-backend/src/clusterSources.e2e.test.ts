import {
  createBackendModule,
  coreServices,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { fluxClusterSourcesExtensionPoint } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-node';
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

// Clusters that come neither from fluxOrchestrator.clusters nor from the API: the Kubernetes plugin's own
// config (kubernetes.clusterLocatorMethods) and a backend module's source, added through the -node package's
// extension point. Both reach a real kube-apiserver, through the same client as every other cluster.
jest.setTimeout(180_000);

describe('cluster sources of the Kubernetes plugin config and of modules', () => {
  let fleet: Fleet;
  let app: Parameters<typeof request>[0];
  let workDir: string;
  const seeded = fluxFleetObjects('current').length;
  const api = (p: string) => `/api/flux-orchestrator${p}`;

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: [{ name: 'dev', generation: 'current' }],
    });
    const [dev] = fleet.clusters;
    await seedFluxObjects(dev.adminKubeconfig, 'current');
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-sources-'));
    const caFile = path.join(workDir, 'ca.pem');
    fs.writeFileSync(caFile, dev.caPem);

    // A module of the adopter's: say, their cluster inventory.
    const inventoryModule = createBackendModule({
      pluginId: 'flux-orchestrator',
      moduleId: 'inventory-clusters',
      register(env) {
        env.registerInit({
          deps: {
            sources: fluxClusterSourcesExtensionPoint,
            logger: coreServices.logger,
          },
          async init({ sources }) {
            sources.addClusterSource({
              id: 'inventory',
              async readClusters() {
                return [
                  {
                    name: 'inv-dev',
                    title: 'Dev (inventory)',
                    connection: {
                      server: dev.server,
                      caData: Buffer.from(dev.caPem).toString('base64'),
                      credentials: { type: 'token', token: dev.tokens.viewer },
                    },
                  },
                  {
                    name: 'inv-proxied',
                    connection: {
                      server: dev.server,
                      credentials: { type: 'token', token: dev.tokens.viewer },
                      proxyUrl: 'http://127.0.0.1:3128',
                    } as any,
                  },
                ];
              },
            });
          },
        });
      },
    });

    const { server } = await startTestBackend({
      features: [
        fluxOrchestratorPlugin,
        inventoryModule,
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'Staging-EU',
                      url: dev.server,
                      caFile,
                      authProvider: 'serviceAccount',
                      serviceAccountToken: dev.tokens.viewer,
                    },
                    {
                      name: 'gke-prod',
                      url: 'https://127.0.0.1:1',
                      authProvider: 'google',
                    },
                  ],
                },
              ],
            },
            fluxOrchestrator: {
              kubernetesPluginClusters: { enabled: true },
              sync: {
                initialDelay: { milliseconds: 200 },
                clusterTimeout: { seconds: 10 },
              },
              kubeconfig: { allowPrivateNetworks: ['127.0.0.0/8'] },
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

  async function clusters(): Promise<any[]> {
    for (let i = 0; i < 100; i++) {
      const { body } = await request(app).get(api('/clusters'));
      if (body.length === 4) return body;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    throw new Error('the sources were never written');
  }

  it('lists each cluster with its source, read-only', async () => {
    expect(
      (await clusters()).map((c: any) => [
        c.name,
        c.title,
        c.source,
        c.readOnly,
      ]),
    ).toEqual([
      ['gke-prod', 'gke-prod', 'kubernetes', true],
      ['inv-dev', 'Dev (inventory)', 'inventory', true],
      ['inv-proxied', 'inv-proxied', 'inventory', true],
      ['staging-eu', 'Staging-EU', 'kubernetes', true],
    ]);
  });

  it("syncs the Kubernetes plugin's service-account cluster and the module's cluster", async () => {
    await clusters();
    for (const name of ['staging-eu', 'inv-dev']) {
      const sync = await request(app).post(api(`/clusters/${name}/sync`));
      expect(sync.body).toMatchObject({ status: 'succeeded', listed: seeded });
      const { body } = await request(app).get(
        api(`/resources?cluster=${name}&limit=1`),
      );
      expect(body.total).toBe(seeded);
    }
  });

  it('says on the cluster why it cannot be reached', async () => {
    await clusters();
    const google = await request(app).post(api('/clusters/gke-prod/sync'));
    expect(google.body).toMatchObject({ status: 'failed' });
    expect(google.body.error).toContain(
      'auth provider google is not supported',
    );
    const proxied = await request(app).post(api('/clusters/inv-proxied/sync'));
    expect(proxied.body.error).toContain('Unrecognized key: "proxyUrl"');
    const { body } = await request(app).get(api('/clusters/inv-proxied'));
    expect(body.health).toMatchObject({ status: 'unhealthy' });
    expect(JSON.stringify(body)).not.toContain(fleet.clusters[0].tokens.viewer);
  });

  it('refuses to change a cluster of a module in the API, naming where it is defined', async () => {
    const res = await request(app).delete(api('/clusters/inv-dev'));
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      'Cluster "inv-dev" is defined in the backend module of cluster source "inventory" and is read-only here; change it there',
    );
  });
});
