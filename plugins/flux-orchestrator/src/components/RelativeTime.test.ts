import { describeRelativeTime } from './RelativeTime';

const NOW = Date.parse('2026-05-04T10:00:00Z');

describe('describeRelativeTime', () => {
  it.each([
    ['2026-05-04T09:59:59.500Z', 'just now'],
    ['2026-05-04T09:59:30Z', '30 seconds ago'],
    ['2026-05-04T09:58:00Z', '2 minutes ago'],
    ['2026-05-04T07:00:00Z', '3 hours ago'],
    ['2026-05-03T10:00:00Z', 'yesterday'],
    ['2026-04-24T10:00:00Z', '10 days ago'],
  ])('describes %s as "%s"', (time, expected) => {
    expect(describeRelativeTime(time, NOW)).toBe(expected);
  });
});
