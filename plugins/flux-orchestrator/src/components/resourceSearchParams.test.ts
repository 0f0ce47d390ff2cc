import { changeResourceQuery, formatResourceSearchParams, readResourceSearchParams } from './resourceSearchParams';

const read = (search: string) => readResourceSearchParams(new URLSearchParams(search));

describe('readResourceSearchParams', () => {
  it('reads every filter, lists comma-separated', () => {
    expect(read('?status=failing,stalled&kind=Kustomization&cluster=dev,prod&namespace=apps&suspended=true&text=redis')).toEqual({
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
    expect(read('?sort=lastReconcileAt&order=desc&limit=200&offset=400')).toEqual({
      sort: 'lastReconcileAt',
      order: 'desc',
      limit: 200,
      offset: 400,
    });
  });
});

describe('formatResourceSearchParams', () => {
  it('keeps commas readable and leaves the default page out', () => {
    expect(formatResourceSearchParams({ status: ['failing', 'stalled'], cluster: ['dev'], limit: 50, offset: 0 })).toBe(
      '?status=failing,stalled&cluster=dev',
    );
  });

  it('round-trips through readResourceSearchParams', () => {
    const query = { kind: ['HelmRelease' as const], text: 'deadline exceeded', suspended: false, limit: 100, offset: 200 };
    expect(read(formatResourceSearchParams(query))).toEqual(query);
  });
});

describe('changeResourceQuery', () => {
  it('returns to the first page when a filter changes', () => {
    expect(changeResourceQuery({ limit: 50, offset: 150 }, { status: ['failing'] })).toEqual({
      status: ['failing'],
      limit: 50,
      offset: 0,
    });
  });

  it('keeps the page when only the sort changes', () => {
    expect(changeResourceQuery({ limit: 50, offset: 150 }, { sort: 'name', order: 'asc' }).offset).toBe(150);
  });

  it('removes a filter that is cleared', () => {
    expect(changeResourceQuery({ kind: ['Kustomization'], text: 'a', limit: 50, offset: 0 }, { kind: [], text: undefined })).toEqual({
      limit: 50,
      offset: 0,
    });
  });
});
