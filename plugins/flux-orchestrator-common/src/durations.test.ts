import { describeDuration } from './durations';

describe('describeDuration', () => {
  it.each([
    [0, 'under 1 s'],
    [999, 'under 1 s'],
    [45_000, '45 s'],
    [60_000, '1 min'],
    [12 * 60_000 + 30_000, '12 min 30 s'],
    [3 * 3_600_000 + 20 * 60_000 + 59_000, '3 h 20 min'],
    [3 * 3_600_000 + 59_000, '3 h'],
    [2 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000, '2 d 4 h'],
    [40 * 86_400_000, '40 d'],
    [-5_000, 'under 1 s'],
  ])('%d ms reads %p', (ms, text) => {
    expect(describeDuration(ms)).toBe(text);
  });
});
