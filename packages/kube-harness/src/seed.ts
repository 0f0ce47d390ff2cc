import { getFluxKind } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { clientNode, kubeConfigFrom } from './clientNode';
import { FluxGeneration } from './fluxCrds';

/** API versions the seeded objects are written at, per generation (Flux 2.9 vs a Flux 2.4-era cluster). */
const VERSIONS: Record<FluxGeneration, Record<string, string>> = {
  current: {
    'source.toolkit.fluxcd.io': 'v1',
    'kustomize.toolkit.fluxcd.io': 'v1',
    'helm.toolkit.fluxcd.io': 'v2',
    'notification.toolkit.fluxcd.io/Receiver': 'v1',
    'notification.toolkit.fluxcd.io': 'v1beta3',
    'image.toolkit.fluxcd.io': 'v1',
  },
  legacy: {
    'source.toolkit.fluxcd.io': 'v1beta2',
    'kustomize.toolkit.fluxcd.io': 'v1',
    'helm.toolkit.fluxcd.io': 'v2beta1',
    'notification.toolkit.fluxcd.io/Receiver': 'v1beta2',
    'notification.toolkit.fluxcd.io': 'v1beta2',
    'image.toolkit.fluxcd.io': 'v1beta2',
  },
};

/** The plural of a Flux kind, from the kind table the plugins use. */
export function pluralOf(kind: string): string {
  return getFluxKind(kind)!.plural;
}

export function apiVersionOf(kind: string, generation: FluxGeneration): string {
  const group = getFluxKind(kind)!.group;
  const versions = VERSIONS[generation];
  return `${group}/${versions[`${group}/${kind}`] ?? versions[group]}`;
}

export interface SeedObject {
  kind: string;
  namespace: string;
  name: string;
  spec: Record<string, unknown>;
  /**
   * Labels besides `app.kubernetes.io/part-of: fleet`; `backstage.io/kubernetes-id` ties an object to the
   * example catalog entities (examples/entities.yaml), as the Kubernetes plugin's convention does.
   */
  labels?: Record<string, string>;
  /** Written through the /status subresource after create; absent for objects Flux has not seen yet. */
  status?: Record<string, unknown>;
  /** Events to record against the object, as the controller would. */
  events?: Array<{
    type: 'Normal' | 'Warning';
    reason: string;
    message: string;
  }>;
}

type State = 'ready' | 'failing' | 'stalled' | 'progressing';

function conditions(
  state: State,
  reason: string,
  message: string,
  now: string,
) {
  const ready = {
    type: 'Ready',
    status: state === 'ready' || state === 'progressing' ? 'True' : 'False',
    reason,
    message,
    lastTransitionTime: now,
  };
  if (state === 'stalled') {
    return [
      ready,
      {
        type: 'Stalled',
        status: 'True',
        reason,
        message,
        lastTransitionTime: now,
      },
    ];
  }
  if (state === 'failing') {
    return [
      ready,
      {
        type: 'Reconciling',
        status: 'True',
        reason: 'ProgressingWithRetry',
        message: 'Detecting drift; retrying',
        lastTransitionTime: now,
      },
    ];
  }
  return [ready];
}

function artifact(revision: string, now: string, path: string) {
  return {
    path,
    url: `http://source-controller.flux-system.svc.cluster.local./${path}`,
    revision,
    digest:
      'sha256:3b5f4c0a9f1e2d8c7b6a5e4f3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0',
    lastUpdateTime: now,
  };
}

/**
 * The Flux objects of a small but realistic fleet member: sources referenced by Kustomizations and
 * HelmReleases, a dependsOn chain, inventories, and every state the console must show.
 */
export function fluxFleetObjects(
  generation: FluxGeneration,
  now = new Date().toISOString(),
): SeedObject[] {
  const sha = 'main@sha1:5e1c7f3b2a9d4e6f8a0b1c2d3e4f5a6b7c8d9e0f';
  const gen = { observedGeneration: 1 };
  // helm-controller has written v2-shaped status (release history) since Flux 2.3, whichever version the
  // object was applied at; the API server prunes v2beta1's lastAppliedRevision when it stores at v2.
  const helmStatusReady = {
    ...gen,
    lastAttemptedRevision: '6.7.1',
    history: [
      {
        chartName: 'podinfo',
        chartVersion: '6.7.1',
        appVersion: '6.7.1',
        configDigest: 'sha256:1a2b',
        digest: 'sha256:3c4d',
        firstDeployed: now,
        lastDeployed: now,
        name: 'podinfo',
        namespace: 'apps',
        status: 'deployed',
        version: 2,
      },
    ],
    conditions: conditions(
      'ready',
      'InstallSucceeded',
      'Helm install succeeded for release apps/podinfo.v2 with chart podinfo@6.7.1',
      now,
    ),
  };
  return [
    {
      kind: 'GitRepository',
      namespace: 'flux-system',
      name: 'fleet',
      spec: {
        interval: '1m',
        url: 'https://git.example.com/platform/fleet.git',
        ref: { branch: 'main' },
      },
      status: {
        ...gen,
        artifact: artifact(
          sha,
          now,
          'gitrepository/flux-system/fleet/5e1c7f3b.tar.gz',
        ),
        conditions: conditions(
          'ready',
          'Succeeded',
          `stored artifact for revision '${sha}'`,
          now,
        ),
      },
    },
    {
      kind: 'OCIRepository',
      namespace: 'flux-system',
      name: 'manifests',
      spec: {
        interval: '5m',
        url: 'oci://registry.example.com/platform/manifests',
        ref: { tag: 'latest' },
      },
      status: {
        ...gen,
        artifact: artifact(
          'latest@sha256:9f8e7d6c',
          now,
          'ocirepository/flux-system/manifests/9f8e7d6c.tar.gz',
        ),
        conditions: conditions(
          'ready',
          'Succeeded',
          "stored artifact for digest 'latest@sha256:9f8e7d6c'",
          now,
        ),
      },
    },
    {
      kind: 'HelmRepository',
      namespace: 'flux-system',
      name: 'podinfo',
      labels: { 'backstage.io/kubernetes-id': 'podinfo' },
      spec: { interval: '1h', url: 'https://charts.example.com/podinfo' },
      status: {
        ...gen,
        artifact: artifact(
          'sha256:0a1b2c3d',
          now,
          'helmrepository/flux-system/podinfo/index.yaml',
        ),
        conditions: conditions(
          'ready',
          'Succeeded',
          'stored artifact: revision sha256:0a1b2c3d',
          now,
        ),
      },
    },
    {
      kind: 'HelmRepository',
      namespace: 'flux-system',
      name: 'bitnami',
      spec: { interval: '1h', url: 'https://charts.example.com/bitnami' },
      status: {
        ...gen,
        conditions: conditions(
          'failing',
          'FetchFailed',
          'failed to fetch Helm repository index: failed to cache index to temporary file: failed to fetch https://charts.example.com/bitnami/index.yaml : 404 Not Found',
          now,
        ),
      },
      events: [
        {
          type: 'Warning',
          reason: 'FetchFailed',
          message: 'failed to fetch Helm repository index: 404 Not Found',
        },
      ],
    },
    {
      kind: 'HelmChart',
      namespace: 'flux-system',
      name: 'apps-podinfo',
      labels: { 'backstage.io/kubernetes-id': 'podinfo' },
      spec: {
        interval: '5m',
        chart: 'podinfo',
        version: '6.x',
        sourceRef: { kind: 'HelmRepository', name: 'podinfo' },
      },
      status: {
        ...gen,
        artifact: artifact(
          '6.7.1',
          now,
          'helmchart/flux-system/apps-podinfo/podinfo-6.7.1.tgz',
        ),
        conditions: conditions(
          'ready',
          'ChartPullSucceeded',
          "pulled 'podinfo' chart with version '6.7.1'",
          now,
        ),
      },
    },
    {
      kind: 'Bucket',
      namespace: 'flux-system',
      name: 'artifacts',
      spec: {
        interval: '5m',
        bucketName: 'fleet-artifacts',
        endpoint: 'minio.example.com',
        suspend: true,
      },
      status: {
        ...gen,
        conditions: conditions(
          'ready',
          'Succeeded',
          'stored artifact for revision sha256:44aa',
          now,
        ),
      },
    },
    {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'infra-controllers',
      spec: {
        interval: '10m',
        path: './infrastructure/controllers',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'fleet' },
      },
      status: {
        ...gen,
        lastAppliedRevision: sha,
        lastAttemptedRevision: sha,
        inventory: {
          entries: [
            { id: '_cert-manager__Namespace', v: 'v1' },
            { id: 'cert-manager_cert-manager_apps_Deployment', v: 'v1' },
            {
              id: 'ingress-nginx_ingress-nginx-controller_apps_Deployment',
              v: 'v1',
            },
          ],
        },
        conditions: conditions(
          'ready',
          'ReconciliationSucceeded',
          `Applied revision: ${sha}`,
          now,
        ),
      },
      events: [
        {
          type: 'Normal',
          reason: 'ReconciliationSucceeded',
          message: `Reconciliation finished in 1.2s, next run in 10m0s`,
        },
      ],
    },
    {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'apps',
      spec: {
        interval: '10m',
        path: './apps/production',
        prune: true,
        dependsOn: [{ name: 'infra-controllers' }],
        sourceRef: { kind: 'GitRepository', name: 'fleet' },
      },
      // Reconciling a new generation: observedGeneration stays behind until the controller catches up.
      status: {
        observedGeneration: 0,
        lastAppliedRevision: sha,
        conditions: conditions(
          'progressing',
          'Progressing',
          'Reconciliation in progress',
          now,
        ),
      },
    },
    {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'tenants',
      spec: {
        interval: '10m',
        path: './tenants',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'fleet' },
      },
      status: {
        ...gen,
        lastAppliedRevision: 'main@sha1:1111111',
        lastAttemptedRevision: sha,
        conditions: conditions(
          'failing',
          'BuildFailed',
          "kustomize build failed: accumulating resources: accumulation err='accumulating resources from './team-a': open /tmp/kustomization-2841/tenants/team-a: no such file or directory'",
          now,
        ),
      },
      events: [
        {
          type: 'Warning',
          reason: 'BuildFailed',
          message:
            "kustomize build failed: accumulating resources from './team-a': no such file or directory",
        },
      ],
    },
    {
      kind: 'Kustomization',
      namespace: 'flux-system',
      name: 'monitoring',
      spec: {
        interval: '10m',
        path: './monitoring/missing',
        prune: true,
        sourceRef: { kind: 'OCIRepository', name: 'manifests' },
      },
      status: {
        ...gen,
        conditions: conditions(
          'stalled',
          'ArtifactFailed',
          "path './monitoring/missing' not found in artifact",
          now,
        ),
      },
    },
    {
      kind: 'HelmRelease',
      namespace: 'apps',
      name: 'podinfo',
      labels: { 'backstage.io/kubernetes-id': 'podinfo' },
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
      status: helmStatusReady,
      events: [
        {
          type: 'Normal',
          reason: 'InstallSucceeded',
          message:
            'Helm install succeeded for release apps/podinfo.v2 with chart podinfo@6.7.1',
        },
      ],
    },
    {
      kind: 'HelmRelease',
      namespace: 'apps',
      name: 'redis',
      labels: { 'backstage.io/kubernetes-id': 'redis' },
      // Inline values with a password, as teams write them: the portal must show the keys and never the value.
      spec: {
        interval: '5m',
        chart: {
          spec: {
            chart: 'redis',
            version: '19.x',
            sourceRef: {
              kind: 'HelmRepository',
              name: 'bitnami',
              namespace: 'flux-system',
            },
          },
        },
        values: {
          architecture: 'standalone',
          auth: { password: 'demo-redis-password-never-shown' },
        },
      },
      status: {
        ...gen,
        lastAttemptedRevision: '19.6.4',
        conditions: conditions(
          'failing',
          'InstallFailed',
          'Helm install failed for release apps/redis with chart redis@19.6.4: context deadline exceeded',
          now,
        ),
      },
      events: [
        {
          type: 'Warning',
          reason: 'InstallFailed',
          message:
            'Helm install failed for release apps/redis with chart redis@19.6.4: context deadline exceeded',
        },
      ],
    },
    {
      // Created but never reconciled: no status at all.
      kind: 'HelmRelease',
      namespace: 'apps',
      name: 'new-service',
      spec: {
        interval: '5m',
        chart: {
          spec: {
            chart: 'new-service',
            sourceRef: {
              kind: 'HelmRepository',
              name: 'podinfo',
              namespace: 'flux-system',
            },
          },
        },
      },
    },
    {
      kind: 'Provider',
      namespace: 'flux-system',
      name: 'slack',
      spec: {
        type: 'slack',
        channel: 'fleet-alerts',
        address: 'https://hooks.slack.example.com/services/T000',
      },
      status:
        generation === 'legacy'
          ? {
              ...gen,
              conditions: conditions('ready', 'Succeeded', 'Initialized', now),
            }
          : undefined,
    },
    {
      kind: 'Alert',
      namespace: 'flux-system',
      name: 'on-failure',
      spec: {
        providerRef: { name: 'slack' },
        eventSeverity: 'error',
        eventSources: [
          { kind: 'Kustomization', name: '*' },
          { kind: 'HelmRelease', name: '*' },
        ],
      },
      status:
        generation === 'legacy'
          ? {
              ...gen,
              conditions: conditions('ready', 'Succeeded', 'Initialized', now),
            }
          : undefined,
    },
    {
      kind: 'Receiver',
      namespace: 'flux-system',
      name: 'github',
      spec: {
        type: 'github',
        events: ['push'],
        secretRef: { name: 'webhook-token' },
        resources: [{ kind: 'GitRepository', name: 'fleet' }],
      },
      status: {
        ...gen,
        webhookPath: '/hook/8d2f7e0c1b',
        conditions: conditions(
          'ready',
          'Succeeded',
          'Receiver initialized for path: /hook/8d2f7e0c1b',
          now,
        ),
      },
    },
    {
      kind: 'ImageRepository',
      namespace: 'flux-system',
      name: 'podinfo',
      labels: { 'backstage.io/kubernetes-id': 'podinfo' },
      spec: { image: 'registry.example.com/apps/podinfo', interval: '5m' },
      status: {
        ...gen,
        lastScanResult: {
          tagCount: 14,
          scanTime: now,
          latestTags: ['6.7.1', '6.7.0', '6.6.3'],
        },
        conditions: conditions(
          'ready',
          'Succeeded',
          'successful scan: found 14 tags',
          now,
        ),
      },
    },
    {
      kind: 'ImagePolicy',
      namespace: 'flux-system',
      name: 'podinfo',
      labels: { 'backstage.io/kubernetes-id': 'podinfo' },
      spec: {
        imageRepositoryRef: { name: 'podinfo' },
        policy: { semver: { range: '6.x' } },
      },
      status:
        generation === 'current'
          ? {
              ...gen,
              latestRef: {
                name: 'registry.example.com/apps/podinfo',
                tag: '6.7.1',
              },
              conditions: conditions(
                'ready',
                'Succeeded',
                "Latest image tag for 'registry.example.com/apps/podinfo' resolved to 6.7.1",
                now,
              ),
            }
          : {
              ...gen,
              latestImage: 'registry.example.com/apps/podinfo:6.7.1',
              conditions: conditions(
                'ready',
                'Succeeded',
                "Latest image tag for 'registry.example.com/apps/podinfo' resolved to: 6.7.1",
                now,
              ),
            },
    },
    {
      kind: 'ImageUpdateAutomation',
      namespace: 'flux-system',
      name: 'fleet',
      spec: {
        interval: '30m',
        suspend: true,
        sourceRef: { kind: 'GitRepository', name: 'fleet' },
        git: {
          commit: { author: { name: 'fluxcdbot', email: 'flux@example.com' } },
          push: { branch: 'main' },
        },
        update: { path: './apps', strategy: 'Setters' },
      },
      status: {
        ...gen,
        lastAutomationRunTime: now,
        conditions: conditions('ready', 'Succeeded', 'no updates made', now),
      },
    },
  ];
}

/**
 * Writes objects into a cluster: create, then status through the `/status` subresource (a real API server
 * ignores `.status` on create), then Events that name them.
 */
/**
 * Calls the API server again when it answers 429 or 5xx: an API server of the harness under load (twenty started
 * at once beside a frontend build) has answered 504 to a write that etcd finished or dropped after its deadline.
 * `onConflict` reads back an object a timed-out create turned out to have made.
 */
export async function retrying<T>(
  call: () => Promise<T>,
  onConflict?: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const code = (error as { code?: number }).code;
      if (attempt > 1 && code === 409 && onConflict) return onConflict();
      const transient = code === 429 || (code !== undefined && code >= 500);
      if (!transient || attempt === 4) throw error;
      await new Promise(resolve => setTimeout(resolve, 500 * attempt));
    }
  }
}

export async function seedFluxObjects(
  adminKubeconfig: string,
  generation: FluxGeneration,
  objects: SeedObject[] = fluxFleetObjects(generation),
): Promise<void> {
  const k8s = await clientNode();
  const kc = await kubeConfigFrom(adminKubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const mergePatch = k8s.setHeaderOptions(
    'Content-Type',
    k8s.PatchStrategy.MergePatch,
  );

  const namespaces = new Set(objects.map(o => o.namespace));
  for (const name of namespaces) {
    const labels: Record<string, string> =
      name === 'flux-system'
        ? {
            'app.kubernetes.io/part-of': 'flux',
            'app.kubernetes.io/version':
              generation === 'current' ? 'v2.9.5' : 'v2.4.0',
          }
        : {};
    await retrying(() =>
      core
        .createNamespace({ body: { metadata: { name, labels } } })
        .catch(error => {
          if (error?.code !== 409) throw error;
        }),
    );
  }

  for (const obj of objects) {
    const [group, version] = apiVersionOf(obj.kind, generation).split('/');
    const target = {
      group,
      version,
      namespace: obj.namespace,
      plural: pluralOf(obj.kind),
    };
    const created = await retrying(
      () =>
        custom.createNamespacedCustomObject({
          ...target,
          body: {
            apiVersion: `${group}/${version}`,
            kind: obj.kind,
            metadata: {
              name: obj.name,
              namespace: obj.namespace,
              labels: { 'app.kubernetes.io/part-of': 'fleet', ...obj.labels },
            },
            spec: obj.spec,
          },
        }),
      () => custom.getNamespacedCustomObject({ ...target, name: obj.name }),
    );
    if (obj.status) {
      await retrying(() =>
        custom.patchNamespacedCustomObjectStatus(
          { ...target, name: obj.name, body: { status: obj.status } },
          mergePatch,
        ),
      );
    }
    for (const [i, event] of (obj.events ?? []).entries()) {
      const time = new Date().toISOString();
      const eventName = `${obj.name}.${Date.now().toString(16)}${i}`;
      await retrying(
        () =>
          core.createNamespacedEvent({
            namespace: obj.namespace,
            body: {
              metadata: {
                name: eventName,
                namespace: obj.namespace,
              },
              involvedObject: {
                apiVersion: `${group}/${version}`,
                kind: obj.kind,
                name: obj.name,
                namespace: obj.namespace,
                uid: (created as any).metadata.uid,
              },
              type: event.type,
              reason: event.reason,
              message: event.message,
              source: { component: `${group.split('.')[0]}-controller` },
              firstTimestamp: time as any,
              lastTimestamp: time as any,
              count: 1,
            },
          }),
        () =>
          core.readNamespacedEvent({
            name: eventName,
            namespace: obj.namespace,
          }),
      );
    }
  }
}
