import { expect, itemsOf, test } from '../fixtures';

interface FluxResource {
  kind: string;
  name: string;
}

test.describe('entity tab', () => {
  test('the Flux tab of the podinfo component lists its objects on every cluster', async ({
    page,
    visit,
    fluxApi,
    capture,
  }) => {
    await visit('/catalog/default/component/podinfo/flux');
    const expected = itemsOf(
      await fluxApi.get<FluxResource[] | { items: FluxResource[] }>(
        `/resources?entityRef=${encodeURIComponent(
          'component:default/podinfo',
        )}&limit=50`,
      ),
    );
    const helmReleases = expected.filter(
      r => r.kind === 'HelmRelease' && r.name === 'podinfo',
    );
    // The demo objects labelled backstage.io/kubernetes-id=podinfo: a HelmRelease on each of the three clusters.
    expect(helmReleases).toHaveLength(3);
    const rows = page.getByTestId('resource-row');
    await expect(rows).toHaveCount(expected.length);
    await expect(
      rows.filter({ hasText: 'HelmRelease' }).filter({ hasText: 'podinfo' }),
    ).toHaveCount(3);
    await capture('entity-tab');
  });
});
