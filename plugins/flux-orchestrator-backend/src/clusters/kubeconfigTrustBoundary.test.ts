import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createClusterPki } from '@internal/kube-harness';
import fs from 'fs';
import https from 'https';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { DatabaseFluxStore } from '../database/DatabaseFluxStore';
import { loopbackPolicy } from '../__testUtils__/clusterPolicies';
import { ClusterAdmin } from './ClusterAdmin';
import { createRegistry } from '../__testUtils__/createRegistry';
import { CredentialCipher } from './CredentialCipher';

// The hostile suite, proven against the real client: every kubeconfig goes through registration (parser,
// connection check with the real transport, encrypted store) and a later client built from what was stored.
// A capture HTTPS server on loopback plays the cluster; a marker file shows whether any exec ran; a secret file
// shows whether any file of the backend host was read and sent or quoted.

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
jest.setTimeout(30_000);
const GOOD_TOKEN = 'good-service-account-token';

interface Captured {
  path: string;
  authorization?: string;
  headers: string;
}

describe('the kubeconfig trust boundary, against the real client', () => {
  let server: https.Server;
  let url = '';
  let caData: string;
  const captured: Captured[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-hostile-'));
  const marker = path.join(dir, 'exec-ran');
  const secretFile = path.join(dir, 'secret');
  const SECRET = 'FILE-SECRET-7f3a';
  fs.writeFileSync(secretFile, `${SECRET}\nDATABASE_PASSWORD=${SECRET}-2\n`);
  const execBlock = `exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: ["-c", "touch ${marker}; echo '{\\"kind\\":\\"ExecCredential\\",\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"status\\":{\\"token\\":\\"exec-token\\"}}'"]}`;

  beforeAll(async () => {
    const pki = await createClusterPki('capture');
    caData = Buffer.from(pki.servingCa.certPem).toString('base64');
    server = https.createServer(
      { cert: pki.serving.certPem, key: pki.serving.keyPem },
      (req, res) => {
        captured.push({
          path: req.url ?? '',
          authorization: req.headers.authorization,
          headers: JSON.stringify(req.headers),
        });
        if (req.url === '/redirect/version') {
          res
            .writeHead(302, {
              location: 'https://169.254.169.254/latest/meta-data',
            })
            .end();
        } else if (req.url === '/html/version') {
          res
            .writeHead(200, { 'content-type': 'text/html' })
            .end(`<html>internal admin page ${SECRET}</html>`);
        } else if (req.url === '/json-not-k8s/version') {
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ hello: SECRET }));
        } else if (req.url?.endsWith('/version')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              major: '1',
              minor: '36',
              gitVersion: 'v1.36.3',
            }),
          );
        } else {
          res
            .writeHead(404, { 'content-type': 'text/plain' })
            .end(`not here ${SECRET}`);
        }
      },
    );
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function setup() {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseFluxStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const logger = mockServices.logger.mock();
    const cipher = CredentialCipher.fromConfig(new ConfigReader({}), {
      ephemeralDatabase: true,
      onEphemeralKey: () => {},
    });
    const { registry, registered } = createRegistry({ store, logger, cipher });
    const admin = new ClusterAdmin({
      store,
      registered,
      ...loopbackPolicy,
      connectionTimeoutMs: 3000,
    });
    return { knex, store, registry, registered, cipher, admin, logger };
  }

  function kubeconfig(
    user: string,
    cluster = '',
    apiServer = url,
    extraUsers = '',
  ) {
    return `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: ${apiServer}
    certificate-authority-data: ${caData}
${cluster}
users:
- name: u
  user:
${user}
${extraUsers}
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
`;
  }

  const hostile: Array<[string, string]> = [
    [
      'a merge key bringing exec into the used user',
      kubeconfig(`    <<: {${execBlock}}\n    token: ""`),
    ],
    [
      'a merge key bringing token-file',
      kubeconfig(`    <<: {token-file: ${secretFile}}\n    token: ""`),
    ],
    [
      'an anchor shared between users',
      kubeconfig(
        `    token: &t ${GOOD_TOKEN}`,
        '',
        url,
        `- name: other\n  user: {token: *t}`,
      ),
    ],
    ['exec in the used user', kubeconfig(`    ${execBlock}`)],
    [
      'token-file with an empty token',
      kubeconfig(`    token: ""\n    token-file: ${secretFile}`),
    ],
    ['tokenFile', kubeconfig(`    tokenFile: ${secretFile}`)],
    [
      'a client key file',
      kubeconfig(
        `    client-certificate: ${secretFile}\n    client-key: ${secretFile}`,
      ),
    ],
    [
      'a CA file',
      kubeconfig(
        `    token: ${GOOD_TOKEN}`,
        `    certificate-authority: ${secretFile}`,
      ),
    ],
    [
      'a proxy',
      kubeconfig(
        `    token: ${GOOD_TOKEN}`,
        `    proxy-url: http://127.0.0.1:1`,
      ),
    ],
    [
      'skipped TLS verification',
      kubeconfig(
        `    token: ${GOOD_TOKEN}`,
        `    insecure-skip-tls-verify: true`,
      ),
    ],
    [
      'an auth-provider with a token file',
      kubeconfig(
        `    auth-provider: {name: oidc, config: {id-token-file: ${secretFile}}}`,
      ),
    ],
    [
      'impersonation',
      kubeconfig(`    token: ${GOOD_TOKEN}\n    as: system:admin`),
    ],
    [
      'basic authentication',
      kubeconfig(`    username: admin\n    password: ${SECRET}`),
    ],
    [
      'a token with a newline inside',
      kubeconfig(`    token: "abc\\n${SECRET}"`),
    ],
    [
      'a redirect to the metadata service',
      kubeconfig(`    token: ${GOOD_TOKEN}`, '', `${url}/redirect`),
    ],
    [
      'an HTML page that answers 200',
      kubeconfig(`    token: ${GOOD_TOKEN}`, '', `${url}/html`),
    ],
    [
      'JSON that is not a version object',
      kubeconfig(`    token: ${GOOD_TOKEN}`, '', `${url}/json-not-k8s`),
    ],
  ];

  it("keeps a cluster's client and its connection while the credentials stay, and replaces both when they change", async () => {
    const { admin, registry } = await setup();
    const connections: unknown[] = [];
    const onConnection = (socket: unknown) => connections.push(socket);
    server.on('secureConnection', onConnection);
    try {
      await admin.register({
        name: 'kept',
        kubeconfig: kubeconfig(`    token: ${GOOD_TOKEN}`),
      });
      const before = captured.length;
      const opened = connections.length;
      const first = await registry.getClient('kept');
      await first.getVersion();
      const again = await registry.getClient('kept');
      await again.getVersion();
      // One client, one TLS connection for both calls: a lease renewed each minute shakes hands once.
      expect(again).toBe(first);
      expect(connections.length - opened).toBe(1);

      await admin.update('kept', {
        kubeconfig: kubeconfig('    token: rotated-token'),
      });
      const rotated = await registry.getClient('kept');
      expect(rotated).not.toBe(first);
      await rotated.getVersion();
      expect(
        captured
          .slice(before)
          .map(r => r.authorization)
          .at(-1),
      ).toBe('Bearer rotated-token');
    } finally {
      server.off('secureConnection', onConnection);
    }
  });

  it.each(hostile)(
    'refuses %s: nothing runs, nothing is read, nothing is stored or quoted',
    async (_case, text) => {
      const { admin, store, logger } = await setup();
      const before = captured.length;
      const error = await admin
        .register({ name: 'hostile', kubeconfig: text })
        .then(
          () => undefined,
          e => e as Error,
        );
      expect(error?.name).toBe('InputError');
      expect(error?.message).not.toContain(SECRET);
      expect(await store.getCluster('hostile')).toBeUndefined();
      expect(fs.existsSync(marker)).toBe(false);
      for (const request of captured.slice(before)) {
        expect(request.headers).not.toContain(SECRET);
        expect(request.authorization).toBe(`Bearer ${GOOD_TOKEN}`);
        expect(request.path).not.toContain('latest/meta-data');
      }
      expect(
        JSON.stringify(
          logger.warn.mock.calls.concat(
            logger.error.mock.calls,
            logger.info.mock.calls,
          ),
        ),
      ).not.toContain(SECRET);
    },
  );

  it('registers a clean kubeconfig whose unused users carry exec and token-file, and never runs or reads them', async () => {
    const { admin, registry, knex } = await setup();
    const text = kubeconfig(
      `    token: "${GOOD_TOKEN}\\n"`,
      '',
      url,
      `- name: admin\n  user:\n    ${execBlock}\n    token-file: ${secretFile}`,
    );
    await admin.register({ name: 'clean', kubeconfig: text });
    const before = captured.length;
    // A later client, as every scheduled sync builds it, from the stored structure alone.
    const client = await registry.getClient('clean');
    expect(await client.getVersion()).toBe('v1.36.3');
    expect(captured.slice(before).map(r => r.authorization)).toEqual([
      `Bearer ${GOOD_TOKEN}`,
    ]);
    expect(fs.existsSync(marker)).toBe(false);
    const [row] = await knex('clusters').where({ name: 'clean' });
    expect(row.credentials).toMatch(/^v1:/);
    for (const leaked of [GOOD_TOKEN, SECRET, secretFile, '/bin/sh', 'admin']) {
      expect(JSON.stringify(row)).not.toContain(leaked);
    }
  });

  it('never connects to a host name that resolves to loopback unless config allows it', async () => {
    const { policy, network } = (
      await import('./readClusterPolicy')
    ).readClusterPolicy(new ConfigReader({}));
    const { FluxClusterClient } = await import(
      '../kubernetes/FluxClusterClient'
    );
    const before = captured.length;
    const client = await FluxClusterClient.create(
      {
        server: url.replace('127.0.0.1', 'localhost'),
        caData,
        credentials: { type: 'token', token: GOOD_TOKEN },
      },
      network,
    );
    await expect(client.getVersion()).rejects.toThrow(
      /localhost resolves to (127\.0\.0\.1|::1) is a loopback/,
    );
    expect(captured.length).toBe(before);
    expect(policy.allowPrivateNetworks).toBe(false);
  });

  it('re-validates a kubeconfig stored as text before the allow-list, and refuses a hostile one at start-up', async () => {
    const { store, registry, registered, cipher, knex, logger } = await setup();
    const legacyGood = cipher.encrypt(
      JSON.stringify({
        kubeconfig: kubeconfig(`    token: ${GOOD_TOKEN}`),
        context: 'x',
      }),
      'old-good',
    );
    const legacyBad = cipher.encrypt(
      JSON.stringify({
        kubeconfig: kubeconfig(`    <<: {${execBlock}}\n    token: ""`),
        context: 'x',
      }),
      'old-bad',
    );
    await store.insertCluster({
      name: 'old-good',
      title: 'old-good',
      source: 'api',
      server: url,
      credentials: legacyGood,
    });
    await store.insertCluster({
      name: 'old-bad',
      title: 'old-bad',
      source: 'api',
      server: url,
      credentials: legacyBad,
    });

    expect(await registered.reviewStoredCredentials(logger)).toEqual({
      rotated: 0,
      upgraded: 1,
      refused: 1,
    });

    const good = await knex('clusters').where({ name: 'old-good' }).first();
    expect(
      JSON.parse(cipher.decrypt(good.credentials, 'old-good')),
    ).toMatchObject({ format: 2, connection: { server: url } });
    expect((await store.getCluster('old-bad'))?.health).toMatchObject({
      status: 'unhealthy',
      error: expect.stringMatching(
        /before the allow-list was introduced is refused: kubeconfig: uses a YAML merge key/,
      ),
    });
    await expect(registry.getClient('old-bad')).rejects.toThrow(/merge key/);
    expect(fs.existsSync(marker)).toBe(false);
  });
});
