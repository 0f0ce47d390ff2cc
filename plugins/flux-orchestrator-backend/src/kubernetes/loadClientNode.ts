// @kubernetes/client-node 1.x is ESM-only; a CommonJS backend loads it with a dynamic import, once.
export type ClientNode = typeof import('@kubernetes/client-node');

let clientNode: Promise<ClientNode> | undefined;

export function loadClientNode(): Promise<ClientNode> {
  clientNode ??= import('@kubernetes/client-node');
  return clientNode;
}
