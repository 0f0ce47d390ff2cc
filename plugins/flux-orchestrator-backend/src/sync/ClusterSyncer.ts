import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ClusterHealth,
  FLUX_KINDS,
  FluxKind,
  SyncRun,
  SyncTrigger,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import { FluxStore, ResourceWriteCounts } from '../database/FluxStore';
import { describeClusterError } from '../kubernetes/describeClusterError';
import { KubernetesObject } from '../status/parseFluxObject';
import { RedactionOptions } from '../status/redactFluxObject';
import { mapWithConcurrency } from './mapWithConcurrency';
import { writeListedKind } from './writeListedKind';

export interface ClusterSyncerOptions {
  store: FluxStore;
  registry: ClusterRegistry;
  logger: LoggerService;
  /** Deadline of one cluster's sync. */
  clusterTimeoutMs: number;
  /** Clusters synced at once by `syncAll`. */
  concurrency: number;
  /** What to redact of a cluster's objects beyond the defaults (`fluxOrchestrator.secrets`). */
  redactionFor?: (cluster: string) => RedactionOptions;
  /** Told of every finished run, e.g. to signal the UI to refresh. */
  onRunFinished?: (run: SyncRun) => void;
}

/**
 * Syncs clusters: discover served Flux versions, list every kind, write what changed, record the run and
 * the cluster's health. A cluster that fails or runs past its deadline is marked unhealthy with the reason;
 * its previously stored objects stay as they were.
 */
export class ClusterSyncer {
  private readonly inFlight = new Map<string, Promise<SyncRun>>();

  constructor(private readonly options: ClusterSyncerOptions) {}

  /** Syncs one cluster; a sync already running for it is joined rather than started twice. */
  syncCluster(name: string, trigger: SyncTrigger): Promise<SyncRun> {
    const running = this.inFlight.get(name);
    if (running) return running;
    const run = this.runSync(name, trigger)
      .then(finished => {
        this.options.onRunFinished?.(finished);
        return finished;
      })
      .finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, run);
    return run;
  }

  /** Syncs every known cluster with bounded concurrency; one cluster's failure never stops the others. */
  async syncAll(trigger: SyncTrigger): Promise<SyncRun[]> {
    const names = await this.options.registry.listClusterNames();
    const runs = await mapWithConcurrency(
      names,
      this.options.concurrency,
      name =>
        // A cluster's own failures are recorded in its run; this catches the store failing around it (or the
        // cluster being deleted mid-way), so that the rest of the fleet still syncs.
        this.syncCluster(name, trigger).catch(error => {
          this.options.logger.error(
            `Could not sync cluster "${name}": ${error}`,
          );
          return undefined;
        }),
    );
    return runs.filter((run): run is SyncRun => run !== undefined);
  }

  private async runSync(name: string, trigger: SyncTrigger): Promise<SyncRun> {
    const { store, logger, clusterTimeoutMs } = this.options;
    const run = await store.startSyncRun(name, trigger, new Date());
    const signal = AbortSignal.timeout(clusterTimeoutMs);
    let finished: SyncRun;
    try {
      // The signal aborts client-node's sockets; the race also ends the wait when a transport ignores it.
      const outcome = await Promise.race([
        this.syncKinds(name, signal),
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), {
            once: true,
          }),
        ),
      ]);
      await store.setClusterHealth(name, outcome.health);
      finished = await store.finishSyncRun(
        run.id,
        {
          status: runOutcome(outcome),
          listed: outcome.listed,
          error: outcome.health.error,
          ...outcome.counts,
        },
        new Date(),
      );
    } catch (error) {
      const reason = signal.aborted
        ? `timed out after ${Math.round(
            clusterTimeoutMs / 1000,
          )}s (fluxOrchestrator.sync.clusterTimeout)`
        : describeClusterError(error);
      logger.warn(`Sync of cluster "${name}" failed: ${reason}`);
      await store.markClusterUnhealthy(name, reason);
      finished = await store.finishSyncRun(
        run.id,
        { status: 'failed', error: reason },
        new Date(),
      );
    }
    return finished;
  }

  /**
   * Lists every served kind and writes each as soon as it is listed, one transaction per kind: a sync holds one
   * kind of one cluster in memory at a time, not the whole cluster.
   */
  private async syncKinds(name: string, signal: AbortSignal) {
    const { store } = this.options;
    const client = await this.options.registry.getClient(name);
    const [kubernetesVersion, servedVersions] = await Promise.all([
      client.getVersion(signal),
      client.discoverServedVersions(signal),
    ]);
    const fluxInstalled = Object.keys(servedVersions).length > 0;
    const fluxVersion = fluxInstalled
      ? await client.getFluxVersion(signal)
      : undefined;

    const counts: ResourceWriteCounts = {
      inserted: 0,
      updated: 0,
      deleted: 0,
      unchanged: 0,
    };
    let listed = 0;
    const kindErrors: Partial<Record<FluxKind, string>> = {};
    const redaction = this.options.redactionFor?.(name) ?? {};
    await Promise.all(
      FLUX_KINDS.map(async def => {
        const version = servedVersions[def.kind];
        // Not served: no objects of this kind can exist, so stored ones (say, CRD removed) go.
        let list = { items: [] as KubernetesObject[], resourceVersion: '' };
        try {
          if (version) list = await client.listKind(def, version, signal);
        } catch (error) {
          if (signal.aborted) throw error;
          // A kind that could not be listed keeps its rows; the others still sync.
          kindErrors[def.kind] = describeClusterError(error);
          return;
        }
        const written = await writeListedKind(
          store,
          name,
          def,
          list,
          redaction,
          message =>
            this.options.logger.warn(`Sync of cluster "${name}" ${message}`),
        );
        listed += written.listed;
        counts.inserted += written.inserted;
        counts.updated += written.updated;
        counts.deleted += written.deleted;
        counts.unchanged += written.unchanged;
      }),
    );

    // In kind-table order, so the message is the same from one run to the next.
    const failedKinds = FLUX_KINDS.map(k => k.kind).filter(k => kindErrors[k]);
    const health: Omit<ClusterHealth, 'feed'> = {
      status: failedKinds.length || !fluxInstalled ? 'unhealthy' : 'healthy',
      kubernetesVersion,
      fluxInstalled,
      fluxVersion,
      servedVersions,
      kindErrors: failedKinds.length ? kindErrors : undefined,
      error: healthError(
        failedKinds,
        kindErrors,
        servedVersions,
        fluxInstalled,
      ),
      checkedAt: new Date().toISOString(),
    };
    const allKindsFailed =
      failedKinds.length > 0 &&
      failedKinds.length === Object.keys(servedVersions).length;
    return { listed, counts, health, allKindsFailed };
  }
}

/** A run fails when no kind could be listed, is partial when some could not, and succeeds otherwise. */
function runOutcome(outcome: {
  allKindsFailed: boolean;
  health: Omit<ClusterHealth, 'feed'>;
}): 'failed' | 'partial' | 'succeeded' {
  if (outcome.allKindsFailed) return 'failed';
  return outcome.health.kindErrors ? 'partial' : 'succeeded';
}

function healthError(
  failedKinds: FluxKind[],
  kindErrors: Partial<Record<FluxKind, string>>,
  servedVersions: Partial<Record<FluxKind, string>>,
  fluxInstalled: boolean,
): string | undefined {
  if (failedKinds.length) {
    return `cannot list ${failedKinds.length} of ${
      Object.keys(servedVersions).length
    } Flux kinds (${failedKinds.join(', ')}): ${kindErrors[failedKinds[0]]}`;
  }
  return fluxInstalled
    ? undefined
    : 'Flux is not installed: the cluster serves none of the Flux APIs';
}
