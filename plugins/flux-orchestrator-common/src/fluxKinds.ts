/**
 * The Flux kinds the orchestrator knows, with the API versions to try newest first. A cluster on an older
 * Flux release serves only older versions; the sync asks each cluster which one it serves
 * (https://fluxcd.io/flux/components/ lists the versions per release).
 *
 * @public
 */
export type FluxKindFamily = 'source' | 'deploy' | 'notify' | 'image';

/** @public */
export interface FluxKindDefinition {
  kind: FluxKind;
  group: string;
  plural: string;
  /** Served versions to try, newest first. */
  versions: string[];
  family: FluxKindFamily;
  /** Whether the kind has `spec.suspend` (and so can be suspended and resumed). */
  suspendable: boolean;
  /**
   * Versions whose objects carry no status at all: notification-controller's v1beta3 Alert and Provider
   * are static configuration (https://fluxcd.io/flux/components/notification/alerts/).
   */
  staticVersions?: string[];
}

/** @public */
export const FLUX_KIND_NAMES = [
  'Kustomization',
  'HelmRelease',
  'GitRepository',
  'OCIRepository',
  'HelmRepository',
  'HelmChart',
  'Bucket',
  'Alert',
  'Provider',
  'Receiver',
  'ImageRepository',
  'ImagePolicy',
  'ImageUpdateAutomation',
] as const;

/** @public */
export type FluxKind = (typeof FLUX_KIND_NAMES)[number];

const SOURCE = 'source.toolkit.fluxcd.io';
const NOTIFICATION = 'notification.toolkit.fluxcd.io';
const IMAGE = 'image.toolkit.fluxcd.io';

/** @public */
export const FLUX_KINDS: readonly FluxKindDefinition[] = [
  {
    kind: 'Kustomization',
    group: 'kustomize.toolkit.fluxcd.io',
    plural: 'kustomizations',
    versions: ['v1', 'v1beta2'],
    family: 'deploy',
    suspendable: true,
  },
  {
    kind: 'HelmRelease',
    group: 'helm.toolkit.fluxcd.io',
    plural: 'helmreleases',
    versions: ['v2', 'v2beta2', 'v2beta1'],
    family: 'deploy',
    suspendable: true,
  },
  {
    kind: 'GitRepository',
    group: SOURCE,
    plural: 'gitrepositories',
    versions: ['v1', 'v1beta2'],
    family: 'source',
    suspendable: true,
  },
  {
    kind: 'OCIRepository',
    group: SOURCE,
    plural: 'ocirepositories',
    versions: ['v1', 'v1beta2'],
    family: 'source',
    suspendable: true,
  },
  {
    kind: 'HelmRepository',
    group: SOURCE,
    plural: 'helmrepositories',
    versions: ['v1', 'v1beta2'],
    family: 'source',
    suspendable: true,
  },
  {
    kind: 'HelmChart',
    group: SOURCE,
    plural: 'helmcharts',
    versions: ['v1', 'v1beta2'],
    family: 'source',
    suspendable: true,
  },
  {
    kind: 'Bucket',
    group: SOURCE,
    plural: 'buckets',
    versions: ['v1', 'v1beta2'],
    family: 'source',
    suspendable: true,
  },
  {
    kind: 'Alert',
    group: NOTIFICATION,
    plural: 'alerts',
    versions: ['v1beta3', 'v1beta2'],
    family: 'notify',
    suspendable: true,
    staticVersions: ['v1beta3'],
  },
  {
    kind: 'Provider',
    group: NOTIFICATION,
    plural: 'providers',
    versions: ['v1beta3', 'v1beta2'],
    family: 'notify',
    suspendable: true,
    staticVersions: ['v1beta3'],
  },
  {
    kind: 'Receiver',
    group: NOTIFICATION,
    plural: 'receivers',
    versions: ['v1', 'v1beta2'],
    family: 'notify',
    suspendable: true,
  },
  {
    kind: 'ImageRepository',
    group: IMAGE,
    plural: 'imagerepositories',
    versions: ['v1', 'v1beta2'],
    family: 'image',
    suspendable: true,
  },
  {
    kind: 'ImagePolicy',
    group: IMAGE,
    plural: 'imagepolicies',
    versions: ['v1', 'v1beta2'],
    family: 'image',
    // Checked against the CRDs the harness installs; see the kind table test.
    suspendable: false,
  },
  {
    kind: 'ImageUpdateAutomation',
    group: IMAGE,
    plural: 'imageupdateautomations',
    versions: ['v1', 'v1beta2'],
    family: 'image',
    suspendable: true,
  },
];

/** Looks up a kind's definition; undefined for a kind Flux does not have. @public */
export function getFluxKind(kind: string): FluxKindDefinition | undefined {
  return FLUX_KINDS.find(k => k.kind === kind);
}

/** Whether `kind` is one of the Flux kinds. @public */
export function isFluxKind(kind: string): kind is FluxKind {
  return (FLUX_KIND_NAMES as readonly string[]).includes(kind);
}
