import net from 'net';
import { clientNode, kubeConfigFrom } from './clientNode';
import { startFakeFluxController } from './fakeFluxController';
import { Fleet, startFleet } from './fleet';
import { FLUX_KINDS } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { seedFluxObjects } from './seed';
import { managedClusterObjects } from './serviceAccounts';

jest.setTimeout(120_000);

function portOpen(server: string): Promise<boolean> {
  const { hostname, port } = new URL(server);
  return new Promise(resolve => {
    const socket = net.connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('kube-harness', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await startFleet({
      clusters: [{ name: 'one', generation: 'current' }],
    });
    await seedFluxObjects(fleet.clusters[0].adminKubeconfig, 'current');
  });

  afterAll(() => fleet?.stop());

  async function api(user: 'viewer' | 'operator' | 'noRights') {
    const k8s = await clientNode();
    const kc = await kubeConfigFrom(fleet.clusters[0].kubeconfigFor(user));
    return { k8s, custom: kc.makeApiClient(k8s.CustomObjectsApi) };
  }

  const kustomizations = {
    group: 'kustomize.toolkit.fluxcd.io',
    version: 'v1',
    plural: 'kustomizations',
  };

  it('gives the viewer token read access to Flux objects and nothing more', async () => {
    const { k8s, custom } = await api('viewer');
    const list: any = await custom.listClusterCustomObject(kustomizations);
    expect(list.items.map((k: any) => k.metadata.name).sort()).toEqual([
      'apps',
      'infra-controllers',
      'monitoring',
      'tenants',
    ]);
    await expect(
      custom.patchNamespacedCustomObject(
        {
          ...kustomizations,
          namespace: 'flux-system',
          name: 'apps',
          body: { spec: { suspend: true } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
    ).rejects.toMatchObject({ code: 403 });
  });

  /** What the API server answers the token's own access review for `verb` on `resource` (`group/plural`). */
  async function allowed(
    user: 'viewer' | 'operator',
    verb: string,
    group: string,
    resource: string,
    subresource?: string,
  ) {
    const k8s = await clientNode();
    const kc = await kubeConfigFrom(fleet.clusters[0].kubeconfigFor(user));
    const review = await kc
      .makeApiClient(k8s.AuthorizationV1Api)
      .createSelfSubjectAccessReview({
        body: {
          spec: {
            resourceAttributes: {
              verb,
              group,
              resource,
              subresource,
              namespace: 'flux-system',
            },
          },
        },
      });
    return review.status!.allowed;
  }

  it('binds the shipped managed-cluster RBAC: every Flux kind readable by both variants, patchable by the operator', async () => {
    for (const kind of FLUX_KINDS) {
      for (const verb of ['get', 'list', 'watch']) {
        expect(
          `${verb} ${kind.plural}: ${await allowed(
            'viewer',
            verb,
            kind.group,
            kind.plural,
          )}`,
        ).toBe(`${verb} ${kind.plural}: true`);
      }
      expect(
        `patch ${kind.plural}: ${await allowed(
          'viewer',
          'patch',
          kind.group,
          kind.plural,
        )}`,
      ).toBe(`patch ${kind.plural}: false`);
      expect(
        `patch ${kind.plural}: ${await allowed(
          'operator',
          'patch',
          kind.group,
          kind.plural,
        )}`,
      ).toBe(`patch ${kind.plural}: true`);
      // Never the status, which only the controllers write.
      expect(
        await allowed('operator', 'patch', kind.group, kind.plural, 'status'),
      ).toBe(false);
    }
    for (const user of ['viewer', 'operator'] as const) {
      expect(await allowed(user, 'list', '', 'events')).toBe(true);
      expect(await allowed(user, 'get', '', 'secrets')).toBe(false);
      expect(
        await allowed(
          user,
          'delete',
          'kustomize.toolkit.fluxcd.io',
          'kustomizations',
        ),
      ).toBe(false);
    }
  });

  it('ships a long-lived token Secret for each variant, bound to its ServiceAccount', async () => {
    for (const variant of ['read-only', 'operator'] as const) {
      const objects = managedClusterObjects(variant);
      const account = objects.find(o => o.kind === 'ServiceAccount');
      const secret = objects.find(o => o.kind === 'Secret');
      expect(secret).toMatchObject({
        type: 'kubernetes.io/service-account-token',
        metadata: {
          namespace: account.metadata.namespace,
          annotations: {
            'kubernetes.io/service-account.name': account.metadata.name,
          },
        },
      });
      const k8s = await clientNode();
      const kc = await kubeConfigFrom(fleet.clusters[0].adminKubeconfig);
      const stored = await kc
        .makeApiClient(k8s.CoreV1Api)
        .readNamespacedSecret({
          namespace: secret.metadata.namespace,
          name: secret.metadata.name,
        });
      expect(stored.type).toBe('kubernetes.io/service-account-token');
    }
  });

  it('refuses every Flux list to the token without rights', async () => {
    const { custom } = await api('noRights');
    await expect(
      custom.listClusterCustomObject(kustomizations),
    ).rejects.toMatchObject({ code: 403 });
  });

  it('answers a reconcile request like a Flux controller', async () => {
    const cluster = fleet.clusters[0];
    const controller = await startFakeFluxController(
      cluster.adminKubeconfig,
      'current',
    );
    try {
      const { k8s, custom } = await api('operator');
      const token = new Date().toISOString();
      await custom.patchNamespacedCustomObject(
        {
          ...kustomizations,
          namespace: 'flux-system',
          name: 'tenants',
          body: {
            metadata: {
              annotations: { 'reconcile.fluxcd.io/requestedAt': token },
            },
          },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      let obj: any;
      for (let i = 0; i < 40; i++) {
        obj = await custom.getNamespacedCustomObject({
          ...kustomizations,
          namespace: 'flux-system',
          name: 'tenants',
        });
        const recorded = controller.handled.includes(
          `Kustomization/flux-system/tenants@${token}`,
        );
        if (obj.status?.lastHandledReconcileAt === token && recorded) break;
        await new Promise(r => setTimeout(r, 250));
      }
      expect(obj.status.lastHandledReconcileAt).toBe(token);
      expect(obj.status.conditions[0]).toMatchObject({
        type: 'Ready',
        status: 'True',
      });
      expect(controller.handled).toContain(
        `Kustomization/flux-system/tenants@${token}`,
      );
    } finally {
      controller.stop();
    }
  });

  it('stops a cluster so that its port no longer answers', async () => {
    const extra = await startFleet({
      clusters: [{ name: 'gone', generation: 'legacy' }],
    });
    const server = extra.clusters[0].server;
    expect(await portOpen(server)).toBe(true);
    await extra.stop();
    expect(await portOpen(server)).toBe(false);
  });
});
