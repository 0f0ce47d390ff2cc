import { parseGoDuration } from './parseGoDuration';

describe('parseGoDuration', () => {
  it.each([
    ['10m', 600_000],
    ['5m0s', 300_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['30s', 30_000],
    ['250ms', 250],
    ['2h0m0s', 7_200_000],
    ['.5s', 500],
  ])('reads %p as %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  it.each([
    [''],
    ['10'],
    ['m'],
    ['-5m'],
    ['0s'],
    ['10 m'],
    ['5d'],
    ['1h30'],
    [42],
    [undefined],
    [{ minutes: 5 }],
    [`${'9'.repeat(70)}h`],
  ])('refuses %p', value => {
    expect(parseGoDuration(value)).toBeUndefined();
  });
});
