import { diffResources, isOlderVersion } from './diffResources';

const row = (id: string, kind: string, resourceVersion: string) => ({
  id,
  kind,
  resourceVersion,
});

describe('diffResources', () => {
  it('sorts incoming objects into inserts, updates and unchanged by resourceVersion', () => {
    const diff = diffResources(
      [row('a', 'Kustomization', '1'), row('b', 'Kustomization', '1')],
      [
        row('a', 'Kustomization', '1'),
        row('b', 'Kustomization', '2'),
        row('c', 'Kustomization', '1'),
      ],
      new Set(['Kustomization']),
    );
    expect(diff.inserts.map(r => r.id)).toEqual(['c']);
    expect(diff.updates.map(r => r.id)).toEqual(['b']);
    expect(diff.unchanged).toBe(1);
    expect(diff.deleteIds).toEqual([]);
  });

  it('deletes stored objects missing from a kind that was listed', () => {
    const diff = diffResources(
      [row('a', 'Kustomization', '1'), row('h', 'HelmRelease', '1')],
      [],
      new Set(['Kustomization', 'HelmRelease']),
    );
    expect(diff.deleteIds).toEqual(['a', 'h']);
  });

  it('keeps stored objects of a kind that could not be listed', () => {
    const diff = diffResources(
      [row('a', 'Kustomization', '1'), row('h', 'HelmRelease', '1')],
      [row('a', 'Kustomization', '1')],
      new Set(['Kustomization']),
    );
    expect(diff.deleteIds).toEqual([]);
  });
});

describe('diffResources against newer rows written by a watch', () => {
  it('never replaces a stored row with an older copy from a list that was on its way', () => {
    const diff = diffResources(
      [row('a', 'Kustomization', '120'), row('b', 'Kustomization', '90')],
      [row('a', 'Kustomization', '100'), row('b', 'Kustomization', '100')],
      new Set(['Kustomization']),
      { Kustomization: '100' },
    );
    expect(diff.updates.map(r => r.id)).toEqual(['b']);
    expect(diff.unchanged).toBe(1);
  });

  it('keeps a row created after the list was taken, and deletes one the list no longer has', () => {
    const diff = diffResources(
      [row('new', 'Kustomization', '150'), row('gone', 'Kustomization', '80')],
      [],
      new Set(['Kustomization']),
      { Kustomization: '100' },
    );
    expect(diff.deleteIds).toEqual(['gone']);
  });

  it.each([
    ['99', '100', true],
    ['100', '100', false],
    ['101', '100', false],
    ['18446744073709551615', '18446744073709551614', false],
    ['', '100', false],
    ['abc', '100', false],
  ])(
    'orders etcd revisions %p < %p: %p, and nothing else',
    (incoming, stored, older) => {
      expect(isOlderVersion(incoming, stored)).toBe(older);
    },
  );
});
