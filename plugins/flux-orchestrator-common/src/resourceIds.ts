/**
 * A Flux object's id is `cluster:Kind:namespace:name`. Kubernetes names, namespaces and cluster names
 * (DNS-1123 labels and subdomains) cannot contain a colon, so the id splits back without escaping, stays
 * the same across syncs, and makes readable deep links.
 *
 * @public
 */
export interface ResourceCoordinates {
  cluster: string;
  kind: string;
  namespace: string;
  name: string;
}

/** @public */
export function formatResourceId(c: ResourceCoordinates): string {
  return `${c.cluster}:${c.kind}:${c.namespace}:${c.name}`;
}

/** Splits an id; undefined when it does not have the four parts. @public */
export function parseResourceId(id: string): ResourceCoordinates | undefined {
  const parts = id.split(':');
  if (parts.length !== 4 || parts.some(p => p === '')) return undefined;
  const [cluster, kind, namespace, name] = parts;
  return { cluster, kind, namespace, name };
}
