import { objectStatus } from '../demoObjects';
import { expect, resourcePath, test } from '../fixtures';

interface Reliability {
  byCluster: Array<{ cluster: string; failures: number; recoveries: number }>;
}

test.describe('status history', () => {
  test('a failure that recovers shows on the object’s timeline and in the fleet’s figures', async ({
    page,
    visit,
    capture,
    fluxApi,
  }) => {
    const id = 'prod:Kustomization:flux-system:tenants';
    const { apiVersion } = await fluxApi.get<{ apiVersion: string }>(
      `/resources/${encodeURIComponent(id)}`,
    );
    const tenants = (await objectStatus('prod', apiVersion, 'kustomizations'))(
      'flux-system',
      'tenants',
    );
    const before = await tenants.read();
    const figuresBefore = await fluxApi.get<Reliability>(
      '/reliability?window=24h',
    );
    const prodRecoveries = (figures: Reliability) =>
      figures.byCluster.find(c => c.cluster === 'prod')?.recoveries ?? 0;

    await visit(resourcePath(id));
    const chip = page.getByTestId('status-chip').first();
    await expect(chip).toHaveText(/failing/i);
    await expect(page.getByText('Failing since')).toBeVisible();
    const entries = page.getByTestId('transition');
    await expect(entries.first()).toContainText('failing');
    try {
      // The controller fixes it: Ready turns True, as kustomize-controller writes it.
      await tenants.write({
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'ReconciliationSucceeded',
            message: 'Applied revision: main@sha1:2222222',
            lastTransitionTime: new Date().toISOString(),
            observedGeneration: before.observedGeneration,
          },
        ],
      });
      await expect(chip).toHaveText(/ready/i, { timeout: 15_000 });
      await expect(entries.first()).toContainText('from failing');
      await expect(entries.first().getByTestId('recovered-after')).toHaveText(
        /recovered after \d+ (d|h|min|s)/,
      );
      await expect(page.getByText('Failing since')).toHaveCount(0);
      // The two history cards, side by side.
      await capture('resource-history', page.getByTestId('history-cards'));

      const figures = await fluxApi.get<Reliability>('/reliability?window=24h');
      expect(prodRecoveries(figures)).toBe(prodRecoveries(figuresBefore) + 1);
      await visit('/flux');
      const prodRow = page
        .getByTestId('reliability-cluster-row')
        .filter({ hasText: /^prod/ });
      await page.getByLabel('Window').click();
      await page.getByRole('option', { name: 'Last 24 hours' }).click();
      const prod = figures.byCluster.find(c => c.cluster === 'prod')!;
      await expect(prodRow.getByRole('cell').nth(1)).toHaveText(
        String(prod.failures),
      );
      await expect(prodRow.getByRole('cell').nth(2)).toHaveText(
        String(prod.recoveries),
      );
      await capture(
        'overview-reliability',
        page.getByTestId('reliability-card'),
      );
    } finally {
      // Back to the seeded failure, for the specs that count it.
      await tenants.write({ conditions: before.conditions });
    }
    await visit(resourcePath(id));
    await expect(chip).toHaveText(/failing/i, { timeout: 15_000 });
  });

  test('an object progressing far longer than its interval is listed as stuck, with the reason', async ({
    page,
    visit,
    capture,
    fluxApi,
  }) => {
    // prod's apps Kustomization is seeded progressing, and no controller of prod ever finishes it. With an
    // interval of 2 s, five intervals pass in 10 s.
    const id = 'prod:Kustomization:flux-system:apps';
    const { apiVersion, status } = await fluxApi.get<{
      apiVersion: string;
      status: string;
    }>(`/resources/${encodeURIComponent(id)}`);
    expect(status).toBe('progressing');
    const apps = (await objectStatus('prod', apiVersion, 'kustomizations'))(
      'flux-system',
      'apps',
    );
    try {
      await apps.patchSpec({ interval: '2s' });
      await expect
        .poll(
          async () =>
            (
              await fluxApi.get<{ items: Array<{ id: string }> }>(
                '/stuck-resources',
              )
            ).items.map(r => r.id),
          { timeout: 30_000 },
        )
        .toContain(id);
      await visit('/flux');
      const item = page
        .getByTestId('stuck-item')
        .filter({ hasText: 'Kustomization flux-system/apps' });
      await expect(item.getByTestId('stuck-reason')).toHaveText(
        /^Progressing for \d+ (min|s)( \d+ s)?, \d+ times its interval of 2 s$/,
      );
      await capture('overview-stuck', page.getByTestId('stuck-list'));
      await item.getByRole('link').click();
      await expect(page.getByTestId('stuck-alert')).toHaveText(
        /^Stuck: Progressing for .+ times its interval of 2 s\.$/,
      );
    } finally {
      await apps.patchSpec({ interval: '10m' });
    }
  });
});
