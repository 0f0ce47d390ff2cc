import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';

export interface SyncSettings {
  /**
   * The full sync of each cluster: the only source of data with `watch: false`, the safety net otherwise. Each
   * cluster's run is bounded by `clusterTimeoutMs`, not by a deadline of the whole fleet.
   */
  schedule: Pick<
    SchedulerServiceTaskScheduleDefinition,
    'frequency' | 'initialDelay'
  >;
  /** Wait before the first full sync after start-up (`sync.initialDelay`, default 5 s). */
  initialDelayMs: number;
  /** Watch every cluster for changes (`fluxOrchestrator.sync.watch`, default true). */
  watch: boolean;
  /** How long a replica holds a cluster's watches before the lease is taken again (`sync.watchLease`, 1 min). */
  watchLeaseMs: number;
  clusterTimeoutMs: number;
  concurrency: number;
  /** Deadline of one action on one object (`fluxOrchestrator.actions.timeout`, default 15 s). */
  actionTimeoutMs: number;
  /** How long a reconcile waits for Flux to handle it before answering (`actions.handledWait`, default 3 s). */
  handledWaitMs: number;
  /** Deadline of the connection check of a registered kubeconfig (`kubeconfig.connectionTimeout`, 10 s). */
  connectionTimeoutMs: number;
  /** How long status changes are kept (`fluxOrchestrator.history.retention`, default 30 days). */
  historyRetentionMs: number;
}

/** A duration under `key` of `config`, or `fallback` when the key is not set. */
export function readDuration(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): HumanDuration {
  if (!config?.has(key)) return fallback;
  // Accepts both `{ minutes: 5 }` and ISO 8601 / "5m" strings, as the rest of Backstage config does.
  return readDurationFromConfig(config, { key });
}

/**
 * `fluxOrchestrator.sync` (and the deadlines of actions and connection checks). Watching, the full sync is a
 * safety net every 30 minutes; without watches it is the feed, every 5 minutes as in the design. 60 s per
 * cluster, 5 at once.
 */
export function readSyncSettings(config: Config): SyncSettings {
  const sync = config.getOptionalConfig('fluxOrchestrator.sync');
  const watch = sync?.getOptionalBoolean('watch') ?? true;
  const frequency = readDuration(
    sync,
    'frequency',
    watch ? { minutes: 30 } : { minutes: 5 },
  );
  const watchLease = readDuration(sync, 'watchLease', { minutes: 1 });
  if (sync?.has('timeout')) {
    // The fleet-wide deadline went when each cluster got its own sync task; a key that silently does nothing
    // would mislead whoever tunes it, so the backend says so, as it does for the other removed keys.
    throw new Error(
      'fluxOrchestrator.sync.timeout is no longer read: each cluster syncs on its own, bounded by ' +
        'fluxOrchestrator.sync.clusterTimeout. Remove the key (or set clusterTimeout instead).',
    );
  }
  const initialDelay = readDuration(sync, 'initialDelay', { seconds: 5 });
  const clusterTimeout = readDuration(sync, 'clusterTimeout', { seconds: 60 });
  const concurrency = sync?.getOptionalNumber('concurrency') ?? 5;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    // A config mistake at start-up: a plain Error that names the key, as Backstage's own plugins do.
    throw new Error(
      `fluxOrchestrator.sync.concurrency: must be a whole number of at least 1, got ${concurrency}`,
    );
  }
  const history = config.getOptionalConfig('fluxOrchestrator.history');
  const historyRetentionMs = durationToMilliseconds(
    readDuration(history, 'retention', { days: 30 }),
  );
  if (!(historyRetentionMs >= 3_600_000)) {
    throw new Error(
      'fluxOrchestrator.history.retention: must be at least one hour, e.g. { days: 30 } or 30d',
    );
  }
  const actions = config.getOptionalConfig('fluxOrchestrator.actions');
  const kubeconfig = config.getOptionalConfig('fluxOrchestrator.kubeconfig');
  return {
    schedule: { frequency, initialDelay },
    initialDelayMs: durationToMilliseconds(initialDelay),
    watch,
    watchLeaseMs: durationToMilliseconds(watchLease),
    clusterTimeoutMs: durationToMilliseconds(clusterTimeout),
    concurrency,
    actionTimeoutMs: durationToMilliseconds(
      readDuration(actions, 'timeout', { seconds: 15 }),
    ),
    handledWaitMs: durationToMilliseconds(
      readDuration(actions, 'handledWait', { seconds: 3 }),
    ),
    connectionTimeoutMs: durationToMilliseconds(
      readDuration(kubeconfig, 'connectionTimeout', { seconds: 10 }),
    ),
    historyRetentionMs,
  };
}
