import { OriginRow } from '../database/FluxStore';
import { assembleRollouts, rowMentions } from './assembleRollouts';

function row(
  cluster: string,
  kind: OriginRow['kind'],
  name: string,
  fields: Partial<OriginRow> = {},
): OriginRow {
  return {
    id: `${cluster}:${kind}:flux-system:${name}`,
    cluster,
    kind,
    namespace: 'flux-system',
    name,
    status: 'ready',
    labels: {},
    ...fields,
  };
}

const gitSource = (cluster: string, revision: string, url: string) =>
  row(cluster, 'GitRepository', 'fleet', {
    origin: { url, ref: 'branch main' },
    revision,
  });

const appsOf = (cluster: string, revision?: string, path = 'apps/prod') =>
  row(cluster, 'Kustomization', 'apps', {
    origin: { path },
    sourceRef: {
      kind: 'GitRepository',
      name: 'fleet',
      namespace: 'flux-system',
    },
    revision,
    labels: { team: cluster === 'edge' ? 'edge' : 'core' },
  });

describe('assembleRollouts', () => {
  it('makes one row of a Git URL, ref and path deployed to several clusters, and says when they disagree', () => {
    const rows = assembleRollouts(
      [
        appsOf('prod', 'main@sha1:aaa'),
        appsOf('staging', 'main@sha1:bbb'),
        appsOf('edge', 'main@sha1:aaa'),
        appsOf('lab', 'main@sha1:aaa', 'apps/lab'),
      ],
      [
        gitSource('prod', 'main@sha1:bbb', 'github.com/example/fleet'),
        gitSource('staging', 'main@sha1:bbb', 'github.com/example/fleet'),
        gitSource('edge', 'main@sha1:aaa', 'github.com/example/fleet'),
        gitSource('lab', 'main@sha1:aaa', 'github.com/example/fleet'),
      ],
    );
    expect(rows).toHaveLength(2);
    const [prodPath, labPath] = rows;
    expect(prodPath.origin).toEqual({
      sourceKind: 'GitRepository',
      url: 'github.com/example/fleet',
      ref: 'branch main',
      path: 'apps/prod',
    });
    expect(prodPath.clusters.map(c => c.cluster)).toEqual([
      'edge',
      'prod',
      'staging',
    ]);
    expect(prodPath.revisions).toEqual([
      { revision: 'main@sha1:aaa', clusters: 2 },
      { revision: 'main@sha1:bbb', clusters: 1 },
    ]);
    expect(prodPath.disagrees).toBe(true);
    // prod has not applied what its own source offers yet.
    const prod = prodPath.clusters.find(c => c.cluster === 'prod')!.objects[0];
    expect(prod).toMatchObject({
      revision: 'main@sha1:aaa',
      sourceRevision: 'main@sha1:bbb',
    });
    expect(labPath.disagrees).toBe(false);
    expect(labPath.clusters.map(c => c.cluster)).toEqual(['lab']);
  });

  it('reaches a chart through a HelmChart as through the HelmRelease’s own chart spec', () => {
    const repository = (cluster: string) =>
      row(cluster, 'HelmRepository', 'podinfo', {
        origin: { url: 'charts.example.com' },
      });
    const rows = assembleRollouts(
      [
        row('prod', 'HelmRelease', 'podinfo', {
          origin: { chart: 'podinfo' },
          sourceRef: {
            kind: 'HelmRepository',
            name: 'podinfo',
            namespace: 'flux-system',
          },
          revision: '6.7.1',
        }),
        row('staging', 'HelmRelease', 'podinfo', {
          origin: {},
          sourceRef: {
            kind: 'HelmChart',
            name: 'podinfo',
            namespace: 'flux-system',
          },
          revision: '6.7.1',
        }),
      ],
      [
        repository('prod'),
        repository('staging'),
        row('staging', 'HelmChart', 'podinfo', {
          origin: { chart: 'podinfo' },
          sourceRef: {
            kind: 'HelmRepository',
            name: 'podinfo',
            namespace: 'flux-system',
          },
          revision: '6.7.1',
        }),
      ],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      deployKind: 'HelmRelease',
      origin: {
        sourceKind: 'HelmRepository',
        url: 'charts.example.com',
        chart: 'podinfo',
      },
      disagrees: false,
    });
    // A chart version is not comparable with a repository index's revision.
    expect(rows[0].clusters[0].objects[0].sourceRevision).toBeUndefined();
  });

  it('keeps two releases of one chart in a cluster apart: each is its own deployment', () => {
    const release = (cluster: string, name: string, revision?: string) =>
      row(cluster, 'HelmRelease', name, {
        origin: { chart: 'greeter' },
        sourceRef: {
          kind: 'HelmRepository',
          name: 'charts',
          namespace: 'flux-system',
        },
        revision,
      });
    const repository = (cluster: string) =>
      row(cluster, 'HelmRepository', 'charts', {
        origin: { url: 'charts.example.com' },
      });
    const rows = assembleRollouts(
      [
        release('dev', 'greeter', '0.1.0'),
        release('dev', 'greeter-broken'),
        release('staging', 'greeter', '0.1.0'),
        release('staging', 'greeter-broken'),
      ],
      [repository('dev'), repository('staging')],
    );
    expect(rows.map(r => [r.name, r.disagrees, r.clusters.length])).toEqual([
      ['greeter', false, 2],
      ['greeter-broken', false, 2],
    ]);
  });

  it('leaves the origin unknown where the source is not there (or not readable), by the reference named', () => {
    const rows = assembleRollouts(
      [appsOf('prod', 'main@sha1:aaa'), appsOf('staging', 'main@sha1:aaa')],
      [gitSource('prod', 'main@sha1:aaa', 'github.com/example/fleet')],
    );
    expect(rows.map(r => r.origin)).toEqual(
      expect.arrayContaining([
        {
          path: 'apps/prod',
          unresolved: {
            kind: 'GitRepository',
            name: 'fleet',
            namespace: 'flux-system',
          },
        },
        expect.objectContaining({ url: 'github.com/example/fleet' }),
      ]),
    );
    expect(rows).toHaveLength(2);
  });

  it('counts an object without an applied revision as a revision of its own', () => {
    const [only] = assembleRollouts(
      [appsOf('prod', 'main@sha1:aaa'), appsOf('staging', undefined)],
      [
        gitSource('prod', 'main@sha1:aaa', 'github.com/example/fleet'),
        gitSource('staging', 'main@sha1:aaa', 'github.com/example/fleet'),
      ],
    );
    expect(only.disagrees).toBe(true);
    expect(only.revisions).toContainEqual({ revision: undefined, clusters: 1 });
  });

  it('groups by the entities selecting each object, the unselected last', () => {
    const rows = assembleRollouts(
      [appsOf('prod', 'a'), appsOf('edge', 'a'), appsOf('staging', 'b')],
      ['prod', 'edge', 'staging'].map(c =>
        gitSource(c, 'a', 'github.com/example/fleet'),
      ),
      deployer =>
        deployer.labels.team === 'core'
          ? ['component:default/core', 'system:default/platform']
          : [],
    );
    expect(
      rows.map(r => [r.entityRef, r.clusters.map(c => c.cluster)]),
    ).toEqual([
      ['component:default/core', ['prod', 'staging']],
      ['system:default/platform', ['prod', 'staging']],
      [undefined, ['edge']],
    ]);
    expect(new Set(rows.map(r => r.key)).size).toBe(3);
  });

  it('finds rows by origin, entity or object name', () => {
    const [only] = assembleRollouts(
      [appsOf('prod', 'a')],
      [gitSource('prod', 'a', 'github.com/example/fleet')],
    );
    expect(rowMentions(only, 'example/fleet')).toBe(true);
    expect(rowMentions(only, 'apps/prod')).toBe(true);
    expect(rowMentions(only, 'podinfo')).toBe(false);
  });
});
