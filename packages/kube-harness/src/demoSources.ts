import { ChartFiles } from './chartRepository';

/**
 * What real Flux controllers reconcile in the harness: a Git repository of kustomize overlays and a Helm chart,
 * with the Flux objects that deploy them. Each shows a state a platform team meets: applied and healthy, a
 * health check that fails (a Deployment never becomes ready: these clusters have no kubelets), an overlay that
 * does not build, a release that installs, and one whose values do not render.
 */

const configMap = (
  name: string,
  namespace: string,
  message: string,
) => `apiVersion: v1
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

const kustomization = (
  ...resources: string[]
) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
${resources.map(r => `  - ${r}`).join('\n')}
`;

const deploymentWithoutPorts = (
  name: string,
  namespace: string,
  image: string,
) => `apiVersion: apps/v1
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
          image: ${image}
`;

/**
 * The files of the demo Git repository: platform controllers, the production apps, tenants (a folder missing
 * after a bad merge), and small overlays with one state each for the tests.
 */
export function demoRepositoryFiles(): Record<string, string> {
  return {
    'README.md':
      "# Demo fleet\n\nKustomize overlays reconciled by the harness's real Flux controllers.\n",
    'infrastructure/controllers/kustomization.yaml': kustomization(
      'cert-manager.yaml',
      'ingress-nginx.yaml',
    ),
    'infrastructure/controllers/cert-manager.yaml': `${namespaceYaml(
      'cert-manager',
    )}---\n${deploymentWithoutPorts(
      'cert-manager',
      'cert-manager',
      'quay.io/jetstack/cert-manager-controller:v1.18.2',
    )}`,
    'infrastructure/controllers/ingress-nginx.yaml': `${namespaceYaml(
      'ingress-nginx',
    )}---\n${deploymentWithoutPorts(
      'ingress-nginx-controller',
      'ingress-nginx',
      'registry.k8s.io/ingress-nginx/controller:v1.13.0',
    )}`,
    'apps/production/kustomization.yaml': kustomization('frontend.yaml'),
    'apps/production/frontend.yaml': `${configMap(
      'frontend-settings',
      'apps',
      'production',
    )}---\n${service('frontend', 'apps')}`,
    // A folder the kustomization names but the repository lacks: `kustomize build` fails, as after a bad merge.
    'tenants/kustomization.yaml': kustomization('./team-b', './team-a'),
    'tenants/team-b/kustomization.yaml': kustomization('namespace.yaml'),
    'tenants/team-b/namespace.yaml': namespaceYaml('team-b'),
    'apps/web/kustomization.yaml': kustomization(
      'namespace.yaml',
      'configmap.yaml',
      'service.yaml',
    ),
    'apps/web/namespace.yaml': namespaceYaml('web'),
    'apps/web/configmap.yaml': configMap(
      'web-settings',
      'web',
      'hello from the first commit',
    ),
    'apps/web/service.yaml': service('web', 'web'),
    'apps/api/kustomization.yaml': kustomization(
      'namespace.yaml',
      'deployment.yaml',
      'service.yaml',
    ),
    'apps/api/namespace.yaml': namespaceYaml('api'),
    'apps/api/deployment.yaml': deployment('api', 'api'),
    'apps/api/service.yaml': service('api', 'api'),
    'apps/broken/kustomization.yaml': kustomization(
      'namespace.yaml',
      'missing-deployment.yaml',
    ),
    'apps/broken/namespace.yaml': namespaceYaml('broken'),
  };
}

/** The manifests the demo's OCI artifact carries: what a platform team publishes with `flux push artifact`. */
export function demoArtifactFiles(): Record<string, string> {
  return {
    'monitoring/kustomization.yaml': kustomization(
      'namespace.yaml',
      'dashboards.yaml',
    ),
    'monitoring/namespace.yaml': namespaceYaml('monitoring'),
    'monitoring/dashboards.yaml': configMap(
      'fleet-dashboards',
      'monitoring',
      'published as an OCI artifact',
    ),
  };
}

const chartYaml = (name: string, version: string, description: string) =>
  `apiVersion: v2\nname: ${name}\ndescription: ${description}\nversion: ${version}\nappVersion: "${version}"\n`;

/** A chart that renders a ConfigMap, and refuses values without a greeting. */
export function demoChartFiles(version = '0.1.0'): ChartFiles {
  return {
    'Chart.yaml': chartYaml('greeter', version, 'A ConfigMap with a greeting'),
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

const chartDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  namespace: {{ .Release.Namespace }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app: {{ .Release.Name }}
  template:
    metadata:
      labels:
        app: {{ .Release.Name }}
    spec:
      containers:
        - name: app
          image: {{ .Values.image }}
`;

/**
 * The application charts of the demo fleet: podinfo (a Deployment and a Service), and redis, whose Deployment
 * never becomes ready here (no kubelets), so a release that waits for it fails as an install that times out does.
 * Its password goes into a Secret, as real charts put it.
 */
export function demoApplicationCharts(): ChartFiles[] {
  return [
    {
      'Chart.yaml': chartYaml(
        'podinfo',
        '6.9.2',
        'A web application, as a Deployment and a Service',
      ),
      'values.yaml':
        'replicaCount: 1\nimage: ghcr.io/stefanprodan/podinfo:6.9.2\n',
      'templates/deployment.yaml': chartDeployment,
      'templates/service.yaml': service(
        '{{ .Release.Name }}',
        '{{ .Release.Namespace }}',
      ),
    },
    {
      'Chart.yaml': chartYaml(
        'redis',
        '19.6.4',
        'A key-value store with a password',
      ),
      'values.yaml':
        'replicaCount: 1\nimage: docker.io/bitnami/redis:7.2.5\narchitecture: standalone\nauth:\n  password: ""\n',
      'templates/deployment.yaml': chartDeployment,
      'templates/secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: {{ .Release.Name }}-auth
  namespace: {{ .Release.Namespace }}
data:
  password: {{ required "values.auth.password is required" .Values.auth.password | b64enc | quote }}
`,
    },
  ];
}

/**
 * The Flux objects that deploy the demo sources on a cluster of the current Flux generation: namespaces first,
 * then sources, then what applies them. Objects of the example catalog entities carry their
 * `backstage.io/kubernetes-id` label.
 */
export function demoFluxObjects(urls: {
  git: string;
  charts: string;
  oci: string;
}): any[] {
  const { git: gitUrl, charts: chartUrl } = urls;
  const meta = (
    name: string,
    namespace = 'flux-system',
    labels?: Record<string, string>,
  ) => ({
    name,
    namespace,
    ...(labels ? { labels } : {}),
  });
  const owned = (id: string) => ({ 'backstage.io/kubernetes-id': id });
  const kustomize = (name: string, path: string, extra: object = {}) => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: meta(name),
    spec: {
      interval: '10m',
      // Failures retry every 5 minutes: often enough to see, rarely enough that statuses hold still on a page.
      retryInterval: '5m',
      path,
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'fleet' },
      ...extra,
    },
  });
  const chartOf = (chart: string, repository: string, version = '>=0.1.0') => ({
    spec: {
      chart,
      version,
      sourceRef: {
        kind: 'HelmRepository',
        name: repository,
        namespace: 'flux-system',
      },
    },
  });
  // Nothing here runs Pods, so releases do not wait for their workloads unless told to.
  const noWait = {
    install: { disableWait: true, remediation: { retries: 0 } },
    upgrade: { disableWait: true },
  };
  const greeter = (name: string, values: object) => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: meta(name),
    spec: {
      interval: '10m',
      targetNamespace: 'greetings',
      // Without it, a release in another namespace is named <targetNamespace>-<name>.
      releaseName: name,
      chart: chartOf('greeter', 'charts'),
      install: { ...noWait.install, createNamespace: true },
      upgrade: noWait.upgrade,
      values,
    },
  });
  const source = (
    kind: string,
    name: string,
    spec: object,
    labels?: Record<string, string>,
  ) => ({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind,
    metadata: meta(name, 'flux-system', labels),
    spec,
  });
  const app = (
    name: string,
    spec: object,
    labels?: Record<string, string>,
  ) => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: meta(name, 'apps', labels),
    spec: { interval: '5m', ...spec },
  });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flux-system' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } },
    source('GitRepository', 'fleet', {
      interval: '1m',
      url: gitUrl,
      ref: { branch: 'main' },
    }),
    source('HelmRepository', 'charts', { interval: '1m', url: chartUrl }),
    source(
      'HelmRepository',
      'podinfo',
      { interval: '1h', url: chartUrl },
      owned('podinfo'),
    ),
    // A repository address with no index behind it: source-controller's fetch fails with the server's 404.
    source('HelmRepository', 'bitnami', {
      interval: '1h',
      url: `${chartUrl}/bitnami`,
    }),
    source('OCIRepository', 'manifests', {
      interval: '5m',
      url: `${urls.oci}/platform/manifests`,
      ref: { tag: 'latest' },
      insecure: true,
    }),
    // Suspended before it was ever reconciled: Flux leaves it alone.
    source('Bucket', 'artifacts', {
      interval: '5m',
      bucketName: 'fleet-artifacts',
      endpoint: 'minio.example.com',
      suspend: true,
    }),
    kustomize('infra-controllers', './infrastructure/controllers'),
    kustomize('apps', './apps/production', {
      dependsOn: [{ name: 'infra-controllers' }],
    }),
    kustomize('tenants', './tenants'),
    kustomize('web', './apps/web'),
    // Health checks on: its Deployment never becomes ready, so the Kustomization fails after its timeout.
    kustomize('api', './apps/api', { wait: true, timeout: '10s' }),
    kustomize('broken', './apps/broken'),
    kustomize('monitoring', './monitoring', {
      sourceRef: { kind: 'OCIRepository', name: 'manifests' },
    }),
    app(
      'podinfo',
      { chart: chartOf('podinfo', 'podinfo', '6.x'), ...noWait },
      owned('podinfo'),
    ),
    // Inline values with a password, as teams write them: the portal must show the keys and never the value.
    // The release waits for its Deployment, which never becomes ready: the install fails when its timeout ends.
    app(
      'redis',
      {
        chart: chartOf('redis', 'charts', '19.x'),
        timeout: '15s',
        install: { remediation: { retries: 0 } },
        values: {
          architecture: 'standalone',
          auth: { password: 'demo-redis-password-never-shown' },
        },
      },
      owned('redis'),
    ),
    // Suspended from its creation, as a release waiting for its go-live: no controller has reconciled it. No
    // catalog entity selects it.
    app('new-service', {
      chart: chartOf('new-service', 'charts'),
      suspend: true,
    }),
    greeter('greeter', { greeting: 'hello from Helm' }),
    greeter('greeter-broken', { greeting: null }),
  ];
}
