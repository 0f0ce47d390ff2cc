import { Page } from '@playwright/test';
import { clickAction, expect, resourcePath, test } from '../fixtures';

// Ready objects, so that the other specs' counts are the same after these ran. helm-controller and
// kustomize-controller answer the first two; ImageRepositories have no real controller here, and the demo's
// stand-in answers after 4 s, longer than the backend waits, so the request shows before its answer.
const RECONCILED = 'staging:HelmRelease:apps:podinfo';
const RECONCILED_LATE = 'staging:ImageRepository:flux-system:podinfo';
const SUSPENDED = 'staging:Kustomization:flux-system:infra-controllers';

/** Clicks Reconcile and records every distinct text of the reconcile state until it says handled. */
async function reconcileStates(
  page: Page,
): Promise<{ seen: string[]; requestedAt: string }> {
  const answered = page.waitForResponse(r =>
    r.url().endsWith('/api/flux-orchestrator/resources/reconcile'),
  );
  await clickAction(page, 'Reconcile');
  const [result] = (await (await answered).json()).results;
  const state = page.getByTestId('reconcile-state');
  await expect(state).toBeVisible();
  const seen: string[] = [];
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const text = ((await state.textContent().catch(() => '')) ?? '').trim();
    if (text && seen[seen.length - 1] !== text) seen.push(text);
    if (/handled/i.test(text)) break;
    await page.waitForTimeout(100);
  }
  return { seen, requestedAt: result.requestedAt };
}

test.describe('actions', () => {
  test('reconcile: helm-controller handles the request, and the page says so', async ({
    page,
    visit,
    fluxApi,
  }) => {
    await visit(resourcePath(RECONCILED));
    const { seen, requestedAt } = await reconcileStates(page);
    expect(
      seen[seen.length - 1],
      `states seen: ${JSON.stringify(seen)}`,
    ).toMatch(/handled/i);
    const stored = await fluxApi.get<{ lastHandledReconcileAt?: string }>(
      `/resources/${encodeURIComponent(RECONCILED)}`,
    );
    expect(stored.lastHandledReconcileAt).toBe(requestedAt);
  });

  test('reconcile: a request the controller answers late shows as requested, then as handled', async ({
    page,
    visit,
    capture,
  }) => {
    await visit(resourcePath(RECONCILED_LATE));
    const { seen } = await reconcileStates(page);
    const requested = seen.findIndex(
      t => /requested/i.test(t) && !/handled/i.test(t),
    );
    const handled = seen.findIndex(t => /handled/i.test(t));
    expect(
      requested,
      `states seen: ${JSON.stringify(seen)}`,
    ).toBeGreaterThanOrEqual(0);
    expect(handled, `states seen: ${JSON.stringify(seen)}`).toBeGreaterThan(
      requested,
    );
    await capture('resource-reconciled');
  });

  test('suspend asks why and until when, writes both to the object, and resume takes them away', async ({
    page,
    visit,
    fluxApi,
    capture,
  }) => {
    await visit(resourcePath(SUSPENDED));
    const chip = page.getByTestId('status-chip').first();
    await expect(chip).toHaveText(/ready/i);

    await page.getByRole('button', { name: 'Suspend', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect(
      dialog.getByRole('button', { name: 'Suspend', exact: true }),
    ).toBeDisabled();
    await dialog
      .getByRole('textbox', { name: /Reason/ })
      .fill('Incident 4711: database failover');
    await dialog.getByLabel('Resume automatically').click();
    await page.getByRole('option', { name: 'After 1 day' }).click();
    await capture('suspend-dialog', dialog);
    await dialog.getByRole('button', { name: 'Suspend', exact: true }).click();
    await expect(chip).toHaveText(/suspended/i, { timeout: 30_000 });
    const stored = await fluxApi.get<{
      status: string;
      object: { metadata: { annotations: Record<string, string> } };
      suspension: { by: string; reason: string; until: string };
    }>(`/resources/${encodeURIComponent(SUSPENDED)}`);
    expect(stored.status).toBe('suspended');
    // On the object itself, where kubectl shows them.
    expect(stored.object.metadata.annotations).toMatchObject({
      'flux-orchestrator/suspend-reason': 'Incident 4711: database failover',
      'flux-orchestrator/suspended-by': expect.stringMatching(/^user:/),
    });
    const hours =
      (Date.parse(stored.suspension.until) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    await expect(page.getByTestId('suspension-reason')).toHaveText(
      'Incident 4711: database failover',
    );
    await expect(page.getByText('Resumes', { exact: true })).toBeVisible();
    await capture('resource-suspended', page.getByTestId('resource-header'));
    await expect(
      page.getByRole('button', { name: 'Resume', exact: true }),
    ).toBeVisible();

    // Resumed, kustomize-controller applies the overlay again and reports it Ready.
    await clickAction(page, 'Resume');
    await expect(chip).toHaveText(/ready/i, { timeout: 30_000 });
    expect(
      (
        await fluxApi.get<{ status: string }>(
          `/resources/${encodeURIComponent(SUSPENDED)}`,
        )
      ).status,
    ).toBe('ready');
    const resumed = await fluxApi.get<{
      object: { metadata: { annotations?: Record<string, string> } };
    }>(`/resources/${encodeURIComponent(SUSPENDED)}`);
    expect(
      Object.keys(resumed.object.metadata.annotations ?? {}).filter(key =>
        key.startsWith('flux-orchestrator/'),
      ),
    ).toEqual([]);
  });
});
