import {
  Fleet,
  freePort,
  seedFluxObjects,
  startFleet,
} from '@internal/kube-harness';
import { ChildProcess, spawn } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import knexFactory, { Knex } from 'knex';
import os from 'os';
import path from 'path';
import { parseAllDocuments } from 'yaml';

// Two replicas of this backend on one PostgreSQL, one real API server: each cluster is watched by one replica
// at a time; after `kill -9` of that replica the other takes the cluster over within the stated bound and
// misses nothing; "Sync now" asked of both at once never runs two syncs of the cluster side by side; a run
// left "running" by a stopped backend is closed.
jest.setTimeout(400_000);

const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';
const LEASE_SECONDS = 20;
/** The stated bound: the lease expires (lease + 15 s), the scheduler's janitor frees it (every 60 s), a worker claims it. */
const TAKEOVER_BOUND_MS = (LEASE_SECONDS + 15 + 60 + 10) * 1000;

interface Replica {
  name: string;
  url: string;
  child: ChildProcess;
  log: string;
}

function startReplica(
  name: string,
  port: number,
  configFile: string,
  workDir: string,
): Replica {
  const log = path.join(workDir, `${name}.log`);
  const out = fs.openSync(log, 'a');
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      path.resolve(__dirname, '../../../app-config.yaml'),
      '--config',
      configFile,
    ],
    // NODE_ENV=development, as a deployed backend: under "test" the scheduler's janitor does not run.
    {
      cwd: path.resolve(__dirname, '..'),
      stdio: ['ignore', out, out],
      env: { ...process.env, NODE_ENV: 'development', PORT: String(port) },
    },
  );
  fs.closeSync(out);
  return { name, url: `http://localhost:${port}`, child, log };
}

async function until<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs: number,
  replicas: Replica[] = [],
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const logs = replicas
        .map(
          r =>
            `--- ${r.name}\n${fs
              .readFileSync(r.log, 'utf8')
              .split('\n')
              .slice(-15)
              .join('\n')}`,
        )
        .join('\n');
      throw new Error(
        `gave up waiting for ${what}${last ? ` (${last})` : ''}\n${logs}`,
      );
    }
    await new Promise(r => setTimeout(r, 250));
  }
}

describe('two backend replicas on one PostgreSQL', () => {
  let fleet: Fleet;
  let workDir: string;
  let replicas: Replica[] = [];
  let db: Knex;
  const prefix = `flux_replicas_${crypto.randomBytes(4).toString('hex')}_`;

  async function token(replica: Replica) {
    const res = await fetch(
      `${replica.url}/api/auth/guest/refresh?env=development`,
      { headers: { 'x-requested-with': 'XMLHttpRequest' } },
    );
    if (!res.ok) throw new Error(`guest sign-in: ${res.status}`);
    return ((await res.json()) as { backstageIdentity: { token: string } })
      .backstageIdentity.token;
  }

  async function api<T>(
    replica: Replica,
    route: string,
    method = 'GET',
  ): Promise<T> {
    const res = await fetch(`${replica.url}/api/flux-orchestrator${route}`, {
      method,
      headers: { authorization: `Bearer ${await token(replica)}` },
    });
    if (!res.ok)
      throw new Error(
        `${method} ${route} on ${replica.name}: ${
          res.status
        } ${await res.text()}`,
      );
    return (await res.json()) as T;
  }

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: [{ name: 'live', generation: 'current' }],
    });
    const [cluster] = fleet.clusters;
    await seedFluxObjects(cluster.adminKubeconfig, 'current');
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-replicas-'));
    const ports = [await freePort(), await freePort()];
    const configs = ports.map((port, i) => {
      const configFile = path.join(workDir, `replica-${i}.yaml`);
      fs.writeFileSync(
        configFile,
        JSON.stringify({
          app: { baseUrl: `http://localhost:${port}` },
          backend: {
            baseUrl: `http://localhost:${port}`,
            listen: { port },
            cors: { origin: `http://localhost:${port}` },
            database: { client: 'pg', connection: POSTGRES, prefix },
          },
          fluxOrchestrator: {
            encryption: { key: Buffer.alloc(32, 5).toString('base64') },
            sync: {
              watchLease: `${LEASE_SECONDS}s`,
              initialDelay: '1s',
              frequency: '30m',
            },
            clusters: [
              {
                name: 'live',
                url: cluster.server,
                caData: cluster.caPem,
                serviceAccountToken: cluster.tokens.operator,
              },
            ],
          },
        }),
      );
      return configFile;
    });
    // One after the other, as a rolling deploy starts them: Backstage's own plugins (auth, catalog) do not
    // share a first migration of an empty database between replicas that start at the same instant.
    replicas = [startReplica('replica-0', ports[0], configs[0], workDir)];
    await until(
      async () =>
        (
          await api<{ totals: { total: number } }>(replicas[0], '/summary')
        ).totals.total > 0,
      'the first data',
      180_000,
      replicas,
    );
    replicas.push(startReplica('replica-1', ports[1], configs[1], workDir));
    await until(
      async () =>
        (
          await api<{ totals: { total: number } }>(replicas[1], '/summary')
        ).totals.total > 0,
      'the second replica',
      180_000,
      replicas,
    );
    db = knexFactory({
      client: 'pg',
      connection: `${POSTGRES}/${prefix}flux-orchestrator`,
    });
  });

  afterAll(async () => {
    for (const replica of replicas) replica.child.kill('SIGKILL');
    await db?.destroy();
    await fleet?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  const feedOf = async (replica: Replica) =>
    (
      await api<{ health: { feed: { mode: string; watchedBy?: string } } }>(
        replica,
        '/clusters/live',
      )
    ).health.feed;
  const pidOf = (watchedBy?: string) => Number(watchedBy?.split(':').pop());

  it("answers the probes of deploy/portal's Deployment on Backstage's health endpoints", async () => {
    const manifest = fs.readFileSync(
      path.resolve(__dirname, '../../../deploy/portal/backend.yaml'),
      'utf8',
    );
    const container = parseAllDocuments(manifest)
      .map(d => d.toJS())
      .find(o => o?.kind === 'Deployment').spec.template.spec.containers[0];
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      const res = await fetch(`${replicas[0].url}${probe.httpGet.path}`);
      expect(`${probe.httpGet.path}: ${res.status}`).toBe(
        `${probe.httpGet.path}: 200`,
      );
    }
  });

  it('runs "Sync now" asked of both replicas at once as one sync at a time', async () => {
    const [a, b] = await Promise.all([
      api<{
        id: number;
        status: string;
        startedAt: string;
        finishedAt: string;
      }>(replicas[0], '/clusters/live/sync', 'POST'),
      api<{
        id: number;
        status: string;
        startedAt: string;
        finishedAt: string;
      }>(replicas[1], '/clusters/live/sync', 'POST'),
    ]);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    // One run served both, or the second started after the first had finished.
    const [first, second] = [a, b].sort((x, y) => x.id - y.id);
    expect(
      first.id === second.id ||
        Date.parse(second.startedAt) >= Date.parse(first.finishedAt),
    ).toBe(true);
    const runs = await db('sync_runs').where({ cluster: 'live' }).orderBy('id');
    for (let i = 1; i < runs.length; i++) {
      expect(new Date(runs[i].started_at).getTime()).toBeGreaterThanOrEqual(
        new Date(runs[i - 1].finished_at).getTime(),
      );
    }
  });

  it('is watched by one replica, and by the other within the bound after kill -9, missing nothing', async () => {
    const feed = await until(
      async () => {
        const f = await feedOf(replicas[0]);
        return f.mode === 'live' && Boolean(f.watchedBy) && f;
      },
      'a live feed',
      120_000,
      replicas,
    );
    const holder = replicas.find(r => r.child.pid === pidOf(feed.watchedBy))!;
    const survivor = replicas.find(r => r !== holder)!;
    expect(holder).toBeDefined();

    // A run that a stopped backend would leave behind; some replica closes it within a minute.
    const [orphan] = await db('sync_runs')
      .insert({
        cluster: 'live',
        trigger: 'schedule',
        status: 'running',
        started_at: new Date(Date.now() - 3_600_000),
      })
      .returning('id');

    const killedAt = Date.now();
    holder.child.kill('SIGKILL');
    const k8s = await import('@kubernetes/client-node');
    const admin = new k8s.KubeConfig();
    admin.loadFromString(fleet.clusters[0].adminKubeconfig);
    // Created while nobody watches: the next holder must resume from the stored position and see it.
    await admin
      .makeApiClient(k8s.CustomObjectsApi)
      .createNamespacedCustomObject({
        group: 'source.toolkit.fluxcd.io',
        version: 'v1',
        plural: 'gitrepositories',
        namespace: 'flux-system',
        body: {
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          kind: 'GitRepository',
          metadata: { name: 'during-failover', namespace: 'flux-system' },
          spec: {
            interval: '1m',
            url: 'https://git.example.com/failover.git',
            ref: { branch: 'main' },
          },
        },
      });
    await until(
      async () => {
        const f = await feedOf(survivor);
        return f.mode === 'live' && pidOf(f.watchedBy) === survivor.child.pid;
      },
      'the survivor to take the watches over',
      TAKEOVER_BOUND_MS,
      replicas,
    );
    const takeoverMs = Date.now() - killedAt;
    await until(
      () =>
        api(
          survivor,
          `/resources/${encodeURIComponent(
            'live:GitRepository:flux-system:during-failover',
          )}`,
        ),
      'the object created during the failover',
      10_000,
      replicas,
    );
    console.log(
      `replica takeover after kill -9: ${(takeoverMs / 1000).toFixed(
        1,
      )} s (bound ${TAKEOVER_BOUND_MS / 1000} s, lease ${LEASE_SECONDS} s)`,
    );

    const ids = await db('flux_resources')
      .where({ cluster: 'live' })
      .pluck('id');
    expect(new Set(ids).size).toBe(ids.length);
    await until(
      async () =>
        (await db('sync_runs').where({ id: orphan.id }).first()).status ===
        'interrupted',
      'the orphaned run to be closed',
      75_000,
      replicas,
    );
  });
});
