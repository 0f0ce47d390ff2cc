/*
 * Lengths of time as an operator reads them, the same in the backend's messages and on the pages.
 */

const PARTS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1_000],
];

/**
 * A length of time in its two largest units, as an operator reads it at a glance: `45 s`, `12 min`,
 * `3 h 20 min`, `2 d 4 h`. Below a second it is `under 1 s`.
 *
 * @public
 */
export function describeDuration(ms: number): string {
  const words: string[] = [];
  let rest = Math.max(0, Math.floor(ms));
  for (const [unit, size] of PARTS) {
    if (words.length === 0 && rest < size) continue;
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) words.push(`${count} ${unit}`);
    if (words.length > 0 && (words.length === 2 || unit === 's')) break;
    if (words.length === 1 && count === 0) break;
  }
  return words.length ? words.join(' ') : 'under 1 s';
}
