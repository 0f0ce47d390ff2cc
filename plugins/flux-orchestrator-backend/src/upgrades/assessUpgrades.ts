import {
  apiLifecycleOf,
  DeprecatedApiFinding,
  UpgradeReadiness,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { ApiVersionCount } from '../database/FluxStore';

const UNKNOWN = 'unknown';

/** A Flux release as numbers (`v2.9.5` → [2, 9, 5]); undefined for anything else. */
function releaseOf(version: string): number[] | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(version);
  return match
    ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)]
    : undefined;
}

/** Newer releases first; versions that are not releases after them, by name. */
export function compareFluxVersions(a: string, b: string): number {
  const [ra, rb] = [releaseOf(a), releaseOf(b)];
  if (ra && rb) {
    for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
    return 0;
  }
  if (ra) return -1;
  if (rb) return 1;
  return a.localeCompare(b);
}

/**
 * The fleet's Flux versions, and the objects at API versions that a Flux release deprecates or removes: each
 * object's served version (its cluster's Flux is that old) and, where its managed fields tell, the version its
 * manifest was applied at (its Git repository still uses it). An object counts once in the totals, as removed
 * if either of its versions is, else as deprecated.
 */
export function assessUpgrades(
  clusters: Array<{ name: string; fluxVersion?: string }>,
  counts: ApiVersionCount[],
): UpgradeReadiness {
  const byVersion = new Map<string, string[]>();
  for (const cluster of clusters) {
    const version = cluster.fluxVersion ?? UNKNOWN;
    byVersion.set(version, [...(byVersion.get(version) ?? []), cluster.name]);
  }
  const fluxVersions = [...byVersion.entries()]
    .map(([version, names]) => ({ version, clusters: names.sort() }))
    .sort((a, b) => {
      // Clusters without a known version last.
      if (a.version === UNKNOWN || b.version === UNKNOWN)
        return Number(a.version === UNKNOWN) - Number(b.version === UNKNOWN);
      return compareFluxVersions(a.version, b.version);
    });
  const findings = new Map<string, DeprecatedApiFinding>();
  let deprecated = 0;
  let removed = 0;
  for (const row of counts) {
    const seen: Array<[string, 'served' | 'applied']> = [
      [row.apiVersion, 'served'],
    ];
    if (row.appliedApiVersion && row.appliedApiVersion !== row.apiVersion)
      seen.push([row.appliedApiVersion, 'applied']);
    let worst: 'deprecated' | 'removed' | undefined;
    for (const [apiVersion, where] of seen) {
      const lifecycle = apiLifecycleOf(row.kind, apiVersion);
      if (!lifecycle?.deprecatedIn && !lifecycle?.removedIn) continue;
      worst =
        lifecycle.removedIn || worst === 'removed' ? 'removed' : 'deprecated';
      const key = `${row.cluster} ${row.kind} ${apiVersion} ${where}`;
      const finding = findings.get(key) ?? {
        cluster: row.cluster,
        kind: row.kind,
        apiVersion,
        where,
        objects: 0,
        deprecatedIn: lifecycle.deprecatedIn,
        removedIn: lifecycle.removedIn,
        replacedBy: lifecycle.replacedBy,
      };
      finding.objects += row.count;
      findings.set(key, finding);
    }
    if (worst === 'removed') removed += row.count;
    else if (worst === 'deprecated') deprecated += row.count;
  }
  return {
    fluxVersions,
    newestFluxVersion: fluxVersions.find(v => releaseOf(v.version))?.version,
    findings: [...findings.values()],
    objectsAtDeprecatedVersions: deprecated,
    objectsAtRemovedVersions: removed,
  };
}
