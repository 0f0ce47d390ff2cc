import {
  FLUX_KIND_NAMES,
  FluxResource,
  Page,
  FLUX_STATUSES,
  FluxKind,
  FluxStatus,
  RESOURCE_SORT_FIELDS,
  ResourceQuery,
  ResourceSortField,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';

/** The page sizes the resource tables offer; the backend caps a page at 500. */
export const PAGE_SIZES = [50, 100, 200] as const;

/** A resource list as the URL describes it: filters, sort and page. Limit and offset are always set. */
export type ResourceListQuery = ResourceQuery & {
  limit: number;
  offset: number;
};

const FILTER_KEYS = [
  'cluster',
  'kind',
  'namespace',
  'status',
  'suspended',
  'text',
] as const;

/** What moves along one list: a change of anything else (filters, sort, page size) starts the list afresh. */
const PAGE_KEYS = ['offset', 'after', 'before'];

/** The backend takes cursors of up to 2,000 characters. */
const MAX_CURSOR_LENGTH = 2000;

function readList(params: URLSearchParams, key: string): string[] | undefined {
  const list = (params.get(key) ?? '')
    .split(',')
    .map(value => value.trim())
    .filter(Boolean);
  return list.length ? list : undefined;
}

function oneOf<T extends string>(
  allowed: readonly T[],
  values: string[] | undefined,
): T[] | undefined {
  const known = values?.filter((v): v is T =>
    (allowed as readonly string[]).includes(v),
  );
  return known?.length ? known : undefined;
}

/**
 * Reads a resource list from the query string (`?status=failing,stalled&kind=Kustomization&suspended=true`),
 * the same shape the backend's list routes take, so a view can be shared as a link. Values the list cannot
 * mean (an unknown status, a page size it does not offer) are dropped rather than sent on.
 */
export function readResourceSearchParams(
  params: URLSearchParams,
): ResourceListQuery {
  const query: ResourceListQuery = { limit: PAGE_SIZES[0], offset: 0 };
  const cluster = readList(params, 'cluster');
  if (cluster) query.cluster = cluster;
  const namespace = readList(params, 'namespace');
  if (namespace) query.namespace = namespace;
  const kind = oneOf<FluxKind>(FLUX_KIND_NAMES, readList(params, 'kind'));
  if (kind) query.kind = kind;
  const status = oneOf<FluxStatus>(FLUX_STATUSES, readList(params, 'status'));
  if (status) query.status = status;
  const suspended = params.get('suspended');
  if (suspended === 'true' || suspended === 'false')
    query.suspended = suspended === 'true';
  const text = params.get('text')?.trim();
  if (text) query.text = text;
  const sort = oneOf<ResourceSortField>(
    RESOURCE_SORT_FIELDS,
    readList(params, 'sort'),
  );
  if (sort) query.sort = sort[0];
  const order = params.get('order');
  if (order === 'asc' || order === 'desc') query.order = order;
  const limit = Number(params.get('limit'));
  if ((PAGE_SIZES as readonly number[]).includes(limit)) query.limit = limit;
  const offset = Number(params.get('offset'));
  if (Number.isInteger(offset) && offset > 0) query.offset = offset;
  // A cursor the backend made; it checks it, and a link to a page keeps showing that page.
  for (const key of ['after', 'before'] as const) {
    const cursor = params.get(key);
    if (
      cursor &&
      cursor.length <= MAX_CURSOR_LENGTH &&
      !query.after &&
      !query.before
    )
      query[key] = cursor;
  }
  return query;
}

/** Encodes a resource query as the backend's list routes read it too: lists comma-joined, empty values left out. */
export function toQueryString(query: ResourceQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The query string of a resource list, with lists comma-joined and the defaults left out. */
export function formatResourceSearchParams(query: ResourceListQuery): string {
  const { limit, offset, ...rest } = query;
  const text = toQueryString({
    ...rest,
    limit: limit === PAGE_SIZES[0] ? undefined : limit,
    offset: offset || undefined,
  });
  // Commas cannot be part of a filter value, and an unescaped one keeps a shared link readable.
  return text.replace(/%2C/g, ',');
}

/**
 * Applies a change to a list query. A change of filters returns to the first page: the old offset may be
 * past the end of the new list.
 */
export function changeResourceQuery(
  query: ResourceListQuery,
  change: Partial<ResourceListQuery>,
): ResourceListQuery {
  const next: ResourceListQuery = { ...query, ...change };
  if (FILTER_KEYS.some(key => key in change)) next.offset = 0;
  if (Object.keys(change).some(key => !PAGE_KEYS.includes(key))) {
    next.after = undefined;
    next.before = undefined;
  }
  for (const key of Object.keys(next) as Array<keyof ResourceListQuery>) {
    const value = next[key];
    if (
      value === undefined ||
      value === '' ||
      (Array.isArray(value) && !value.length)
    )
      delete next[key];
  }
  return next;
}

/**
 * The query of another page of the list. A step to the next or previous page goes by the cursor the backend
 * gave with this page, so that a page deep in a long list costs what the first one does; a jump (to the first
 * page, or past several) goes by offset.
 */
export function pageOfResourceQuery(
  query: ResourceListQuery,
  page: Page<FluxResource> | undefined,
  pageNumber: number,
): Partial<ResourceListQuery> {
  const current = Math.floor(query.offset / query.limit);
  const offset = pageNumber * query.limit;
  if (pageNumber === current + 1 && page?.nextCursor)
    return { offset, after: page.nextCursor, before: undefined };
  if (pageNumber === current - 1 && pageNumber > 0 && page?.previousCursor) {
    return { offset, before: page.previousCursor, after: undefined };
  }
  return { offset, after: undefined, before: undefined };
}
