import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { harnessScript, runScript } from './binaries';
import { cacheDir } from './cacheDir';
import { clientNode, kubeConfigFrom } from './clientNode';
import { waitFor } from './processes';

/**
 * `current` is Flux 2.9's API set (Kustomization v1, HelmRelease v2, sources v1, image v1, Alert/Provider
 * v1beta3); `legacy` is a Flux 2.4-era set that still serves v1beta2 sources and v2beta1/v2beta2 HelmReleases.
 */
export type FluxGeneration = 'current' | 'legacy';

/** The CRD YAML files of a generation, generated once from the Go module proxy into the cache. */
export async function ensureFluxCrds(
  generation: FluxGeneration,
  log: (line: string) => void,
): Promise<string> {
  const dir = cacheDir('flux-crds', generation);
  const script = harnessScript('build-flux-crds.sh');
  await runScript(script, [generation, dir], log);
  return dir;
}

/** Creates the CRDs and waits until the API server serves them (Established). */
export async function applyFluxCrds(
  adminKubeconfig: string,
  dir: string,
): Promise<void> {
  const k8s = await clientNode();
  const kc = await kubeConfigFrom(adminKubeconfig);
  const api = kc.makeApiClient(k8s.ApiextensionsV1Api);
  // Created as plain objects: the typed CRD model would drop `x-kubernetes-*` schema keys it maps by other names.
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const files = fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.yaml'))
    .sort();
  const names: string[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(
      fs.readFileSync(path.join(dir, file), 'utf8'),
    )) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      await custom.createClusterCustomObject({
        group: 'apiextensions.k8s.io',
        version: 'v1',
        plural: 'customresourcedefinitions',
        body: crd,
      });
      names.push(crd.metadata.name);
    }
  }
  await waitFor(
    `${names.length} Flux CRDs established`,
    async () => {
      const list = await api.listCustomResourceDefinition();
      const established = new Set(
        list.items
          .filter(c =>
            c.status?.conditions?.some(
              x => x.type === 'Established' && x.status === 'True',
            ),
          )
          .map(c => c.metadata!.name!),
      );
      return names.every(n => established.has(n));
    },
    30_000,
  );
}
