import { execFile } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import http from 'http';
import { AddressInfo } from 'net';
import path from 'path';
import { promisify } from 'util';

const run = promisify(execFile);

const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

/** An OCI registry that serves pulls (the read side of the distribution API), as an OCIRepository takes it. */
export interface OciRegistry {
  /** `oci://127.0.0.1:<port>`: a repository's URL is this and its name. */
  url: string;
  /**
   * Pushes `files` as a Flux artifact (one gzipped tar layer, as `flux push artifact` makes it) to
   * `repository:tag`, with `revision` as its source revision; returns the manifest's digest.
   */
  push(
    repository: string,
    tag: string,
    files: Record<string, string>,
    revision: string,
  ): Promise<string>;
  close(): Promise<void>;
}

const digestOf = (content: Buffer) =>
  `sha256:${crypto.createHash('sha256').update(content).digest('hex')}`;

/** A registry on a loopback port, over plain HTTP (an OCIRepository with `insecure: true`), blobs in memory. */
export async function startOciRegistry(dir: string): Promise<OciRegistry> {
  const blobs = new Map<string, Buffer>();
  // repository → tag or digest → manifest digest
  const references = new Map<string, Map<string, string>>();

  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (pathname === '/v2/') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    // /v2/<repository>/manifests/<reference> or /v2/<repository>/blobs/<digest>; names by the spec's grammar.
    const match =
      /^\/v2\/([a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)\/(manifests|blobs)\/([\w.:-]+)$/.exec(
        pathname,
      );
    const digest =
      match &&
      (match[2] === 'blobs'
        ? match[3]
        : references.get(match[1])?.get(match[3]));
    const content = digest ? blobs.get(digest) : undefined;
    if (!match || !digest || !content) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          errors: [
            {
              code:
                match?.[2] === 'blobs' ? 'BLOB_UNKNOWN' : 'MANIFEST_UNKNOWN',
              message: 'not found',
            },
          ],
        }),
      );
      return;
    }
    res.writeHead(200, {
      'content-type':
        match[2] === 'manifests' ? MANIFEST_TYPE : 'application/octet-stream',
      'content-length': content.length,
      'docker-content-digest': digest,
    });
    res.end(req.method === 'HEAD' ? undefined : content);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  const store = (content: Buffer) => {
    const digest = digestOf(content);
    blobs.set(digest, content);
    return { digest, size: content.length };
  };

  return {
    url: `oci://${host}`,
    async push(repository, tag, files, revision) {
      const staging = fs.mkdtempSync(path.join(dir, 'artifact-'));
      try {
        for (const [file, text] of Object.entries(files)) {
          fs.mkdirSync(path.dirname(path.join(staging, file)), {
            recursive: true,
          });
          fs.writeFileSync(path.join(staging, file), text);
        }
        const archive = `${staging}.tgz`;
        await run('tar', ['-czf', archive, '-C', staging, '.']);
        const layer = fs.readFileSync(archive);
        fs.rmSync(archive);
        const manifest = Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: MANIFEST_TYPE,
            config: {
              mediaType: 'application/vnd.cncf.flux.config.v1+json',
              ...store(Buffer.from('{}')),
            },
            layers: [
              {
                mediaType: 'application/vnd.cncf.flux.content.v1.tar+gzip',
                ...store(layer),
              },
            ],
            annotations: {
              'org.opencontainers.image.created': new Date().toISOString(),
              'org.opencontainers.image.source': `oci://${host}/${repository}`,
              'org.opencontainers.image.revision': revision,
            },
          }),
        );
        const { digest } = store(manifest);
        const tags = references.get(repository) ?? new Map<string, string>();
        tags.set(tag, digest).set(digest, digest);
        references.set(repository, tags);
        return digest;
      } finally {
        fs.rmSync(staging, { recursive: true, force: true });
      }
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
