/**
 * A time as an ISO 8601 string, whatever shape it arrives in: a Date (PostgreSQL, client-node), epoch
 * milliseconds (what SQLite hands back for a bound Date) or an RFC 3339 string (Kubernetes). Undefined for
 * empty or unparseable values.
 */
export function toIsoTimestamp(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  if (typeof value !== 'string' || value === '') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
