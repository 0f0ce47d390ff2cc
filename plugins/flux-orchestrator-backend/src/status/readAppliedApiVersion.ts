/** One entry of `metadata.managedFields`, as far as it is read here. */
interface ManagedFieldsEntry {
  manager?: unknown;
  operation?: unknown;
  apiVersion?: unknown;
  time?: unknown;
  subresource?: unknown;
}

/** Clients that write an object from its manifest with an update (client-side apply, create, edit, Helm). */
const MANIFEST_WRITERS = /^(kubectl(-[a-z-]+)?|flux|helm)$/;

/**
 * The API version the object's manifest was last written at, as its managed fields record it: the newest entry
 * of a server-side apply (kustomize-controller applying a Kustomization from Git, `kubectl apply
 * --server-side`), or of an update by a client that writes manifests (`kubectl apply`, `flux create`, Helm).
 * The controllers' own updates (finalizers, status) are at the version they are built for and say nothing of
 * the manifest. Undefined when no entry tells, or the one that does names another API group.
 */
export function readAppliedApiVersion(
  managedFields: unknown,
  group: string,
): string | undefined {
  if (!Array.isArray(managedFields)) return undefined;
  let newest: { apiVersion: string; time: number } | undefined;
  for (const entry of managedFields as ManagedFieldsEntry[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    if (entry.subresource) continue;
    const manifest =
      entry.operation === 'Apply' ||
      (entry.operation === 'Update' &&
        typeof entry.manager === 'string' &&
        MANIFEST_WRITERS.test(entry.manager));
    if (!manifest || typeof entry.apiVersion !== 'string') continue;
    if (!entry.apiVersion.startsWith(`${group}/`)) continue;
    const time = typeof entry.time === 'string' ? Date.parse(entry.time) : 0;
    const at = Number.isNaN(time) ? 0 : time;
    if (!newest || at >= newest.time)
      newest = { apiVersion: entry.apiVersion.slice(0, 128), time: at };
  }
  return newest?.apiVersion;
}
