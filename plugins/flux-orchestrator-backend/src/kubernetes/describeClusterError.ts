/** The longest part of a cluster's own words (a Kubernetes Status message) that is passed on. */
const MAX_STATUS_MESSAGE = 300;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized (the cluster rejected the credentials)',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Errors whose message we wrote ourselves from safe parts (names, hosts, addresses, field paths): passed on as
 * they are. Everything else is rebuilt from fields that cannot carry a secret.
 */
const OWN_ERRORS = new Set([
  'ClusterTransportError',
  'CredentialDecryptionError',
  'InputError',
  'NotFoundError',
  'ConflictError',
]);

/** Socket and TLS failures, by the code Node gives them: the code and the peer address are all that is kept. */
const NETWORK_CODES =
  /^(E(CONNREFUSED|CONNRESET|CONNABORTED|HOSTUNREACH|NETUNREACH|NETDOWN|TIMEDOUT|PIPE|NOTFOUND|AI_AGAIN|PROTO|ADDRNOTAVAIL)|ERR_TLS_\w+|ERR_SSL_\w+|CERT_\w+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_\w+|HOSTNAME_MISMATCH|ERR_STREAM_PREMATURE_CLOSE|UND_ERR_\w+)$/;

const TLS_EXPLANATION: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT:
    'the server presents a self-signed certificate that the CA data does not trust',
  SELF_SIGNED_CERT_IN_CHAIN:
    'the server certificate chain ends in a CA that the CA data does not hold',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    'the server certificate is not signed by a CA in the CA data',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    'the server certificate is not signed by a CA in the CA data',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID:
    'the server certificate is not valid for this host name (set tls-server-name?)',
};

/** Credentials in URLs (`https://user:token@host`) anywhere in a text we pass on. */
function withoutUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/gi, '$1[redacted]@');
}

/** A Kubernetes Status object's message: the only part of an answer's body that is kept. */
function statusMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const status = value as { kind?: unknown; message?: unknown } | undefined;
  if (status?.kind !== 'Status' || typeof status.message !== 'string')
    return undefined;
  const message = withoutUrlCredentials(
    status.message.replace(/[\r\n]+/g, ' '),
  );
  return message.length > MAX_STATUS_MESSAGE
    ? `${message.slice(0, MAX_STATUS_MESSAGE)}…`
    : message;
}

function networkFailure(err: Record<string, unknown>): string | undefined {
  const code = typeof err.code === 'string' ? err.code : undefined;
  if (!code || !NETWORK_CODES.test(code)) return undefined;
  const syscall =
    typeof err.syscall === 'string' && /^[a-z]+$/.test(err.syscall)
      ? `${err.syscall} `
      : '';
  const address =
    typeof err.address === 'string' && /^[0-9a-f.:]+$/i.test(err.address)
      ? err.address
      : undefined;
  const port = typeof err.port === 'number' ? `:${err.port}` : '';
  const host =
    typeof err.hostname === 'string' && /^[\w.-]+$/.test(err.hostname)
      ? err.hostname
      : undefined;
  let peer = host ? ` ${host}` : '';
  if (address) peer = ` ${address}${port}`;
  return `${syscall}${code}${peer}${
    TLS_EXPLANATION[code] ? ` (${TLS_EXPLANATION[code]})` : ''
  }`;
}

/**
 * Turns whatever a Kubernetes call threw into one line a person can act on, and the one redaction step for
 * everything that crosses the cluster boundary into a response, a health or sync-run error, a log line or an
 * audit event. It keeps the cause (`connect ECONNREFUSED 10.0.0.1:6443`, `403 Forbidden: … cannot list
 * resource …`) and nothing that could carry a secret or a foreign body: no header values, no request dumps,
 * no bodies except a Kubernetes Status message, capped. Anything it does not recognise is named by its type only.
 */
export function describeClusterError(error: unknown): string {
  const err = (error && typeof error === 'object' ? error : {}) as Record<
    string,
    unknown
  >;
  const name = typeof err.name === 'string' ? err.name : 'Error';
  if (
    name === 'AbortError' ||
    err.type === 'aborted' ||
    name === 'TimeoutError'
  ) {
    return 'request aborted: the cluster did not answer in time';
  }
  if (OWN_ERRORS.has(name) && typeof err.message === 'string')
    return withoutUrlCredentials(err.message);
  if (typeof err.code === 'number') {
    const head = `${err.code} ${STATUS_TEXT[err.code] ?? 'error'}`;
    const detail = statusMessage(err.body);
    return detail ? `${head}: ${detail}` : head;
  }
  if (name === 'SyntaxError') {
    // The parser's message quotes the answer: never passed on.
    return 'invalid response from the API server: its answer is not valid JSON';
  }
  const network =
    networkFailure(err) ??
    networkFailure((err.cause ?? {}) as Record<string, unknown>);
  if (network) return network;
  return `the request failed (${/^\w{1,40}$/.test(name) ? name : 'Error'})`;
}
