import { apiLifecycleOf, FLUX_API_LIFECYCLE } from './fluxApiLifecycle';
import { FLUX_KINDS } from './fluxKinds';

describe('the lifecycle of the Flux API versions', () => {
  it('names a release for each deprecation and removal, and a current version to move to', () => {
    const release = /^v\d+\.\d+\.\d+$/;
    for (const entry of FLUX_API_LIFECYCLE) {
      expect([entry.kind, entry.deprecatedIn]).toEqual([
        entry.kind,
        expect.stringMatching(release),
      ]);
      expect(entry.removedIn).toMatch(release);
      // The replacement is current: the newest version the kind table tries first.
      expect([entry.kind, entry.replacedBy]).toEqual([
        entry.kind,
        FLUX_KINDS.find(k => k.kind === entry.kind)!.versions[0],
      ]);
      expect(
        FLUX_API_LIFECYCLE.find(
          l => l.kind === entry.kind && l.version === entry.replacedBy,
        ),
      ).toBeUndefined();
    }
  });

  it('covers every older version the kind table still tries, so no served version goes unjudged', () => {
    for (const kind of FLUX_KINDS) {
      for (const version of kind.versions.slice(1)) {
        expect([
          kind.kind,
          version,
          apiLifecycleOf(kind.kind, version),
        ]).toEqual([kind.kind, version, expect.objectContaining({ version })]);
      }
    }
  });

  it('reads group/version and bare versions, and knows nothing of other groups', () => {
    expect(
      apiLifecycleOf('HelmRelease', 'helm.toolkit.fluxcd.io/v2beta1'),
    ).toMatchObject({ removedIn: 'v2.7.0', replacedBy: 'v2' });
    expect(apiLifecycleOf('HelmRelease', 'v2beta2')).toMatchObject({
      removedIn: 'v2.8.0',
    });
    expect(
      apiLifecycleOf('HelmRelease', 'helm.toolkit.fluxcd.io/v2'),
    ).toBeUndefined();
    expect(
      apiLifecycleOf('HelmRelease', 'example.com/v2beta1'),
    ).toBeUndefined();
    expect(apiLifecycleOf('Deployment', 'apps/v1')).toBeUndefined();
  });
});
