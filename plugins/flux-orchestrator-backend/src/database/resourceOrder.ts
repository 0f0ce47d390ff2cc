import { InputError } from '@backstage/errors';
import {
  FluxStatus,
  ResourceSortField,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { Knex } from 'knex';
import { z } from 'zod';

/** Severity order, so sorting by status puts the objects that need attention first. */
const STATUS_SEVERITY: FluxStatus[] = [
  'stalled',
  'failing',
  'progressing',
  'unknown',
  'suspended',
  'ready',
];

/**
 * The severity as SQL. The migration `20261204140000_status_sort_index` indexes this very expression; change
 * both together, or the status sort reads the whole table again.
 */
const SEVERITY_SQL = `(case status ${STATUS_SEVERITY.map(
  (s, i) => `when '${s}' then ${i}`,
).join(' ')} else ${STATUS_SEVERITY.length} end)`;

const SORT_COLUMNS: Record<Exclude<ResourceSortField, 'status'>, string> = {
  name: 'name',
  namespace: 'namespace',
  kind: 'kind',
  cluster: 'cluster',
  lastReconcileAt: 'last_reconcile_at',
};

/** Every column a sort reads, as migration `20261206120000_sort_keys_index` keeps them beside the id. */
export const SORT_KEY_COLUMNS = [...Object.values(SORT_COLUMNS), 'status'];

type Order = 'asc' | 'desc';
type SortValue = string | number | null;

/** The sort key of a row as a cursor carries it: text, a severity, or a time in epoch milliseconds. */
function sortValueOf(
  sort: ResourceSortField,
  row: Record<string, unknown>,
): SortValue {
  if (sort === 'status') {
    const severity = STATUS_SEVERITY.indexOf(row.status as FluxStatus);
    return severity < 0 ? STATUS_SEVERITY.length : severity;
  }
  const value = row[SORT_COLUMNS[sort]];
  if (value === null || value === undefined) return null;
  // PostgreSQL hands timestamps over as Dates, SQLite as epoch milliseconds.
  if (value instanceof Date) return value.getTime();
  return value as string | number;
}

const cursorSchema = z
  .object({
    sort: z.string(),
    order: z.enum(['asc', 'desc']),
    value: z.union([z.string().max(1000), z.number().finite(), z.null()]),
    id: z.string().min(1).max(600),
  })
  .strict();

type Cursor = z.infer<typeof cursorSchema>;

/** An opaque position in one sort of the list: the sort key and id of the row it stands after. */
export function encodeCursor(
  sort: ResourceSortField,
  order: Order,
  row: Record<string, unknown>,
): string {
  const cursor: Cursor = {
    sort,
    order,
    value: sortValueOf(sort, row),
    id: String(row.id),
  };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** Reads a cursor of this sort and order, or explains why it cannot be used. */
export function decodeCursor(
  text: string,
  sort: ResourceSortField,
  order: Order,
): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InputError(
      'The page cursor is not one this server made; start again from the first page',
    );
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) {
    throw new InputError(
      'The page cursor is not one this server made; start again from the first page',
    );
  }
  const cursor = result.data;
  if (cursor.sort !== sort || cursor.order !== order) {
    throw new InputError(
      'The page cursor belongs to another sort order; start again from the first page',
    );
  }
  const textSort = sort !== 'status' && sort !== 'lastReconcileAt';
  if (
    textSort
      ? typeof cursor.value !== 'string'
      : typeof cursor.value === 'string'
  ) {
    throw new InputError(
      'The page cursor is not one this server made; start again from the first page',
    );
  }
  return cursor;
}

/** The sort key as SQL: a column, or the severity expression. Both are constants of this module, never input. */
function sortSql(sort: ResourceSortField): string {
  return sort === 'status' ? SEVERITY_SQL : SORT_COLUMNS[sort];
}

/**
 * Orders a list by `sort` with the id as tie-breaker, so that pages never repeat or skip rows. An empty time
 * sorts after every time in both engines (PostgreSQL's own default), so that one index (key, id) serves both
 * directions and a cursor means the same row on SQLite and PostgreSQL.
 */
export function orderRows(
  query: Knex.QueryBuilder,
  sort: ResourceSortField,
  order: Order,
) {
  const nulls =
    sort === 'lastReconcileAt'
      ? ` nulls ${order === 'asc' ? 'last' : 'first'}`
      : '';
  return query
    .orderByRaw(`${sortSql(sort)} ${order}${nulls}`)
    .orderBy('id', order);
}

type Segment = (query: Knex.QueryBuilder) => Knex.QueryBuilder;

/**
 * The rows after `cursor` in `order` (keyset paging), as one or two ranges to read in turn until a page is
 * full: a deep page reads its own rows from the index instead of counting off every row before it. Each range
 * is a row-value comparison on (key, id), which both engines answer from the index; empty times, which come
 * after every time, are a range of their own rather than an OR that would make the database sort.
 */
export function rangesAfter(
  sort: ResourceSortField,
  order: Order,
  cursor: Cursor | undefined,
): Segment[] {
  const key = sortSql(sort);
  const later = order === 'asc' ? '>' : '<';
  const nullable = sort === 'lastReconcileAt';
  const times: Segment = q => (nullable ? q.whereRaw(`${key} is not null`) : q);
  const emptyTimes: Segment = q => q.whereRaw(`${key} is null`);
  // Ascending, times come first and empty times after them; descending, the other way round.
  const inOrder = order === 'asc' ? [times, emptyTimes] : [emptyTimes, times];
  if (!cursor) return nullable ? inOrder : [times];
  if (cursor.value === null) {
    const restOfEmpty: Segment = q =>
      q.whereRaw(`${key} is null`).where('id', later, cursor.id);
    return order === 'asc' ? [restOfEmpty] : [restOfEmpty, times];
  }
  const value = nullable ? new Date(cursor.value) : cursor.value;
  const restOfTimes: Segment = q =>
    q.whereRaw(`(${key}, id) ${later} (?, ?)`, [value, cursor.id]);
  return order === 'asc' && nullable
    ? [restOfTimes, emptyTimes]
    : [restOfTimes];
}
