import {
  Cluster,
  FluxResource,
  FluxResourceDetail,
  StatusCounts,
  Summary,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';

/** Test fixtures shaped like what the backend returns for a small two-cluster fleet. */

export const REDIS_MESSAGE =
  'Helm install failed for release apps/redis with chart redis@19.6.4: context deadline exceeded';

export function counts(partial: Partial<StatusCounts> = {}): StatusCounts {
  const c = {
    ready: 0,
    failing: 0,
    progressing: 0,
    stalled: 0,
    suspended: 0,
    unknown: 0,
    ...partial,
  };
  return {
    ...c,
    total:
      c.ready + c.failing + c.progressing + c.stalled + c.suspended + c.unknown,
    ...partial,
  };
}

export function cluster(name: string, partial: Partial<Cluster> = {}): Cluster {
  return {
    name,
    title: name === 'prod' ? 'Production' : 'Development',
    source: 'api',
    server: `https://${name}.k8s.example.com:6443`,
    readOnly: false,
    health: {
      status: 'healthy',
      kubernetesVersion: 'v1.33.1',
      fluxInstalled: true,
      fluxVersion: 'v2.6.4',
      feed: { mode: 'polling' },
      servedVersions: {
        Kustomization: 'v1',
        HelmRelease: 'v2',
        GitRepository: 'v1',
      },
      checkedAt: '2026-05-04T09:58:00Z',
    },
    lastSyncedAt: '2026-05-04T09:58:00Z',
    counts: counts({ ready: 12, failing: 1 }),
    createdAt: '2026-05-01T08:00:00Z',
    updatedAt: '2026-05-01T08:00:00Z',
    ...partial,
  };
}

export function fluxResource(
  partial: Partial<FluxResource> &
    Pick<FluxResource, 'cluster' | 'kind' | 'namespace' | 'name'>,
): FluxResource {
  const { cluster: c, kind, namespace, name } = partial;
  return {
    id: `${c}:${kind}:${namespace}:${name}`,
    apiVersion:
      kind === 'HelmRelease'
        ? 'helm.toolkit.fluxcd.io/v2'
        : 'kustomize.toolkit.fluxcd.io/v1',
    uid: `uid-${c}-${name}`,
    status: 'ready',
    ready: 'True',
    reason: 'ReconciliationSucceeded',
    suspended: false,
    labels: {},
    generation: 3,
    observedGeneration: 3,
    lastReconcileAt: '2026-05-04T09:50:00Z',
    syncedAt: '2026-05-04T09:58:00Z',
    ...partial,
  };
}

export function failingRedis(clusterName: string): FluxResource {
  return fluxResource({
    cluster: clusterName,
    kind: 'HelmRelease',
    namespace: 'apps',
    name: 'redis',
    status: 'failing',
    ready: 'False',
    reason: 'InstallFailed',
    message: REDIS_MESSAGE,
    failingSince: '2026-12-01T09:00:00Z',
    revision: '19.6.4',
    sourceRef: {
      kind: 'HelmRepository',
      name: 'bitnami',
      namespace: 'flux-system',
    },
    labels: { 'backstage.io/kubernetes-id': 'redis' },
  });
}

export const podinfo = fluxResource({
  cluster: 'dev',
  kind: 'Kustomization',
  namespace: 'apps',
  name: 'podinfo',
  revision: 'main@sha1:5f2a1c9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f',
  sourceRef: {
    kind: 'GitRepository',
    name: 'podinfo',
    namespace: 'flux-system',
  },
  labels: { 'backstage.io/kubernetes-id': 'podinfo' },
});

export const stalledInfra = fluxResource({
  cluster: 'prod',
  kind: 'Kustomization',
  namespace: 'flux-system',
  name: 'infra',
  status: 'stalled',
  ready: 'False',
  reason: 'BuildFailed',
  message:
    "kustomize build failed: accumulating resources: accumulation err='accumulating resources from './missing': open /tmp/kustomization-1/infra/missing: no such file or directory'",
  sourceRef: { kind: 'GitRepository', name: 'flux-system' },
});

export const summary: Summary = {
  totals: counts({
    ready: 40,
    failing: 2,
    progressing: 1,
    stalled: 1,
    suspended: 3,
    unknown: 0,
  }),
  byKind: [],
  byCluster: [],
  clusters: { healthy: 2, unhealthy: 0, unknown: 0, total: 2 },
};

/** The detail of podinfo's Kustomization: failing on a health check, with inventory and dependencies. */
export const podinfoDetail: FluxResourceDetail = {
  redacted: [],
  ...podinfo,
  status: 'failing',
  ready: 'False',
  reason: 'HealthCheckFailed',
  message:
    "health check failed after 5m0s: timeout waiting for: [Deployment/apps/podinfo status: 'InProgress']\nDeployment/apps/podinfo: 0 of 2 replicas available",
  object: {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'podinfo', namespace: 'apps', generation: 3 },
    spec: {
      interval: '10m',
      path: './kustomize',
      prune: true,
      sourceRef: {
        kind: 'GitRepository',
        name: 'podinfo',
        namespace: 'flux-system',
      },
      dependsOn: [{ name: 'infra', namespace: 'flux-system' }],
    },
    status: {
      observedGeneration: 3,
      lastAppliedRevision: 'main@sha1:5f2a1c9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f',
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'HealthCheckFailed',
          message:
            "health check failed after 5m0s: timeout waiting for: [Deployment/apps/podinfo status: 'InProgress']",
          lastTransitionTime: '2026-05-04T09:45:00Z',
        },
        {
          type: 'Healthy',
          status: 'False',
          reason: 'HealthCheckFailed',
          message: 'Deployment/apps/podinfo: 0 of 2 replicas available',
          lastTransitionTime: '2026-05-04T09:45:00Z',
        },
      ],
      inventory: {
        entries: [
          { id: 'apps_podinfo__Service', v: 'v1' },
          { id: 'apps_podinfo_apps_Deployment', v: 'v1' },
          {
            id: '_podinfo-reader_rbac.authorization.k8s.io_ClusterRole',
            v: 'v1',
          },
        ],
      },
      // As kustomize-controller records it; the odd entries are what a hostile or broken cluster could send.
      history: [
        {
          digest: 'sha256:6a1f',
          firstReconciled: '2026-05-04T09:40:00Z',
          lastReconciled: '2026-05-04T09:45:00Z',
          lastReconciledDuration: '5m0.2s',
          lastReconciledStatus: 'HealthCheckFailed',
          totalReconciliations: 2,
          metadata: {
            revision: 'main@sha1:5f2a1c9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f',
          },
        },
        {
          digest: 'sha256:0b2c',
          firstReconciled: '2026-05-01T08:00:00Z',
          lastReconciled: '2026-05-04T09:30:00Z',
          lastReconciledDuration: '2.1s',
          lastReconciledStatus: 'ReconciliationSucceeded',
          totalReconciliations: 412,
          metadata: { revision: { nested: 'object' } },
        },
        'not an entry',
      ],
    },
  },
  failingSince: '2026-05-04T09:45:00Z',
};
