import { FluxResource } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';

/** `HelmRelease apps/redis`: how an object is named in sentences and lists. */
export function describeResource(resource: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  return `${resource.kind} ${resource.namespace}/${resource.name}`;
}

/**
 * The id of the object's source (`spec.sourceRef`). Flux defaults the source's namespace to the object's own
 * (https://fluxcd.io/flux/components/kustomize/kustomizations/#source-reference).
 */
export function sourceIdOf(
  resource: Pick<FluxResource, 'cluster' | 'namespace' | 'sourceRef'>,
): string | undefined {
  const ref = resource.sourceRef;
  if (!ref) return undefined;
  return `${resource.cluster}:${ref.kind}:${
    ref.namespace ?? resource.namespace
  }:${ref.name}`;
}

/**
 * A revision short enough for a table cell. Flux writes `<ref>@<algorithm>:<digest>` (`main@sha1:9f3e…`,
 * `19.6.4@sha256:4c1d…`) or a bare digest (https://fluxcd.io/flux/components/source/gitrepositories/#artifact);
 * the digest is cut to 7 characters as git does, the readable part is kept.
 */
export function shortRevision(revision: string): string {
  return revision.replace(
    /((?:sha1|sha256|sha384|sha512|blake3):)([0-9a-f]{7})[0-9a-f]+/g,
    '$1$2',
  );
}
