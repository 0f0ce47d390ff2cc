import { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';

export interface SyncSettings {
  schedule: SchedulerServiceTaskScheduleDefinition;
  clusterTimeoutMs: number;
  concurrency: number;
}

function readDuration(config: Config | undefined, key: string, fallback: HumanDuration): HumanDuration {
  if (!config?.has(key)) return fallback;
  // Accepts both `{ minutes: 5 }` and ISO 8601 / "5m" strings, as the rest of Backstage config does.
  return readDurationFromConfig(config, { key });
}

/** `fluxOrchestrator.sync`, with the defaults of the design: every 5 minutes, 60 s per cluster, 5 at once. */
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
  return {
    schedule: { frequency, timeout, initialDelay },
    clusterTimeoutMs: durationToMilliseconds(clusterTimeout),
    concurrency,
  };
}
