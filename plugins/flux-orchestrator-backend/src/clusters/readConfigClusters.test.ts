import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { readConfigClusters } from './readConfigClusters';

const read = (clusters: JsonObject[]) =>
  readConfigClusters(new ConfigReader({ fluxOrchestrator: { clusters } }));

describe('readConfigClusters', () => {
  it('reads an url + token cluster, with the CA from a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-ca-'));
    const caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const [cluster] = read([
      { name: 'prod', title: 'Production', url: 'https://10.0.0.1:6443', serviceAccountToken: 't', caFile },
    ]);
    expect(cluster.record).toEqual({
      name: 'prod',
      title: 'Production',
      description: undefined,
      source: 'config',
      server: 'https://10.0.0.1:6443',
    });
    expect(cluster.connection).toEqual({
      type: 'token',
      server: 'https://10.0.0.1:6443',
      token: 't',
      caData: expect.stringContaining('BEGIN CERTIFICATE'),
      skipTLSVerify: false,
    });
  });

  it('reads a kubeconfig file and context', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-kc-'));
    const file = path.join(dir, 'config');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Config\n');
    const [cluster] = read([{ name: 'staging', kubeconfig: { path: file, context: 'staging' } }]);
    expect(cluster.record.title).toBe('staging');
    expect(cluster.connection).toEqual({ type: 'kubeconfig', kubeconfig: 'apiVersion: v1\nkind: Config\n', context: 'staging' });
  });

  it('names the entry and the field of each mistake', () => {
    expect(() => read([{ name: 'Prod_1', url: 'https://x', serviceAccountToken: 't' }])).toThrow(
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
    expect(() => read([{ name: 'dev', kubeconfig: { path: '/nonexistent/kubeconfig' } }])).toThrow(
      /fluxOrchestrator\.clusters\[0\]\.kubeconfig\.path: cannot read \/nonexistent\/kubeconfig/,
    );
  });

  it('is empty without clusters', () => {
    expect(readConfigClusters(new ConfigReader({}))).toEqual([]);
  });
});
