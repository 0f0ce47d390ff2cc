import { InputError } from '@backstage/errors';
import { BlockList, isIP } from 'net';

/**
 * `fluxOrchestrator.kubeconfig`: what a cluster's connection may use, whatever its source. Everything risky is
 * off by default. App-config clusters may additionally opt in, per cluster, to what their operators need
 * (an exec plugin, skipped TLS verification); nothing from the API or the catalog can reach those opt-ins.
 */
export interface ClusterPolicy {
  /** Plain-http API servers send the credentials unencrypted. */
  allowHttp: boolean;
  /** `insecure-skip-tls-verify` (and the catalog's `kubernetes.io/skip-tls-verify`) exposes the credentials. */
  allowInsecure: boolean;
  /** When non-empty, a server URL must match one of these (`*` matches within a host label or path segment). */
  allowedServers: string[];
  /**
   * Servers on loopback, link-local, private or otherwise non-public addresses are refused unless allowed:
   * `true` for all of them, or a list of CIDR ranges (`10.0.0.0/8`, `127.0.0.1/32`).
   */
  allowPrivateNetworks: boolean | string[];
}

export const STRICT_CLUSTER_POLICY: ClusterPolicy = {
  allowHttp: false,
  allowInsecure: false,
  allowedServers: [],
  allowPrivateNetworks: false,
};

/** Ranges that are not the public internet (IANA special-purpose registries), refused unless allowed. */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** IPv4 addresses written as IPv6 (`::ffff:10.0.0.1`, NAT64 `64:ff9b::a00:1`) are judged as the IPv4 they carry. */
function embeddedIpv4(address: string): string | undefined {
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(
    address,
  );
  if (!hex) return undefined;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

function patternToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^./:]*');
  return new RegExp(`^${escaped}/?$`);
}

/**
 * Judges servers and the addresses they resolve to. A server that matches `allowedServers` was named by the
 * portal's operators and may be anywhere; any other may use only public addresses, or the non-public ranges
 * of `allowPrivateNetworks`.
 */
export class NetworkPolicy {
  private readonly allowed = new BlockList();
  private readonly allowAll: boolean;
  private readonly servers: RegExp[];

  constructor(
    policy: Pick<ClusterPolicy, 'allowPrivateNetworks' | 'allowedServers'>,
  ) {
    const { allowPrivateNetworks } = policy;
    this.allowAll = allowPrivateNetworks === true;
    this.servers = policy.allowedServers.map(patternToRegExp);
    if (Array.isArray(allowPrivateNetworks)) {
      allowPrivateNetworks.forEach((cidr, index) => {
        const [net, bits] = cidr.split('/');
        const type = isIP(net);
        const prefix = Number(bits ?? (type === 6 ? 128 : 32));
        if (
          !type ||
          !Number.isInteger(prefix) ||
          prefix < 0 ||
          prefix > (type === 6 ? 128 : 32)
        ) {
          throw new Error(
            `fluxOrchestrator.kubeconfig.allowPrivateNetworks[${index}]: "${cidr}" is not a CIDR range such as 10.0.0.0/8`,
          );
        }
        this.allowed.addSubnet(net, prefix, type === 6 ? 'ipv6' : 'ipv4');
      });
    }
  }

  /** The server (scheme://host:port/path) matches an `allowedServers` entry. */
  isNamedServer(server: string): boolean {
    return this.servers.some(pattern => pattern.test(server));
  }

  /**
   * The refusal of a URL's host when it is an IP literal, which connects without a DNS lookup and so must be
   * judged before connecting; host names are judged on what they resolve to.
   */
  literalRefusal(server: string, hostname: string): string | undefined {
    const host = hostname.replace(/^\[|\]$/g, '');
    return isIP(host) ? this.refusal(server, host) : undefined;
  }

  /** Why connecting to `address` for `server` is refused, or undefined when it may be used. */
  refusal(server: string, address: string): string | undefined {
    if (this.allowAll || this.isNamedServer(server)) return undefined;
    const ip = embeddedIpv4(address) ?? address;
    const version = isIP(ip);
    if (!version) return `${address} is not an IP address`;
    const type = version === 6 ? 'ipv6' : 'ipv4';
    if (!NON_PUBLIC.check(ip, type) || this.allowed.check(ip, type))
      return undefined;
    return `${address} is a loopback, link-local, private or otherwise non-public address; allow it with fluxOrchestrator.kubeconfig.allowPrivateNetworks`;
  }
}

/**
 * Checks a server URL against the policy before anything connects: a URL, https (or http where allowed), no
 * credentials in it, matching `allowedServers` when that is set, and not an IP literal in a refused range.
 * Host names are judged again at connection time, on the address they resolve to.
 */
export function checkServer(
  value: unknown,
  field: string,
  policy: ClusterPolicy,
  network: NetworkPolicy,
): string {
  if (typeof value !== 'string' || !value.trim())
    throw new InputError(
      `${field}: is missing; give the https URL of the API server`,
    );
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InputError(
      `${field}: is not a URL; give the https URL of the API server`,
    );
  }
  // Never echo credentials back, even in a refusal.
  const shown = `${url.protocol}//${url.host}${
    url.pathname === '/' ? '' : url.pathname
  }`;
  if (url.username || url.password) {
    throw new InputError(
      `${field}: carries credentials in the URL (${shown}); give them as a token or client certificate instead`,
    );
  }
  if (url.protocol === 'http:' && !policy.allowHttp) {
    throw new InputError(
      `${field}: ${shown} uses http, which sends the credentials unencrypted; use https (or allow it with fluxOrchestrator.kubeconfig.allowHttp)`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`${field}: ${shown} must be an https URL`);
  }
  if (url.search || url.hash) {
    throw new InputError(
      `${field}: ${shown} must not have a query or fragment`,
    );
  }
  const server = `${url.protocol}//${url.host}${url.pathname.replace(
    /\/$/,
    '',
  )}`;
  if (policy.allowedServers.length && !network.isNamedServer(server)) {
    throw new InputError(
      `${field}: ${server} is not allowed (fluxOrchestrator.kubeconfig.allowedServers: ${policy.allowedServers.join(
        ', ',
      )})`,
    );
  }
  const refusal = network.literalRefusal(server, url.hostname);
  if (refusal)
    throw new InputError(`${field}: ${server} is refused: ${refusal}`);
  return server;
}
