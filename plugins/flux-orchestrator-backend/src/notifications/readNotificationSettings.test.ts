import { ConfigReader } from '@backstage/config';
import { readNotificationSettings } from './readNotificationSettings';

const read = (notifications?: object) =>
  readNotificationSettings(
    new ConfigReader({ fluxOrchestrator: { notifications } }),
  );

describe('readNotificationSettings', () => {
  it('is off by default, with limits a fleet can live with', () => {
    expect(read()).toEqual({
      enabled: false,
      minIntervalMs: 30 * 60_000,
      maxAgeMs: 60 * 60_000,
      maxPerEntity: 5,
      pagePath: '/flux',
      frequency: { seconds: 30 },
    });
  });

  it('reads durations in either form and a page path without its trailing slash', () => {
    expect(
      read({
        enabled: true,
        minInterval: '5m',
        maxAge: { hours: 2 },
        pagePath: '/platform/flux/',
      }),
    ).toMatchObject({
      enabled: true,
      minIntervalMs: 5 * 60_000,
      maxAgeMs: 2 * 60 * 60_000,
      pagePath: '/platform/flux',
    });
  });

  it('refuses what would make no sense, saying which key', () => {
    expect(() => read({ maxPerEntity: 0 })).toThrow(
      'fluxOrchestrator.notifications.maxPerEntity must be a whole number of at least 1, not 0',
    );
    expect(() => read({ pagePath: 'https://evil.example.com' })).toThrow(
      /pagePath must be a path in the app/,
    );
  });
});
