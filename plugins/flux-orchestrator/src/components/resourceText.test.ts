import { shortRevision, sourceIdOf } from './resourceText';

describe('shortRevision', () => {
  it.each([
    ['main@sha1:5f2a1c9e8d7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f', 'main@sha1:5f2a1c9'],
    [
      '19.6.4@sha256:4c1d0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f',
      '19.6.4@sha256:4c1d0a9',
    ],
    [
      'sha256:4c1d0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f',
      'sha256:4c1d0a9',
    ],
    ['19.6.4', '19.6.4'],
    ['refs/heads/main@sha1:abc', 'refs/heads/main@sha1:abc'],
  ])('shortens %s to %s', (revision, short) => {
    expect(shortRevision(revision)).toBe(short);
  });
});

describe('sourceIdOf', () => {
  it('defaults the source namespace to the object’s own, as Flux does', () => {
    expect(
      sourceIdOf({
        cluster: 'dev',
        namespace: 'apps',
        sourceRef: { kind: 'GitRepository', name: 'podinfo' },
      }),
    ).toBe('dev:GitRepository:apps:podinfo');
  });

  it('uses the namespace the reference names', () => {
    expect(
      sourceIdOf({
        cluster: 'dev',
        namespace: 'apps',
        sourceRef: {
          kind: 'HelmRepository',
          name: 'bitnami',
          namespace: 'flux-system',
        },
      }),
    ).toBe('dev:HelmRepository:flux-system:bitnami');
  });

  it('is undefined without a source reference', () => {
    expect(
      sourceIdOf({ cluster: 'dev', namespace: 'flux-system' }),
    ).toBeUndefined();
  });
});
