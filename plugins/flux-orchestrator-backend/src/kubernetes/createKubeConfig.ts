import type { KubeConfig } from '@kubernetes/client-node';
import { ClusterConnection } from './ClusterConnection';
import { loadClientNode } from './loadClientNode';

function toBase64Pem(caData: string): string {
  return caData.includes('-----BEGIN')
    ? Buffer.from(caData, 'utf8').toString('base64')
    : caData.trim();
}

/** The one place a connection becomes a client-node KubeConfig. */
export async function createKubeConfig(
  name: string,
  connection: ClusterConnection,
): Promise<KubeConfig> {
  const { KubeConfig: KubeConfigClass } = await loadClientNode();
  const kc = new KubeConfigClass();
  if (connection.type === 'kubeconfig') {
    kc.loadFromString(connection.kubeconfig);
    if (connection.context) kc.setCurrentContext(connection.context);
    return kc;
  }
  kc.loadFromOptions({
    clusters: [
      {
        name,
        server: connection.server,
        caData: connection.caData ? toBase64Pem(connection.caData) : undefined,
        skipTLSVerify: connection.skipTLSVerify ?? false,
      },
    ],
    users: [{ name, token: connection.token }],
    contexts: [{ name, cluster: name, user: name }],
    currentContext: name,
  });
  return kc;
}
