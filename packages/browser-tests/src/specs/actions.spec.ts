import { clickAction, expect, resourcePath, test } from '../fixtures';

// Ready objects, so that the other specs' counts are the same after these ran.
const RECONCILED = 'staging:HelmRelease:apps:podinfo';
const SUSPENDED = 'staging:Kustomization:flux-system:infra-controllers';

test.describe('actions', () => {
  test('reconcile: the request shows as requested, then as handled by the controller', async ({
    page,
    visit,
    capture,
  }) => {
    await visit(resourcePath(RECONCILED));
    await clickAction(page, 'Reconcile');
    const state = page.getByTestId('reconcile-state');
    await expect(state).toBeVisible();
    // Every distinct text the state shows until it says handled: the request must show before its answer.
    const seen: string[] = [];
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      const text = ((await state.textContent().catch(() => '')) ?? '').trim();
      if (text && seen[seen.length - 1] !== text) seen.push(text);
      if (/handled/i.test(text)) break;
      await page.waitForTimeout(100);
    }
    const requested = seen.findIndex(t => /requested/i.test(t) && !/handled/i.test(t));
    const handled = seen.findIndex(t => /handled/i.test(t));
    expect(requested, `states seen: ${JSON.stringify(seen)}`).toBeGreaterThanOrEqual(0);
    expect(handled, `states seen: ${JSON.stringify(seen)}`).toBeGreaterThan(requested);
    await capture('resource-reconciled');
  });

  test('suspend shows the object suspended; resume brings it back', async ({ page, visit, fluxApi }) => {
    await visit(resourcePath(SUSPENDED));
    const chip = page.getByTestId('status-chip').first();
    await expect(chip).toHaveText(/ready/i);

    await clickAction(page, 'Suspend');
    await expect(chip).toHaveText(/suspended/i, { timeout: 30_000 });
    expect((await fluxApi.get<{ status: string }>(`/resources/${encodeURIComponent(SUSPENDED)}`)).status).toBe('suspended');
    await expect(page.getByRole('button', { name: 'Resume', exact: true })).toBeVisible();

    await clickAction(page, 'Resume');
    await expect(chip).toHaveText(/ready/i, { timeout: 30_000 });
    expect((await fluxApi.get<{ status: string }>(`/resources/${encodeURIComponent(SUSPENDED)}`)).status).toBe('ready');
  });
});
