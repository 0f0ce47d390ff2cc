import { dependsOnIds } from './dependsOn';
import { parseInventory } from './inventory';

describe('parseInventory', () => {
  it('splits namespaced, cluster-scoped and core entries', () => {
    const object = {
      status: {
        inventory: {
          entries: [
            { id: 'apps_podinfo_apps_Deployment', v: 'v1' },
            {
              id: '_podinfo-reader_rbac.authorization.k8s.io_ClusterRole',
              v: 'v1',
            },
            { id: 'apps_podinfo__Service', v: 'v1' },
            { id: 'not-an-inventory-id' },
          ],
        },
      },
    };
    expect(parseInventory(object)).toEqual([
      {
        namespace: 'apps',
        name: 'podinfo',
        group: 'apps',
        kind: 'Deployment',
        version: 'v1',
      },
      {
        namespace: '',
        name: 'podinfo-reader',
        group: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        version: 'v1',
      },
      {
        namespace: 'apps',
        name: 'podinfo',
        group: '',
        kind: 'Service',
        version: 'v1',
      },
    ]);
  });

  it('is empty before the first apply', () => {
    expect(parseInventory({ status: {} })).toEqual([]);
  });
});

describe('dependsOnIds', () => {
  it('names objects of the same kind, in the object’s namespace unless given', () => {
    const resource = { cluster: 'dev', kind: 'HelmRelease', namespace: 'apps' };
    const object = {
      spec: {
        dependsOn: [
          { name: 'postgres' },
          { name: 'cert-manager', namespace: 'cert-manager' },
        ],
      },
    };
    expect(dependsOnIds(resource, object)).toEqual([
      'dev:HelmRelease:apps:postgres',
      'dev:HelmRelease:cert-manager:cert-manager',
    ]);
  });
});
