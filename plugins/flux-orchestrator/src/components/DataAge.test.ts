import { newestSyncedAt } from './DataAge';

describe('newestSyncedAt', () => {
  it('picks the newest sync time of a list, whatever the precision of the timestamps', () => {
    expect(
      newestSyncedAt([
        { syncedAt: '2026-05-04T09:58:00Z' },
        { syncedAt: '2026-05-04T09:58:00.500Z' },
        { syncedAt: '2026-05-04T09:40:00Z' },
      ]),
    ).toBe('2026-05-04T09:58:00.500Z');
  });

  it('is undefined for an empty list', () => {
    expect(newestSyncedAt([])).toBeUndefined();
  });
});
