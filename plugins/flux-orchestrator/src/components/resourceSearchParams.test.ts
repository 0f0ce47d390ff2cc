import {
  FluxResource,
  Page,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import {
  changeResourceQuery,
  formatResourceSearchParams,
  pageOfResourceQuery,
  readResourceSearchParams,
  toQueryString,
} from './resourceSearchParams';

const read = (search: string) =>
  readResourceSearchParams(new URLSearchParams(search));

describe('toQueryString', () => {
  it('joins lists with commas and drops empty values', () => {
    expect(
      toQueryString({
        kind: ['Kustomization', 'HelmRelease'],
        status: [],
        text: '',
        suspended: false,
        limit: 50,
      }),
    ).toBe('?kind=Kustomization%2CHelmRelease&suspended=false&limit=50');
  });

  it('is empty for an empty query', () => {
    expect(toQueryString({})).toBe('');
  });

  it('escapes search text so that it cannot add parameters', () => {
    expect(toQueryString({ text: 'redis&status=ready' })).toBe(
      '?text=redis%26status%3Dready',
    );
  });
});

describe('readResourceSearchParams', () => {
  it('reads every filter, lists comma-separated', () => {
    expect(
      read(
        '?status=failing,stalled&kind=Kustomization&cluster=dev,prod&namespace=apps&suspended=true&text=redis',
      ),
    ).toEqual({
      status: ['failing', 'stalled'],
      kind: ['Kustomization'],
      cluster: ['dev', 'prod'],
      namespace: ['apps'],
      suspended: true,
      text: 'redis',
      limit: 50,
      offset: 0,
    });
  });

  it.each([
    ['an unknown status', '?status=broken,failing', { status: ['failing'] }],
    ['an unknown kind', '?kind=Deployment', {}],
    ['a page size the table does not offer', '?limit=10000', {}],
    ['a negative offset', '?offset=-50', {}],
    ['a suspended flag that is not a boolean', '?suspended=yes', {}],
    ['an unknown sort field', '?sort=message&order=sideways', {}],
  ])('drops %s', (_, search, expected) => {
    expect(read(search)).toEqual({ limit: 50, offset: 0, ...expected });
  });

  it('reads sort and page', () => {
    expect(
      read('?sort=lastReconcileAt&order=desc&limit=200&offset=400'),
    ).toEqual({
      sort: 'lastReconcileAt',
      order: 'desc',
      limit: 200,
      offset: 400,
    });
  });
});

describe('formatResourceSearchParams', () => {
  it('keeps commas readable and leaves the default page out', () => {
    expect(
      formatResourceSearchParams({
        status: ['failing', 'stalled'],
        cluster: ['dev'],
        limit: 50,
        offset: 0,
      }),
    ).toBe('?status=failing,stalled&cluster=dev');
  });

  it('round-trips through readResourceSearchParams', () => {
    const query = {
      kind: ['HelmRelease' as const],
      text: 'deadline exceeded',
      suspended: false,
      limit: 100,
      offset: 200,
    };
    expect(read(formatResourceSearchParams(query))).toEqual(query);
  });
});

describe('changeResourceQuery', () => {
  it('returns to the first page when a filter changes', () => {
    expect(
      changeResourceQuery({ limit: 50, offset: 150 }, { status: ['failing'] }),
    ).toEqual({
      status: ['failing'],
      limit: 50,
      offset: 0,
    });
  });

  it('keeps the page when only the sort changes', () => {
    expect(
      changeResourceQuery(
        { limit: 50, offset: 150 },
        { sort: 'name', order: 'asc' },
      ).offset,
    ).toBe(150);
  });

  it('removes a filter that is cleared', () => {
    expect(
      changeResourceQuery(
        { kind: ['Kustomization'], text: 'a', limit: 50, offset: 0 },
        { kind: [], text: undefined },
      ),
    ).toEqual({
      limit: 50,
      offset: 0,
    });
  });
});

describe('pages by cursor', () => {
  const page: Page<FluxResource> = {
    items: [],
    total: 500,
    limit: 50,
    offset: 100,
    nextCursor: 'n3',
    previousCursor: 'p1',
  };
  const query = { limit: 50, offset: 100, after: 'n1' };

  it('steps to the next and previous page by the cursors of the page shown, and jumps by offset', () => {
    expect(pageOfResourceQuery(query, page, 3)).toEqual({
      offset: 150,
      after: 'n3',
      before: undefined,
    });
    expect(pageOfResourceQuery(query, page, 1)).toEqual({
      offset: 50,
      before: 'p1',
      after: undefined,
    });
    expect(pageOfResourceQuery(query, page, 0)).toEqual({
      offset: 0,
      after: undefined,
      before: undefined,
    });
    expect(pageOfResourceQuery(query, page, 7)).toEqual({
      offset: 350,
      after: undefined,
      before: undefined,
    });
    expect(
      pageOfResourceQuery(query, { ...page, nextCursor: undefined }, 3),
    ).toEqual({ offset: 150, after: undefined, before: undefined });
  });

  it('keeps a cursor in the link, one direction only, and drops it when anything but the page changes', () => {
    const stepped = changeResourceQuery(
      query,
      pageOfResourceQuery(query, page, 3),
    );
    expect(read(formatResourceSearchParams(stepped))).toEqual({
      limit: 50,
      offset: 150,
      after: 'n3',
    });
    expect(read('?after=a&before=b')).toEqual({
      limit: 50,
      offset: 0,
      after: 'a',
    });
    expect(read(`?after=${'x'.repeat(2001)}`)).toEqual({
      limit: 50,
      offset: 0,
    });
    expect(changeResourceQuery(stepped, { sort: 'status' })).toEqual({
      limit: 50,
      offset: 150,
      sort: 'status',
    });
    expect(changeResourceQuery(stepped, { text: 'redis' })).toEqual({
      limit: 50,
      offset: 0,
      text: 'redis',
    });
  });
});
