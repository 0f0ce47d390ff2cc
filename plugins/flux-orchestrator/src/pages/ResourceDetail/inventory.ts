/** One Kubernetes object a Kustomization or HelmRelease applied. */
export interface InventoryEntry {
  namespace: string;
  name: string;
  group: string;
  kind: string;
  version?: string;
}

/**
 * Reads `status.inventory.entries`: a Kustomization's, and a HelmRelease's since Flux 2.8 (helm-controller
 * v1.5 records the release's objects there, hooks aside, in the same format). Each id is `<namespace>_<name>_<group>_<kind>`, with
 * an empty namespace for cluster-scoped objects and an empty group for the core API
 * (https://fluxcd.io/flux/components/kustomize/kustomizations/#inventory). Kubernetes names cannot contain
 * `_`, so the id splits back exactly; entries that do not have four parts are skipped.
 */
export function parseInventory(
  object: Record<string, unknown>,
): InventoryEntry[] {
  const status = object.status as
    | { inventory?: { entries?: unknown } }
    | undefined;
  const entries = status?.inventory?.entries;
  if (!Array.isArray(entries)) return [];
  const parsed: InventoryEntry[] = [];
  for (const entry of entries) {
    const id = (entry as { id?: unknown })?.id;
    if (typeof id !== 'string') continue;
    const parts = id.split('_');
    if (parts.length !== 4) continue;
    const [namespace, name, group, kind] = parts;
    const version = (entry as { v?: unknown }).v;
    parsed.push({
      namespace,
      name,
      group,
      kind,
      version: typeof version === 'string' ? version : undefined,
    });
  }
  return parsed;
}
