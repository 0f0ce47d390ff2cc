/*
 * The side-by-side with what a Backstage user would pick instead: the Kubernetes plugin (frontend and backend,
 * both in the created app already) with the Flux kinds as its customResources, on the same clusters, against
 * our Flux tab. Measured in Chromium on the same entity: from opening the tab's URL until the entity's Flux
 * objects of every cluster are on the page. A figure, printed; the runner only refuses to print figures of two
 * tabs that did not show the same objects.
 */
import { Browser, Page } from '@playwright/test';
import { applyObjects, HarnessCluster } from '@internal/kube-harness';
import { FLUX_KINDS } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import YAML from 'yaml';

/** The API version the harness's current-generation clusters serve each group at. */
const SERVED_VERSIONS: Record<string, string> = {
  'source.toolkit.fluxcd.io': 'v1',
  'kustomize.toolkit.fluxcd.io': 'v1',
  'helm.toolkit.fluxcd.io': 'v2',
  'image.toolkit.fluxcd.io': 'v1',
};

/**
 * The Kubernetes plugin's documented read-only role for its service account (the kinds its tab lists), bound
 * to the same ServiceAccount the Flux plugin uses: both plugins read as the same identity.
 */
export async function grantKubernetesPluginReads(cluster: HarnessCluster) {
  const rules = [
    {
      apiGroups: [''],
      resources: [
        'pods',
        'services',
        'configmaps',
        'limitranges',
        'resourcequotas',
      ],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: ['apps'],
      resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: ['autoscaling'],
      resources: ['horizontalpodautoscalers'],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: ['networking.k8s.io'],
      resources: ['ingresses'],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: ['batch'],
      resources: ['jobs', 'cronjobs'],
      verbs: ['get', 'list', 'watch'],
    },
  ];
  await applyObjects(cluster.adminKubeconfig, [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'backstage-kubernetes-plugin-read' },
      rules,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'backstage-kubernetes-plugin-read' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'backstage-kubernetes-plugin-read',
      },
      subjects: [
        {
          kind: 'ServiceAccount',
          name: 'flux-orchestrator-viewer',
          namespace: 'flux-orchestrator',
        },
      ],
    },
  ]);
}

/** Both plugins configured for the same clusters, with the viewer's token of deploy/managed-cluster. */
export function sideBySideConfig(clusters: HarnessCluster[]): string {
  const customResources = [
    ...new Map(
      FLUX_KINDS.filter(kind => SERVED_VERSIONS[kind.group]).map(kind => [
        `${kind.group}/${kind.plural}`,
        {
          group: kind.group,
          apiVersion: SERVED_VERSIONS[kind.group],
          plural: kind.plural,
        },
      ]),
    ).values(),
  ];
  return YAML.stringify({
    fluxOrchestrator: {
      clusters: clusters.map(cluster => ({
        name: cluster.name,
        url: cluster.server,
        serviceAccountToken: cluster.tokens.viewer,
        caData: cluster.caPem,
      })),
    },
    kubernetes: {
      serviceLocatorMethod: { type: 'multiTenant' },
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: clusters.map(cluster => ({
            name: cluster.name,
            url: cluster.server,
            authProvider: 'serviceAccount',
            serviceAccountToken: cluster.tokens.viewer,
            caData: Buffer.from(cluster.caPem).toString('base64'),
            // No metrics-server on these clusters, as on many.
            skipMetricsLookup: true,
          })),
        },
      ],
      customResources,
    },
  });
}

export interface TabTiming {
  /** From navigating to the tab until the entity's Flux objects of every cluster are on screen. */
  ms: number;
  /** Of that, the tab's one API call (the Kubernetes backend's live fan-out, or our stored objects). */
  apiMs: number;
  /** What was on screen then: clusters shown (Kubernetes tab) or object rows (Flux tab). */
  shown: number;
  /** The entity's Flux objects in the API's answer. */
  objects: number;
  /** The errors the Kubernetes plugin's answer reported per cluster (a 403, a cluster down). */
  errors?: number;
}

/** The Flux objects (and errors) in an answer of each plugin's API. */
type CountObjects = (body: any) => { objects: number; errors?: number };

const kubernetesObjects: CountObjects = body => ({
  objects: (body.items ?? [])
    .flatMap((cluster: any) => cluster.resources ?? [])
    .filter((group: any) => group.type === 'customresources')
    .reduce((sum: number, group: any) => sum + group.resources.length, 0),
  errors: (body.items ?? []).reduce(
    (sum: number, cluster: any) => sum + (cluster.errors?.length ?? 0),
    0,
  ),
});

// The page of stored objects (all of them: the tab is opened with 200 rows a page).
const fluxObjects: CountObjects = body => ({ objects: body.items.length });

/**
 * Opens one tab of the entity page by its URL, in a page that has loaded the app before (so that both tabs
 * start from a warm bundle cache), and times it until `onScreen` sees the objects.
 */
async function timeTab(
  page: Page,
  url: string,
  api: string,
  countObjects: CountObjects,
  onScreen: () => Promise<number>,
  screenshot: string,
): Promise<TabTiming> {
  const apiCall = page.waitForResponse(
    response => response.url().includes(api),
    { timeout: 120_000 },
  );
  // Awaited below; if the page fails first, its rejection must not end the process unreported.
  apiCall.catch(() => {});
  const started = performance.now();
  await page.goto(url);
  const shown = await onScreen();
  const ms = performance.now() - started;
  const response = await apiCall;
  // The timing's end is known once the body has arrived.
  await response.finished();
  const timing = response.request().timing();
  if (!(timing.responseEnd > 0))
    throw new Error(`no timing for the answer of ${response.url()}`);
  await page.screenshot({ path: screenshot });
  return {
    ms,
    apiMs: timing.responseEnd,
    shown,
    ...countObjects(await response.json()),
  };
}

/**
 * The Kubernetes tab: one accordion per cluster, the Flux objects under its custom resources; it draws
 * nothing of any cluster until every cluster has answered the backend's fan-out. The Flux tab: one row per
 * object, from the plugin's database.
 */
export async function measureTabs(
  browser: Browser,
  baseUrl: string,
  entityPath: string,
  clusterNames: string[],
  objects: number,
  signIn: (page: Page) => Promise<void>,
  screenshotPrefix: string,
): Promise<{ kubernetes: TabTiming; flux: TabTiming }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: 1440, height: 900 },
  });
  try {
    const page = await context.newPage();
    await page.goto(entityPath);
    await signIn(page);
    await page.waitForLoadState('networkidle');
    const lastCluster = clusterNames[clusterNames.length - 1];
    const kubernetes = await timeTab(
      page,
      `${entityPath}/kubernetes`,
      '/api/kubernetes/services/',
      kubernetesObjects,
      async () => {
        await page
          .getByText(lastCluster, { exact: true })
          .first()
          .waitFor({ timeout: 120_000 });
        let shown = 0;
        for (const name of clusterNames) {
          if ((await page.getByText(name, { exact: true }).count()) > 0)
            shown++;
        }
        return shown;
      },
      `${screenshotPrefix}-kubernetes.png`,
    );
    const flux = await timeTab(
      page,
      // All the entity's objects on one page, as the Kubernetes tab has them all.
      `${entityPath}/flux?limit=200`,
      '/api/flux-orchestrator/resources?',
      fluxObjects,
      async () => {
        const rows = page.getByTestId('resource-row');
        await rows.nth(objects - 1).waitFor({ timeout: 120_000 });
        return rows.count();
      },
      `${screenshotPrefix}-flux.png`,
    );
    return { kubernetes, flux };
  } finally {
    await context.close();
  }
}
