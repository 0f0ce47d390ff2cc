/** What the store knew of an object's applied revision before a write. */
export interface PreviousRevision {
  revision?: string;
  revisionSince?: Date;
  /** When its row was last written: the old revision was still applied then. */
  writtenAt: Date;
}

/**
 * Since when an object's applied revision has been live, after a write. The object's own history (`changedAt`)
 * is exact and taken when plausible: not in the future and, for a change the store sees, not before the old
 * revision was last seen. A change seen without it is dated when seen (the watch sees it within seconds). A
 * revision that was already applied when the portal first saw the object, with no history to date it, stays
 * undated rather than dated wrongly.
 */
export function judgeRevisionSince(
  previous: PreviousRevision | undefined,
  next: { revision?: string; changedAt?: string },
  now: Date,
): Date | undefined {
  if (!next.revision) return undefined;
  const stated = next.changedAt ? Date.parse(next.changedAt) : NaN;
  const plausible = !Number.isNaN(stated) && stated <= now.getTime();
  if (!previous || previous.revision === next.revision) {
    if (previous?.revisionSince) return previous.revisionSince;
    return plausible ? new Date(stated) : undefined;
  }
  // Kubernetes keeps times to the second: a change in the second of the last write is after it.
  const lastSeen = Math.floor(previous.writtenAt.getTime() / 1000) * 1000;
  return plausible && stated >= lastSeen ? new Date(stated) : now;
}
