/**
 * Turns whatever a Kubernetes call threw into one line a person can act on, keeping the cause
 * (`connect ECONNREFUSED 127.0.0.1:6443`, `403 Forbidden: … cannot list resource …`) and never credentials:
 * client-node's errors carry the status and the API server's Status body, node-fetch's carry the URL and
 * the socket error, neither carries the token.
 */
export function describeClusterError(error: unknown): string {
  const err = error as {
    name?: string;
    code?: number | string;
    body?: unknown;
    message?: string;
    type?: string;
    errno?: string;
  };
  if (err?.name === 'AbortError' || err?.type === 'aborted') {
    return 'request aborted: the cluster did not answer in time';
  }
  if (typeof err?.code === 'number') {
    const statusText: Record<number, string> = {
      401: 'Unauthorized (the cluster rejected the credentials)',
      403: 'Forbidden',
      404: 'Not Found',
      409: 'Conflict',
      429: 'Too Many Requests',
      500: 'Internal Server Error',
      502: 'Bad Gateway',
      503: 'Service Unavailable',
    };
    const detail = statusMessage(err.body);
    const head = `${err.code} ${statusText[err.code] ?? 'error'}`;
    return detail ? `${head}: ${detail}` : head;
  }
  const message = err?.message ?? String(error);
  // node-fetch: "request to https://host/path failed, reason: connect ECONNREFUSED 10.0.0.1:6443"
  const reason = /failed, reason: (.*)$/.exec(message)?.[1];
  if (reason) return reason;
  if (err?.name === 'SyntaxError' || /Unexpected token|JSON/.test(message)) {
    return `invalid response from the API server (${message.slice(0, 200)})`;
  }
  return message.slice(0, 500);
}

function statusMessage(body: unknown): string | undefined {
  if (!body) return undefined;
  if (typeof body === 'string') {
    try {
      return statusMessage(JSON.parse(body));
    } catch {
      return body.slice(0, 300);
    }
  }
  const message = (body as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}
