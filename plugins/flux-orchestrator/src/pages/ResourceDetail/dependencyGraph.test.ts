import { FluxResource } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { buildDependencyGraph, MAX_INVENTORY_NODES } from './dependencyGraph';

const base = {
  cluster: 'prod',
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  uid: 'u',
  status: 'ready',
  ready: 'True',
  suspended: false,
  labels: {},
  syncedAt: '2026-12-03T10:00:00Z',
} as const;

const resource = (
  kind: FluxResource['kind'],
  namespace: string,
  name: string,
): FluxResource => ({
  ...base,
  id: `prod:${kind}:${namespace}:${name}`,
  kind,
  namespace,
  name,
});

describe('buildDependencyGraph', () => {
  it('draws the source and dependencies into the object, and the object into its dependents and inventory', () => {
    const apps = {
      ...resource('Kustomization', 'flux-system', 'apps'),
      sourceRef: {
        kind: 'GitRepository',
        name: 'fleet',
        namespace: 'flux-system',
      },
      object: {
        spec: { dependsOn: [{ name: 'infra' }] },
        status: {
          inventory: {
            entries: [
              { id: 'apps_web_apps_Deployment', v: 'v1' },
              { id: '_apps__Namespace', v: 'v1' },
              // An app of apps: a Flux object it applied, which also depends on it.
              {
                id: 'flux-system_tenants_kustomize.toolkit.fluxcd.io_Kustomization',
                v: 'v1',
              },
            ],
          },
        },
      },
    };
    const graph = buildDependencyGraph(apps, [
      resource('Kustomization', 'flux-system', 'tenants'),
    ]);
    expect(graph.nodes).toEqual([
      {
        id: 'prod:Kustomization:flux-system:apps',
        role: 'self',
        kind: 'Kustomization',
        name: 'flux-system/apps',
        resourceId: 'prod:Kustomization:flux-system:apps',
      },
      {
        id: 'prod:GitRepository:flux-system:fleet',
        role: 'source',
        kind: 'GitRepository',
        name: 'flux-system/fleet',
        resourceId: 'prod:GitRepository:flux-system:fleet',
      },
      {
        id: 'prod:Kustomization:flux-system:infra',
        role: 'dependency',
        kind: 'Kustomization',
        name: 'flux-system/infra',
        resourceId: 'prod:Kustomization:flux-system:infra',
      },
      {
        id: 'prod:Kustomization:flux-system:tenants',
        role: 'dependent',
        kind: 'Kustomization',
        name: 'flux-system/tenants',
        resourceId: 'prod:Kustomization:flux-system:tenants',
      },
      {
        id: 'inventory:apps:Deployment:apps:web',
        role: 'inventory',
        kind: 'Deployment',
        name: 'apps/web',
        resourceId: undefined,
      },
      {
        id: 'inventory::Namespace::apps',
        role: 'inventory',
        kind: 'Namespace',
        name: 'apps',
        resourceId: undefined,
      },
    ]);
    expect(graph.edges).toEqual([
      {
        from: 'prod:GitRepository:flux-system:fleet',
        to: 'prod:Kustomization:flux-system:apps',
        label: 'source',
      },
      {
        from: 'prod:Kustomization:flux-system:infra',
        to: 'prod:Kustomization:flux-system:apps',
        label: 'dependsOn',
      },
      {
        from: 'prod:Kustomization:flux-system:apps',
        to: 'prod:Kustomization:flux-system:tenants',
        label: 'dependsOn',
      },
      {
        from: 'prod:Kustomization:flux-system:apps',
        to: 'inventory:apps:Deployment:apps:web',
        label: 'applied',
      },
      {
        from: 'prod:Kustomization:flux-system:apps',
        to: 'inventory::Namespace::apps',
        label: 'applied',
      },
      {
        from: 'prod:Kustomization:flux-system:apps',
        to: 'prod:Kustomization:flux-system:tenants',
        label: 'applied',
      },
    ]);
  });

  it('draws a long inventory up to a bound, and says how many more there are', () => {
    const entries = Array.from({ length: MAX_INVENTORY_NODES + 7 }, (_, i) => ({
      id: `apps_cm-${i}__ConfigMap`,
      v: 'v1',
    }));
    const graph = buildDependencyGraph(
      {
        ...resource('HelmRelease', 'apps', 'big'),
        object: { status: { inventory: { entries } } },
      },
      [],
    );
    expect(graph.nodes.filter(n => n.role === 'inventory')).toHaveLength(
      MAX_INVENTORY_NODES,
    );
    expect(graph.nodes.find(n => n.role === 'more')?.kind).toBe('7 more');
  });
});
