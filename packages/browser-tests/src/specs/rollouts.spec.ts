import { expect, test } from '../fixtures';

interface Rollouts {
  clusters: string[];
  totalItems: number;
  disagreeing: number;
  items: Array<{
    origin: { url?: string; path?: string };
    disagrees: boolean;
    revisions: Array<{ revision?: string; clusters: number }>;
    clusters: Array<{
      cluster: string;
      objects: Array<{ id: string; revision?: string }>;
    }>;
  }>;
}

test.describe('rollout tracker', () => {
  test('shows production behind dev and staging on the paths all three deploy from the demo repository', async ({
    page,
    visit,
    capture,
    fluxApi,
  }) => {
    // dev and staging run the real Flux controllers on the demo Git repository; prod's seed applied an older
    // commit of the same repository.
    const rollouts = await fluxApi.get<Rollouts>(
      '/rollouts?disagreeing=true&limit=100',
    );
    const infra = rollouts.items.find(
      row => row.origin.path === 'infrastructure/controllers',
    );
    expect(
      infra,
      JSON.stringify(rollouts.items.map(r => r.origin)),
    ).toBeTruthy();
    expect(infra!.clusters.map(c => c.cluster)).toEqual([
      'dev',
      'prod',
      'staging',
    ]);
    const applied = (cluster: string) =>
      infra!.clusters.find(c => c.cluster === cluster)!.objects[0].revision;
    expect(applied('dev')).toBe(applied('staging'));
    expect(applied('prod')).not.toBe(applied('dev'));

    await visit('/flux/rollouts');
    await expect(page.getByTestId('rollout-summary')).toHaveText(
      `${(await fluxApi.get<Rollouts>('/rollouts')).totalItems} deployments, ${
        rollouts.disagreeing
      } where clusters disagree`,
    );
    await page
      .getByRole('checkbox', { name: 'Only where clusters disagree' })
      .check();
    await expect(page).toHaveURL(/\/flux\/rollouts\?disagreeing=true$/);
    const rows = page.getByTestId('rollout-row');
    await expect(rows).toHaveCount(rollouts.totalItems);
    const row = rows.filter({ hasText: 'path ./infrastructure/controllers' });
    await expect(row).toHaveCount(1);
    // Columns in the order of the header: the deployment, then dev, prod, staging.
    const cells = row.getByRole('cell');
    await expect(cells.nth(2)).toContainText('differs');
    await expect(cells.nth(1)).not.toContainText('differs');
    await expect(cells.nth(3)).not.toContainText('differs');
    await capture('rollouts');

    await cells
      .nth(2)
      .getByRole('link', { name: /infra-controllers/ })
      .click();
    await expect(page).toHaveURL(
      new RegExp(
        `/flux/resources/${encodeURIComponent(
          'prod:Kustomization:flux-system:infra-controllers',
        )}$`,
      ),
    );
  });

  test('groups the deployments by the catalog entities that select them', async ({
    page,
    visit,
  }) => {
    await visit('/flux/rollouts?groupBy=entity&search=podinfo');
    // The podinfo component selects its HelmRelease in every cluster.
    await expect(page.getByTestId('rollout-entity').first()).toHaveText(
      'podinfo',
    );
    await expect(
      page.getByTestId('rollout-row').filter({ hasText: 'chart podinfo' }),
    ).not.toHaveCount(0);
  });
});
