import { InputError } from '@backstage/errors';
import { KubeconfigContext } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { createPrivateKey, X509Certificate } from 'crypto';
import {
  ClusterConnection,
  ClusterCredentials,
  ExecCredentialConfig,
} from '../kubernetes/ClusterConnection';
import { checkServer, ClusterPolicy, NetworkPolicy } from './clusterPolicy';
import { parseYamlStrictly } from './parseYamlStrictly';

/** What an app-config kubeconfig file may use beyond the policy; a request or an entity never gets these. */
export interface KubeconfigOptIns {
  /** Run the file's exec credential plugin (cloud sign-in). */
  allowExec?: boolean;
  /** Honour the file's insecure-skip-tls-verify. */
  allowInsecure?: boolean;
}

/** The one context of a kubeconfig that a cluster uses, as the allow-listed structure the client is built from. */
export interface ParsedKubeconfig {
  context: string;
  connection: ClusterConnection;
}

type Mapping = Record<string, unknown>;

const TOP_LEVEL_FIELDS = [
  'apiVersion',
  'kind',
  'clusters',
  'users',
  'contexts',
  'current-context',
  'preferences',
  'extensions',
];
const ENTRY_FIELDS = {
  clusters: 'cluster',
  users: 'user',
  contexts: 'context',
} as const;
const CLUSTER_FIELDS = [
  'server',
  'certificate-authority-data',
  'tls-server-name',
];
const USER_FIELDS = ['token', 'client-certificate-data', 'client-key-data'];
const CONTEXT_FIELDS = ['cluster', 'user', 'namespace'];
/** Informational blocks that kubectl and minikube write; they configure nothing and are dropped. */
const IGNORED_FIELDS = new Set(['extensions']);

/** Why a field that client-go or client-node would act on is refused, and what to use instead. */
const REFUSED_BECAUSE: Record<string, string> = {
  'certificate-authority':
    'it reads a file on the backend host; inline the CA as certificate-authority-data',
  'client-certificate':
    'it reads a file on the backend host; inline it as client-certificate-data',
  'client-key':
    'it reads a file on the backend host; inline it as client-key-data',
  'token-file':
    'it reads a file on the backend host; give the token itself as token',
  tokenFile:
    'it reads a file on the backend host; give the token itself as token',
  exec: 'an exec plugin runs a program on the backend host; use a service-account token (only an app-config kubeconfig file may opt in, with kubeconfig.allowExec on its cluster entry)',
  'auth-provider':
    'auth-provider plugins run and refresh credentials on the backend host; use a service-account token',
  'proxy-url':
    'the backend does not send cluster traffic through a proxy named by a kubeconfig',
  'disable-compression': 'it is not supported',
  username:
    'basic authentication is not supported; use a service-account token',
  password:
    'basic authentication is not supported; use a service-account token',
  as: 'impersonation is not supported; give the credentials of the identity itself',
  'as-uid':
    'impersonation is not supported; give the credentials of the identity itself',
  'as-groups':
    'impersonation is not supported; give the credentials of the identity itself',
  'as-user-extra':
    'impersonation is not supported; give the credentials of the identity itself',
};

function fail(message: string): never {
  throw new InputError(`kubeconfig: ${message}`);
}

function isMapping(value: unknown): value is Mapping {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value);
}

/** Refuses every field of `body` outside `accepted`, naming its path and what is accepted. */
function allowOnly(body: Mapping, path: string, accepted: string[]) {
  for (const key of Object.keys(body)) {
    if (accepted.includes(key) || IGNORED_FIELDS.has(key)) continue;
    const why = REFUSED_BECAUSE[key] ?? 'it is not a field the backend accepts';
    fail(
      `${path}.${key} is not accepted: ${why}; accepted here: ${accepted.join(
        ', ',
      )}`,
    );
  }
}

function parseDocument(text: string): Mapping {
  if (!text.trim())
    fail(
      'is empty; paste the YAML of a kubeconfig (kubectl config view --minify --raw)',
    );
  const value = parseYamlStrictly(text, 'kubeconfig');
  if (!isMapping(value))
    fail('must be a YAML mapping with clusters, users and contexts');
  for (const key of ['clusters', 'users', 'contexts'] as const) {
    const list = value[key];
    if (!Array.isArray(list) || list.length === 0)
      fail(`has no ${key}; a kubeconfig lists clusters, users and contexts`);
  }
  return value;
}

interface Entry {
  index: number;
  name: string;
  body: Mapping;
}

/** The entries of one list, by name; an entry of the wrong shape is skipped here and refused if used. */
function namedEntries(
  config: Mapping,
  list: keyof typeof ENTRY_FIELDS,
): Entry[] {
  return (config[list] as unknown[]).flatMap((entry, index) => {
    if (!isMapping(entry) || typeof entry.name !== 'string') return [];
    const body = entry[ENTRY_FIELDS[list]];
    return [{ index, name: entry.name, body: isMapping(body) ? body : {} }];
  });
}

/** The one entry of `list` called `name`, checked for shape; refused when missing or defined twice. */
function useEntry(
  config: Mapping,
  list: keyof typeof ENTRY_FIELDS,
  name: string,
  usedBy: string,
): Entry {
  const found = namedEntries(config, list).filter(e => e.name === name);
  const singular = ENTRY_FIELDS[list];
  if (found.length === 0)
    fail(`${usedBy} names ${singular} "${name}", which is not in ${list}`);
  if (found.length > 1) {
    fail(
      `${list}[${found[0].index}] and ${list}[${found[1].index}] are both called "${name}"; give each ${singular} its own name`,
    );
  }
  const entry = (config[list] as Mapping[])[found[0].index];
  allowOnly(entry, `${list}[${found[0].index}]`, ['name', singular]);
  if (!isMapping(entry[singular]))
    fail(`${list}[${found[0].index}].${singular} must be a mapping`);
  return found[0];
}

function optionalString(
  body: Mapping,
  key: string,
  path: string,
  max: number,
): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(`${path}.${key} must be a string`);
  if (value.length > max)
    fail(`${path}.${key} is longer than ${max} characters`);
  return value;
}

/**
 * Base64 of a PEM certificate or private key, given as base64 (kubeconfig) or as PEM text (app-config, catalog
 * annotations), checked by decoding it as the TLS stack will; undefined when it is neither.
 */
export function toPemBase64(
  value: string,
  label: 'CERTIFICATE' | 'PRIVATE KEY',
): string | undefined {
  const compact = value.replace(/\s+/g, '');
  let pem = value;
  if (!value.includes('-----BEGIN ')) {
    pem = /^[A-Za-z0-9+/]+={0,2}$/.test(compact)
      ? Buffer.from(compact, 'base64').toString('utf8')
      : '';
  }
  if (!pem.includes('-----BEGIN ')) return undefined;
  try {
    // Parsing is the check; the parsed value is not needed.
    if (label === 'CERTIFICATE') void new X509Certificate(pem);
    else createPrivateKey(pem);
  } catch {
    return undefined;
  }
  return Buffer.from(pem, 'utf8').toString('base64');
}

function pemData(
  value: string,
  path: string,
  label: 'CERTIFICATE' | 'PRIVATE KEY',
): string {
  const data = toPemBase64(value, label);
  if (!data)
    fail(
      `${path} must be base64 of ${
        label === 'CERTIFICATE' ? 'a PEM certificate' : 'a PEM private key'
      }`,
    );
  return data;
}

/**
 * A bearer token as it will go into the Authorization header: trimmed, visible ASCII only. A plain Error, as
 * app-config and catalog credentials need at start-up; a request's kubeconfig turns it into an InputError.
 */
export function checkToken(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new Error(`${path} must be a string`);
  const token = value.trim();
  if (!token) throw new Error(`${path} is empty`);
  if (token.length > 16_384) throw new Error(`${path} is longer than 16 KB`);
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new Error(
      `${path} contains spaces or characters that cannot be sent in an HTTP header`,
    );
  }
  return token;
}

function readExec(value: unknown, path: string): ExecCredentialConfig {
  if (!isMapping(value)) fail(`${path} must be a mapping`);
  allowOnly(value, path, [
    'apiVersion',
    'command',
    'args',
    'env',
    'provideClusterInfo',
    'installHint',
    'interactiveMode',
  ]);
  const command = optionalString(value, 'command', path, 4096);
  const apiVersion = optionalString(value, 'apiVersion', path, 253);
  if (!command || !apiVersion) fail(`${path} needs command and apiVersion`);
  const args = value.args ?? [];
  if (!Array.isArray(args) || args.some(a => typeof a !== 'string'))
    fail(`${path}.args must be a list of strings`);
  const env = value.env ?? [];
  if (
    !Array.isArray(env) ||
    env.some(
      e =>
        !isMapping(e) ||
        typeof e.name !== 'string' ||
        typeof e.value !== 'string',
    )
  ) {
    fail(`${path}.env must be a list of { name, value } strings`);
  }
  const provide = value.provideClusterInfo;
  if (provide !== undefined && typeof provide !== 'boolean')
    fail(`${path}.provideClusterInfo must be true or false`);
  return {
    apiVersion,
    command,
    args: args as string[],
    env: (env as Mapping[]).map(e => ({
      name: e.name as string,
      value: e.value as string,
    })),
    provideClusterInfo: provide,
  };
}

function readCredentials(
  user: Entry,
  optIns: KubeconfigOptIns,
): ClusterCredentials {
  const path = `users[${user.index}].user`;
  const body = user.body;
  allowOnly(
    body,
    path,
    optIns.allowExec ? [...USER_FIELDS, 'exec'] : USER_FIELDS,
  );
  const hasToken = body.token !== undefined;
  const hasCert =
    body['client-certificate-data'] !== undefined ||
    body['client-key-data'] !== undefined;
  const hasExec = body.exec !== undefined;
  if ([hasToken, hasCert, hasExec].filter(Boolean).length > 1) {
    fail(
      `${path} gives more than one kind of credentials; give a token, or client-certificate-data with client-key-data`,
    );
  }
  if (hasExec)
    return { type: 'exec', exec: readExec(body.exec, `${path}.exec`) };
  if (hasToken) {
    try {
      return { type: 'token', token: checkToken(body.token, `${path}.token`) };
    } catch (error) {
      return fail((error as Error).message);
    }
  }
  const cert = optionalString(body, 'client-certificate-data', path, 200_000);
  const key = optionalString(body, 'client-key-data', path, 200_000);
  if (hasCert && (!cert || !key))
    fail(`${path} needs both client-certificate-data and client-key-data`);
  if (!cert || !key) {
    fail(
      `${path} has no credentials; give a token, or client-certificate-data with client-key-data`,
    );
  }
  return {
    type: 'clientCertificate',
    certData: pemData(cert, `${path}.client-certificate-data`, 'CERTIFICATE'),
    keyData: pemData(key, `${path}.client-key-data`, 'PRIVATE KEY'),
  };
}

function chooseContext(config: Mapping, requested: string | undefined): string {
  if (requested !== undefined) return requested;
  const current = config['current-context'];
  if (
    current !== undefined &&
    current !== null &&
    typeof current !== 'string'
  ) {
    fail('current-context must be a string');
  }
  if (current) return current;
  const contexts = namedEntries(config, 'contexts');
  if (contexts.length === 1) return contexts[0].name;
  throw new InputError(
    `context: the kubeconfig has ${
      contexts.length
    } contexts and no current-context; choose one of ${contexts
      .map(c => c.name)
      .join(', ')}`,
  );
}

/**
 * The trust boundary for a kubeconfig: parses the text once, strictly (see parseYamlStrictly), and returns the
 * allow-listed connection of the chosen context — cluster server, CA data and TLS server name; user token or
 * client certificate and key; context namespace. Any other field of the entries the context uses is refused
 * with its path; entries the context does not use are dropped unread. Nothing else of the text survives:
 * what is stored and what builds the Kubernetes client is the returned structure.
 */
export function parseKubeconfig(
  text: string,
  requestedContext: string | undefined,
  policy: ClusterPolicy,
  network: NetworkPolicy,
  optIns: KubeconfigOptIns = {},
): ParsedKubeconfig {
  const config = parseDocument(text);
  allowOnly(config, '(top level)', TOP_LEVEL_FIELDS);
  const contextName = chooseContext(config, requestedContext);
  if (!namedEntries(config, 'contexts').some(c => c.name === contextName)) {
    const names = namedEntries(config, 'contexts').map(c => `"${c.name}"`);
    throw new InputError(
      `context: "${contextName}" is not in the kubeconfig; it has ${
        names.join(', ') || 'no named contexts'
      }`,
    );
  }
  const context = useEntry(config, 'contexts', contextName, 'current-context');
  const contextPath = `contexts[${context.index}].context`;
  allowOnly(context.body, contextPath, CONTEXT_FIELDS);
  const clusterName = optionalString(context.body, 'cluster', contextPath, 253);
  const userName = optionalString(context.body, 'user', contextPath, 253);
  if (!clusterName) fail(`${contextPath}.cluster is missing`);
  if (!userName) fail(`${contextPath}.user is missing`);
  const cluster = useEntry(
    config,
    'clusters',
    clusterName,
    `context "${contextName}"`,
  );
  const user = useEntry(config, 'users', userName, `context "${contextName}"`);

  const clusterPath = `clusters[${cluster.index}].cluster`;
  const allowInsecure = policy.allowInsecure || optIns.allowInsecure;
  allowOnly(cluster.body, clusterPath, [
    ...CLUSTER_FIELDS,
    'insecure-skip-tls-verify',
  ]);
  const skip = cluster.body['insecure-skip-tls-verify'];
  if (skip !== undefined && typeof skip !== 'boolean')
    fail(`${clusterPath}.insecure-skip-tls-verify must be true or false`);
  if (skip && !allowInsecure) {
    fail(
      `${clusterPath}.insecure-skip-tls-verify is not accepted: it lets anyone on the network path read the credentials; give certificate-authority-data instead (or allow it with fluxOrchestrator.kubeconfig.allowInsecure)`,
    );
  }
  let server: string;
  try {
    server = checkServer(
      cluster.body.server,
      `${clusterPath}.server`,
      policy,
      network,
    );
  } catch (error) {
    return fail((error as Error).message);
  }
  const ca = optionalString(
    cluster.body,
    'certificate-authority-data',
    clusterPath,
    200_000,
  );
  const tlsServerName = optionalString(
    cluster.body,
    'tls-server-name',
    clusterPath,
    253,
  );
  if (tlsServerName !== undefined && !/^[A-Za-z0-9.-]+$/.test(tlsServerName)) {
    fail(`${clusterPath}.tls-server-name must be a host name`);
  }
  const namespace = optionalString(context.body, 'namespace', contextPath, 63);
  return {
    context: contextName,
    connection: {
      server,
      caData:
        ca === undefined
          ? undefined
          : pemData(
              ca,
              `${clusterPath}.certificate-authority-data`,
              'CERTIFICATE',
            ),
      tlsServerName,
      skipTLSVerify: skip === true ? true : undefined,
      namespace,
      credentials: readCredentials(user, optIns),
    },
  };
}

/** Every context of a kubeconfig, for the add-cluster form's picker; parsed as strictly, but no policy applies. */
export function listKubeconfigContexts(text: string): KubeconfigContext[] {
  const config = parseDocument(text);
  const clusters = namedEntries(config, 'clusters');
  const current = config['current-context'];
  return namedEntries(config, 'contexts').map(entry => {
    const cluster =
      typeof entry.body.cluster === 'string' ? entry.body.cluster : '';
    const server = clusters.find(c => c.name === cluster)?.body.server;
    return {
      name: entry.name,
      cluster,
      user: typeof entry.body.user === 'string' ? entry.body.user : '',
      server: typeof server === 'string' ? safeServer(server) : undefined,
      current: entry.name === current,
    };
  });
}

/** A server URL to show: without credentials, even those the policy would refuse later. */
function safeServer(server: string): string | undefined {
  try {
    const url = new URL(server);
    return `${url.protocol}//${url.host}${
      url.pathname === '/' ? '' : url.pathname
    }`;
  } catch {
    return undefined;
  }
}
