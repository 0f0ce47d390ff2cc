import { ChartFiles } from './chartRepository';

/**
 * What real Flux controllers reconcile in the harness: a Git repository of kustomize overlays and a Helm chart,
 * with the Flux objects that deploy them. Each shows a state a platform team meets: applied and healthy, a
 * health check that fails (a Deployment never becomes ready: these clusters have no kubelets), an overlay that
 * does not build, a release that installs, and one whose values do not render.
 */

const configMap = (name: string, namespace: string, message: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: ${namespace}
data:
  message: ${JSON.stringify(message)}
`;

const namespaceYaml = (name: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
`;

const service = (name: string, namespace: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector:
    app: ${name}
  ports:
    - port: 80
      targetPort: 8080
`;

const deployment = (name: string, namespace: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: ghcr.io/stefanprodan/podinfo:6.9.2
          ports:
            - containerPort: 8080
`;

const kustomization = (...resources: string[]) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
${resources.map(r => `  - ${r}`).join('\n')}
`;

/** The files of the demo Git repository: one overlay per state. */
export function demoRepositoryFiles(): Record<string, string> {
  return {
    'README.md': '# Demo fleet\n\nKustomize overlays reconciled by the harness\'s real Flux controllers.\n',
    'apps/web/kustomization.yaml': kustomization('namespace.yaml', 'configmap.yaml', 'service.yaml'),
    'apps/web/namespace.yaml': namespaceYaml('web'),
    'apps/web/configmap.yaml': configMap('web-settings', 'web', 'hello from the first commit'),
    'apps/web/service.yaml': service('web', 'web'),
    'apps/api/kustomization.yaml': kustomization('namespace.yaml', 'deployment.yaml', 'service.yaml'),
    'apps/api/namespace.yaml': namespaceYaml('api'),
    'apps/api/deployment.yaml': deployment('api', 'api'),
    'apps/api/service.yaml': service('api', 'api'),
    // A resource that is not in the repository: `kustomize build` fails, as after a bad merge.
    'apps/broken/kustomization.yaml': kustomization('namespace.yaml', 'missing-deployment.yaml'),
    'apps/broken/namespace.yaml': namespaceYaml('broken'),
  };
}

/** A chart that renders a ConfigMap, and refuses values without a greeting. */
export function demoChartFiles(version = '0.1.0'): ChartFiles {
  return {
    'Chart.yaml': `apiVersion: v2\nname: greeter\ndescription: A ConfigMap with a greeting\nversion: ${version}\nappVersion: "${version}"\n`,
    'values.yaml': 'greeting: hello\n',
    'templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-greeting
  namespace: {{ .Release.Namespace }}
data:
  greeting: {{ required "values.greeting is required" .Values.greeting | quote }}
`,
  };
}

/**
 * The Flux objects that deploy the demo sources, for a cluster of the current Flux generation, in `namespace`
 * (created first).
 */
export function demoFluxObjects(gitUrl: string, chartUrl: string, namespace = 'flux-system'): any[] {
  const meta = (name: string) => ({ name, namespace });
  const kustomize = (name: string, extra: object = {}) => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: meta(name),
    spec: {
      interval: '10m',
      retryInterval: '1m',
      path: `./apps/${name}`,
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'fleet' },
      ...extra,
    },
  });
  const release = (name: string, values: object) => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: meta(name),
    spec: {
      interval: '10m',
      targetNamespace: 'greetings',
      // Without it, a release in another namespace is named <targetNamespace>-<name>.
      releaseName: name,
      chart: { spec: { chart: 'greeter', version: '>=0.1.0', sourceRef: { kind: 'HelmRepository', name: 'charts' } } },
      // Nothing here runs Pods; a release of a ConfigMap needs no waiting.
      install: { createNamespace: true, disableWait: true, remediation: { retries: 0 } },
      upgrade: { disableWait: true },
      values,
    },
  });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: meta('fleet'),
      spec: { interval: '1m', url: gitUrl, ref: { branch: 'main' } },
    },
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: meta('charts'),
      spec: { interval: '1m', url: chartUrl },
    },
    kustomize('web'),
    // Health checks on: its Deployment never becomes ready, so the Kustomization fails after its timeout.
    kustomize('api', { wait: true, timeout: '10s' }),
    kustomize('broken'),
    release('greeter', { greeting: 'hello from Helm' }),
    release('greeter-broken', { greeting: null }),
  ];
}
