import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { readSyncSettings } from './readSyncSettings';

const settingsOf = (sync: object) =>
  readSyncSettings(new ConfigReader({ fluxOrchestrator: { sync } }));

describe('readSyncSettings', () => {
  it('syncs every 30 minutes while watching and every 5 without, 60 s per cluster, 5 at once', () => {
    expect(settingsOf({})).toMatchObject({
      schedule: { frequency: { minutes: 30 }, initialDelay: { seconds: 5 } },
      watch: true,
      clusterTimeoutMs: 60_000,
      concurrency: 5,
    });
    expect(settingsOf({ watch: false }).schedule.frequency).toEqual({
      minutes: 5,
    });
  });

  it('reads durations as objects and as strings', () => {
    const settings = settingsOf({
      frequency: '10m',
      clusterTimeout: { seconds: 20 },
    });
    expect(settings.schedule.frequency).toEqual({ minutes: 10 });
    expect(settings.clusterTimeoutMs).toBe(20_000);
  });

  it('refuses the removed fleet-wide sync.timeout, naming the key that replaced it', () => {
    expect(() => settingsOf({ timeout: { minutes: 4 } })).toThrow(
      /fluxOrchestrator\.sync\.timeout is no longer read.*clusterTimeout/,
    );
  });

  it('refuses a concurrency that is not a whole number of at least 1', () => {
    expect(() => settingsOf({ concurrency: 0 })).toThrow(
      'fluxOrchestrator.sync.concurrency: must be a whole number of at least 1, got 0',
    );
  });

  it('keeps status history 30 days unless told otherwise, and at least an hour', () => {
    expect(settingsOf({}).historyRetentionMs).toBe(30 * 86_400_000);
    const withHistory = (retention: JsonValue) =>
      readSyncSettings(
        new ConfigReader({ fluxOrchestrator: { history: { retention } } }),
      );
    expect(withHistory('7d').historyRetentionMs).toBe(7 * 86_400_000);
    expect(withHistory({ hours: 12 }).historyRetentionMs).toBe(43_200_000);
    expect(() => withHistory({ minutes: 5 })).toThrow(
      'fluxOrchestrator.history.retention: must be at least one hour',
    );
  });
});
