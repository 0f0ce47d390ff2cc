import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import { ClusterWatcher } from './ClusterWatcher';

/** Past the lease, before the scheduler gives up on a run: the watcher ends its lease on its own first. */
const LEASE_MARGIN_MS = 15_000;

/**
 * One global scheduler task per cluster, whose run is a lease on the cluster's watches. The scheduler's
 * database coordination makes sure that one replica at a time holds a cluster; when the lease ends the task is
 * due again at once and any replica may take it, resuming the watches from their stored positions. A replica
 * that dies loses its clusters' leases when they expire (lease + margin) and the scheduler's janitor frees them
 * (it runs every minute), so they are live again on another replica within about lease + 75 s.
 */
export class WatchLeases {
  private readonly scheduled = new Set<string>();

  constructor(
    private readonly options: {
      scheduler: SchedulerService;
      registry: ClusterRegistry;
      watcher: ClusterWatcher;
      logger: LoggerService;
      leaseMs: number;
    },
  ) {}

  static taskId(cluster: string) {
    return `flux-orchestrator-watch:${cluster}`;
  }

  /** Schedules the lease task of every known cluster that does not have one yet in this process. */
  async scheduleAll(): Promise<void> {
    const { scheduler, registry, watcher, leaseMs } = this.options;
    for (const name of await registry.listClusterNames()) {
      if (this.scheduled.has(name)) continue;
      this.scheduled.add(name);
      await scheduler.scheduleTask({
        id: WatchLeases.taskId(name),
        scope: 'global',
        // Due again as soon as a lease ends; the scheduler polls at this pace.
        frequency: { seconds: 1 },
        timeout: { milliseconds: leaseMs + LEASE_MARGIN_MS },
        initialDelay: { seconds: 1 },
        fn: async signal => {
          const lease = AbortSignal.any([signal, AbortSignal.timeout(leaseMs)]);
          // A cluster removed since keeps its task (the scheduler cannot forget one): it idles out its leases.
          if (!(await registry.listClusterNames()).includes(name)) {
            await new Promise(resolve => lease.addEventListener('abort', resolve, { once: true }));
            return;
          }
          await watcher.watch(name, { signal: lease, until: new Date(Date.now() + leaseMs) });
        },
      });
    }
  }
}
