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
