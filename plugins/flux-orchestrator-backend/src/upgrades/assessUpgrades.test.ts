import { assessUpgrades, compareFluxVersions } from './assessUpgrades';

describe('assessUpgrades', () => {
  it('groups the clusters by Flux version, newest first, unknown last', () => {
    const { fluxVersions, newestFluxVersion } = assessUpgrades(
      [
        { name: 'prod', fluxVersion: 'v2.4.0' },
        { name: 'dev', fluxVersion: 'v2.10.1' },
        { name: 'edge' },
        { name: 'staging', fluxVersion: 'v2.10.1' },
        { name: 'lab', fluxVersion: 'v2.9.5' },
      ],
      [],
    );
    expect(fluxVersions).toEqual([
      { version: 'v2.10.1', clusters: ['dev', 'staging'] },
      { version: 'v2.9.5', clusters: ['lab'] },
      { version: 'v2.4.0', clusters: ['prod'] },
      { version: 'unknown', clusters: ['edge'] },
    ]);
    expect(newestFluxVersion).toBe('v2.10.1');
    expect(compareFluxVersions('v2.9.5', 'v2.10.0')).toBeGreaterThan(0);
  });

  it('finds objects served or applied at deprecated and removed versions, counting each object once', () => {
    const readiness = assessUpgrades(
      [{ name: 'prod', fluxVersion: 'v2.4.0' }],
      [
        // Served at v2beta1 (removed in v2.7.0), applied at v2beta2 (removed in v2.8.0).
        {
          cluster: 'prod',
          kind: 'HelmRelease',
          apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
          appliedApiVersion: 'helm.toolkit.fluxcd.io/v2beta2',
          count: 3,
        },
        // Served at v1, applied from manifests still at v1beta2.
        {
          cluster: 'prod',
          kind: 'Kustomization',
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          appliedApiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
          count: 2,
        },
        // Current on both counts.
        {
          cluster: 'prod',
          kind: 'GitRepository',
          apiVersion: 'source.toolkit.fluxcd.io/v1',
          appliedApiVersion: 'source.toolkit.fluxcd.io/v1',
          count: 7,
        },
      ],
    );
    expect(readiness.findings).toEqual([
      {
        cluster: 'prod',
        kind: 'HelmRelease',
        apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        where: 'served',
        objects: 3,
        deprecatedIn: 'v2.2.0',
        removedIn: 'v2.7.0',
        replacedBy: 'v2',
      },
      {
        cluster: 'prod',
        kind: 'HelmRelease',
        apiVersion: 'helm.toolkit.fluxcd.io/v2beta2',
        where: 'applied',
        objects: 3,
        deprecatedIn: 'v2.3.0',
        removedIn: 'v2.8.0',
        replacedBy: 'v2',
      },
      {
        cluster: 'prod',
        kind: 'Kustomization',
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
        where: 'applied',
        objects: 2,
        deprecatedIn: 'v2.0.0',
        removedIn: 'v2.8.0',
        replacedBy: 'v1',
      },
    ]);
    expect(readiness.objectsAtRemovedVersions).toBe(5);
    expect(readiness.objectsAtDeprecatedVersions).toBe(0);
  });
});
