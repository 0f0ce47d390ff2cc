import { diffResources } from './diffResources';

const row = (id: string, kind: string, resourceVersion: string) => ({ id, kind, resourceVersion });

describe('diffResources', () => {
  it('sorts incoming objects into inserts, updates and unchanged by resourceVersion', () => {
    const diff = diffResources(
      [row('a', 'Kustomization', '1'), row('b', 'Kustomization', '1')],
      [row('a', 'Kustomization', '1'), row('b', 'Kustomization', '2'), row('c', 'Kustomization', '1')],
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
