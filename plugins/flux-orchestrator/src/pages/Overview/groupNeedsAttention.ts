import {
  FluxResource,
  FluxStatus,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';

/** Failing and stalled objects that share one error message. */
export interface AttentionGroup {
  key: string;
  /** The worst status in the group: stalled (Flux gave up) before failing. */
  status: FluxStatus;
  reason?: string;
  message: string;
  resources: FluxResource[];
  /** The clusters the error appears on, in name order. */
  clusters: string[];
  /** When the first of its objects started failing, if known. */
  failingSince?: string;
}

const SEVERITY: Partial<Record<FluxStatus, number>> = {
  stalled: 0,
  failing: 1,
};

/**
 * Groups failing and stalled objects by their error message, so that one broken chart deployed to ten
 * clusters is one row naming ten clusters rather than ten rows. Stalled groups come first (Flux has stopped
 * retrying them), then the groups that hit the most objects.
 */
export function groupNeedsAttention(
  resources: FluxResource[],
): AttentionGroup[] {
  const groups = new Map<string, AttentionGroup>();
  for (const resource of resources) {
    if (SEVERITY[resource.status] === undefined) continue;
    const message =
      resource.message ?? resource.reason ?? 'No message from Flux';
    let group = groups.get(message);
    if (!group) {
      group = {
        key: message,
        status: resource.status,
        reason: resource.reason,
        message,
        resources: [],
        clusters: [],
      };
      groups.set(message, group);
    }
    group.resources.push(resource);
    if (!group.clusters.includes(resource.cluster))
      group.clusters.push(resource.cluster);
    if (SEVERITY[resource.status]! < SEVERITY[group.status]!)
      group.status = resource.status;
    if (
      resource.failingSince &&
      (!group.failingSince ||
        Date.parse(resource.failingSince) < Date.parse(group.failingSince))
    )
      group.failingSince = resource.failingSince;
  }
  const list = [...groups.values()];
  for (const group of list) group.clusters.sort();
  return list.sort(
    (a, b) =>
      SEVERITY[a.status]! - SEVERITY[b.status]! ||
      b.resources.length - a.resources.length ||
      a.message.localeCompare(b.message),
  );
}
