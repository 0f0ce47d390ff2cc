import { describeOrigin, shortRevision } from './describeRollout';

describe('describeOrigin', () => {
  it('names the source, its reference and the path or chart', () => {
    expect(
      describeOrigin({
        sourceKind: 'GitRepository',
        url: 'github.com/example/fleet',
        ref: 'branch main',
        path: 'apps/prod',
      }),
    ).toEqual({
      title: 'Git github.com/example/fleet',
      details: ['branch main', 'path ./apps/prod'],
    });
    expect(
      describeOrigin({
        sourceKind: 'HelmRepository',
        url: 'charts.example.com',
        chart: 'podinfo',
      }),
    ).toEqual({
      title: 'Helm repository charts.example.com',
      details: ['chart podinfo'],
    });
  });

  it('says which reference could not be followed', () => {
    expect(
      describeOrigin({
        path: '',
        unresolved: {
          kind: 'GitRepository',
          namespace: 'flux-system',
          name: 'fleet',
        },
      }),
    ).toEqual({
      title: 'Unknown origin',
      details: [
        'path ./',
        'GitRepository flux-system/fleet not found or not readable',
      ],
    });
  });
});

describe('shortRevision', () => {
  it('cuts digests to seven characters and keeps the branch, tag or version', () => {
    expect(
      shortRevision('main@sha1:8f3a1c2b9d4e5f60718293a4b5c6d7e8f9012345'),
    ).toBe('main@8f3a1c2');
    expect(shortRevision('sha1:8f3a1c2b9d4e5f6071')).toBe('8f3a1c2');
    expect(shortRevision('latest@sha256:4f1a2b3c4d5e6f')).toBe(
      'latest@4f1a2b3',
    );
    expect(shortRevision('6.7.1')).toBe('6.7.1');
    expect(shortRevision('refs/pull/1/head@sha1:abcdef0123')).toBe(
      'refs/pull/1/head@abcdef0',
    );
  });
});
