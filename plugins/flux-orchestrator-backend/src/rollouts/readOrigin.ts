import { posix } from 'node:path';
import { DeploymentOriginPart } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { toIsoTimestamp } from '../toIsoTimestamp';

const MAX_URL_LENGTH = 2048;
const MAX_PATH_LENGTH = 1024;
const MAX_NAME_LENGTH = 255;

/** Ports that say nothing: a URL with one is the same place as without it. */
const DEFAULT_PORTS: Record<string, string> = {
  'https:': '443',
  'http:': '80',
  'ssh:': '22',
};

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed && trimmed.length <= max ? trimmed : undefined;
}

/**
 * Where a source points, as host and path: the same repository reached over HTTPS or SSH, with or without `.git`
 * or a trailing slash, is one place. Credentials, query and fragment are dropped (a URL may carry a token), and
 * anything that is not a URL with a host gives nothing rather than a guess.
 */
export function normalizeLocation(
  value: unknown,
  defaultScheme?: string,
): string | undefined {
  const raw = text(value, MAX_URL_LENGTH);
  if (!raw) return undefined;
  const withScheme =
    defaultScheme && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)
      ? `${defaultScheme}://${raw}`
      : raw;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (!url.hostname) return undefined;
  const port =
    url.port && url.port !== DEFAULT_PORTS[url.protocol] ? `:${url.port}` : '';
  const path = url.pathname.replace(/\/+$/, '').replace(/\.git$/, '');
  return `${url.hostname.toLowerCase()}${port}${path}`;
}

/** A path inside a source, without `./`, doubled or trailing slashes: `./apps//prod/` is `apps/prod`, the root empty. */
export function normalizeSourcePath(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return '';
  const raw = text(value, MAX_PATH_LENGTH);
  if (raw === undefined) return undefined;
  return posix.normalize(`/${raw}`).replace(/^\/+|\/+$/g, '');
}

/**
 * The Git reference a GitRepository follows, as Flux picks it: a commit over a name over a semver range over a
 * tag over a branch; none given is the `master` branch (source-controller's default).
 */
function gitRefOf(ref: unknown): string | undefined {
  const r = (ref && typeof ref === 'object' ? ref : {}) as Record<
    string,
    unknown
  >;
  for (const field of ['commit', 'name', 'semver', 'tag', 'branch']) {
    if (r[field] === undefined) continue;
    const value = text(r[field], MAX_NAME_LENGTH);
    return value === undefined ? undefined : `${field} ${value}`;
  }
  return 'branch master';
}

/**
 * What an object itself contributes to the identity of a deployment across clusters; a deployment's whole origin
 * is the parts along its source chain (a HelmRelease's chart, its HelmRepository's URL). Undefined for kinds
 * that take no part, and for a part that cannot be read (the deployment's origin is then unknown, not wrong).
 */
export function readOriginPart(
  kind: string,
  spec: Record<string, any>,
): DeploymentOriginPart | undefined {
  switch (kind) {
    case 'GitRepository': {
      const url = normalizeLocation(spec.url);
      const ref = gitRefOf(spec.ref);
      return url && ref ? { url, ref } : undefined;
    }
    case 'OCIRepository':
    case 'HelmRepository': {
      // An OCI repository's tag is not part of it: clusters on different tags of one artifact are a drift to show.
      const url = normalizeLocation(spec.url);
      return url ? { url } : undefined;
    }
    case 'Bucket': {
      const endpoint = normalizeLocation(spec.endpoint, 'https');
      const bucket = text(spec.bucketName, MAX_NAME_LENGTH);
      const prefix = normalizeSourcePath(spec.prefix);
      if (!endpoint || !bucket || prefix === undefined) return undefined;
      return { url: [endpoint, bucket, prefix].filter(Boolean).join('/') };
    }
    case 'HelmChart': {
      const chart = normalizeSourcePath(spec.chart);
      return chart ? { chart } : undefined;
    }
    case 'Kustomization': {
      const path = normalizeSourcePath(spec.path);
      return path === undefined ? undefined : { path };
    }
    case 'HelmRelease': {
      // A chartRef names an OCIRepository or a HelmChart, whose own parts say everything.
      if (spec.chartRef) return {};
      const chart = normalizeSourcePath(spec.chart?.spec?.chart);
      return chart ? { chart } : undefined;
    }
    default:
      return undefined;
  }
}

function earliest(times: unknown[]): string | undefined {
  return times
    .map(toIsoTimestamp)
    .filter((t): t is string => t !== undefined)
    .sort()[0];
}

/**
 * Since when the applied revision has been live, where the object's own history tells: the first reconcile of a
 * Kustomization's newest run of history entries at that revision (Flux 2.7 and later), the first deploy of a
 * HelmRelease's newest run of releases of that chart version. A failed attempt at a newer revision, newer in the
 * history, does not end the run.
 */
export function readRevisionChangedAt(
  kind: string,
  status: Record<string, any>,
  revision: string | undefined,
): string | undefined {
  if (!revision || !Array.isArray(status.history)) return undefined;
  const history: any[] = status.history.filter(
    (entry: unknown) => entry && typeof entry === 'object',
  );
  let matches: (entry: any) => boolean;
  let timeOf: (entry: any) => unknown;
  if (kind === 'Kustomization') {
    matches = entry => entry.metadata?.revision === revision;
    timeOf = entry => entry.firstReconciled;
  } else if (kind === 'HelmRelease') {
    matches = entry =>
      entry.chartVersion === revision &&
      (entry.status === 'deployed' || entry.status === 'superseded');
    timeOf = entry => entry.lastDeployed;
  } else {
    return undefined;
  }
  const start = history.findIndex(matches);
  if (start < 0) return undefined;
  let end = start;
  while (end + 1 < history.length && matches(history[end + 1])) end++;
  return earliest(history.slice(start, end + 1).map(timeOf));
}
