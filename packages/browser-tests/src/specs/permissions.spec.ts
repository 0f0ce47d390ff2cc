import { Locator, Page } from '@playwright/test';
import { tierEnv } from '../chromium';
import { expect, resourcePath, test } from '../fixtures';
import { signInIfAsked } from '../session';

/** Opens a page of the viewer's portal: the same fleet, signed in as a member of `guests` who is no operator. */
async function visitAsViewer(page: Page, route: string) {
  await page.goto(`${tierEnv.viewerPortalUrl()}${route}`);
  await signInIfAsked(page);
}

/** The tooltip of a disabled button (in `within`, default the page), which says why it cannot be used. */
async function reasonOf(
  page: Page,
  name: string,
  within: Page | Locator = page,
) {
  const button = within.getByRole('button', { name, exact: true });
  await expect(button).toBeDisabled();
  await button.locator('xpath=..').hover();
  const tooltip = page.getByRole('tooltip');
  await expect(tooltip).toBeVisible();
  const text = await tooltip.textContent();
  // Away again, so that the next question sees only its own tooltip.
  await page.mouse.move(0, 0);
  await expect(tooltip).toBeHidden();
  return text;
}

test.describe('a viewer under the dev policy', () => {
  test('may reconcile the objects of the entities their group owns, and no others', async ({
    page,
  }) => {
    // podinfo is a component owned by guests; the policy's condition is answered per object by the backend.
    await visitAsViewer(page, resourcePath('dev:HelmRelease:apps:podinfo'));
    await expect(
      page.getByRole('button', { name: 'Reconcile', exact: true }),
    ).toBeEnabled();
    expect(await reasonOf(page, 'Suspend')).toBe(
      'You do not have the permission flux-orchestrator.resource.suspend',
    );

    // No entity selects new-service, so nobody owns it.
    await visitAsViewer(page, resourcePath('dev:HelmRelease:apps:new-service'));
    expect(await reasonOf(page, 'Reconcile')).toBe(
      'You do not have the permission flux-orchestrator.resource.reconcile',
    );
  });

  test('sees the clusters but may not register or sync them', async ({
    page,
  }) => {
    await visitAsViewer(page, '/flux/clusters');
    const row = page.getByRole('row').filter({ hasText: 'dev · config' });
    await expect(row).toBeVisible();
    expect(await reasonOf(page, 'Add cluster')).toBe(
      'You do not have the permission flux-orchestrator.cluster.create',
    );
    expect(await reasonOf(page, 'Sync now', row)).toBe(
      'You do not have the permission flux-orchestrator.cluster.sync',
    );
  });
});
