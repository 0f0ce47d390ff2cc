import { InputError } from '@backstage/errors';
import { createClusterPki } from '@internal/kube-harness';
import { stringify } from 'yaml';
import { strictPolicy } from '../__testUtils__/clusterPolicies';
import {
  ClusterPolicy,
  NetworkPolicy,
  STRICT_CLUSTER_POLICY,
} from './clusterPolicy';
import { listKubeconfigContexts, parseKubeconfig } from './parseKubeconfig';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.secret';
let caData: string;
let certData: string;
let keyData: string;

beforeAll(async () => {
  const pki = await createClusterPki('unit');
  caData = Buffer.from(pki.servingCa.certPem).toString('base64');
  certData = Buffer.from(pki.admin.certPem).toString('base64');
  keyData = Buffer.from(pki.admin.keyPem).toString('base64');
});

function kubeconfig(
  overrides: {
    cluster?: object;
    user?: object;
    context?: object;
    top?: object;
    currentContext?: string | null;
    extraContexts?: object[];
    extraUsers?: object[];
  } = {},
) {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'prod-eu',
        cluster: {
          server: 'https://prod-eu.k8s.example.com:6443',
          'certificate-authority-data': caData,
          ...overrides.cluster,
        },
      },
    ],
    users: [
      { name: 'flux-console', user: { token: TOKEN, ...overrides.user } },
      ...(overrides.extraUsers ?? []),
    ],
    contexts: [
      {
        name: 'prod-eu',
        context: {
          cluster: 'prod-eu',
          user: 'flux-console',
          namespace: 'flux-system',
          ...overrides.context,
        },
      },
      ...(overrides.extraContexts ?? []),
    ],
    ...(overrides.currentContext === null
      ? {}
      : { 'current-context': overrides.currentContext ?? 'prod-eu' }),
    ...overrides.top,
  });
}

function parse(
  text: string,
  context?: string,
  policy: ClusterPolicy = STRICT_CLUSTER_POLICY,
  optIns = {},
) {
  return parseKubeconfig(
    text,
    context,
    policy,
    new NetworkPolicy(policy),
    optIns,
  );
}

function refusal(
  text: string,
  context?: string,
  policy: ClusterPolicy = STRICT_CLUSTER_POLICY,
): string {
  try {
    parse(text, context, policy);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected the kubeconfig to be refused');
}

/** A user entry of the form the hostile cases need, written as YAML text by hand. */
const head = (userBlock: string) => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://prod-eu.k8s.example.com:6443
users:
- name: u
  user:
${userBlock}
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
`;

describe('parseKubeconfig', () => {
  it('returns the allow-listed connection of the current context and nothing else', () => {
    expect(parse(kubeconfig())).toEqual({
      context: 'prod-eu',
      connection: {
        server: 'https://prod-eu.k8s.example.com:6443',
        caData,
        tlsServerName: undefined,
        skipTLSVerify: undefined,
        namespace: 'flux-system',
        credentials: { type: 'token', token: TOKEN },
      },
    });
  });

  it('takes a client certificate and key, checked as the TLS stack will read them', () => {
    const parsed = parse(
      kubeconfig({
        user: {
          token: undefined,
          'client-certificate-data': certData,
          'client-key-data': keyData,
        },
      }),
    );
    expect(parsed.connection.credentials).toEqual({
      type: 'clientCertificate',
      certData,
      keyData,
    });
  });

  it('trims the whitespace a pasted token carries', () => {
    expect(
      parse(kubeconfig({ user: { token: `${TOKEN}\n` } })).connection
        .credentials,
    ).toEqual({ type: 'token', token: TOKEN });
  });

  it('uses the only context when there is no current-context', () => {
    expect(parse(kubeconfig({ currentContext: null })).context).toBe('prod-eu');
  });

  it('drops entries the context does not use without reading them', () => {
    const text = kubeconfig({
      extraUsers: [
        {
          name: 'admin',
          user: {
            exec: { command: '/bin/sh', args: ['-c', 'touch /tmp/pwned'] },
            'token-file': '/etc/passwd',
          },
        },
      ],
    });
    expect(parse(text).connection.credentials).toEqual({
      type: 'token',
      token: TOKEN,
    });
    expect(JSON.stringify(parse(text))).not.toMatch(/pwned|passwd|admin/);
  });

  it.each([
    ['empty text', '  \n', /^kubeconfig: is empty/],
    [
      'broken YAML',
      'clusters: [\n  - name: a\n users: {',
      /^kubeconfig: is not valid YAML \(line \d+, column \d+\)/,
    ],
    ['a YAML list', '- a\n- b\n', /^kubeconfig: must be a YAML mapping/],
    [
      'no users',
      stringify({
        clusters: [{ name: 'a', cluster: {} }],
        contexts: [{ name: 'a' }],
      }),
      /^kubeconfig: has no users/,
    ],
    [
      'several contexts and none chosen',
      kubeconfig({
        currentContext: null,
        extraContexts: [
          {
            name: 'other',
            context: { cluster: 'prod-eu', user: 'flux-console' },
          },
        ],
      }),
      /^context: the kubeconfig has 2 contexts and no current-context; choose one of prod-eu, other/,
    ],
    [
      'a current-context that is a number',
      kubeconfig({ top: { 'current-context': 42 } }),
      /^kubeconfig: current-context must be a string/,
    ],
    [
      'a context name that is a list',
      stringify({
        clusters: [{ name: 'c', cluster: {} }],
        users: [{ name: 'u', user: {} }],
        contexts: [{ name: ['x'], context: {} }],
      }),
      /^context: the kubeconfig has 0 contexts/,
    ],
    [
      'an unknown top-level field',
      kubeconfig({ top: { 'proxy-url': 'http://evil:3128' } }),
      /^kubeconfig: \(top level\)\.proxy-url is not accepted/,
    ],
    [
      'an http server',
      kubeconfig({
        cluster: { server: 'http://prod-eu.k8s.example.com:8080' },
      }),
      /^kubeconfig: clusters\[0\]\.cluster\.server: http:\/\/prod-eu\.k8s\.example\.com:8080 uses http.*allowHttp/,
    ],
    [
      'a server that is not a URL',
      kubeconfig({ cluster: { server: 'prod-eu:6443' } }),
      /clusters\[0\]\.cluster\.server: .*(not a URL|must be an https URL)/,
    ],
    [
      'credentials in the server URL',
      kubeconfig({
        cluster: { server: 'https://admin:hunter2@prod-eu.k8s.example.com' },
      }),
      /carries credentials in the URL \(https:\/\/prod-eu\.k8s\.example\.com\)/,
    ],
    [
      'a server on loopback',
      kubeconfig({ cluster: { server: 'https://127.0.0.1:6443' } }),
      /127\.0\.0\.1 is a loopback, link-local, private or otherwise non-public address; allow it with fluxOrchestrator\.kubeconfig\.allowPrivateNetworks/,
    ],
    [
      'the cloud metadata address',
      kubeconfig({ cluster: { server: 'https://169.254.169.254' } }),
      /169\.254\.169\.254 is a loopback, link-local, private/,
    ],
    [
      'a private address',
      kubeconfig({ cluster: { server: 'https://10.1.2.3:6443' } }),
      /10\.1\.2\.3 is a loopback, link-local, private/,
    ],
    [
      'an IPv4-mapped IPv6 loopback',
      kubeconfig({ cluster: { server: 'https://[::ffff:127.0.0.1]:6443' } }),
      /is a loopback, link-local, private/,
    ],
    [
      'IPv6 loopback',
      kubeconfig({ cluster: { server: 'https://[::1]:6443' } }),
      /::1 is a loopback/,
    ],
    [
      'skipped TLS verification',
      kubeconfig({ cluster: { 'insecure-skip-tls-verify': true } }),
      /clusters\[0\]\.cluster\.insecure-skip-tls-verify is not accepted.*allowInsecure/,
    ],
    [
      'a CA that is not a certificate',
      kubeconfig({
        cluster: {
          'certificate-authority-data': Buffer.from('hello').toString('base64'),
        },
      }),
      /certificate-authority-data must be base64 of a PEM certificate/,
    ],
    [
      'a CA file on the backend host',
      kubeconfig({
        cluster: { 'certificate-authority': '/etc/kubernetes/pki/ca.crt' },
      }),
      /clusters\[0\]\.cluster\.certificate-authority is not accepted: it reads a file on the backend host; inline the CA as certificate-authority-data; accepted here: server, certificate-authority-data, tls-server-name/,
    ],
    [
      'a proxy',
      kubeconfig({ cluster: { 'proxy-url': 'http://proxy:3128' } }),
      /clusters\[0\]\.cluster\.proxy-url is not accepted/,
    ],
    [
      'a token file (dashed, as client-node reads it)',
      kubeconfig({ user: { token: '', 'token-file': '/proc/self/environ' } }),
      /users\[0\]\.user\.token-file is not accepted: it reads a file on the backend host; give the token itself as token; accepted here: token, client-certificate-data, client-key-data/,
    ],
    [
      'a token file (camel case)',
      kubeconfig({
        user: { token: undefined, tokenFile: '/var/run/secrets/token' },
      }),
      /users\[0\]\.user\.tokenFile is not accepted: it reads a file/,
    ],
    [
      'a client key file',
      kubeconfig({
        user: {
          token: undefined,
          'client-certificate-data': 'x',
          'client-key': '/etc/ssl/private/key.pem',
        },
      }),
      /users\[0\]\.user\.client-key is not accepted: it reads a file on the backend host; inline it as client-key-data/,
    ],
    [
      'a client certificate file',
      kubeconfig({
        user: { token: undefined, 'client-certificate': '/etc/ssl/cert.pem' },
      }),
      /users\[0\]\.user\.client-certificate is not accepted/,
    ],
    [
      'an exec plugin',
      kubeconfig({
        user: {
          token: undefined,
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: 'aws',
          },
        },
      }),
      /users\[0\]\.user\.exec is not accepted: an exec plugin runs a program on the backend host/,
    ],
    [
      'an auth-provider',
      kubeconfig({
        user: { token: undefined, 'auth-provider': { name: 'gcp' } },
      }),
      /users\[0\]\.user\.auth-provider is not accepted/,
    ],
    [
      'basic authentication',
      kubeconfig({
        user: { token: undefined, username: 'admin', password: 'hunter2' },
      }),
      /users\[0\]\.user\.(username|password) is not accepted: basic authentication is not supported/,
    ],
    [
      'impersonation',
      kubeconfig({ user: { as: 'system:admin' } }),
      /users\[0\]\.user\.as is not accepted: impersonation is not supported/,
    ],
    [
      'impersonated groups',
      kubeconfig({ user: { 'as-groups': ['system:masters'] } }),
      /users\[0\]\.user\.as-groups is not accepted/,
    ],
    [
      'an empty token',
      kubeconfig({ user: { token: '' } }),
      /users\[0\]\.user\.token is empty/,
    ],
    [
      'a token with a line break inside',
      kubeconfig({ user: { token: 'abc\ndef' } }),
      /users\[0\]\.user\.token contains spaces or characters that cannot be sent in an HTTP header/,
    ],
    [
      'a token that is a number',
      kubeconfig({ user: { token: 12345 } }),
      /users\[0\]\.user\.token must be a string/,
    ],
    [
      'a user without credentials',
      kubeconfig({ user: { token: undefined } }),
      /users\[0\]\.user has no credentials/,
    ],
    [
      'a token and a client certificate at once',
      kubeconfig({
        user: { 'client-certificate-data': 'x', 'client-key-data': 'y' },
      }),
      /gives more than one kind of credentials/,
    ],
    [
      'an unknown field in the context',
      kubeconfig({ context: { 'proxy-url': 'x' } }),
      /contexts\[0\]\.context\.proxy-url is not accepted; accepted here: cluster, user, namespace|contexts\[0\]\.context\.proxy-url is not accepted/,
    ],
    [
      'a field beside the entry body',
      stringify({
        clusters: [
          { name: 'c', cluster: { server: 'https://a.example.com' }, exec: {} },
        ],
        users: [{ name: 'u', user: { token: 't' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      }),
      /clusters\[0\]\.exec is not accepted/,
    ],
    [
      'two users of the used name',
      kubeconfig({
        extraUsers: [{ name: 'flux-console', user: { token: 'other' } }],
      }),
      /users\[0\] and users\[1\] are both called "flux-console"/,
    ],
  ])('refuses %s, naming the field', (_case, text, expected) => {
    expect(refusal(text as string)).toMatch(expected as RegExp);
  });

  it.each([
    [
      'a merge key in the used user',
      head('    <<: {exec: {command: /bin/sh, apiVersion: v1}}\n    token: t'),
      /uses a YAML merge key \(<<\) \(line 10, column 5\)/,
    ],
    [
      'an anchor and alias',
      head('    token: &t abc\n    x: *t'),
      /uses a YAML (alias|anchor)/,
    ],
    [
      'an alias bomb',
      'a: &a ["x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c]\n',
      /uses a YAML (alias|anchor)/,
    ],
    [
      'a merge key in an unused user',
      `${head('    token: t')}`.replace(
        'contexts:',
        '- name: other\n  user:\n    <<: {exec: {command: /bin/sh}}\ncontexts:',
      ),
      /uses a YAML merge key/,
    ],
    [
      'an explicit tag',
      head('    token: !!binary dGVzdA=='),
      /uses the YAML tag/,
    ],
    [
      'a duplicated key',
      head('    token: a\n    token: b'),
      /has the key "token" twice in one mapping/,
    ],
    [
      'a non-string key',
      head('    ? [a, b]\n    : c'),
      /has a key that is not a string/,
    ],
  ])('refuses %s before reading any field', (_case, text, expected) => {
    expect(refusal(text as string)).toMatch(expected as RegExp);
  });

  // Linear, not merely fast: four times the keys may take at most about four times as long (a quadratic walk
  // takes sixteen). The fastest of three runs of each size, so that a busy machine does not decide.
  it.each([
    [
      'refuses a duplicated key among',
      (keys: string) => `${keys}\n    k0: again`,
      /has the key "k0" twice/,
    ],
    [
      'refuses the first unknown field of',
      (keys: string) => keys,
      /users\[0\]\.user\.k0 is not accepted/,
    ],
  ])('%s tens of thousands of keys in linear time', (_case, text, expected) => {
    const fastest = (keyCount: number) => {
      const kubeconfigText = head(
        text(
          Array.from({ length: keyCount }, (_, i) => `    k${i}: value`).join(
            '\n',
          ),
        ),
      );
      let best = Infinity;
      for (let run = 0; run < 3; run++) {
        const started = performance.now();
        expect(refusal(kubeconfigText)).toMatch(expected);
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    const small = fastest(5_000);
    const large = fastest(20_000);
    expect(large / Math.max(small, 1)).toBeLessThan(8);
  });

  it('keeps Unicode names intact and refuses Unicode look-alikes of field names', () => {
    expect(refusal(kubeconfig({ user: { tоken: 'x' } }))).toMatch(
      /users\[0\]\.user\.tоken is not accepted/,
    );
    expect(refusal(kubeconfig(), 'prod-ëu')).toMatch(
      /^context: "prod-ëu" is not in the kubeconfig/,
    );
  });

  it('never puts the token into an error message', () => {
    const message = refusal(
      kubeconfig({ cluster: { server: 'http://prod-eu.k8s.example.com' } }),
    );
    expect(message).not.toContain('secret');
  });

  it('accepts http, private addresses and skipped TLS only when config allows them', () => {
    const lax: ClusterPolicy = {
      ...STRICT_CLUSTER_POLICY,
      allowHttp: true,
      allowInsecure: true,
      allowPrivateNetworks: ['10.0.0.0/8'],
    };
    const parsed = parse(
      kubeconfig({
        cluster: {
          server: 'http://10.0.0.1:8080',
          'insecure-skip-tls-verify': true,
        },
      }),
      undefined,
      lax,
    );
    expect(parsed.connection).toMatchObject({
      server: 'http://10.0.0.1:8080',
      skipTLSVerify: true,
    });
    expect(
      refusal(
        kubeconfig({ cluster: { server: 'https://192.168.1.1' } }),
        undefined,
        lax,
      ),
    ).toMatch(/192\.168\.1\.1 is a loopback/);
  });

  it('accepts an exec plugin only for an app-config file that opts in', () => {
    const text = kubeconfig({
      user: {
        token: undefined,
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: 'aws',
          args: ['eks', 'get-token'],
        },
      },
    });
    expect(refusal(text)).toMatch(/exec is not accepted/);
    expect(
      parse(text, undefined, STRICT_CLUSTER_POLICY, { allowExec: true })
        .connection.credentials,
    ).toEqual({
      type: 'exec',
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: 'aws',
        args: ['eks', 'get-token'],
        env: [],
        provideClusterInfo: undefined,
      },
    });
  });

  it('checks the server against the allow-list, with * matching one host label', () => {
    const policy = {
      ...STRICT_CLUSTER_POLICY,
      allowedServers: ['https://*.k8s.example.com:6443'],
    };
    expect(parse(kubeconfig(), undefined, policy).connection.server).toBe(
      'https://prod-eu.k8s.example.com:6443',
    );
    expect(
      refusal(
        kubeconfig({ cluster: { server: 'https://evil.example.org:6443' } }),
        undefined,
        policy,
      ),
    ).toMatch(
      /https:\/\/evil\.example\.org:6443 is not allowed \(fluxOrchestrator\.kubeconfig\.allowedServers/,
    );
    expect(
      refusal(
        kubeconfig({ cluster: { server: 'https://a.b.k8s.example.com:6443' } }),
        undefined,
        policy,
      ),
    ).toMatch(/not allowed/);
  });

  it('lets a server named in allowedServers use a private address', () => {
    const policy = {
      ...STRICT_CLUSTER_POLICY,
      allowedServers: ['https://10.0.0.1:6443'],
    };
    expect(
      parse(
        kubeconfig({ cluster: { server: 'https://10.0.0.1:6443' } }),
        undefined,
        policy,
      ).connection.server,
    ).toBe('https://10.0.0.1:6443');
    expect(
      strictPolicy.network.refusal('https://10.0.0.1:6443', '10.0.0.1'),
    ).toMatch(/non-public/);
  });
});

describe('listKubeconfigContexts', () => {
  it('lists every context with its cluster, user, server and which one is current', () => {
    const text = kubeconfig({
      extraContexts: [
        { name: 'other', context: { cluster: 'gone', user: 'flux-console' } },
      ],
    });
    expect(listKubeconfigContexts(text)).toEqual([
      {
        name: 'prod-eu',
        cluster: 'prod-eu',
        user: 'flux-console',
        server: 'https://prod-eu.k8s.example.com:6443',
        current: true,
      },
      {
        name: 'other',
        cluster: 'gone',
        user: 'flux-console',
        server: undefined,
        current: false,
      },
    ]);
  });

  it('parses as strictly as registration does', () => {
    expect(() => listKubeconfigContexts(head('    <<: {token: t}'))).toThrow(
      /merge key/,
    );
  });
});
