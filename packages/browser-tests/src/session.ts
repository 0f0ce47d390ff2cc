import { expect, Page } from '@playwright/test';

/**
 * The app's sign-in page offers the guest provider behind a button named Enter; once signed in, the sidebar
 * shows. Waits for one or the other, and signs in when asked.
 */
export async function signInIfAsked(page: Page) {
  const enter = page.getByRole('button', { name: 'Enter' });
  const sidebar = page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link')
    .first();
  await expect(enter.or(sidebar).first()).toBeVisible({ timeout: 30_000 });
  if (await enter.isVisible()) {
    await enter.click();
    await expect(sidebar).toBeVisible({ timeout: 30_000 });
  }
}
