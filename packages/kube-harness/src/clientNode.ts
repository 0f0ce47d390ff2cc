import type { KubeConfig } from '@kubernetes/client-node';

// @kubernetes/client-node 1.x is ESM-only; loaded once with import().
export type ClientNode = typeof import('@kubernetes/client-node');
let loaded: Promise<ClientNode> | undefined;

export function clientNode(): Promise<ClientNode> {
  loaded ??= import('@kubernetes/client-node');
  return loaded;
}

export async function kubeConfigFrom(yaml: string): Promise<KubeConfig> {
  const k8s = await clientNode();
  const kc = new k8s.KubeConfig();
  kc.loadFromString(yaml);
  return kc;
}

/** Creates objects of any kind (server-side apply, so that applying again converges rather than failing). */
export async function applyObjects(
  adminKubeconfig: string,
  objects: any[],
): Promise<void> {
  const k8s = await clientNode();
  const kc = await kubeConfigFrom(adminKubeconfig);
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const object of objects) {
    await api.patch(
      object,
      undefined,
      undefined,
      'kube-harness',
      true,
      k8s.PatchStrategy.ServerSideApply,
    );
  }
}
