import { expect, resourcePath, test } from '../fixtures';

interface ResourcePage {
  items: Array<{ id: string; status: string }>;
  total: number;
}

const REDIS = 'dev:HelmRelease:apps:redis';

test.describe('resources', () => {
  test('the status filter in the URL shows only failing objects, as many as the backend counts', async ({
    page,
    visit,
    fluxApi,
    capture,
  }) => {
    await visit('/flux/resources?status=failing');
    const failing = await fluxApi.get<ResourcePage>(
      '/resources?status=failing&limit=500',
    );
    expect(failing.total, 'the demo fleet has failing objects').toBeGreaterThan(
      0,
    );
    const rows = page.getByTestId('resource-row');
    await expect(rows).toHaveCount(failing.total);
    const chips = rows.getByTestId('status-chip');
    await expect(chips).toHaveCount(failing.total);
    for (const chip of await chips.all())
      await expect(chip).toHaveText(/failing/i);
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

  test("a HelmRelease whose install failed shows helm-controller's whole message", async ({
    page,
    visit,
    fluxApi,
    capture,
  }) => {
    // The install waits for a Deployment that never becomes ready here, and fails when its 15 s timeout ends.
    const failed = async () =>
      fluxApi.get<{ status: string; reason?: string; message?: string }>(
        `/resources/${encodeURIComponent(REDIS)}`,
      );
    await expect
      .poll(async () => (await failed()).reason, { timeout: 90_000 })
      .toBe('InstallFailed');
    const redis = await failed();
    expect(redis.message).toMatch(/redis/);
    await visit(resourcePath(REDIS));
    await expect(page.getByTestId('resource-message')).toContainText(
      redis.message!,
    );
    expect(['failing', 'stalled']).toContain(redis.status);
    await expect(page.getByTestId('status-chip').first()).toHaveText(
      new RegExp(redis.status, 'i'),
    );
    await capture('resource-detail');
  });

  test('the YAML of a HelmRelease shows its values redacted, and says so', async ({
    page,
    visit,
  }) => {
    await visit(resourcePath(REDIS));
    const notice = page.getByTestId('redacted-notice');
    await expect(notice).toContainText('spec.values');
    const yaml = page.locator('pre', { hasText: 'kind: HelmRelease' });
    await expect(yaml).toContainText('[redacted by Flux Orchestrator]');
    // The top-level keys stay, so a reader sees what is configured; the password is nowhere on the page.
    await expect(yaml).toContainText('architecture');
    await expect(page.locator('body')).not.toContainText(
      'demo-redis-password-never-shown',
    );
  });
});
