import { InputError } from '@backstage/errors';
import { stringify } from 'yaml';
import {
  KubeconfigPolicy,
  listKubeconfigContexts,
  parseKubeconfig,
} from './parseKubeconfig';

const strict: KubeconfigPolicy = {
  allowExec: false,
  allowAuthProvider: false,
  allowHttp: false,
  allowInsecure: false,
  allowedServers: [],
};

function kubeconfig(overrides: { cluster?: object; user?: object; currentContext?: string | null; extraContexts?: object[] } = {}) {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: 'prod-eu', cluster: { server: 'https://prod-eu.k8s.example.com:6443', 'certificate-authority-data': 'LS0tLS1CRUdJTi==', ...overrides.cluster } },
    ],
    users: [{ name: 'flux-console', user: { token: 'eyJhbGciOiJSUzI1NiJ9.secret', ...overrides.user } }],
    contexts: [
      { name: 'prod-eu', context: { cluster: 'prod-eu', user: 'flux-console', namespace: 'flux-system' } },
      ...(overrides.extraContexts ?? []),
    ],
    ...(overrides.currentContext === null ? {} : { 'current-context': overrides.currentContext ?? 'prod-eu' }),
  });
}

function refusal(text: string, context: string | undefined, policy = strict): string {
  try {
    parseKubeconfig(text, context, policy);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected the kubeconfig to be refused');
}

describe('parseKubeconfig', () => {
  it('accepts a token kubeconfig and returns its current context and server', () => {
    expect(parseKubeconfig(kubeconfig(), undefined, strict)).toEqual({
      context: 'prod-eu',
      server: 'https://prod-eu.k8s.example.com:6443',
    });
  });

  it('uses the only context when there is no current-context', () => {
    expect(parseKubeconfig(kubeconfig({ currentContext: null }), undefined, strict).context).toBe('prod-eu');
  });

  it.each([
    ['empty text', '  \n', undefined, /^kubeconfig: is empty/],
    ['broken YAML', 'clusters: [\n  - name: a\n users: {', undefined, /^kubeconfig: is not valid YAML \(line \d+, column \d+\)/],
    ['a YAML list', '- a\n- b\n', undefined, /^kubeconfig: must be a YAML mapping/],
    ['no users', stringify({ clusters: [{ name: 'a', cluster: {} }], contexts: [{ name: 'a' }] }), undefined, /^kubeconfig: has no users/],
    ['a missing context', kubeconfig(), 'staging', /^context: "staging" is not in the kubeconfig; it has "prod-eu"/],
    ['several contexts and none chosen', kubeconfig({ currentContext: null, extraContexts: [{ name: 'other', context: { cluster: 'prod-eu', user: 'flux-console' } }] }), undefined, /^context: the kubeconfig has 2 contexts and no current-context; choose one of prod-eu, other/],
    ['an http server', kubeconfig({ cluster: { server: 'http://10.0.0.1:8080' } }), undefined, /^kubeconfig: cluster "prod-eu" has server http:\/\/10\.0\.0\.1:8080; use https .*allowHttp/],
    ['a server that is not a URL', kubeconfig({ cluster: { server: 'prod-eu:6443' } }), undefined, /which is not a URL|must be an https URL/],
    ['an exec plugin', kubeconfig({ user: { token: undefined, exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'aws' } } }), undefined, /^kubeconfig: user "flux-console" uses an exec plugin, which would run a program on the backend host.*allowExec/],
    ['an auth-provider', kubeconfig({ user: { token: undefined, 'auth-provider': { name: 'gcp' } } }), undefined, /^kubeconfig: user "flux-console" uses an auth-provider plugin.*allowAuthProvider/],
    ['skipped TLS verification', kubeconfig({ cluster: { 'insecure-skip-tls-verify': true } }), undefined, /insecure-skip-tls-verify; give certificate-authority-data instead.*allowInsecure/],
    ['a CA file on the backend host', kubeconfig({ cluster: { 'certificate-authority': '/etc/kubernetes/pki/ca.crt' } }), undefined, /reads certificate-authority from a file on the backend host; inline it as certificate-authority-data/],
    ['a token file', kubeconfig({ user: { token: undefined, tokenFile: '/var/run/secrets/token' } }), undefined, /reads tokenFile from a file on the backend host; inline it as token/],
    ['a user without credentials', kubeconfig({ user: { token: undefined } }), undefined, /^kubeconfig: user "flux-console" has no credentials/],
    ['a proxy', kubeconfig({ cluster: { 'proxy-url': 'http://proxy:3128' } }), undefined, /sets proxy-url/],
  ])('refuses %s with a message naming the field', (_case, text, context, expected) => {
    expect(refusal(text as string, context as string | undefined)).toMatch(expected as RegExp);
  });

  it('never puts the token into an error message', () => {
    const message = refusal(kubeconfig({ cluster: { server: 'http://10.0.0.1' } }), undefined);
    expect(message).not.toContain('secret');
  });

  it('accepts exec, auth-provider, http and insecure TLS when config allows them', () => {
    const lax = { ...strict, allowExec: true, allowAuthProvider: true, allowHttp: true, allowInsecure: true };
    expect(
      parseKubeconfig(
        kubeconfig({ cluster: { server: 'http://10.0.0.1:8080', 'insecure-skip-tls-verify': true }, user: { token: undefined, exec: { command: 'aws' } } }),
        undefined,
        lax,
      ).server,
    ).toBe('http://10.0.0.1:8080');
  });

  it('checks the server against the allow-list, with * matching one host label', () => {
    const policy = { ...strict, allowedServers: ['https://*.k8s.example.com:6443'] };
    expect(parseKubeconfig(kubeconfig(), undefined, policy).server).toContain('prod-eu');
    expect(
      refusal(kubeconfig({ cluster: { server: 'https://evil.example.org:6443' } }), undefined, policy),
    ).toMatch(/server https:\/\/evil\.example\.org:6443, which is not allowed \(fluxOrchestrator\.kubeconfig\.allowedServers/);
    expect(
      refusal(kubeconfig({ cluster: { server: 'https://a.b.k8s.example.com:6443' } }), undefined, policy),
    ).toMatch(/not allowed/);
  });
});

describe('listKubeconfigContexts', () => {
  it('lists every context with its cluster, user, server and which one is current', () => {
    const text = kubeconfig({ extraContexts: [{ name: 'other', context: { cluster: 'gone', user: 'flux-console' } }] });
    expect(listKubeconfigContexts(text)).toEqual([
      { name: 'prod-eu', cluster: 'prod-eu', user: 'flux-console', server: 'https://prod-eu.k8s.example.com:6443', current: true },
      { name: 'other', cluster: 'gone', user: 'flux-console', server: undefined, current: false },
    ]);
  });
});
