/** The identity and version of a stored row, enough to tell whether the cluster's copy changed. */
export interface StoredVersion {
  id: string;
  kind: string;
  resourceVersion: string;
}

export interface IncomingVersion {
  id: string;
  kind: string;
  resourceVersion: string;
}

export interface ResourceDiff<T extends IncomingVersion> {
  inserts: T[];
  updates: T[];
  deleteIds: string[];
  unchanged: number;
}

/**
 * Compares what a cluster returned with what is stored. Kubernetes bumps `resourceVersion` on every write
 * to an object, status included, so an equal version means an equal object. Rows of kinds that could not
 * be listed this time are left alone: a failed list is not evidence that the objects are gone.
 */
export function diffResources<T extends IncomingVersion>(
  stored: StoredVersion[],
  incoming: T[],
  listedKinds: ReadonlySet<string>,
): ResourceDiff<T> {
  const storedById = new Map(stored.map(row => [row.id, row]));
  const incomingIds = new Set<string>();
  const inserts: T[] = [];
  const updates: T[] = [];
  let unchanged = 0;
  for (const item of incoming) {
    incomingIds.add(item.id);
    const existing = storedById.get(item.id);
    if (!existing) inserts.push(item);
    else if (existing.resourceVersion !== item.resourceVersion) updates.push(item);
    else unchanged += 1;
  }
  const deleteIds = stored
    .filter(row => listedKinds.has(row.kind) && !incomingIds.has(row.id))
    .map(row => row.id);
  return { inserts, updates, deleteIds, unchanged };
}
