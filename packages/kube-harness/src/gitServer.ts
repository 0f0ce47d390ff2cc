import { execFile, spawn } from 'child_process';
import fs from 'fs';
import http from 'http';
import { AddressInfo } from 'net';
import path from 'path';
import { promisify } from 'util';

const run = promisify(execFile);

/** A Git repository served over HTTP, and a working copy of it to commit from. */
export interface GitRepository {
  /** Clone URL, as a GitRepository's `spec.url` takes it. */
  url: string;
  /** Replaces the files under `files` (paths relative to the repository root) and commits; returns the commit. */
  commit(
    message: string,
    files: Record<string, string | null>,
  ): Promise<string>;
  /** The commit the branch points at. */
  head(): Promise<string>;
  /** A file of the branch's last commit. */
  read(file: string): string;
  /** The working copy (a clone whose `origin` is the served repository): commit there and push to change it. */
  workTree: string;
}

export interface GitServer {
  /** Creates a bare repository `name` with one branch, `main`, and a first commit of `files`. */
  createRepository(
    name: string,
    files: Record<string, string>,
  ): Promise<GitRepository>;
  url: string;
  close(): Promise<void>;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'kube-harness',
  GIT_AUTHOR_EMAIL: 'kube-harness@example.com',
  GIT_COMMITTER_NAME: 'kube-harness',
  GIT_COMMITTER_EMAIL: 'kube-harness@example.com',
  // Neither the user's nor the machine's Git configuration changes what the harness commits.
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    env: { ...process.env, ...GIT_ENV },
  });
  return stdout.trim();
}

/**
 * Answers one request with `git http-backend` (Git's own smart-HTTP server, run as CGI), so that clients fetch
 * with the protocol a Git forge speaks, version 2 included.
 */
function serveWithHttpBackend(
  root: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let pathInfo: string;
  try {
    pathInfo = decodeURIComponent(url.pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const child = spawn('git', ['http-backend'], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      REQUEST_METHOD: req.method ?? 'GET',
      PATH_INFO: pathInfo,
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      REMOTE_ADDR: req.socket.remoteAddress ?? '',
      ...GIT_ENV,
    },
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
  });
  child.stdout.on('end', () => res.end());
  child.on('error', error => {
    if (!res.headersSent) res.writeHead(500);
    res.end(String(error));
  });
}

/** A Git server on a loopback port, with its repositories under `dir`. */
export async function startGitServer(dir: string): Promise<GitServer> {
  const root = path.join(dir, 'repositories');
  fs.mkdirSync(root, { recursive: true });
  const server = http.createServer((req, res) =>
    serveWithHttpBackend(root, req, res),
  );
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    async createRepository(name, files) {
      const bare = path.join(root, `${name}.git`);
      const work = path.join(dir, 'work', name);
      fs.mkdirSync(work, { recursive: true });
      await git(
        root,
        'init',
        '--quiet',
        '--bare',
        '--initial-branch=main',
        bare,
      );
      await git(work, 'init', '--quiet', '--initial-branch=main');
      await git(work, 'remote', 'add', 'origin', bare);
      const repository: GitRepository = {
        url: `${base}/${name}.git`,
        async commit(message, changes) {
          for (const [file, content] of Object.entries(changes)) {
            const target = path.join(work, file);
            if (content === null) {
              fs.rmSync(target, { force: true });
            } else {
              fs.mkdirSync(path.dirname(target), { recursive: true });
              fs.writeFileSync(target, content);
            }
          }
          await git(work, 'add', '--all');
          await git(work, 'commit', '--quiet', '--allow-empty', '-m', message);
          // With the upstream set, a plain `git push` in the working copy works too (the demo steps in docs/contributing.md).
          await git(
            work,
            'push',
            '--quiet',
            '--set-upstream',
            'origin',
            'main',
          );
          return git(work, 'rev-parse', 'HEAD');
        },
        head: () => git(work, 'rev-parse', 'HEAD'),
        read: file => fs.readFileSync(path.join(work, file), 'utf8'),
        workTree: work,
      };
      await repository.commit('Initial commit', files);
      return repository;
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
