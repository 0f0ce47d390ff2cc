import {
  normalizeLocation,
  normalizeSourcePath,
  readOriginPart,
  readRevisionChangedAt,
} from './readOrigin';

describe('normalizeLocation', () => {
  it('makes one place of a repository reached over HTTPS or SSH, with or without .git', () => {
    const forms = [
      'https://github.com/Example/fleet',
      'https://github.com/Example/fleet.git',
      'https://github.com/Example/fleet/',
      'ssh://git@github.com/Example/fleet.git',
      'ssh://git@GitHub.com:22/Example/fleet',
      'https://github.com:443/Example/fleet',
    ];
    expect(new Set(forms.map(f => normalizeLocation(f)))).toEqual(
      new Set(['github.com/Example/fleet']),
    );
  });

  it('keeps a port that says something, and the scheme-less endpoint of a bucket', () => {
    expect(normalizeLocation('ssh://git@git.internal:2222/fleet')).toBe(
      'git.internal:2222/fleet',
    );
    expect(normalizeLocation('minio.example.com:9000', 'https')).toBe(
      'minio.example.com:9000',
    );
    expect(normalizeLocation('oci://ghcr.io/example/manifests')).toBe(
      'ghcr.io/example/manifests',
    );
  });

  it('drops credentials, query and fragment, which may carry tokens', () => {
    const location = normalizeLocation(
      'https://deploy:ghp_s3cr3t@github.com/example/fleet.git?token=abc#frag',
    );
    expect(location).toBe('github.com/example/fleet');
    expect(location).not.toMatch(/s3cr3t|abc|deploy/);
  });

  it('gives nothing for what is not a URL with a host', () => {
    for (const value of [
      'not a url',
      'file:///etc/passwd',
      '',
      '   ',
      42,
      { url: 'https://x' },
      `https://github.com/${'a'.repeat(3000)}`,
    ])
      expect(normalizeLocation(value)).toBeUndefined();
  });
});

describe('normalizeSourcePath', () => {
  it('reads ./apps//prod/ and apps/prod as one path, and the root as empty', () => {
    expect(normalizeSourcePath('./apps//prod/')).toBe('apps/prod');
    expect(normalizeSourcePath('apps/prod')).toBe('apps/prod');
    expect(normalizeSourcePath('./')).toBe('');
    expect(normalizeSourcePath(undefined)).toBe('');
    expect(normalizeSourcePath('/../../etc')).toBe('etc');
    expect(normalizeSourcePath(['./x'])).toBeUndefined();
  });
});

describe('readOriginPart', () => {
  it('takes the Git reference Flux follows: commit, name, semver, tag, then branch; master by default', () => {
    const url = 'https://git.example.com/fleet.git';
    const ref = (r?: object) =>
      readOriginPart('GitRepository', { url, ref: r })?.ref;
    expect(ref({ branch: 'main', commit: 'abc' })).toBe('commit abc');
    expect(ref({ branch: 'main', tag: 'v1' })).toBe('tag v1');
    expect(ref({ tag: 'v1', semver: '>=1' })).toBe('semver >=1');
    expect(ref({ name: 'refs/pull/1/head', semver: '>=1' })).toBe(
      'name refs/pull/1/head',
    );
    expect(ref({ branch: 'main' })).toBe('branch main');
    expect(ref(undefined)).toBe('branch master');
    // A reference that cannot be read leaves the origin unknown rather than guessed.
    expect(
      readOriginPart('GitRepository', { url, ref: { branch: ['main'] } }),
    ).toBeUndefined();
  });

  it('gives each kind its own part', () => {
    expect(
      readOriginPart('OCIRepository', {
        url: 'oci://ghcr.io/example/manifests',
        ref: { tag: 'v2' },
      }),
    ).toEqual({ url: 'ghcr.io/example/manifests' });
    expect(
      readOriginPart('Bucket', {
        endpoint: 'minio.example.com',
        bucketName: 'manifests',
        prefix: './prod/',
      }),
    ).toEqual({ url: 'minio.example.com/manifests/prod' });
    expect(readOriginPart('HelmChart', { chart: 'podinfo' })).toEqual({
      chart: 'podinfo',
    });
    expect(readOriginPart('Kustomization', { path: './apps/prod' })).toEqual({
      path: 'apps/prod',
    });
    expect(readOriginPart('Kustomization', {})).toEqual({ path: '' });
    expect(
      readOriginPart('HelmRelease', { chart: { spec: { chart: 'podinfo' } } }),
    ).toEqual({ chart: 'podinfo' });
    expect(
      readOriginPart('HelmRelease', {
        chartRef: { kind: 'OCIRepository', name: 'podinfo' },
      }),
    ).toEqual({});
    expect(readOriginPart('HelmRelease', {})).toBeUndefined();
    expect(readOriginPart('Alert', {})).toBeUndefined();
  });
});

describe('readRevisionChangedAt', () => {
  it('dates a Kustomization revision by the first reconcile of its newest run in the history', () => {
    const status = {
      history: [
        // A failed attempt at a newer revision does not end the run of the applied one.
        {
          firstReconciled: '2026-12-02T12:00:00Z',
          metadata: { revision: 'main@sha1:bbb' },
        },
        {
          firstReconciled: '2026-12-02T10:00:00Z',
          metadata: { revision: 'main@sha1:aaa' },
        },
        {
          firstReconciled: '2026-12-02T09:00:00Z',
          metadata: { revision: 'main@sha1:aaa' },
        },
        {
          firstReconciled: '2026-12-01T09:00:00Z',
          metadata: { revision: 'main@sha1:000' },
        },
        // An earlier run at the same revision (a revert) is another rollout.
        {
          firstReconciled: '2026-11-01T09:00:00Z',
          metadata: { revision: 'main@sha1:aaa' },
        },
      ],
    };
    expect(
      readRevisionChangedAt('Kustomization', status, 'main@sha1:aaa'),
    ).toBe('2026-12-02T09:00:00.000Z');
    expect(
      readRevisionChangedAt('Kustomization', status, 'main@sha1:ccc'),
    ).toBeUndefined();
  });

  it('dates a HelmRelease chart version by its newest run of deployed releases', () => {
    const status = {
      history: [
        { chartVersion: '6.8.0', status: 'failed', lastDeployed: 'x' },
        {
          chartVersion: '6.7.1',
          status: 'deployed',
          lastDeployed: '2026-12-02T10:00:00Z',
        },
        // A values change: a new release of the same chart version.
        {
          chartVersion: '6.7.1',
          status: 'superseded',
          lastDeployed: '2026-12-01T10:00:00Z',
        },
        {
          chartVersion: '6.7.0',
          status: 'superseded',
          lastDeployed: '2026-11-01T10:00:00Z',
        },
      ],
    };
    expect(readRevisionChangedAt('HelmRelease', status, '6.7.1')).toBe(
      '2026-12-01T10:00:00.000Z',
    );
  });

  it('reads nothing from a history that is not one', () => {
    expect(
      readRevisionChangedAt('Kustomization', { history: 'x' }, 'a'),
    ).toBeUndefined();
    expect(
      readRevisionChangedAt('Kustomization', { history: [null, 1, 'x'] }, 'a'),
    ).toBeUndefined();
    expect(
      readRevisionChangedAt(
        'Kustomization',
        {
          history: [
            { firstReconciled: 'yesterday', metadata: { revision: 'a' } },
          ],
        },
        'a',
      ),
    ).toBeUndefined();
  });
});
