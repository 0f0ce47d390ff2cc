import type {
  RequestContext,
  SecurityAuthentication,
} from '@kubernetes/client-node';
import { ClusterConnection } from './ClusterConnection';
import { ClientNode } from './loadClientNode';

/**
 * The Authorization header of a cluster's requests. A token is sent as it is; a client certificate needs no
 * header (the transport's agent presents it). An exec plugin — only ever from an app-config kubeconfig file
 * whose entry opts in — runs through client-node's own exec authenticator, fed the allow-listed fields alone.
 */
export async function createAuthentication(
  k8s: ClientNode,
  connection: ClusterConnection,
): Promise<SecurityAuthentication> {
  const { credentials } = connection;
  if (credentials.type === 'token') {
    const header = `Bearer ${credentials.token}`;
    return {
      getName: () => 'flux-orchestrator token',
      applySecurityAuthentication: (context: RequestContext) =>
        context.setHeaderParam('Authorization', header),
    };
  }
  if (credentials.type === 'clientCertificate') {
    return {
      getName: () => 'flux-orchestrator client certificate',
      applySecurityAuthentication: () => {},
    };
  }
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'cluster', server: connection.server, skipTLSVerify: false },
    ],
    users: [
      { name: 'user', exec: { ...credentials.exec, interactiveMode: 'Never' } },
    ],
    contexts: [{ name: 'context', cluster: 'cluster', user: 'user' }],
    currentContext: 'context',
  });
  return {
    getName: () => 'flux-orchestrator exec plugin',
    applySecurityAuthentication: async (context: RequestContext) => {
      const options = await kc.applyToFetchOptions({});
      const header = (options.headers as Headers | undefined)?.get(
        'Authorization',
      );
      if (header) context.setHeaderParam('Authorization', header);
    },
  };
}
