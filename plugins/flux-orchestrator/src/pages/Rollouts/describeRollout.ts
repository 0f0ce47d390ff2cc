import {
  DeploymentOrigin,
  RolloutRow,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';

const SOURCE_NAMES: Record<string, string> = {
  GitRepository: 'Git',
  OCIRepository: 'OCI',
  Bucket: 'Bucket',
  HelmRepository: 'Helm repository',
};

/**
 * A deployment's origin in words, the parts of its identity in order: where (source kind and location), which
 * reference, what in it (chart, path). An origin that could not be followed says which reference was missing.
 */
export function describeOrigin(origin: DeploymentOrigin): {
  title: string;
  details: string[];
} {
  const details: string[] = [];
  if (origin.ref) details.push(origin.ref);
  if (origin.chart !== undefined) details.push(`chart ${origin.chart}`);
  if (origin.path !== undefined) details.push(`path ./${origin.path}`);
  if (origin.unresolved) {
    const { kind, namespace, name } = origin.unresolved;
    details.push(
      `${kind} ${
        namespace ? `${namespace}/` : ''
      }${name} not found or not readable`,
    );
    return { title: 'Unknown origin', details };
  }
  const source = origin.sourceKind
    ? SOURCE_NAMES[origin.sourceKind] ?? origin.sourceKind
    : 'Source';
  return { title: `${source} ${origin.url ?? ''}`.trim(), details };
}

/**
 * A revision short enough for a matrix cell: a Git or OCI digest cut to seven characters after its algorithm,
 * with the branch or tag before it (`main@sha1:8f3a1c2…` is `main@8f3a1c2`); a chart version as it is.
 */
export function shortRevision(revision: string): string {
  return revision.replace(
    /(^|@)(?:sha1|sha256|sha384|sha512|blake3):([0-9a-f]{7})[0-9a-f]*/i,
    '$1$2',
  );
}

/** The revision most clusters of a row have applied, against which the others are told apart. */
export function leadingRevision(row: RolloutRow): string | undefined {
  return row.revisions[0]?.revision;
}
