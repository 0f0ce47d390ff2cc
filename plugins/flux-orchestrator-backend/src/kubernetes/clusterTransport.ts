import type { RequestContext, ResponseContext } from '@kubernetes/client-node';
import dns, { LookupAddress } from 'dns';
import http from 'http';
import https from 'https';
import { NetworkPolicy } from '../clusters/clusterPolicy';
import { ClusterConnection } from './ClusterConnection';
import { ClientNode } from './loadClientNode';

/** The largest answer read from a cluster: a page of 500 objects with big Helm values stays well under it. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * A failure of the transport itself, worded by us: safe to show, log and audit as it is (it names the
 * server's host and address, never a header, a token or what the server sent). `code` carries the HTTP status
 * when there was one, so that a cluster's 403 stays a 403.
 */
export class ClusterTransportError extends Error {
  name = 'ClusterTransportError';
  constructor(message: string, readonly code?: number) {
    super(message);
  }
}

/** The longest single watch event read: one object, however large its status. */
export const MAX_EVENT_BYTES = 16 * 1024 * 1024;

/** One line of a watch stream, parsed; a line that is not JSON is the server's fault, said without quoting it. */
function parseEvent(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new ClusterTransportError(
      'the watch stream held a line that is not JSON',
    );
  }
}

/**
 * A watch the server refused, with its status and (up to 64 KB of) its body, shaped like client-node's API
 * errors so that describeClusterError keeps only a Kubernetes Status message of it, redacted and capped.
 */
export class WatchRefusedError extends Error {
  name = 'WatchRefusedError';
  constructor(readonly code: number, readonly body: string) {
    super(`the watch was answered with ${code}`);
  }
}

function isJson(contentType: string | undefined): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? '');
}

/**
 * The HTTP layer under client-node for one cluster, in place of its default (node-fetch with an agent built
 * from kubeconfig fields). Everything a cluster's answer could use against the backend is closed here:
 * - the socket connects only to addresses the network policy allows, judged on the address actually resolved
 *   and connected to (the agent's `lookup`), so a DNS name cannot rebind to an internal service after a check;
 * - requests go only to the configured server's origin, and redirects are not followed;
 * - answers are read up to MAX_RESPONSE_BYTES, and a success that is not JSON is refused as "not a Kubernetes
 *   API server" instead of being handed to a JSON parser that would quote it back.
 */
export function createClusterTransport(
  k8s: ClientNode,
  connection: ClusterConnection,
  network: NetworkPolicy,
) {
  const origin = new URL(connection.server).origin;
  const isHttps = origin.startsWith('https:');
  const lookup = (
    hostname: string,
    options: dns.LookupOptions,
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const refusal = network.refusal(connection.server, address);
        if (refusal)
          return callback(
            new ClusterTransportError(
              `${hostname} resolves to ${refusal}`,
            ) as any,
            [],
          );
      }
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
  const credentials = connection.credentials;
  const agentOptions = {
    keepAlive: true,
    lookup: lookup as any,
    ca: connection.caData
      ? Buffer.from(connection.caData, 'base64')
      : undefined,
    servername: connection.tlsServerName,
    rejectUnauthorized: !connection.skipTLSVerify,
    cert:
      credentials.type === 'clientCertificate'
        ? Buffer.from(credentials.certData, 'base64')
        : undefined,
    key:
      credentials.type === 'clientCertificate'
        ? Buffer.from(credentials.keyData, 'base64')
        : undefined,
  };
  const agent = isHttps
    ? new https.Agent(agentOptions)
    : new http.Agent(agentOptions);

  /**
   * Opens a request to the cluster's origin and answers with its response once the headers are in; a redirect
   * is refused, never followed.
   */
  function open(
    request: RequestContext,
  ): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
    const url = new URL(request.getUrl());
    if (url.origin !== origin) {
      return Promise.reject(
        new ClusterTransportError(
          `refused a request to ${url.origin}, which is not the cluster's server`,
        ),
      );
    }
    const refusal = network.literalRefusal(connection.server, url.hostname);
    if (refusal)
      return Promise.reject(
        new ClusterTransportError(`${url.host}: ${refusal}`),
      );

    return new Promise((resolve, reject) => {
      const req = (isHttps ? https : http).request(
        url,
        {
          method: request.getHttpMethod().toString(),
          headers: request.getHeaders(),
          agent,
          signal: request.getSignal() as AbortSignal | undefined,
        },
        res => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            res.resume();
            reject(
              new ClusterTransportError(
                `the server answered ${status} with a redirect, which is not followed`,
                status,
              ),
            );
            return;
          }
          resolve({ req, res });
        },
      );
      req.on('error', reject);
      const body = request.getBody();
      if (body !== undefined && body !== null) req.write(body as string);
      req.end();
    });
  }

  /** Refuses an answer that is not JSON, naming what it was instead. */
  function requireJson(res: http.IncomingMessage) {
    const contentType = res.headers['content-type'];
    if (isJson(contentType)) return;
    const status = res.statusCode ?? 0;
    const what = `${contentType?.split(';')[0] || 'no content type'}`;
    throw new ClusterTransportError(
      `the server answered ${status} with ${what}, not the JSON of a Kubernetes API server`,
      status >= 400 ? status : undefined,
    );
  }

  async function send(request: RequestContext): Promise<ResponseContext> {
    const { req, res } = await open(request);
    const body = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy(
            new ClusterTransportError(
              `the server's answer is larger than ${
                MAX_RESPONSE_BYTES / 1024 / 1024
              } MB`,
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      req.on('error', reject);
      res.on('end', () => resolve(Buffer.concat(chunks)));
    });
    requireJson(res);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (typeof value === 'string') headers[name] = value;
    }
    return new k8s.ResponseContext(res.statusCode ?? 0, headers, {
      text: async () => body.toString('utf8'),
      binary: async () => body,
    });
  }

  /**
   * A watch: newline-delimited JSON events, each handed to `onEvent` in order (the next line waits for the
   * previous handler), until the server ends the stream, the signal aborts it, or it breaks. An answer that is
   * not a 200 stream is an error with its status; one event longer than MAX_EVENT_BYTES ends the stream.
   */
  async function stream(
    request: RequestContext,
    onEvent: (event: unknown) => Promise<void>,
    onOpen?: () => void,
  ): Promise<void> {
    const { req, res } = await open(request);
    const status = res.statusCode ?? 0;
    if (status !== 200) {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res) {
        chunks.push(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (size > 64 * 1024) break;
      }
      req.destroy();
      throw new WatchRefusedError(
        status,
        Buffer.concat(chunks).toString('utf8'),
      );
    }
    requireJson(res);
    onOpen?.();
    let pending = '';
    try {
      for await (const chunk of res) {
        pending += (chunk as Buffer).toString('utf8');
        let newline = pending.indexOf('\n');
        while (newline >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line) await onEvent(parseEvent(line));
          newline = pending.indexOf('\n');
        }
        if (pending.length > MAX_EVENT_BYTES) {
          throw new ClusterTransportError(
            `a watch event is larger than ${MAX_EVENT_BYTES / 1024 / 1024} MB`,
          );
        }
      }
    } finally {
      req.destroy();
    }
  }

  return {
    send: (request: RequestContext) => new k8s.Observable(send(request)),
    stream,
    /** Closes the connections the transport keeps (idle and open); later requests open new ones. */
    close: () => agent.destroy(),
  };
}
