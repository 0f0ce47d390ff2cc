import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { readDuration } from '../sync/readSyncSettings';

/** `fluxOrchestrator.notifications`: whether and how often the owners of an object's entities are told. */
export interface NotificationSettings {
  enabled: boolean;
  minIntervalMs: number;
  maxAgeMs: number;
  maxPerEntity: number;
  /** The Flux page's path in the app, without a trailing slash. */
  pagePath: string;
  frequency: HumanDuration;
}

export function readNotificationSettings(config: Config): NotificationSettings {
  const notifications = config.getOptionalConfig(
    'fluxOrchestrator.notifications',
  );
  const maxPerEntity = notifications?.getOptionalNumber('maxPerEntity') ?? 5;
  if (!Number.isInteger(maxPerEntity) || maxPerEntity < 1) {
    throw new InputError(
      `fluxOrchestrator.notifications.maxPerEntity must be a whole number of at least 1, not ${maxPerEntity}`,
    );
  }
  const pagePath = notifications?.getOptionalString('pagePath') ?? '/flux';
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(pagePath)) {
    throw new InputError(
      `fluxOrchestrator.notifications.pagePath must be a path in the app such as /flux, not ${JSON.stringify(
        pagePath,
      )}`,
    );
  }
  return {
    enabled: notifications?.getOptionalBoolean('enabled') ?? false,
    minIntervalMs: durationToMilliseconds(
      readDuration(notifications, 'minInterval', { minutes: 30 }),
    ),
    maxAgeMs: durationToMilliseconds(
      readDuration(notifications, 'maxAge', { hours: 1 }),
    ),
    maxPerEntity,
    pagePath: pagePath.replace(/\/+$/, ''),
    frequency: readDuration(notifications, 'frequency', { seconds: 30 }),
  };
}
