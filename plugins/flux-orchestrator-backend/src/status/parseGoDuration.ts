const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/**
 * A Go duration as Kubernetes writes one (`10m`, `1h30m`, `5m0s`, `1.5h`), in milliseconds; undefined for
 * anything else, zero and negative durations included (an interval of nothing is not one to judge by).
 */
export function parseGoDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64)
    return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < value.length) {
    const start = PART.lastIndex;
    const match = PART.exec(value);
    if (!match || match.index !== start) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return Number.isFinite(total) && total > 0 ? Math.round(total) : undefined;
}
