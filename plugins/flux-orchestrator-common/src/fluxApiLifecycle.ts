import { FluxKind, getFluxKind } from './fluxKinds';

/**
 * What becomes of one API version of a Flux kind in the Flux releases after it: the release that deprecated it,
 * the one that stopped serving it, and the version to move to.
 *
 * @public
 */
export interface FluxApiLifecycle {
  kind: FluxKind;
  version: string;
  deprecatedIn?: string;
  removedIn?: string;
  replacedBy: string;
}

/**
 * Every deprecated or removed beta API version of the Flux kinds, up to Flux v2.9. Read from the controllers'
 * CRDs at each release tag (`deprecated: true`, and the release whose CRDs no longer list the version), matched
 * to the flux2 release that ships the controller, and checked against the controllers' changelogs and the
 * "Announcing Flux v2.x" posts (2.0, 2.2, 2.3, 2.4, 2.6, 2.7, 2.8, 2.9) on fluxcd.io. `deprecatedIn` is the first
 * release whose CRD flags the version deprecated; ImageRepository and ImagePolicy v1beta1 were never flagged,
 * only superseded (v0.40.0). Alert and Provider have no v1 yet: v1beta3 is current. Versions not listed are
 * current.
 *
 * @public
 */
export const FLUX_API_LIFECYCLE: readonly FluxApiLifecycle[] = [
  {
    kind: 'Kustomization',
    version: 'v1beta1',
    deprecatedIn: 'v2.0.0',
    removedIn: 'v2.7.0',
    replacedBy: 'v1',
  },
  {
    kind: 'Kustomization',
    version: 'v1beta2',
    deprecatedIn: 'v2.0.0',
    removedIn: 'v2.8.0',
    replacedBy: 'v1',
  },
  {
    kind: 'HelmRelease',
    version: 'v2beta1',
    deprecatedIn: 'v2.2.0',
    removedIn: 'v2.7.0',
    replacedBy: 'v2',
  },
  {
    kind: 'HelmRelease',
    version: 'v2beta2',
    deprecatedIn: 'v2.3.0',
    removedIn: 'v2.8.0',
    replacedBy: 'v2',
  },
  {
    kind: 'GitRepository',
    version: 'v1beta1',
    deprecatedIn: 'v2.0.0',
    removedIn: 'v2.7.0',
    replacedBy: 'v1',
  },
  {
    kind: 'GitRepository',
    version: 'v1beta2',
    deprecatedIn: 'v2.0.0',
    removedIn: 'v2.8.0',
    replacedBy: 'v1',
  },
  {
    kind: 'OCIRepository',
    version: 'v1beta2',
    deprecatedIn: 'v2.6.0',
    removedIn: 'v2.8.0',
    replacedBy: 'v1',
  },
  {
    kind: 'HelmRepository',
    version: 'v1beta1',
    deprecatedIn: 'v2.3.0',
    removedIn: 'v2.7.0',
    replacedBy: 'v1',
  },
  {
    kind: 'HelmRepository',
    version: 'v1beta2',
    deprecatedIn: 'v2.3.0',
    removedIn: 'v2.8.0',
    replacedBy: 'v1',
  },
  {
    kind: 'HelmChart',
    version: 'v1beta1',
    deprecatedIn: 'v2.3.0',
    removedIn: 'v2.7.0',
    replacedBy: 'v1',
  },
  {
    kind: 'HelmChart',
    version: 'v1beta2',
    deprecatedIn: 'v2.3.0',
    removedIn: 'v2.8.0',
    replacedBy: 'v1',
  },
  {
    kind: 'Bucket',
    version: 'v1beta1',
    deprecatedIn: 'v2.3.0',
    removedIn: 'v2.7.0',
    replacedBy: 'v1',
  },
  {
    kind: 'Bucket',
    version: 'v1beta2',
    deprecatedIn: 'v2.4.0',
    removedIn: 'v2.8.0',
    replacedBy: 'v1',
  },
  {
    kind: 'Alert',
    version: 'v1beta1',
    deprecatedIn: 'v2.2.0',
    removedIn: 'v2.7.0',
    replacedBy: 'v1beta3',
  },
  {
    kind: 'Alert',
    version: 'v1beta2',
    deprecatedIn: 'v2.2.0',
    removedIn: 'v2.9.0',
    replacedBy: 'v1beta3',
  },
  {
    kind: 'Provider',
    version: 'v1beta1',
    deprecatedIn: 'v2.2.0',
    removedIn: 'v2.7.0',
    replacedBy: 'v1beta3',
  },
  {
    kind: 'Provider',
    version: 'v1beta2',
    deprecatedIn: 'v2.2.0',
    removedIn: 'v2.9.0',
    replacedBy: 'v1beta3',
  },
  {
    kind: 'Receiver',
    version: 'v1beta1',
    deprecatedIn: 'v2.0.0',
    removedIn: 'v2.7.0',
    replacedBy: 'v1',
  },
  {
    kind: 'Receiver',
    version: 'v1beta2',
    deprecatedIn: 'v2.0.0',
    removedIn: 'v2.9.0',
    replacedBy: 'v1',
  },
  {
    kind: 'ImageRepository',
    version: 'v1beta1',
    deprecatedIn: 'v0.40.0',
    removedIn: 'v2.7.0',
    replacedBy: 'v1',
  },
  {
    kind: 'ImageRepository',
    version: 'v1beta2',
    deprecatedIn: 'v2.7.0',
    removedIn: 'v2.9.0',
    replacedBy: 'v1',
  },
  {
    kind: 'ImagePolicy',
    version: 'v1beta1',
    deprecatedIn: 'v0.40.0',
    removedIn: 'v2.7.0',
    replacedBy: 'v1',
  },
  {
    kind: 'ImagePolicy',
    version: 'v1beta2',
    deprecatedIn: 'v2.7.0',
    removedIn: 'v2.9.0',
    replacedBy: 'v1',
  },
  {
    kind: 'ImageUpdateAutomation',
    version: 'v1beta1',
    deprecatedIn: 'v2.3.0',
    removedIn: 'v2.7.0',
    replacedBy: 'v1',
  },
  {
    kind: 'ImageUpdateAutomation',
    version: 'v1beta2',
    deprecatedIn: 'v2.7.0',
    removedIn: 'v2.9.0',
    replacedBy: 'v1',
  },
];

/**
 * The lifecycle of `apiVersion` (`group/version`, or a bare version) of `kind`; undefined for a current version,
 * or one of another group.
 *
 * @public
 */
export function apiLifecycleOf(
  kind: string,
  apiVersion: string,
): FluxApiLifecycle | undefined {
  const definition = getFluxKind(kind);
  if (!definition) return undefined;
  const slash = apiVersion.indexOf('/');
  if (slash >= 0 && apiVersion.slice(0, slash) !== definition.group)
    return undefined;
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  return FLUX_API_LIFECYCLE.find(l => l.kind === kind && l.version === version);
}
