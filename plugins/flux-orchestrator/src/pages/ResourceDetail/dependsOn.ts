/** A Flux `spec.dependsOn` entry. */
export interface DependencyReference {
  name: string;
  namespace?: string;
}

/**
 * The resource ids of the objects this one depends on. `spec.dependsOn` names objects of the same kind, in
 * the object's own namespace unless one is given (https://fluxcd.io/flux/components/kustomize/kustomizations/#dependencies).
 */
export function dependsOnIds(
  resource: { cluster: string; kind: string; namespace: string },
  object: Record<string, unknown>,
): string[] {
  const spec = object.spec as { dependsOn?: unknown } | undefined;
  if (!Array.isArray(spec?.dependsOn)) return [];
  return (spec!.dependsOn as DependencyReference[])
    .filter(d => typeof d?.name === 'string')
    .map(
      d =>
        `${resource.cluster}:${resource.kind}:${
          d.namespace ?? resource.namespace
        }:${d.name}`,
    );
}
