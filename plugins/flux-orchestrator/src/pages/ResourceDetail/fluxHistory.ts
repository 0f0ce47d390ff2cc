/*
 * The history Flux keeps in an object's own status. The object comes from a cluster: every field is checked for
 * its type before it is shown, so that an odd value becomes a dash rather than breaking the page.
 */

/** One release of a HelmRelease, as helm-controller records it in `status.history`. */
export interface HelmReleaseSnapshot {
  version?: number;
  /** What made the release: install, upgrade, rollback (recent helm-controller releases record it). */
  action?: string;
  chartName?: string;
  chartVersion?: string;
  appVersion?: string;
  status?: string;
  firstDeployed?: string;
  lastDeployed?: string;
}

/** One revision a Kustomization applied, as kustomize-controller records it in `status.history`. */
export interface KustomizationSnapshot {
  /** The source revision (`metadata.revision`), and the origin's when the artifact records one. */
  revision?: string;
  originRevision?: string;
  /** The reason of the last reconciliation of this revision, e.g. ReconciliationSucceeded. */
  status?: string;
  firstReconciled?: string;
  lastReconciled?: string;
  /** How long the last reconciliation of it took, as Kubernetes writes a duration (`1.5s`). */
  lastDuration?: string;
  totalReconciliations?: number;
  digest?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value)
    ? value
    : undefined;
}

function entriesOf(object: Record<string, unknown>): Record<string, unknown>[] {
  const history = (object.status as { history?: unknown } | undefined)?.history;
  if (!Array.isArray(history)) return [];
  return history.filter(
    (entry): entry is Record<string, unknown> =>
      typeof entry === 'object' && entry !== null && !Array.isArray(entry),
  );
}

/**
 * Reads a HelmRelease's `status.history`, newest first as helm-controller writes it
 * (https://fluxcd.io/flux/components/helm/helmreleases/#history). Older API versions do not have it.
 */
export function helmReleaseHistory(
  object: Record<string, unknown>,
): HelmReleaseSnapshot[] {
  return entriesOf(object).map(entry => ({
    version: count(entry.version),
    action: text(entry.action),
    chartName: text(entry.chartName),
    chartVersion: text(entry.chartVersion),
    appVersion: text(entry.appVersion),
    status: text(entry.status),
    firstDeployed: text(entry.firstDeployed),
    lastDeployed: text(entry.lastDeployed),
  }));
}

/**
 * Reads a Kustomization's `status.history` (recent kustomize-controller releases): one snapshot per
 * applied revision and outcome, newest first, with how often and how long it was reconciled.
 */
export function kustomizationHistory(
  object: Record<string, unknown>,
): KustomizationSnapshot[] {
  return entriesOf(object).map(entry => {
    const metadata =
      typeof entry.metadata === 'object' && entry.metadata !== null
        ? (entry.metadata as Record<string, unknown>)
        : {};
    return {
      revision: text(metadata.revision),
      originRevision: text(metadata.originRevision),
      status: text(entry.lastReconciledStatus),
      firstReconciled: text(entry.firstReconciled),
      lastReconciled: text(entry.lastReconciled),
      lastDuration: text(entry.lastReconciledDuration),
      totalReconciliations: count(entry.totalReconciliations),
      digest: text(entry.digest),
    };
  });
}
