import { SchedulerService } from '@backstage/backend-plugin-api';
import { SyncRun } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import { FluxStore } from '../database/FluxStore';
import { ClusterSyncer } from './ClusterSyncer';
import { ClusterWatcher } from './ClusterWatcher';
import { createLimiter } from './createLimiter';
import { SyncSettings } from './readSyncSettings';

/** Past the lease, before the scheduler gives up on a run: the watcher ends its lease on its own first. */
const LEASE_MARGIN_MS = 15_000;
/** How often "Sync now" looks whether the run it asked for has finished. */
const RUN_POLL_MS = 250;

/**
 * Each cluster's work as global scheduler tasks, so that the scheduler's database coordination makes one
 * replica at a time do it, and another take over when one dies:
 * - `flux-orchestrator-watch:<cluster>`: a run is a lease on the cluster's watches (`sync.watchLease`). When a
 *   lease ends the task is due again at once and any replica may take it, resuming the watches from their
 *   stored positions. A replica that dies loses its leases when they expire (lease + 15 s) and the scheduler's
 *   janitor frees them (every minute): its clusters are live again elsewhere within about lease + 75 s.
 * - `flux-orchestrator-sync:<cluster>`: the full sync, on the sync schedule, staggered over the first minute
 *   after start-up. "Sync now" triggers it, so two replicas asked at once still sync the cluster once.
 * At most `sync.concurrency` full syncs run at once in one process.
 */
export class ClusterTasks {
  private readonly scheduled = new Set<string>();
  private readonly limit: <T>(fn: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly options: {
      scheduler: SchedulerService;
      registry: ClusterRegistry;
      store: FluxStore;
      syncer: ClusterSyncer;
      watcher: ClusterWatcher;
      settings: SyncSettings;
    },
  ) {
    this.limit = createLimiter(options.settings.concurrency);
  }

  static watchTaskId(cluster: string) {
    return `flux-orchestrator-watch:${cluster}`;
  }

  static syncTaskId(cluster: string) {
    return `flux-orchestrator-sync:${cluster}`;
  }

  /** Schedules the tasks of every known cluster that has none yet in this process. */
  async scheduleAll(): Promise<void> {
    for (const name of await this.options.registry.listClusterNames()) {
      if (this.scheduled.has(name)) continue;
      this.scheduled.add(name);
      await this.scheduleSync(name);
      if (this.options.settings.watch) await this.scheduleWatch(name);
    }
  }

  /**
   * Syncs the cluster now, on whichever replica claims its task, and answers with that run once it has finished
   * (or with the newest run as it stands when that takes longer than two cluster deadlines).
   */
  async syncNow(name: string): Promise<SyncRun> {
    const { store, settings } = this.options;
    await this.scheduleAll();
    const [before] = await store.listSyncRuns(name, 1);
    await store.requestSync(name);
    const id = ClusterTasks.syncTaskId(name);
    const deadline = Date.now() + 2 * settings.clusterTimeoutMs + 30_000;
    let latest: SyncRun | undefined = before;
    for (;;) {
      // Due now; a run already under way started before the request, so it is asked again once that ends.
      if (latest?.status !== 'running') {
        await this.trigger(id);
      }
      [latest] = await store.listSyncRuns(name, 1);
      const served =
        latest && latest.id > (before?.id ?? 0) && latest.trigger === 'manual';
      if (served && latest.status !== 'running') return latest;
      if (Date.now() > deadline) {
        if (latest) return latest;
        throw new Error(`the sync of cluster "${name}" did not start in time`);
      }
      await new Promise(resolve => setTimeout(resolve, RUN_POLL_MS));
    }
  }

  /** Runs the cluster's full sync as soon as a replica claims it, as the schedule would (not as a request). */
  async syncSoon(name: string): Promise<void> {
    await this.trigger(ClusterTasks.syncTaskId(name));
  }

  /** Makes a task due now; one that runs already (a conflict) is left to run. */
  private async trigger(id: string): Promise<void> {
    await this.options.scheduler.triggerTask(id).catch(error => {
      if ((error as Error).name !== 'ConflictError') throw error;
    });
  }

  private async scheduleSync(name: string) {
    const { scheduler, store, syncer, settings } = this.options;
    await scheduler.scheduleTask({
      id: ClusterTasks.syncTaskId(name),
      scope: 'global',
      frequency: settings.schedule.frequency,
      // A run may wait for a slot among the process's concurrent syncs before its own deadline starts.
      timeout: { milliseconds: settings.clusterTimeoutMs * 4 + 60_000 },
      initialDelay: { milliseconds: this.stagger(settings) },
      fn: async () => {
        if (!(await this.options.registry.listClusterNames()).includes(name))
          return;
        await this.limit(async () => {
          const manual = await store.takeSyncRequest(name);
          await syncer.syncCluster(name, manual ? 'manual' : 'schedule');
        });
      },
    });
  }

  private async scheduleWatch(name: string) {
    const { scheduler, registry, watcher, settings } = this.options;
    const leaseMs = settings.watchLeaseMs;
    await scheduler.scheduleTask({
      id: ClusterTasks.watchTaskId(name),
      scope: 'global',
      // Due again as soon as a lease ends; the scheduler polls at this pace.
      frequency: { seconds: 1 },
      timeout: { milliseconds: leaseMs + LEASE_MARGIN_MS },
      initialDelay: { seconds: 1 },
      fn: async signal => {
        const lease = AbortSignal.any([signal, AbortSignal.timeout(leaseMs)]);
        // A cluster removed since keeps its task (the scheduler cannot forget one): it idles out its leases.
        if (!(await registry.listClusterNames()).includes(name)) {
          await new Promise(resolve =>
            lease.addEventListener('abort', resolve, { once: true }),
          );
          return;
        }
        await watcher.watch(name, {
          signal: lease,
          until: new Date(Date.now() + leaseMs),
        });
      },
    });
  }

  /** The first full syncs after start-up spread over a minute (after `initialDelay`), not all at once. */
  private stagger(settings: SyncSettings): number {
    return settings.initialDelayMs + Math.floor(Math.random() * 60_000);
  }
}
