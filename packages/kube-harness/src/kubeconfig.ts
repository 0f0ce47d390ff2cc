import { stringify } from 'yaml';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A kubeconfig with one context, for a client certificate or a bearer token. */
export function kubeconfigYaml(options: {
  name: string;
  server: string;
  caPem: string;
  user: { token: string } | { certPem: string; keyPem: string };
}): string {
  const user =
    'token' in options.user
      ? { token: options.user.token }
      : {
          'client-certificate-data': b64(options.user.certPem),
          'client-key-data': b64(options.user.keyPem),
        };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: options.name,
        cluster: {
          server: options.server,
          'certificate-authority-data': b64(options.caPem),
        },
      },
    ],
    users: [{ name: `${options.name}-user`, user }],
    contexts: [
      {
        name: options.name,
        context: { cluster: options.name, user: `${options.name}-user` },
      },
    ],
    'current-context': options.name,
  });
}
