import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';

export interface SyncSettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  clusterTimeoutMs: number;
  concurrency: number;
  /** Deadline of one action on one object (`fluxOrchestrator.actions.timeout`, default 15 s). */
  actionTimeoutMs: number;
  /** How long a reconcile waits for Flux to handle it before answering (`actions.handledWait`, default 3 s). */
  handledWaitMs: number;
  /** Deadline of the connection check of a registered kubeconfig (`kubeconfig.connectionTimeout`, 10 s). */
  connectionTimeoutMs: number;
}

function readDuration(config: Config | undefined, key: string, fallback: HumanDuration): HumanDuration {
  if (!config?.has(key)) return fallback;
  // Accepts both `{ minutes: 5 }` and ISO 8601 / "5m" strings, as the rest of Backstage config does.
  return readDurationFromConfig(config, { key });
}

/** `fluxOrchestrator.sync` (and the deadlines of actions and connection checks), with the defaults of the design: every 5 minutes, 60 s per cluster, 5 at once. */
export function readSyncSettings(config: Config): SyncSettings {
  const sync = config.getOptionalConfig('fluxOrchestrator.sync');
  const frequency = readDuration(sync, 'frequency', { minutes: 5 });
  const timeout = readDuration(sync, 'timeout', { minutes: 4 });
  const initialDelay = readDuration(sync, 'initialDelay', { seconds: 5 });
  const clusterTimeout = readDuration(sync, 'clusterTimeout', { seconds: 60 });
  const concurrency = sync?.getOptionalNumber('concurrency') ?? 5;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InputError(
      `fluxOrchestrator.sync.concurrency: must be a whole number of at least 1, got ${concurrency}`,
    );
  }
  const actions = config.getOptionalConfig('fluxOrchestrator.actions');
  const kubeconfig = config.getOptionalConfig('fluxOrchestrator.kubeconfig');
  return {
    schedule: { frequency, timeout, initialDelay },
    clusterTimeoutMs: durationToMilliseconds(clusterTimeout),
    concurrency,
    actionTimeoutMs: durationToMilliseconds(readDuration(actions, 'timeout', { seconds: 15 })),
    handledWaitMs: durationToMilliseconds(readDuration(actions, 'handledWait', { seconds: 3 })),
    connectionTimeoutMs: durationToMilliseconds(readDuration(kubeconfig, 'connectionTimeout', { seconds: 10 })),
  };
}
