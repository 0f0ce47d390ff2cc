import { InputError } from '@backstage/errors';
import { KubeconfigContext } from '@internal/plugin-flux-orchestrator-common';
import { parseDocument } from 'yaml';

/** What a registered kubeconfig may contain, from `fluxOrchestrator.kubeconfig`. */
export interface KubeconfigPolicy {
  /** `exec` credential plugins run a program on the backend host. */
  allowExec: boolean;
  /** Legacy `auth-provider` plugins (gcp, azure, oidc) run code and refresh tokens on the backend host. */
  allowAuthProvider: boolean;
  /** Plain-http API servers send the credentials unencrypted. */
  allowHttp: boolean;
  /** `insecure-skip-tls-verify` makes the credentials available to anyone on the path. */
  allowInsecure: boolean;
  /** When non-empty, the server URL must match one of these (`*` matches within a host label or path segment). */
  allowedServers: string[];
}

/** The one context of a kubeconfig that a registered cluster uses. */
export interface ValidKubeconfig {
  context: string;
  server: string;
}

type Named = { name?: unknown; [key: string]: unknown };

/** Files on the backend host that client-node would read: a registered kubeconfig must inline its data. */
const FILE_FIELDS: Record<'cluster' | 'user', Array<[string, string]>> = {
  cluster: [['certificate-authority', 'certificate-authority-data']],
  user: [
    ['client-certificate', 'client-certificate-data'],
    ['client-key', 'client-key-data'],
    ['tokenFile', 'token'],
  ],
};

function fail(message: string): never {
  throw new InputError(`kubeconfig: ${message}`);
}

/** Parses the YAML text and checks its shape; refuses anything that is not a kubeconfig. */
function parseDocumentOrFail(text: string): Record<string, unknown> {
  if (!text.trim()) fail('is empty; paste the YAML of a kubeconfig (kubectl config view --minify --raw)');
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    const first = doc.errors[0];
    const line = first.linePos?.[0];
    fail(`is not valid YAML${line ? ` (line ${line.line}, column ${line.col})` : ''}: ${first.message.split('\n')[0]}`);
  }
  const value = doc.toJS({ maxAliasCount: 50 });
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    fail('must be a YAML mapping with clusters, users and contexts');
  }
  for (const key of ['clusters', 'users', 'contexts']) {
    const list = (value as Record<string, unknown>)[key];
    if (!Array.isArray(list) || list.length === 0) {
      fail(`has no ${key}; a kubeconfig lists clusters, users and contexts`);
    }
  }
  return value as Record<string, unknown>;
}

function entries(config: Record<string, unknown>, key: 'clusters' | 'users' | 'contexts'): Named[] {
  return (config[key] as unknown[]).map((entry, index) => {
    if (!entry || typeof entry !== 'object' || typeof (entry as Named).name !== 'string') {
      fail(`${key}[${index}] has no name`);
    }
    return entry as Named;
  });
}

function body(entry: Named, key: string): Record<string, unknown> {
  const value = entry[key];
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** Every context of a kubeconfig, for the add-cluster form's picker. No policy applies here. */
export function listKubeconfigContexts(text: string): KubeconfigContext[] {
  const config = parseDocumentOrFail(text);
  const clusters = entries(config, 'clusters');
  const current = config['current-context'];
  return entries(config, 'contexts').map(entry => {
    const context = body(entry, 'context');
    const cluster = String(context.cluster ?? '');
    const server = clusters.find(c => c.name === cluster);
    return {
      name: entry.name as string,
      cluster,
      user: String(context.user ?? ''),
      server: server ? (body(server, 'cluster').server as string | undefined) : undefined,
      current: entry.name === current,
    };
  });
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^./:]*');
  return new RegExp(`^${escaped}/?$`);
}

/**
 * Validates a kubeconfig for registration before anything is stored: it parses, the context exists and names a
 * cluster and a user, the server is an https URL (allowed by the allow-list when there is one), no data is read
 * from files on the backend host, and credential plugins or skipped TLS verification are refused unless config
 * allows them. Every refusal is an InputError naming the field and the fix.
 */
export function parseKubeconfig(
  text: string,
  requestedContext: string | undefined,
  policy: KubeconfigPolicy,
): ValidKubeconfig {
  const config = parseDocumentOrFail(text);
  const contexts = entries(config, 'contexts');
  const contextName =
    requestedContext ??
    (typeof config['current-context'] === 'string' && config['current-context']
      ? (config['current-context'] as string)
      : undefined);
  if (!contextName) {
    if (contexts.length === 1) return parseKubeconfig(text, contexts[0].name as string, policy);
    throw new InputError(
      `context: the kubeconfig has ${contexts.length} contexts and no current-context; choose one of ${contexts
        .map(c => c.name)
        .join(', ')}`,
    );
  }
  const contextEntry = contexts.find(c => c.name === contextName);
  if (!contextEntry) {
    throw new InputError(
      `context: "${contextName}" is not in the kubeconfig; it has ${contexts.map(c => `"${c.name}"`).join(', ')}`,
    );
  }
  const context = body(contextEntry, 'context');
  const clusterEntry = entries(config, 'clusters').find(c => c.name === context.cluster);
  if (!clusterEntry) {
    fail(`context "${contextName}" names cluster "${context.cluster ?? ''}", which is not in clusters`);
  }
  const userEntry = entries(config, 'users').find(u => u.name === context.user);
  if (!userEntry) {
    fail(`context "${contextName}" names user "${context.user ?? ''}", which is not in users`);
  }
  const cluster = body(clusterEntry, 'cluster');
  const user = body(userEntry, 'user');
  const clusterName = clusterEntry.name as string;
  const userName = userEntry.name as string;

  const server = checkServer(cluster.server, clusterName, policy);
  if (cluster['insecure-skip-tls-verify'] === true && !policy.allowInsecure) {
    fail(
      `cluster "${clusterName}" sets insecure-skip-tls-verify; give certificate-authority-data instead (or allow it with fluxOrchestrator.kubeconfig.allowInsecure)`,
    );
  }
  if (cluster['proxy-url'] !== undefined) {
    fail(`cluster "${clusterName}" sets proxy-url, which registered clusters do not support; remove it`);
  }
  for (const [kind, entry, name] of [
    ['cluster', cluster, clusterName],
    ['user', user, userName],
  ] as const) {
    for (const [fileField, dataField] of FILE_FIELDS[kind]) {
      if (entry[fileField] !== undefined) {
        fail(
          `${kind} "${name}" reads ${fileField} from a file on the backend host; inline it as ${dataField}`,
        );
      }
    }
  }
  if (user.exec !== undefined && !policy.allowExec) {
    fail(
      `user "${userName}" uses an exec plugin, which would run a program on the backend host; use a service-account token (or allow it with fluxOrchestrator.kubeconfig.allowExec)`,
    );
  }
  if (user['auth-provider'] !== undefined && !policy.allowAuthProvider) {
    fail(
      `user "${userName}" uses an auth-provider plugin; use a service-account token (or allow it with fluxOrchestrator.kubeconfig.allowAuthProvider)`,
    );
  }
  const hasCredentials =
    typeof user.token === 'string' ||
    (user['client-certificate-data'] !== undefined && user['client-key-data'] !== undefined) ||
    typeof user.username === 'string' ||
    user.exec !== undefined ||
    user['auth-provider'] !== undefined;
  if (!hasCredentials) {
    fail(
      `user "${userName}" has no credentials; give a token, or client-certificate-data with client-key-data`,
    );
  }
  return { context: contextName, server };
}

function checkServer(value: unknown, clusterName: string, policy: KubeconfigPolicy): string {
  if (typeof value !== 'string' || !value) fail(`cluster "${clusterName}" has no server URL`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(`cluster "${clusterName}" has server "${value}", which is not a URL`);
  }
  if (url.protocol === 'http:' && !policy.allowHttp) {
    fail(
      `cluster "${clusterName}" has server ${value}; use https (plain http sends the credentials unencrypted; allow it with fluxOrchestrator.kubeconfig.allowHttp)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    fail(`cluster "${clusterName}" has server ${value}; it must be an https URL`);
  }
  if (url.username || url.password) {
    fail(`cluster "${clusterName}" has credentials in its server URL; put them in the user entry`);
  }
  const normalised = `${url.protocol}//${url.host}${url.pathname.replace(/\/$/, '')}`;
  if (
    policy.allowedServers.length &&
    !policy.allowedServers.some(pattern => patternToRegExp(pattern).test(normalised))
  ) {
    fail(
      `cluster "${clusterName}" has server ${normalised}, which is not allowed (fluxOrchestrator.kubeconfig.allowedServers: ${policy.allowedServers.join(', ')})`,
    );
  }
  return value;
}
