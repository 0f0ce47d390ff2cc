import { clientNode, kubeConfigFrom } from '@internal/kube-harness';
import fs from 'fs';
import { tierEnv } from './chromium';

/**
 * The status of a demo object, read and written on its API server as a controller would, not through the portal.
 * prod's stand-in controller only answers reconcile requests, so a status written here stays until changed back.
 */
export async function objectStatus(
  cluster: string,
  apiVersion: string,
  plural: string,
) {
  const k8s = await clientNode();
  const kubeconfig = await kubeConfigFrom(
    fs.readFileSync(tierEnv.demoKubeconfigs()[cluster], 'utf8'),
  );
  const api = kubeconfig.makeApiClient(k8s.CustomObjectsApi);
  const [group, version] = apiVersion.split('/');
  return (namespace: string, name: string) => ({
    async read(): Promise<Record<string, any>> {
      const object = await api.getNamespacedCustomObjectStatus({
        group,
        version,
        plural,
        namespace,
        name,
      });
      return (object as { status: Record<string, any> }).status;
    },
    async write(status: Record<string, unknown>) {
      await api.patchNamespacedCustomObjectStatus(
        { group, version, plural, namespace, name, body: { status } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
    },
    async patchSpec(spec: Record<string, unknown>) {
      await api.patchNamespacedCustomObject(
        { group, version, plural, namespace, name, body: { spec } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
    },
  });
}
