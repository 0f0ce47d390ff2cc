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

const ETCD_REVISION = /^\d{1,20}$/;

/**
 * Whether `incoming` is an older version of an object than `stored`. Kubernetes calls resourceVersion opaque,
 * but an API server backed by etcd hands out etcd's revision, a number that only grows; where both are such
 * numbers they are ordered, otherwise they are only ever compared for equality (and nothing is older).
 */
export function isOlderVersion(incoming: string, stored: string): boolean {
  if (!ETCD_REVISION.test(incoming) || !ETCD_REVISION.test(stored))
    return false;
  return BigInt(incoming) < BigInt(stored);
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
  listVersions: Partial<Record<string, string>> = {},
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
    // A watch may have stored a newer copy while this list was on its way: it stays.
    else if (
      existing.resourceVersion !== item.resourceVersion &&
      !isOlderVersion(item.resourceVersion, existing.resourceVersion)
    ) {
      updates.push(item);
    } else unchanged += 1;
  }
  // Missing from the list means deleted, unless the stored row is newer than the list (created since).
  const deleteIds = stored
    .filter(row => listedKinds.has(row.kind) && !incomingIds.has(row.id))
    .filter(
      row => !isOlderVersion(listVersions[row.kind] ?? '', row.resourceVersion),
    )
    .map(row => row.id);
  return { inserts, updates, deleteIds, unchanged };
}
