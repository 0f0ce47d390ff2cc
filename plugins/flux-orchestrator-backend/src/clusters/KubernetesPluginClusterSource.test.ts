import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { createClusterPki } from '@internal/kube-harness';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { KubernetesPluginClusterSource } from './KubernetesPluginClusterSource';
import { readClusterPolicy } from './readClusterPolicy';

let caPem: string;
beforeAll(async () => {
  caPem = (await createClusterPki('kubernetes-plugin')).servingCa.certPem;
}, 30_000);

function sourceOf(methods: JsonObject[], enabled = true) {
  const config = new ConfigReader({
    kubernetes: { clusterLocatorMethods: methods },
    fluxOrchestrator: {
      kubernetesPluginClusters: { enabled },
      kubeconfig: { allowPrivateNetworks: ['10.0.0.0/8'] },
    },
  });
  return KubernetesPluginClusterSource.fromConfig(config, {
    ...readClusterPolicy(config),
    logger: mockServices.logger.mock(),
  });
}

describe("the Kubernetes plugin's clusters", () => {
  it('is off unless asked for', () => {
    expect(sourceOf([], false)).toBeUndefined();
  });

  it('reads service-account clusters of config locators, in both ways the plugin lets the auth provider be given', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-k8s-plugin-'));
    const caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, caPem);
    const source = sourceOf([
      { type: 'catalog' },
      {
        type: 'config',
        clusters: [
          {
            name: 'Prod-EU',
            title: 'Production EU',
            url: 'https://10.0.0.1:6443',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'prod-token',
            caFile,
            dashboardUrl: 'https://dashboard.example.com',
            customResources: [
              {
                group: 'kustomize.toolkit.fluxcd.io',
                apiVersion: 'v1',
                plural: 'kustomizations',
              },
            ],
          },
          {
            name: 'staging',
            url: 'https://10.0.0.2:6443',
            authMetadata: {
              'kubernetes.io/auth-provider': 'serviceAccount',
              serviceAccountToken: 'staging-token',
            },
            skipTLSVerify: true,
          },
        ],
      },
    ]);
    expect(source?.id).toBe('kubernetes');
    expect(await source!.readClusters()).toEqual([
      {
        name: 'prod-eu',
        title: 'Production EU',
        connection: {
          server: 'https://10.0.0.1:6443',
          caData: Buffer.from(caPem.trim()).toString('base64'),
          skipTLSVerify: undefined,
          credentials: { type: 'token', token: 'prod-token' },
        },
      },
      {
        name: 'staging',
        title: 'staging',
        connection: {
          server: 'https://10.0.0.2:6443',
          caData: undefined,
          skipTLSVerify: true,
          credentials: { type: 'token', token: 'staging-token' },
        },
      },
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists the clusters it cannot reach with the reason, never their secrets', async () => {
    const source = sourceOf([
      {
        type: 'config',
        clusters: [
          {
            name: 'gke-prod',
            url: 'https://34.1.2.3',
            authProvider: 'google',
          },
          {
            name: 'in-cluster',
            url: 'https://10.0.0.3:6443',
            authProvider: 'serviceAccount',
          },
          {
            name: 'bad-ca',
            url: 'https://10.0.0.4:6443',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'bad-ca-token',
            caData: 'not a certificate',
          },
          {
            name: 'metadata',
            url: 'https://169.254.169.254',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'metadata-token',
          },
        ],
      },
    ]);
    const clusters = await source!.readClusters();
    expect(clusters.map(c => [c.name, c.connection])).toEqual([
      [
        'gke-prod',
        {
          unavailable:
            'kubernetes.clusterLocatorMethods[0].clusters[0] ("gke-prod"): auth provider google is not supported; Flux Orchestrator reaches clusters of the Kubernetes plugin\'s config with authProvider serviceAccount and a serviceAccountToken',
          server: 'https://34.1.2.3',
        },
      ],
      [
        'in-cluster',
        {
          unavailable: expect.stringContaining('has no serviceAccountToken'),
          server: 'https://10.0.0.3:6443',
        },
      ],
      [
        'bad-ca',
        {
          unavailable:
            'kubernetes.clusterLocatorMethods[0].clusters[2].caData: must be a PEM CA certificate (plain or base64)',
          server: 'https://10.0.0.4:6443',
        },
      ],
      [
        'metadata',
        {
          unavailable: expect.stringMatching(
            /^kubernetes\.clusterLocatorMethods\[0\]\.clusters\[3\]\.url: .*169\.254\.169\.254/,
          ),
          server: 'https://169.254.169.254',
        },
      ],
    ]);
    expect(JSON.stringify(clusters)).not.toMatch(/bad-ca-token|metadata-token/);
  });
});
