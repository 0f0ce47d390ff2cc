import { execFileSync } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { OciRegistry, startOciRegistry } from './ociRegistry';

describe('the harness OCI registry', () => {
  let dir: string;
  let registry: OciRegistry;
  let base: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oci-registry-'));
    registry = await startOciRegistry(dir);
    base = registry.url.replace('oci://', 'http://');
  });

  afterAll(async () => {
    await registry.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const sha256 = (content: Buffer) =>
    `sha256:${crypto.createHash('sha256').update(content).digest('hex')}`;

  it('serves a pushed artifact by tag and by digest, each blob under its own digest', async () => {
    const digest = await registry.push(
      'platform/manifests',
      'latest',
      { 'apps/a.yaml': 'kind: ConfigMap\n' },
      'main@sha1:abc',
    );
    const byTag = await fetch(`${base}/v2/platform/manifests/manifests/latest`);
    expect(byTag.status).toBe(200);
    expect(byTag.headers.get('content-type')).toBe(
      'application/vnd.oci.image.manifest.v1+json',
    );
    expect(byTag.headers.get('docker-content-digest')).toBe(digest);
    const manifestBytes = Buffer.from(await byTag.arrayBuffer());
    expect(sha256(manifestBytes)).toBe(digest);
    const manifest = JSON.parse(manifestBytes.toString());
    expect(manifest.annotations['org.opencontainers.image.revision']).toBe(
      'main@sha1:abc',
    );

    const byDigest = await fetch(
      `${base}/v2/platform/manifests/manifests/${digest}`,
    );
    expect(
      Buffer.from(await byDigest.arrayBuffer()).equals(manifestBytes),
    ).toBe(true);

    const [layer] = manifest.layers;
    const blob = Buffer.from(
      await (
        await fetch(`${base}/v2/platform/manifests/blobs/${layer.digest}`)
      ).arrayBuffer(),
    );
    expect(sha256(blob)).toBe(layer.digest);
    expect(blob.length).toBe(layer.size);
    const archive = path.join(dir, 'layer.tgz');
    fs.writeFileSync(archive, blob);
    expect(execFileSync('tar', ['-tzf', archive]).toString()).toContain(
      'apps/a.yaml',
    );
  });

  it('answers HEAD with the digest and no body, as clients resolve a tag', async () => {
    const res = await fetch(`${base}/v2/platform/manifests/manifests/latest`, {
      method: 'HEAD',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-content-digest')).toMatch(
      /^sha256:[0-9a-f]{64}$/,
    );
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it.each([
    ['an unknown tag', '/v2/platform/manifests/manifests/v9', 404],
    ['an unknown repository', '/v2/other/manifests/latest', 404],
    ['a path outside the API', '/v2/platform/../../etc/passwd', 404],
    [
      'an unknown blob',
      `/v2/platform/manifests/blobs/sha256:${'0'.repeat(64)}`,
      404,
    ],
  ])('refuses %s', async (_case, route, status) => {
    expect((await fetch(`${base}${route}`)).status).toBe(status);
  });

  it('takes no pushes over HTTP', async () => {
    expect(
      (
        await fetch(`${base}/v2/platform/manifests/manifests/latest`, {
          method: 'PUT',
          body: '{}',
        })
      ).status,
    ).toBe(405);
  });
});
