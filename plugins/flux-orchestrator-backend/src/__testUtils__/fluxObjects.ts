import {
  FluxKind,
  getFluxKind,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { KubernetesObject } from '../status/parseFluxObject';

export type FixtureState =
  | 'ready'
  | 'failing'
  | 'progressing'
  | 'reconciling'
  | 'stalled'
  | 'suspended'
  | 'unknown';

const T0 = '2026-11-20T10:00:00Z';
const T1 = '2026-11-20T10:05:00Z';
const SHA = 'main@sha1:8f3a1c2b9d4e5f60718293a4b5c6d7e8f9012345';

/** The spec and the status of a healthy object of each kind, as the Flux controllers write them. */
function kindDetails(
  kind: FluxKind,
  version: string,
): { spec: any; status: any } {
  switch (kind) {
    case 'Kustomization':
      return {
        spec: {
          interval: '10m',
          path: './apps/podinfo',
          prune: true,
          sourceRef: { kind: 'GitRepository', name: 'fleet' },
          dependsOn: [{ name: 'infra-controllers' }],
        },
        status: {
          lastAppliedRevision: SHA,
          lastAttemptedRevision: SHA,
          inventory: {
            entries: [{ id: 'apps_podinfo_apps_Deployment', v: 'v1' }],
          },
        },
      };
    case 'HelmRelease':
      return version === 'v2'
        ? {
            spec: {
              interval: '5m',
              chart: {
                spec: {
                  chart: 'podinfo',
                  version: '6.x',
                  sourceRef: {
                    kind: 'HelmRepository',
                    name: 'podinfo',
                    namespace: 'flux-system',
                  },
                },
              },
            },
            status: {
              history: [
                {
                  chartName: 'podinfo',
                  chartVersion: '6.7.1',
                  status: 'deployed',
                  version: 3,
                },
                {
                  chartName: 'podinfo',
                  chartVersion: '6.7.0',
                  status: 'superseded',
                  version: 2,
                },
              ],
              lastAttemptedRevision: '6.7.1',
            },
          }
        : {
            spec: {
              interval: '5m',
              chart: {
                spec: {
                  chart: 'podinfo',
                  sourceRef: { kind: 'HelmRepository', name: 'podinfo' },
                },
              },
            },
            status: {
              lastAppliedRevision: '6.5.0',
              lastAttemptedRevision: '6.5.0',
            },
          };
    case 'GitRepository':
      return {
        spec: {
          interval: '1m',
          url: 'https://git.example.com/fleet.git',
          ref: { branch: 'main' },
        },
        status: {
          artifact: {
            revision: SHA,
            lastUpdateTime: T1,
            path: 'gitrepository/x.tar.gz',
          },
        },
      };
    case 'OCIRepository':
      return {
        spec: {
          interval: '5m',
          url: 'oci://ghcr.io/example/manifests',
          ref: { tag: 'latest' },
        },
        status: {
          artifact: { revision: 'latest@sha256:4f1a2b3c', lastUpdateTime: T1 },
        },
      };
    case 'HelmRepository':
      return {
        spec: { interval: '1h', url: 'https://charts.example.com' },
        status: {
          artifact: { revision: 'sha256:9a8b7c6d', lastUpdateTime: T1 },
        },
      };
    case 'HelmChart':
      return {
        spec: {
          chart: 'podinfo',
          version: '6.x',
          sourceRef: { kind: 'HelmRepository', name: 'podinfo' },
        },
        status: { artifact: { revision: '6.7.1', lastUpdateTime: T1 } },
      };
    case 'Bucket':
      return {
        spec: {
          interval: '5m',
          bucketName: 'manifests',
          endpoint: 'minio.example.com',
        },
        status: {
          artifact: { revision: 'sha256:1234abcd', lastUpdateTime: T1 },
        },
      };
    case 'Alert':
      return {
        spec: {
          providerRef: { name: 'slack' },
          eventSources: [{ kind: 'Kustomization', name: '*' }],
        },
        status: {},
      };
    case 'Provider':
      return { spec: { type: 'slack', channel: 'fleet-alerts' }, status: {} };
    case 'Receiver':
      return {
        spec: {
          type: 'github',
          resources: [{ kind: 'GitRepository', name: 'fleet' }],
        },
        status: { webhookPath: '/hook/0123abcd' },
      };
    case 'ImageRepository':
      return {
        spec: { image: 'ghcr.io/example/podinfo', interval: '5m' },
        status: {
          lastScanResult: {
            tagCount: 12,
            scanTime: T1,
            latestTags: ['6.7.1', '6.7.0'],
          },
        },
      };
    case 'ImagePolicy':
      return version === 'v1'
        ? {
            spec: {
              imageRepositoryRef: { name: 'podinfo' },
              policy: { semver: { range: '6.x' } },
            },
            status: {
              latestRef: { name: 'ghcr.io/example/podinfo', tag: '6.7.1' },
            },
          }
        : {
            spec: {
              imageRepositoryRef: { name: 'podinfo' },
              policy: { semver: { range: '6.x' } },
            },
            status: { latestImage: 'ghcr.io/example/podinfo:6.7.1' },
          };
    case 'ImageUpdateAutomation':
      return {
        spec: {
          sourceRef: { kind: 'GitRepository', name: 'fleet' },
          interval: '30m',
        },
        status: { lastPushCommit: '0a1b2c3d4e5f', lastAutomationRunTime: T1 },
      };
    default:
      throw new Error(`no fixture for ${kind}`);
  }
}

const FAILURES: Partial<Record<FluxKind, { reason: string; message: string }>> =
  {
    Kustomization: {
      reason: 'BuildFailed',
      message:
        "kustomize build failed: accumulating resources from './podinfo': open /tmp/kustomization-123/apps/podinfo: no such file or directory",
    },
    HelmRelease: {
      reason: 'InstallFailed',
      message:
        'Helm install failed for release apps/podinfo with chart podinfo@6.7.1: context deadline exceeded',
    },
    GitRepository: {
      reason: 'GitOperationFailed',
      message:
        "failed to checkout and determine revision: unable to clone 'https://git.example.com/fleet.git': authentication required",
    },
  };

/**
 * A realistic Flux object of `kind` at `version` in `state`: conditions, observedGeneration and
 * kind-specific status as the controllers write them.
 */
export function fluxObject(
  kind: FluxKind,
  version: string,
  state: FixtureState,
  name = kind.toLowerCase(),
  namespace = 'flux-system',
): KubernetesObject {
  const def = getFluxKind(kind)!;
  const { spec, status } = kindDetails(kind, version);
  const failure = FAILURES[kind] ?? {
    reason: 'ReconciliationFailed',
    message: `${kind} reconciliation failed`,
  };
  const generation = state === 'progressing' ? 3 : 2;
  const conditions = {
    ready: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'ReconciliationSucceeded',
        message: `Applied revision: ${SHA}`,
        lastTransitionTime: T0,
        observedGeneration: 2,
      },
    ],
    failing: [
      {
        type: 'Ready',
        status: 'False',
        reason: failure.reason,
        message: failure.message,
        lastTransitionTime: T0,
        observedGeneration: 2,
      },
      {
        type: 'Reconciling',
        status: 'True',
        reason: 'ProgressingWithRetry',
        message: 'retrying',
        lastTransitionTime: T0,
        observedGeneration: 2,
      },
    ],
    progressing: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'ReconciliationSucceeded',
        message: 'Applied revision',
        lastTransitionTime: T0,
        observedGeneration: 2,
      },
    ],
    reconciling: [
      {
        type: 'Ready',
        status: 'Unknown',
        reason: 'Progressing',
        message: 'Reconciliation in progress',
        lastTransitionTime: T0,
        observedGeneration: 2,
      },
      {
        type: 'Reconciling',
        status: 'True',
        reason: 'Progressing',
        message: 'Reconciliation in progress',
        lastTransitionTime: T0,
        observedGeneration: 2,
      },
    ],
    stalled: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'InvalidPath',
        message: 'path ./apps/missing does not exist',
        lastTransitionTime: T0,
        observedGeneration: 2,
      },
      {
        type: 'Stalled',
        status: 'True',
        reason: 'InvalidPath',
        message: 'path ./apps/missing does not exist',
        lastTransitionTime: T0,
        observedGeneration: 2,
      },
    ],
    suspended: [
      {
        type: 'Ready',
        status: 'True',
        reason: 'ReconciliationSucceeded',
        message: 'Applied revision',
        lastTransitionTime: T0,
        observedGeneration: 2,
      },
    ],
    unknown: undefined,
  }[state];
  const isStatic = def.staticVersions?.includes(version);
  return {
    apiVersion: `${def.group}/${version}`,
    kind,
    metadata: {
      name,
      namespace,
      uid: `uid-${kind}-${name}`,
      resourceVersion: '1001',
      generation,
      creationTimestamp: '2026-11-01T09:00:00Z',
      labels: { 'app.kubernetes.io/part-of': 'fleet' },
      managedFields: [{ manager: 'kustomize-controller', operation: 'Apply' }],
    },
    spec: { ...spec, ...(state === 'suspended' ? { suspend: true } : {}) },
    status:
      state === 'unknown' || isStatic
        ? undefined
        : { observedGeneration: 2, conditions, ...status },
  };
}
