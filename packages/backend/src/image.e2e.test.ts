import { ChildProcess, execFile, spawn } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import knexFactory from 'knex';
import net from 'net';
import os from 'os';
import path from 'path';
import { promisify } from 'util';

// The image of packages/backend/Dockerfile, built and started without Docker (which this machine lacks): the
// host build it copies from, every path it copies, its steps (unpack the skeleton, install the production
// dependencies, unpack the bundle) in a folder of their own, and its command against the real PostgreSQL.
jest.setTimeout(900_000);

const execFileAsync = promisify(execFile);

/** Runs a command to its end; a failure carries the end of what it printed. */
async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
) {
  try {
    await execFileAsync(command, args, { ...options, maxBuffer: 1 << 26 });
  } catch (error: any) {
    throw new Error(
      `${command} ${args.join(
        ' ',
      )} failed: ${`${error.stdout}${error.stderr}`.slice(-3000)}`,
    );
  }
}
const REPO = path.resolve(require.resolve('app/package.json'), '../../..');
const POSTGRES =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

/** The Dockerfile's COPY sources (relative to the repository) and destinations, and its CMD. */
function readDockerfile() {
  const text = fs
    .readFileSync(path.join(REPO, 'packages/backend/Dockerfile'), 'utf8')
    .replace(/\\\n/g, ' ');
  const copies = text
    .split('\n')
    .filter(line => line.startsWith('COPY '))
    .map(line => {
      const words = line
        .split(/\s+/)
        .slice(1)
        .filter(w => !w.startsWith('--'));
      return {
        sources: words.slice(0, -1),
        destination: words[words.length - 1],
      };
    });
  const cmd = JSON.parse(/^CMD (.*)$/m.exec(text)![1]) as string[];
  return { copies, cmd };
}

async function freePort(): Promise<number> {
  return new Promise(resolve => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('the backend image, built and started as packages/backend/Dockerfile does', () => {
  let image: string;
  let backend: ChildProcess | undefined;
  const prefix = `image_${crypto.randomBytes(4).toString('hex')}_`;

  beforeAll(async () => {
    if (!POSTGRES)
      throw new Error(
        'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING must point at PostgreSQL',
      );
    image = fs.mkdtempSync(path.join(os.tmpdir(), 'backend-image-'));
  });

  afterAll(async () => {
    backend?.kill('SIGKILL');
    if (image) fs.rmSync(image, { recursive: true, force: true });
    const db = knexFactory({ client: 'pg', connection: POSTGRES });
    const { rows } = await db.raw(
      'select datname from pg_database where datname like ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows)
      await db.raw('drop database if exists ??', [datname]);
    await db.destroy();
  });

  it('builds from the host build, copies only paths that exist, installs, and serves the portal', async () => {
    // The host build the Dockerfile's header names: the bundle, with the frontend the app backend serves.
    // (NODE_ENV as a shell has it: Jest's "test" has no browserslist entry, which the app build reads.)
    await run('yarn', ['build:backend'], {
      cwd: REPO,
      env: { ...process.env, NODE_ENV: 'production' },
    });

    const { copies, cmd } = readDockerfile();
    const missing = copies
      .flatMap(c => c.sources)
      .filter(source => !fs.existsSync(path.join(REPO, source)));
    expect(missing).toEqual([]);
    for (const { sources, destination } of copies) {
      for (const source of sources) {
        // Into a folder when the destination ends with a slash, as Docker copies; to that path otherwise.
        const target = destination.endsWith('/')
          ? path.join(image, destination, path.basename(source))
          : path.join(image, destination);
        fs.cpSync(path.join(REPO, source), target, { recursive: true });
      }
    }
    await run('tar', ['xzf', 'skeleton.tar.gz'], { cwd: image });
    // Native modules (better-sqlite3) compile against the Node headers that scripts/toolchain.sh points
    // npm_config_nodedir at, as the node image's own headers serve the Dockerfile.
    await run('yarn', ['workspaces', 'focus', '--all', '--production'], {
      cwd: image,
      env: { ...process.env, NODE_ENV: 'production' },
    });
    await run('tar', ['xzf', 'bundle.tar.gz'], { cwd: image });

    const database = new URL(POSTGRES!);
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const log = path.join(image, 'backend.log');
    backend = spawn(
      cmd[0] === 'node' ? process.execPath : cmd[0],
      cmd.slice(1),
      {
        cwd: image,
        stdio: ['ignore', fs.openSync(log, 'w'), fs.openSync(log, 'a')],
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          APP_BASE_URL: url,
          BACKEND_BASE_URL: url,
          POSTGRES_HOST: database.hostname,
          POSTGRES_PORT: database.port || '5432',
          POSTGRES_USER: decodeURIComponent(database.username),
          POSTGRES_PASSWORD: decodeURIComponent(database.password),
          FLUX_ORCHESTRATOR_ENCRYPTION_KEY: crypto
            .randomBytes(32)
            .toString('base64'),
          // Config from the environment, as a deployment overrides it: a free port, and databases of this test.
          APP_CONFIG_backend_listen_port: String(port),
          APP_CONFIG_backend_database_prefix: prefix,
        },
      },
    );

    const deadline = Date.now() + 180_000;
    let ready = false;
    while (!ready && Date.now() < deadline && backend.exitCode === null) {
      ready = await fetch(`${url}/.backstage/health/v1/readiness`).then(
        r => r.ok,
        () => false,
      );
      if (!ready) await new Promise(r => setTimeout(r, 1000));
    }
    expect({
      ready,
      log: ready ? '' : fs.readFileSync(log, 'utf8').slice(-3000),
    }).toEqual({ ready: true, log: '' });

    // The frontend, served by the app backend from the bundled build.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="root">/);
    // The plugin's routes, guarded: no credentials, no answer.
    const clusters = await fetch(`${url}/api/flux-orchestrator/clusters`);
    expect(clusters.status).toBe(401);
    // Its tables, migrated in the production database.
    const db = knexFactory({
      client: 'pg',
      connection: `${POSTGRES}/${prefix}flux-orchestrator`,
    });
    try {
      expect(await db.schema.hasTable('clusters')).toBe(true);
    } finally {
      await db.destroy();
    }
  });
});
