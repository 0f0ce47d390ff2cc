import { expect, resourcePath, test } from '../fixtures';

interface ResourcePage {
  items: Array<{ id: string; status: string }>;
  total: number;
}

test.describe('resources', () => {
  test('the status filter in the URL shows only failing objects, as many as the backend counts', async ({
    page,
    visit,
    fluxApi,
    capture,
  }) => {
    await visit('/flux/resources?status=failing');
    const failing = await fluxApi.get<ResourcePage>('/resources?status=failing&limit=500');
    expect(failing.total, 'the demo fleet has failing objects').toBeGreaterThan(0);
    const rows = page.getByTestId('resource-row');
    await expect(rows).toHaveCount(failing.total);
    const chips = rows.getByTestId('status-chip');
    await expect(chips).toHaveCount(failing.total);
    for (const chip of await chips.all()) await expect(chip).toHaveText(/failing/i);
    await capture('resources-failing');
  });

  test('the fleet-wide list shows a page of the objects the backend holds', async ({
    page,
    visit,
    fluxApi,
    capture,
  }) => {
    await visit('/flux/resources');
    const rows = page.getByTestId('resource-row');
    await expect(rows.first()).toBeVisible();
    const all = await fluxApi.get<ResourcePage>('/resources?limit=500');
    expect(await rows.count()).toBeLessThanOrEqual(all.total);
    await capture('resources');
  });

  test('a failing HelmRelease shows its whole message', async ({ page, visit, capture }) => {
    await visit(resourcePath('dev:HelmRelease:apps:redis'));
    await expect(page.getByTestId('resource-message')).toContainText(
      'Helm install failed for release apps/redis with chart redis@19.6.4: context deadline exceeded',
    );
    await expect(page.getByTestId('status-chip').first()).toHaveText(/failing/i);
    await capture('resource-detail');
  });

  test('the YAML of a HelmRelease shows its values redacted, and says so', async ({ page, visit }) => {
    await visit(resourcePath('dev:HelmRelease:apps:redis'));
    const notice = page.getByTestId('redacted-notice');
    await expect(notice).toContainText('spec.values');
    const yaml = page.locator('pre', { hasText: 'kind: HelmRelease' });
    await expect(yaml).toContainText('[redacted by Flux Orchestrator]');
    // The top-level keys stay, so a reader sees what is configured; the password is nowhere on the page.
    await expect(yaml).toContainText('architecture');
    await expect(page.locator('body')).not.toContainText('demo-redis-password-never-shown');
  });
});
