import { KubernetesObject } from './parseFluxObject';
import {
  REDACTED,
  redactFluxObject,
  RedactionOptions,
} from './redactFluxObject';

const GITHUB_TOKEN = 'ghp_R4nd0mT0kenV4lue0123456789abcdefABCD';
const HOOK_DIGEST =
  'bed6d00b5555b1603e1f59b94d7fdbca58089cb5663633fb83f2815dc626d92b';

function meta(name: string, namespace = 'flux-system') {
  return {
    name,
    namespace,
    uid: `4b9a7c4e-0000-4000-8000-${name.padEnd(12, '0').slice(0, 12)}`,
    resourceVersion: '918273',
    generation: 2,
    creationTimestamp: '2026-11-20T09:00:00Z',
  };
}

function ready(message: string, reason = 'Succeeded') {
  return {
    type: 'Ready',
    status: 'True',
    reason,
    message,
    lastTransitionTime: '2026-11-20T10:00:00Z',
    observedGeneration: 2,
  };
}

function failing(message: string, reason: string) {
  return { ...ready(message, reason), status: 'False' };
}

/** A Kustomization of the `apps` namespace with the given inline patches. */
function patchedKustomization(patches: unknown[]): KubernetesObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: meta('apps'),
    spec: {
      interval: '10m',
      path: './apps',
      sourceRef: { kind: 'GitRepository', name: 'fleet' },
      patches,
    },
  };
}

function provider(spec: Record<string, unknown>): KubernetesObject {
  return {
    apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
    kind: 'Provider',
    metadata: meta('alerts'),
    spec,
  };
}

interface Case {
  name: string;
  object: KubernetesObject;
  options?: RedactionOptions;
  /** Strings that must not appear anywhere in the stored object. */
  secrets: string[];
  /** Strings that must still appear in the stored object. */
  kept: string[];
  redacted: string[];
}

const cases: Case[] = [
  {
    name: 'replaces every HelmRelease value by the marker and keeps the top-level keys',
    object: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: meta('billing', 'billing'),
      spec: {
        interval: '10m',
        chart: {
          spec: {
            chart: 'billing',
            version: '3.2.x',
            sourceRef: { kind: 'HelmRepository', name: 'acme-charts' },
          },
        },
        values: {
          postgresql: {
            auth: { username: 'billing', password: 'pg-Sup3rS3cret' },
          },
          stripe: { apiKey: 'sk_live_51HxyzAbc' },
          replicaCount: 3,
        },
        valuesFrom: [{ kind: 'Secret', name: 'billing-values' }],
      },
      status: {
        conditions: [
          ready('Helm upgrade succeeded for release billing/billing.v4'),
        ],
      },
    },
    secrets: ['pg-Sup3rS3cret', 'sk_live_51HxyzAbc', '"username":"billing"'],
    kept: [
      `"values":{"postgresql":"${REDACTED}","stripe":"${REDACTED}","replicaCount":"${REDACTED}"}`,
      '"valuesFrom":[{"kind":"Secret","name":"billing-values"}]',
    ],
    redacted: ['spec.values'],
  },
  {
    name: 'replaces the values of Kustomization post-build substitutions and keeps their names',
    object: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: meta('apps'),
      spec: {
        interval: '10m',
        path: './apps/production',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'fleet' },
        postBuild: {
          substitute: {
            cluster_name: 'prod-eu-1',
            DB_PASSWORD: 'hunter2-but-longer',
          },
          substituteFrom: [{ kind: 'Secret', name: 'cluster-secrets' }],
        },
      },
    },
    secrets: ['prod-eu-1', 'hunter2-but-longer'],
    kept: [
      `"substitute":{"cluster_name":"${REDACTED}","DB_PASSWORD":"${REDACTED}"}`,
      '"substituteFrom":[{"kind":"Secret","name":"cluster-secrets"}]',
    ],
    redacted: [
      'spec.postBuild.substitute.cluster_name',
      'spec.postBuild.substitute.DB_PASSWORD',
    ],
  },
  {
    name: "strips the token from a GitRepository URL in a failing condition's message",
    object: {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: meta('fleet'),
      spec: {
        interval: '1m',
        url: `https://flux-bot:${GITHUB_TOKEN}@github.com/acme/fleet.git`,
        ref: { branch: 'main' },
      },
      status: {
        conditions: [
          failing(
            `failed to checkout and determine revision: unable to clone 'https://flux-bot:${GITHUB_TOKEN}@github.com/acme/fleet.git': authentication required`,
            'GitOperationFailed',
          ),
        ],
      },
    },
    secrets: [GITHUB_TOKEN, 'flux-bot'],
    kept: [
      '"url":"https://[redacted]@github.com/acme/fleet.git"',
      "unable to clone 'https://[redacted]@github.com/acme/fleet.git': authentication required",
    ],
    redacted: [
      'spec.url (credentials)',
      'status.conditions[0].message (credentials)',
    ],
  },
  {
    name: 'keeps the login name of an ssh GitRepository URL, which is no secret',
    object: {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: meta('fleet'),
      spec: {
        interval: '1m',
        url: 'ssh://git@github.com/acme/fleet',
        secretRef: { name: 'flux-system' },
      },
    },
    secrets: [],
    kept: ['"url":"ssh://git@github.com/acme/fleet"'],
    redacted: [],
  },
  {
    name: 'strips basic auth with an @ in the password from a HelmRepository URL',
    object: {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: meta('acme-charts'),
      spec: {
        interval: '1h',
        url: 'https://chartreader:Pa55@w0rd@charts.acme.io/stable',
      },
    },
    secrets: ['chartreader', 'Pa55', 'w0rd'],
    kept: ['"url":"https://[redacted]@charts.acme.io/stable"'],
    redacted: ['spec.url (credentials)'],
  },
  {
    name: 'strips a token query parameter from a URL and keeps the other parameters',
    object: {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'Bucket',
      metadata: meta('manifests'),
      spec: {
        interval: '5m',
        bucketName: 'manifests',
        endpoint: 'minio.acme.io',
      },
      status: {
        conditions: [
          failing(
            'GET https://minio.acme.io/manifests/index.yaml?X-Amz-Signature=abcdef0123456789&X-Amz-Expires=300 returned 403',
            'BucketOperationFailed',
          ),
        ],
      },
    },
    secrets: ['abcdef0123456789'],
    kept: [
      'https://minio.acme.io/manifests/index.yaml?X-Amz-Signature=[redacted]&X-Amz-Expires=300 returned 403',
    ],
    redacted: ['status.conditions[0].message (credentials)'],
  },
  {
    name: 'replaces the last-applied-configuration annotation, which repeats the whole spec',
    object: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: {
        ...meta('apps'),
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration':
            '{"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","spec":{"postBuild":{"substitute":{"DB_PASSWORD":"hunter2-but-longer"}}}}\n',
          'reconcile.fluxcd.io/requestedAt': '2026-11-20T10:01:00Z',
        },
      },
      spec: {
        interval: '10m',
        path: './apps',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'fleet' },
        postBuild: { substitute: { DB_PASSWORD: 'hunter2-but-longer' } },
      },
    },
    secrets: ['hunter2-but-longer'],
    kept: [
      `"kubectl.kubernetes.io/last-applied-configuration":"${REDACTED}"`,
      '"reconcile.fluxcd.io/requestedAt":"2026-11-20T10:01:00Z"',
    ],
    redacted: [
      'metadata.annotations.kubectl.kubernetes.io/last-applied-configuration',
      'spec.postBuild.substitute.DB_PASSWORD',
    ],
  },
  {
    name: 'hides the webhook path of a Receiver in its status and in its Ready message',
    object: {
      apiVersion: 'notification.toolkit.fluxcd.io/v1',
      kind: 'Receiver',
      metadata: meta('github-receiver'),
      spec: {
        type: 'github',
        events: ['ping', 'push'],
        secretRef: { name: 'receiver-token' },
        resources: [{ kind: 'GitRepository', name: 'fleet' }],
      },
      status: {
        observedGeneration: 2,
        webhookPath: `/hook/${HOOK_DIGEST}`,
        conditions: [
          ready(`Receiver initialized for path: /hook/${HOOK_DIGEST}`),
        ],
      },
    },
    secrets: [HOOK_DIGEST],
    kept: [
      `"webhookPath":"${REDACTED}"`,
      'Receiver initialized for path: /hook/[redacted]',
      '"secretRef":{"name":"receiver-token"}',
    ],
    redacted: [
      'status.webhookPath',
      'status.conditions[0].message (credentials)',
    ],
  },
  {
    name: 'hides the status.url of an older Receiver',
    object: {
      apiVersion: 'notification.toolkit.fluxcd.io/v1beta1',
      kind: 'Receiver',
      metadata: meta('github-receiver'),
      spec: {
        type: 'github',
        secretRef: { name: 'receiver-token' },
        resources: [],
      },
      status: { url: `/hook/${HOOK_DIGEST}` },
    },
    secrets: [HOOK_DIGEST],
    kept: [`"url":"${REDACTED}"`],
    redacted: ['status.url'],
  },
  {
    name: 'keeps only the scheme and host of a Slack webhook address',
    object: provider({
      type: 'slack',
      channel: 'general',
      address:
        'https://hooks.slack.com/services/T0ACME/B0FLUX/xoxoWebhookS3cret',
    }),
    secrets: ['T0ACME', 'B0FLUX', 'xoxoWebhookS3cret'],
    kept: [
      '"address":"https://hooks.slack.com/[redacted]"',
      '"channel":"general"',
    ],
    redacted: ['spec.address'],
  },
  {
    name: 'keeps only the scheme and host of a Google Chat address, whose key and token are query parameters',
    object: provider({
      type: 'googlechat',
      address:
        'https://chat.googleapis.com/v1/spaces/AAAAacme/messages?key=AIzaSyAcmeKey&token=gcTok3n',
    }),
    secrets: ['AAAAacme', 'AIzaSyAcmeKey', 'gcTok3n'],
    kept: ['"address":"https://chat.googleapis.com/[redacted]"'],
    redacted: ['spec.address'],
  },
  {
    name: 'keeps only the scheme and host of a generic-hmac webhook address',
    object: provider({
      type: 'generic-hmac',
      address: 'https://events.acme.io/flux/8c1f0e2d',
      secretRef: { name: 'webhook-hmac' },
    }),
    secrets: ['8c1f0e2d'],
    kept: [
      '"address":"https://events.acme.io/[redacted]"',
      '"name":"webhook-hmac"',
    ],
    redacted: ['spec.address'],
  },
  {
    name: 'treats the address of a provider type it does not know as a webhook URL',
    object: provider({
      type: 'carrier-pigeon',
      address: 'https://coop.acme.io/roost/9f8e7d',
    }),
    secrets: ['roost', '9f8e7d'],
    kept: ['"address":"https://coop.acme.io/[redacted]"'],
    redacted: ['spec.address'],
  },
  {
    name: 'keeps the repository address of a GitHub commit-status provider',
    object: provider({
      type: 'github',
      address: 'https://github.com/acme/fleet',
      secretRef: { name: 'github-token' },
    }),
    secrets: [],
    kept: ['"address":"https://github.com/acme/fleet"'],
    redacted: [],
  },
  {
    name: 'keeps the path of an Alertmanager address and strips its basic auth',
    object: provider({
      type: 'alertmanager',
      address: 'https://flux:am-Pa55word@alertmanager.acme.io/api/v2/alerts/',
    }),
    secrets: ['am-Pa55word'],
    kept: [
      '"address":"https://[redacted]@alertmanager.acme.io/api/v2/alerts/"',
    ],
    redacted: ['spec.address (credentials)'],
  },
  {
    name: 'hides the routing key a PagerDuty provider keeps in its channel',
    object: provider({
      type: 'pagerduty',
      address: 'https://events.pagerduty.com',
      channel: 'R0UT1NGK3Y0123456789abcdef',
    }),
    secrets: ['R0UT1NGK3Y0123456789abcdef'],
    kept: [
      '"address":"https://events.pagerduty.com"',
      `"channel":"${REDACTED}"`,
    ],
    redacted: ['spec.channel'],
  },
  {
    name: 'strips the credentials of a provider proxy and the key of a pasted Event Hub connection string',
    object: provider({
      type: 'azureeventhub',
      address:
        'Endpoint=sb://fluxv2.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=c2FzLWtleS12YWx1ZQ==',
      channel: 'fluxv2',
      proxy: 'http://proxyuser:pr0xyPa55@proxy.acme.io:3128',
    }),
    secrets: ['c2FzLWtleS12YWx1ZQ', 'proxyuser', 'pr0xyPa55'],
    kept: [
      'SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=[redacted]',
      '"proxy":"http://[redacted]@proxy.acme.io:3128"',
    ],
    redacted: ['spec.address (credentials)', 'spec.proxy (credentials)'],
  },
  {
    name: 'replaces Kustomization patches that target or declare a Secret and keeps the others',
    object: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: meta('apps'),
      spec: {
        interval: '10m',
        path: './apps',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'fleet' },
        patches: [
          {
            patch:
              '- op: replace\n  path: /data/token\n  value: dG9rZW4tdmFsdWU=\n',
            target: { kind: 'Secret', name: 'api-token' },
          },
          {
            patch:
              'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: s3cr3t-from-patch\n',
          },
          {
            patch:
              'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podinfo\nspec:\n  replicas: 3\n',
            target: { kind: 'Deployment', name: 'podinfo' },
          },
        ],
      },
    },
    secrets: ['dG9rZW4tdmFsdWU=', 's3cr3t-from-patch'],
    kept: ['replicas: 3', '"target":{"kind":"Secret","name":"api-token"}'],
    redacted: ['spec.patches[0].patch', 'spec.patches[1].patch'],
  },
  {
    name: 'replaces a patch whose target kind is a pattern that matches Secret',
    object: patchedKustomization([
      {
        patch: '- op: add\n  path: /data/extra\n  value: ZXh0cmEtc2VjcmV0\n',
        target: { kind: 'Secret|ConfigMap', labelSelector: 'app=billing' },
      },
      {
        patch: '- op: add\n  path: /metadata/labels/team\n  value: payments\n',
        target: { kind: 'Config.*', labelSelector: 'app=billing' },
      },
    ]),
    secrets: ['ZXh0cmEtc2VjcmV0'],
    kept: ['value: payments'],
    redacted: ['spec.patches[0].patch'],
  },
  {
    name: 'replaces a kind-less patch that writes stringData through a label selector',
    object: patchedKustomization([
      {
        patch:
          '[{"op":"add","path":"/stringData/api-key","value":"ak-kindless-1234"}]',
        target: { labelSelector: 'app.kubernetes.io/part-of=billing' },
      },
    ]),
    secrets: ['ak-kindless-1234'],
    kept: ['"labelSelector":"app.kubernetes.io/part-of=billing"'],
    redacted: ['spec.patches[0].patch'],
  },
  {
    name: 'replaces strategic-merge and JSON 6902 patches of Secrets in a v1beta2 Kustomization',
    object: {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
      kind: 'Kustomization',
      metadata: meta('legacy'),
      spec: {
        interval: '10m',
        path: './legacy',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'fleet' },
        patchesStrategicMerge: [
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'smtp' },
            stringData: { password: 'smtp-pa55-legacy' },
          },
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'mailer' },
            spec: { replicas: 2 },
          },
        ],
        patchesJson6902: [
          {
            target: { version: 'v1', kind: 'Secret', name: 'smtp' },
            patch: [
              { op: 'replace', path: '/data/user', value: 'bWFpbGVyLXVzZXI=' },
            ],
          },
          {
            target: {
              group: 'apps',
              version: 'v1',
              kind: 'Deployment',
              name: 'mailer',
            },
            patch: [{ op: 'replace', path: '/spec/replicas', value: 4 }],
          },
        ],
      },
    },
    secrets: ['smtp-pa55-legacy', 'bWFpbGVyLXVzZXI='],
    kept: ['"metadata":{"name":"mailer"}', '"path":"/spec/replicas","value":4'],
    redacted: [
      'spec.patchesStrategicMerge[0]',
      'spec.patchesJson6902[0].patch',
    ],
  },
  {
    name: 'replaces HelmRelease post-renderer patches of Secrets',
    object: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: meta('grafana', 'monitoring'),
      spec: {
        interval: '30m',
        chartRef: { kind: 'OCIRepository', name: 'grafana' },
        postRenderers: [
          {
            kustomize: {
              patches: [
                {
                  target: { kind: 'Secret', name: 'grafana' },
                  patch:
                    '- op: replace\n  path: /data/admin-password\n  value: Z3JhZmFuYS1hZG1pbg==\n',
                },
                {
                  target: { kind: 'Deployment', name: 'grafana' },
                  patch:
                    '- op: add\n  path: /spec/template/spec/priorityClassName\n  value: high\n',
                },
              ],
            },
          },
        ],
      },
    },
    secrets: ['Z3JhZmFuYS1hZG1pbg=='],
    kept: ['value: high'],
    redacted: ['spec.postRenderers[0].kustomize.patches[0].patch'],
  },
  {
    name: 'hides the CI variables among an ImageUpdateAutomation push options',
    object: {
      apiVersion: 'image.toolkit.fluxcd.io/v1',
      kind: 'ImageUpdateAutomation',
      metadata: meta('fleet-images'),
      spec: {
        interval: '30m',
        sourceRef: { kind: 'GitRepository', name: 'fleet' },
        git: {
          checkout: { ref: { branch: 'main' } },
          commit: { author: { name: 'fluxbot', email: 'flux@acme.io' } },
          push: {
            branch: 'image-updates',
            options: {
              'merge_request.create': '',
              'merge_request.target': 'main',
              'ci.variable': 'DEPLOY_TOKEN=dt-0123456789',
            },
          },
        },
        update: { path: './clusters/production', strategy: 'Setters' },
      },
    },
    secrets: ['dt-0123456789'],
    kept: ['"merge_request.target":"main"', `"ci.variable":"${REDACTED}"`],
    redacted: ['spec.git.push.options.ci.variable'],
  },
];

describe('redactFluxObject', () => {
  it.each(cases)('$name', ({ object, options, secrets, kept, redacted }) => {
    const before = JSON.stringify(object);
    const result = redactFluxObject(object, options);
    const stored = JSON.stringify(result.object);

    for (const secret of secrets) expect(stored).not.toContain(secret);
    for (const part of kept) expect(stored).toContain(part);
    expect(result.redacted).toEqual(redacted);
    expect(JSON.stringify(object)).toBe(before);
  });

  it('keeps the fields that identify and judge the object', () => {
    const [helmRelease] = cases;
    const { object } = redactFluxObject(helmRelease.object);
    expect(object.metadata).toEqual(helmRelease.object.metadata);
    expect(object.status).toEqual(helmRelease.object.status);
    expect(object.spec?.chart).toEqual(helmRelease.object.spec?.chart);
  });

  it('never writes to its input, even deep inside', () => {
    const input = deepFreeze(structuredClone(cases[2].object));
    expect(() => redactFluxObject(input)).not.toThrow();
    expect(input.spec?.url).toContain(GITHUB_TOKEN);
    expect(input.status?.conditions[0].message).toContain(GITHUB_TOKEN);
  });

  it('keeps HelmRelease values when the cluster opts in, but still strips credentials in their URLs', () => {
    const object: KubernetesObject = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: meta('app', 'apps'),
      spec: {
        values: {
          image: { repository: 'ghcr.io/acme/app', tag: '1.4.2' },
          upstream: 'https://svc:upstr3am-pass@api.partner.io/v1',
        },
      },
    };
    const result = redactFluxObject(object, { keepHelmValues: true });
    expect(result.object.spec?.values.image).toEqual({
      repository: 'ghcr.io/acme/app',
      tag: '1.4.2',
    });
    expect(result.object.spec?.values.upstream).toBe(
      'https://[redacted]@api.partner.io/v1',
    );
    expect(result.redacted).toEqual(['spec.values.upstream (credentials)']);
  });

  it('applies the rules of the kind given in the options when the object does not name its kind', () => {
    const { kind: _kind, ...listItem } = cases[0].object;
    const result = redactFluxObject(listItem, { kind: 'HelmRelease' });
    expect(JSON.stringify(result.object)).not.toContain('pg-Sup3rS3cret');
    expect(result.redacted).toEqual(['spec.values']);
  });

  it('applies every rule to an object whose kind is unknown', () => {
    const { kind: _kind, ...listItem } = cases[1].object;
    const result = redactFluxObject(listItem);
    expect(JSON.stringify(result.object)).not.toContain('hunter2-but-longer');
  });

  it('does not apply the rules of one kind to another', () => {
    const gitRepository: KubernetesObject = {
      apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
      kind: 'GitRepository',
      metadata: meta('fleet'),
      spec: { url: 'https://github.com/acme/fleet' },
      status: {
        url: 'http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/fleet/latest.tar.gz',
      },
    };
    const result = redactFluxObject(gitRepository);
    expect(result.object).toEqual(gitRepository);
    expect(result.redacted).toEqual([]);
  });

  it('gives the same object when run on its own output', () => {
    for (const { object, options } of cases) {
      const once = redactFluxObject(object, options).object;
      const twice = redactFluxObject(once, options).object;
      expect(twice).toEqual(once);
    }
  });

  it('keeps a Date creationTimestamp a Date', () => {
    const created = new Date('2026-11-20T09:00:00Z');
    const object: KubernetesObject = {
      ...cases[3].object,
      metadata: { ...cases[3].object.metadata, creationTimestamp: created },
    };
    const { metadata } = redactFluxObject(object).object;
    expect(metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(metadata?.creationTimestamp).toEqual(created);
    expect(metadata?.creationTimestamp).not.toBe(created);
  });

  describe('on shapes the CRDs do not allow', () => {
    const helmRelease = (values: unknown): KubernetesObject => ({
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: meta('odd', 'apps'),
      spec: { values },
    });
    const kustomization = (spec: unknown): KubernetesObject => ({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: meta('odd'),
      spec: spec as Record<string, any>,
    });

    it.each([
      ['a string', 'password=hunter2-string'],
      ['a list', [1, 2, 'hunter2-list']],
      ['a number', 42],
    ])(
      'replaces HelmRelease values that are %s by the marker',
      (_shape, values) => {
        const result = redactFluxObject(helmRelease(values));
        expect(result.object.spec?.values).toBe(REDACTED);
        expect(result.redacted).toEqual(['spec.values']);
      },
    );

    it.each([
      ['null', null],
      ['an empty map', {}],
    ])('leaves HelmRelease values that are %s alone', (_shape, values) => {
      const result = redactFluxObject(helmRelease(values));
      expect(result.object.spec?.values).toEqual(values);
      expect(result.redacted).toEqual([]);
    });

    it('leaves a null substitute alone and replaces a substitute list whole', () => {
      expect(
        redactFluxObject(kustomization({ postBuild: { substitute: null } }))
          .object.spec?.postBuild.substitute,
      ).toBeNull();
      const list = redactFluxObject(
        kustomization({
          postBuild: { substitute: ['DB_PASSWORD=hunter2-list'] },
        }),
      );
      expect(list.object.spec?.postBuild.substitute).toBe(REDACTED);
      expect(list.redacted).toEqual(['spec.postBuild.substitute']);
    });

    it('judges a patch list that is a single patch as that patch', () => {
      const result = redactFluxObject(
        kustomization({
          patches: {
            patch: 'kind: Secret\nstringData:\n  token: single-patch-token\n',
          },
        }),
      );
      expect(JSON.stringify(result.object)).not.toContain('single-patch-token');
      expect(result.redacted).toEqual(['spec.patches.patch']);
    });

    it.each<[string, KubernetesObject]>([
      ['a null metadata', { kind: 'GitRepository', metadata: null as any }],
      [
        'annotations that are a list',
        { kind: 'Kustomization', metadata: { annotations: ['x'] as any } },
      ],
      ['a spec that is a string', kustomization('spec')],
      ['a status that is a number', { kind: 'Receiver', status: 7 as any }],
      ['postBuild that is a list', kustomization({ postBuild: [] })],
      [
        'post-renderers that are not a list',
        { kind: 'HelmRelease', spec: { postRenderers: 'x' } },
      ],
      [
        'a post-renderer that is null',
        {
          kind: 'HelmRelease',
          spec: { postRenderers: [null, { kustomize: 3 }] },
        },
      ],
      [
        'patches holding nulls and numbers',
        kustomization({ patches: [null, 3, { patch: null }] }),
      ],
      [
        'a Provider address that is a number',
        { kind: 'Provider', spec: { type: 'slack', address: 12 } },
      ],
      [
        'a Provider without a type',
        { kind: 'Provider', spec: { address: 'not a url' } },
      ],
      [
        'push options that are a list',
        {
          kind: 'ImageUpdateAutomation',
          spec: { git: { push: { options: ['ci.variable'] } } },
        },
      ],
      ['an input that is not an object', null as any],
    ])('does not throw on %s', (_shape, object) => {
      expect(() => redactFluxObject(object)).not.toThrow();
    });

    it('replaces a Provider address that is not a string, and one that is not a URL', () => {
      expect(
        redactFluxObject({
          kind: 'Provider',
          spec: { type: 'slack', address: { token: 't' } },
        }).object.spec?.address,
      ).toBe(REDACTED);
      expect(
        redactFluxObject({
          kind: 'Provider',
          spec: { type: 'generic', address: 'hooks/secret-path' },
        }).object.spec?.address,
      ).toBe(REDACTED);
    });

    it('replaces a patch whose target kind does not compile as a pattern', () => {
      const result = redactFluxObject(
        kustomization({ patches: [{ patch: 'x: y', target: { kind: '(' } }] }),
      );
      expect(result.redacted).toEqual(['spec.patches[0].patch']);
    });

    it('cuts nesting 10,000 levels deep without overflowing the stack, secrets at the bottom included', () => {
      const nest = () => {
        let deep: Record<string, unknown> = {
          url: `https://x:${GITHUB_TOKEN}@github.com/acme/fleet`,
        };
        for (let i = 0; i < 10_000; i++) deep = { next: deep };
        return deep;
      };
      const object: KubernetesObject = {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: meta('deep', 'apps'),
        spec: { values: nest() },
        status: nest(),
      };
      for (const options of [{}, { keepHelmValues: true }]) {
        const result = redactFluxObject(object, options);
        const stored = JSON.stringify(result.object);
        expect(stored).not.toContain(GITHUB_TOKEN);
        expect(result.redacted).toContain(
          `status${'.next'.repeat(64)} (nested too deep)`,
        );
      }
    });

    it('breaks a reference cycle instead of looping', () => {
      const status: Record<string, any> = { observedGeneration: 1 };
      status.self = status;
      const result = redactFluxObject({ kind: 'GitRepository', status });
      expect(result.object.status?.self).toBe(REDACTED);
      expect(result.redacted).toEqual(['status.self (repeated reference)']);
      expect(() => JSON.stringify(result.object)).not.toThrow();
    });

    it('scans a megabyte-long message in linear time', () => {
      const message = `${'a'.repeat(500_000)} ${'b1+'.repeat(200_000)}://`;
      const started = Date.now();
      const result = redactFluxObject({
        kind: 'Kustomization',
        status: { conditions: [failing(message, 'BuildFailed')] },
      });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(result.redacted).toEqual([]);
    });
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
