import fs from 'fs';
import https from 'https';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { MANAGED_CLUSTER_DIR } from './binaries';
import { kubeConfigFrom } from './clientNode';
import { Fleet, startFleet } from './fleet';

jest.setTimeout(120_000);

const DEPLOY_DIR = path.dirname(MANAGED_CLUSTER_DIR);

/** Every object of every manifest under deploy/, by file (kustomize's own file aside). */
function shippedManifests(): Array<{ file: string; objects: any[] }> {
  return fs
    .readdirSync(DEPLOY_DIR, { recursive: true, encoding: 'utf8' })
    .filter(
      file =>
        file.endsWith('.yaml') && path.basename(file) !== 'kustomization.yaml',
    )
    .sort()
    .map(file => ({
      file,
      objects: parseAllDocuments(
        fs.readFileSync(path.join(DEPLOY_DIR, file), 'utf8'),
      )
        .map(document => document.toJS())
        .filter(Boolean),
    }));
}

/**
 * A request to the API server with the admin's credentials, its body sent as written. (client-node's object API
 * serializes through its typed models, which drop unknown fields before the server could refuse them.)
 */
async function request(
  kubeconfig: string,
  method: string,
  route: string,
  body?: string,
  contentType?: string,
) {
  const kc = await kubeConfigFrom(kubeconfig);
  const options: https.RequestOptions = {
    method,
    headers: contentType ? { 'content-type': contentType } : {},
  };
  await kc.applyToHTTPSOptions(options);
  const url = new URL(route, kc.getCurrentCluster()!.server);
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = https.request(url, options, res => {
      let text = '';
      res.on('data', chunk => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Server-side apply of one object as a dry run with strict field validation, as `kubectl apply --server-side --dry-run=server` sends it. */
async function dryRunApply(kubeconfig: string, object: any) {
  const [group, version] = object.apiVersion.includes('/')
    ? object.apiVersion.split('/')
    : ['', object.apiVersion];
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const discovery = await request(kubeconfig, 'GET', base);
  const resource = discovery.body.resources?.find(
    (r: any) => r.kind === object.kind && !r.name.includes('/'),
  );
  if (!resource)
    return {
      status: 404,
      body: { message: `${object.apiVersion} ${object.kind} is not served` },
    };
  const namespace = resource.namespaced
    ? `/namespaces/${object.metadata.namespace ?? 'default'}`
    : '';
  const query =
    'dryRun=All&fieldManager=deploy-test&force=true&fieldValidation=Strict';
  return request(
    kubeconfig,
    'PATCH',
    `${base}${namespace}/${resource.name}/${object.metadata.name}?${query}`,
    JSON.stringify(object),
    'application/apply-patch+yaml',
  );
}

describe('the manifests under deploy/', () => {
  let fleet: Fleet;
  let admin: string;

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: [{ name: 'central', generation: 'current' }],
    });
    admin = fleet.clusters[0].adminKubeconfig;
  });

  afterAll(() => fleet?.stop());

  it('are each accepted by a real kube-apiserver in a server-side dry run, with strict field validation', async () => {
    const manifests = shippedManifests();
    expect(manifests.map(m => m.file)).toEqual(
      expect.arrayContaining([
        'managed-cluster/operator.yaml',
        'managed-cluster/read-only.yaml',
        'portal/backend.yaml',
      ]),
    );
    const all = manifests.flatMap(m =>
      m.objects.map(object => ({ file: m.file, object })),
    );
    // A dry run cannot place objects in a namespace that does not exist yet: the namespaces are created.
    for (const { object } of all.filter(o => o.object.kind === 'Namespace')) {
      await request(
        admin,
        'POST',
        '/api/v1/namespaces',
        JSON.stringify(object),
        'application/json',
      );
    }
    const refused: string[] = [];
    for (const { file, object } of all) {
      const res = await dryRunApply(admin, object);
      if (res.status !== 200 && res.status !== 201) {
        refused.push(
          `${file} ${object.kind}/${object.metadata?.name}: ${res.body.message}`,
        );
      }
    }
    expect(refused).toEqual([]);
    expect(all.length).toBeGreaterThanOrEqual(15);
  });

  it('list every manifest of the portal in its kustomization', () => {
    const portal = path.join(DEPLOY_DIR, 'portal');
    const kustomization = parseAllDocuments(
      fs.readFileSync(path.join(portal, 'kustomization.yaml'), 'utf8'),
    )[0].toJS();
    const files = fs
      .readdirSync(portal)
      .filter(f => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('refuses a manifest with a misspelt field, so that the dry run above could fail', async () => {
    const backend = shippedManifests()
      .find(m => m.file === 'portal/backend.yaml')!
      .objects.find(o => o.kind === 'Deployment');
    const container = backend.spec.template.spec.containers[0];
    container.readinesProbe = container.readinessProbe;
    const res = await dryRunApply(admin, backend);
    // Server-side apply refuses a field outside the schema while building the typed patch, which kube-apiserver
    // v1.36 reports as a 500 (a strict-validation 400 for the other patch types).
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.message).toMatch(
      /readinesProbe: field not declared in schema/,
    );
  });
});
