import {
  FLUX_KINDS,
  FluxKind,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { delay, http, HttpResponse } from 'msw';
import { KubernetesObject } from '../status/parseFluxObject';

/**
 * The discovery and list endpoints of one Kubernetes API server, for msw: enough to stage clusters on
 * either Flux generation and the faults a sync must survive. The end-to-end tier uses real API servers.
 */
export interface FakeClusterOptions {
  /** `current` serves the newest version of each kind, `legacy` the oldest (a Flux 2.4-era cluster). */
  generation?: 'current' | 'legacy' | 'none';
  objects?: KubernetesObject[];
  fault?: 'timeout' | 'forbidden' | 'server-error' | 'garbage' | 'unauthorized';
  /** Kinds whose list answers 403, as with a role that misses them. */
  forbiddenKinds?: FluxKind[];
  fluxVersion?: string;
}

function served(generation: FakeClusterOptions['generation']) {
  if (generation === 'none') return [];
  return FLUX_KINDS.map(def => ({
    def,
    version:
      generation === 'legacy'
        ? def.versions[def.versions.length - 1]
        : def.versions[0],
  }));
}

function status(code: number, reason: string, message: string) {
  return HttpResponse.json(
    {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message,
      reason,
      code,
    },
    { status: code },
  );
}

export function fakeClusterApi(
  baseUrl: string,
  options: FakeClusterOptions = {},
) {
  const kinds = served(options.generation ?? 'current');
  const objects = options.objects ?? [];
  const guard = async () => {
    switch (options.fault) {
      case 'timeout':
        await delay(3000);
        return undefined;
      case 'unauthorized':
        return status(401, 'Unauthorized', 'Unauthorized');
      case 'server-error':
        return status(500, 'InternalError', 'etcdserver: request timed out');
      case 'garbage':
        return new HttpResponse('<html><body>502 Bad Gateway</body></html>', {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      default:
        return undefined;
    }
  };

  return [
    http.get(`${baseUrl}/version`, async () => {
      return (
        (await guard()) ??
        HttpResponse.json({ major: '1', minor: '36', gitVersion: 'v1.36.3' })
      );
    }),
    http.get(`${baseUrl}/apis`, async () => {
      const groups = new Map<string, Set<string>>();
      for (const { def, version } of kinds) {
        if (!groups.has(def.group)) groups.set(def.group, new Set());
        groups.get(def.group)!.add(version);
      }
      return (
        (await guard()) ??
        HttpResponse.json({
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: [...groups].map(([name, versions]) => ({
            name,
            versions: [...versions].map(v => ({
              groupVersion: `${name}/${v}`,
              version: v,
            })),
            preferredVersion: {
              groupVersion: `${name}/${[...versions][0]}`,
              version: [...versions][0],
            },
          })),
        })
      );
    }),
    http.get(`${baseUrl}/apis/:group/:version`, ({ params }) =>
      HttpResponse.json({
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: `${params.group}/${params.version}`,
        resources: kinds
          .filter(
            k => k.def.group === params.group && k.version === params.version,
          )
          .map(k => ({
            name: k.def.plural,
            singularName: '',
            namespaced: true,
            kind: k.def.kind,
            verbs: ['get', 'list', 'patch'],
          })),
      }),
    ),
    http.get(`${baseUrl}/apis/:group/:version/:plural`, async ({ params }) => {
      const def = kinds.find(
        k => k.def.group === params.group && k.def.plural === params.plural,
      )?.def;
      if (!def)
        return status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      if (
        options.fault === 'forbidden' ||
        options.forbiddenKinds?.includes(def.kind)
      ) {
        return status(
          403,
          'Forbidden',
          `${def.plural}.${def.group} is forbidden: User "system:serviceaccount:flux-viewer:backstage" cannot list resource "${def.plural}" in API group "${def.group}" at the cluster scope`,
        );
      }
      return HttpResponse.json({
        apiVersion: `${def.group}/${params.version}`,
        kind: `${def.kind}List`,
        metadata: { resourceVersion: '5000' },
        items: objects.filter(o => o.kind === def.kind),
      });
    }),
    http.get(`${baseUrl}/api/v1/namespaces/flux-system`, () =>
      HttpResponse.json({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'flux-system',
          labels: options.fluxVersion
            ? { 'app.kubernetes.io/version': options.fluxVersion }
            : {},
        },
      }),
    ),
    http.get(
      `${baseUrl}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/:name`,
      () =>
        status(
          404,
          'NotFound',
          'customresourcedefinitions.apiextensions.k8s.io not found',
        ),
    ),
  ];
}
