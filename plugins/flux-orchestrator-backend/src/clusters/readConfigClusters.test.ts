import { ConfigReader } from '@backstage/config';
import { createClusterPki } from '@internal/kube-harness';
import { JsonObject } from '@backstage/types';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { readClusterPolicy } from './readClusterPolicy';
import { readConfigClusters } from './readConfigClusters';

const read = (
  clusters: JsonObject[],
  kubeconfig: JsonObject = { allowPrivateNetworks: ['10.0.0.0/8'] },
) => {
  const config = new ConfigReader({
    fluxOrchestrator: { clusters, kubeconfig },
  });
  const { policy, network } = readClusterPolicy(config);
  return readConfigClusters(config, policy, network);
};

let caPem: string;
beforeAll(async () => {
  caPem = (await createClusterPki('config')).servingCa.certPem;
}, 30_000);

describe('readConfigClusters', () => {
  it('reads an url + token cluster, with the CA from a file and the token trimmed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-ca-'));
    const caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, caPem);
    const [cluster] = read([
      {
        name: 'prod',
        title: 'Production',
        url: 'https://10.0.0.1:6443',
        serviceAccountToken: 't0ken\n',
        caFile,
      },
    ]);
    expect(cluster.record).toEqual({
      name: 'prod',
      title: 'Production',
      description: undefined,
      source: 'config',
      server: 'https://10.0.0.1:6443',
    });
    expect(cluster.connection).toEqual({
      server: 'https://10.0.0.1:6443',
      caData: Buffer.from(caPem).toString('base64'),
      skipTLSVerify: undefined,
      credentials: { type: 'token', token: 't0ken' },
    });
  });

  it('reads a kubeconfig file through the same parser, and lets only its own entry opt in to exec', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-kc-'));
    const file = path.join(dir, 'config');
    fs.writeFileSync(
      file,
      `apiVersion: v1
kind: Config
clusters: [{name: eks, cluster: {server: "https://eks.example.com"}}]
users: [{name: aws, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token]}}}]
contexts: [{name: staging, context: {cluster: eks, user: aws}}]
`,
    );
    expect(() =>
      read([
        { name: 'staging', kubeconfig: { path: file, context: 'staging' } },
      ]),
    ).toThrow(
      /fluxOrchestrator\.clusters\[0\]\.kubeconfig: .*users\[0\]\.user\.exec is not accepted/,
    );
    const [cluster] = read([
      {
        name: 'staging',
        kubeconfig: { path: file, context: 'staging', allowExec: true },
      },
    ]);
    expect(cluster.connection.credentials).toMatchObject({
      type: 'exec',
      exec: { command: 'aws' },
    });
  });

  it('holds config clusters to the same policy as registered ones', () => {
    expect(() =>
      read([
        {
          name: 'dev',
          url: 'https://127.0.0.1:6443',
          serviceAccountToken: 't',
        },
      ]),
    ).toThrow(
      /fluxOrchestrator\.clusters\[0\]\.url: https:\/\/127\.0\.0\.1:6443 is refused: .*allowPrivateNetworks/,
    );
    expect(() =>
      read([{ name: 'dev', url: 'http://10.0.0.1', serviceAccountToken: 't' }]),
    ).toThrow(/uses http/);
    expect(
      read([
        {
          name: 'dev',
          url: 'https://10.0.0.1',
          serviceAccountToken: 't',
          skipTLSVerify: true,
        },
      ])[0].connection.skipTLSVerify,
    ).toBe(true);
  });

  it('names the entry and the field of each mistake', () => {
    expect(() =>
      read([{ name: 'Prod_1', url: 'https://x', serviceAccountToken: 't' }]),
    ).toThrow(
      /fluxOrchestrator\.clusters\[0\]\.name: "Prod_1" must be lowercase letters, digits and dashes/,
    );
    expect(() => read([{ name: 'dev', url: 'https://x' }])).toThrow(
      'fluxOrchestrator.clusters[0]: give either url and serviceAccountToken, or kubeconfig.path',
    );
    expect(() =>
      read([
        { name: 'dev', url: 'https://x', serviceAccountToken: 't' },
        { name: 'dev', url: 'https://y', serviceAccountToken: 't' },
      ]),
    ).toThrow('fluxOrchestrator.clusters[1].name: "dev" is defined twice');
    expect(() =>
      read([{ name: 'dev', kubeconfig: { path: '/nonexistent/kubeconfig' } }]),
    ).toThrow(
      /fluxOrchestrator\.clusters\[0\]\.kubeconfig\.path: cannot read \/nonexistent\/kubeconfig/,
    );
    expect(() =>
      read([
        {
          name: 'dev',
          url: 'https://x',
          serviceAccountToken: 't',
          caData: 'not a cert',
        },
      ]),
    ).toThrow(
      'fluxOrchestrator.clusters[0].caData: must be a PEM CA certificate (plain or base64)',
    );
  });

  it('refuses the global exec switch that let API kubeconfigs run programs', () => {
    expect(() => read([], { allowExec: true })).toThrow(
      /fluxOrchestrator\.kubeconfig\.allowExec is no longer supported/,
    );
  });

  it('is empty without clusters', () => {
    expect(read([])).toEqual([]);
  });
});
