import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { getFluxKind } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { fluxObject } from '../__testUtils__/fluxObjects';
import { parseFluxObject } from '../status/parseFluxObject';
import { DatabaseFluxStore } from './DatabaseFluxStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const VERSIONS = ['helm.toolkit.fluxcd.io/v2beta1'];

/** A HelmRelease served at `version`, whose manifest kustomize-controller applied at `applied`. */
function helmRelease(name: string, version: string, applied?: string) {
  const def = getFluxKind('HelmRelease')!;
  const obj = fluxObject('HelmRelease', version, 'ready', name, 'apps');
  obj.metadata!.resourceVersion = '1';
  obj.metadata!.labels = { team: name === 'a' ? 'a' : 'b' };
  if (applied)
    obj.metadata!.managedFields = [
      {
        manager: 'kustomize-controller',
        operation: 'Apply',
        apiVersion: `helm.toolkit.fluxcd.io/${applied}`,
        time: '2026-12-01T10:00:00Z',
      },
    ];
  return parseFluxObject(def, obj);
}

describe.each(databases.eachSupportedId())('API versions on %p', databaseId => {
  it('counts the objects by served and applied version, in the reader’s scope', async () => {
    const knex = await databases.init(databaseId);
    const store = await DatabaseFluxStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    await store.upsertCluster({
      name: 'prod',
      title: 'prod',
      source: 'config',
    });
    await store.replaceClusterResources(
      'prod',
      [
        helmRelease('a', 'v2beta1', 'v2beta1'),
        helmRelease('b', 'v2beta1', 'v2beta1'),
        helmRelease('c', 'v2beta1'),
        // At a current version: not among the versions asked about, so not counted.
        helmRelease('d', 'v2', 'v2'),
      ],
      ['HelmRelease'],
      new Date(),
    );
    const counts = await store.countApiVersions({ allOf: [] }, VERSIONS);
    expect(counts.sort((x, y) => y.count - x.count)).toEqual([
      {
        cluster: 'prod',
        kind: 'HelmRelease',
        apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        appliedApiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        count: 2,
      },
      {
        cluster: 'prod',
        kind: 'HelmRelease',
        apiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
        appliedApiVersion: undefined,
        count: 1,
      },
    ]);
    expect(
      await store.countApiVersions(
        { labels: [{ key: 'team', operator: 'equals', value: 'a' }] },
        VERSIONS,
      ),
    ).toEqual([
      expect.objectContaining({
        count: 1,
        appliedApiVersion: 'helm.toolkit.fluxcd.io/v2beta1',
      }),
    ]);
    expect(
      (await store.getResource('prod:HelmRelease:apps:a', { allOf: [] }))
        ?.appliedApiVersion,
    ).toBe('helm.toolkit.fluxcd.io/v2beta1');
  });
});
