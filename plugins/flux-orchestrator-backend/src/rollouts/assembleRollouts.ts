import {
  DeploymentOrigin,
  DeploymentOriginPart,
  ObjectReference,
  RolloutObject,
  RolloutRow,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { OriginRow } from '../database/FluxStore';

/** The kinds that deploy what a source offers: the rows of the rollout tracker. */
export const DEPLOYING_KINDS = ['Kustomization', 'HelmRelease'] as const;

/** Sources named through sources at most (a HelmRelease's HelmChart's HelmRepository is two). */
const MAX_CHAIN = 3;

const refKey = (cluster: string, ref: ObjectReference) =>
  `${cluster}\u0000${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}`;

/**
 * The origin of a deploying object: its own part and those of the sources it takes its input from, in its
 * cluster. A source that is missing, unreadable or of unknown origin leaves the reference it was named by.
 */
function resolveOrigin(
  deployer: OriginRow,
  sources: Map<string, OriginRow>,
): { origin: DeploymentOrigin; source?: OriginRow } {
  if (!deployer.origin || !deployer.sourceRef) {
    const { kind, namespace, name } = deployer;
    return { origin: { unresolved: { kind, namespace, name } } };
  }
  const parts: DeploymentOriginPart[] = [deployer.origin];
  let ref: ObjectReference | undefined = deployer.sourceRef;
  let first: OriginRow | undefined;
  let root: OriginRow | undefined;
  for (let depth = 0; ref; depth++) {
    const source = sources.get(refKey(deployer.cluster, ref));
    if (!source?.origin || depth === MAX_CHAIN) {
      // What is known (a chart, a path) stays: two charts of one missing repository are two deployments.
      return { origin: { ...merge(parts), unresolved: ref } };
    }
    first ??= source;
    root = source;
    parts.push(source.origin);
    ref = source.sourceRef;
  }
  return { origin: { sourceKind: root!.kind, ...merge(parts) }, source: first };
}

/** Each kind fills its own fields (a source its URL, a chart its name, a Kustomization its path): none overlap. */
function merge(parts: DeploymentOriginPart[]): DeploymentOriginPart {
  return Object.assign({}, ...[...parts].reverse());
}

/**
 * Row identity: the same text for the same deployment in any cluster, the object of the same kind, namespace and
 * name deploying the same origin. Two releases of one chart in a cluster (with other values) are two rows.
 */
function rowKey(
  deployer: OriginRow,
  origin: DeploymentOrigin,
  entityRef: string | undefined,
): string {
  const u = origin.unresolved;
  return JSON.stringify([
    deployer.kind,
    deployer.namespace,
    deployer.name,
    origin.sourceKind ?? null,
    origin.url ?? null,
    origin.ref ?? null,
    origin.chart ?? null,
    origin.path ?? null,
    u ? [u.kind, u.namespace ?? null, u.name] : null,
    entityRef ?? null,
  ]);
}

function toObject(
  row: OriginRow,
  source: OriginRow | undefined,
): RolloutObject {
  return {
    id: row.id,
    cluster: row.cluster,
    namespace: row.namespace,
    name: row.name,
    status: row.status,
    revision: row.revision,
    originRevision: row.originRevision,
    attemptedRevision: row.attemptedRevision,
    revisionSince: row.revisionSince,
    // A Kustomization applies its source's artifact revision as it is; a HelmRelease's chart version is not
    // comparable with its repository's index.
    sourceRevision:
      row.kind === 'Kustomization' && source?.revision
        ? source.revision
        : undefined,
  };
}

/** The applied revisions of a row, by how many clusters have each, most first. */
function tallyRevisions(clusters: RolloutRow['clusters']) {
  const counts = new Map<string | undefined, number>();
  for (const { objects } of clusters) {
    for (const revision of new Set(objects.map(o => o.revision)))
      counts.set(revision, (counts.get(revision) ?? 0) + 1);
  }
  return [...counts.entries()]
    .map(([revision, n]) => ({ revision, clusters: n }))
    .sort(
      (a, b) =>
        b.clusters - a.clusters ||
        (a.revision ?? '').localeCompare(b.revision ?? ''),
    );
}

/**
 * The rollout rows of the deploying objects: one per origin, kind, namespace and name (and entity, when `entitiesOf` groups them
 * by the catalog entities selecting each object; an object no entity selects has a row of its own), each with
 * the objects by cluster and the revisions they have applied. Rows whose clusters disagree come first, then
 * those spanning most clusters.
 */
export function assembleRollouts(
  deployers: OriginRow[],
  sources: OriginRow[],
  entitiesOf?: (row: OriginRow) => string[],
): RolloutRow[] {
  const byRef = new Map(
    sources.map(s => [
      refKey(s.cluster, { kind: s.kind, namespace: s.namespace, name: s.name }),
      s,
    ]),
  );
  const rows = new Map<
    string,
    Omit<RolloutRow, 'clusters' | 'revisions' | 'disagrees'> & {
      byCluster: Map<string, RolloutObject[]>;
    }
  >();
  for (const deployer of deployers) {
    const { origin, source } = resolveOrigin(deployer, byRef);
    const object = toObject(deployer, source);
    const entities = entitiesOf ? entitiesOf(deployer) : [];
    for (const entityRef of entities.length ? entities : [undefined]) {
      const key = rowKey(deployer, origin, entityRef);
      let row = rows.get(key);
      if (!row) {
        row = {
          key,
          deployKind: deployer.kind as RolloutRow['deployKind'],
          namespace: deployer.namespace,
          name: deployer.name,
          origin,
          entityRef,
          byCluster: new Map(),
        };
        rows.set(key, row);
      }
      const cell = row.byCluster.get(deployer.cluster) ?? [];
      cell.push(object);
      row.byCluster.set(deployer.cluster, cell);
    }
  }
  const assembled: RolloutRow[] = [...rows.values()].map(
    ({ byCluster, ...row }) => {
      const clusters = [...byCluster.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([cluster, objects]) => ({
          cluster,
          objects: objects.sort((a, b) => a.id.localeCompare(b.id)),
        }));
      const revisions = tallyRevisions(clusters);
      return { ...row, clusters, revisions, disagrees: revisions.length > 1 };
    },
  );
  return assembled.sort(
    (a, b) =>
      (a.entityRef === undefined ? 1 : 0) -
        (b.entityRef === undefined ? 1 : 0) ||
      (a.entityRef ?? '').localeCompare(b.entityRef ?? '') ||
      Number(b.disagrees) - Number(a.disagrees) ||
      b.clusters.length - a.clusters.length ||
      a.name.localeCompare(b.name) ||
      a.key.localeCompare(b.key),
  );
}

/** Whether a row mentions `text` (lowercase) in its origin, entity or objects' names. */
export function rowMentions(row: RolloutRow, text: string): boolean {
  const { origin } = row;
  return [
    origin.url,
    origin.ref,
    origin.chart,
    origin.path,
    origin.unresolved?.name,
    row.entityRef,
    ...row.clusters.flatMap(c =>
      c.objects.flatMap(o => [o.cluster, o.namespace, o.name]),
    ),
  ].some(value => value?.toLowerCase().includes(text));
}
