import { test as base, expect, Locator, Page } from '@playwright/test';
import path from 'path';
import { accessibilityViolations } from './accessibility';
import { tierEnv } from './chromium';
import { signInIfAsked } from './session';

/** The plugin's REST API, called with the token the page itself sends (the same guest session). */
export interface FluxApi {
  get<T = unknown>(route: string): Promise<T>;
}

interface Fixtures {
  /** Opens a path of the app and signs in as the guest if the sign-in page comes up. */
  visit(route: string): Promise<void>;
  fluxApi: FluxApi;
  /**
   * A full-page screenshot into docs/screenshots (with --update-screenshots) or the report dir; the page is
   * checked with axe-core first. With `part`, a picture of that part only (one card of a long page: Backstage
   * scrolls its content inside the page, so a full-page picture holds what the window shows).
   */
  capture(name: string, part?: Locator): Promise<void>;
  /** After each test, the page it ended on is checked with axe-core (WCAG 2 A/AA). */
  accessible: void;
}

async function guestToken(page: Page): Promise<string> {
  const response = await page.request.get(
    '/api/auth/guest/refresh?env=development',
    {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    },
  );
  expect(response.status(), 'guest sign-in').toBe(200);
  return (await response.json()).backstageIdentity.token;
}

export const test = base.extend<Fixtures>({
  visit: async ({ page }, use) => {
    await use(async route => {
      await page.goto(route);
      await signInIfAsked(page);
    });
  },

  fluxApi: async ({ page }, use) => {
    // The Authorization header of the app's own calls to the plugin; a fresh guest token until there is one.
    let authorization: string | undefined;
    page.on('request', request => {
      const header = request.headers().authorization;
      if (header && request.url().includes('/api/flux-orchestrator/'))
        authorization = header;
    });
    await use({
      async get<T>(route: string) {
        authorization ??= `Bearer ${await guestToken(page)}`;
        const response = await page.request.get(
          `/api/flux-orchestrator${route}`,
          { headers: { authorization } },
        );
        expect(
          response.status(),
          `GET /api/flux-orchestrator${route}: ${await response.text()}`,
        ).toBe(200);
        return (await response.json()) as T;
      },
    });
  },

  accessible: [
    async ({ page }, use, testInfo) => {
      await use();
      // Not after a failure (its own error says more) nor on a page that never left about:blank (API tests).
      if (testInfo.status !== testInfo.expectedStatus) return;
      if (!page.url().startsWith('http')) return;
      expect(
        await accessibilityViolations(page),
        `WCAG 2 A/AA violations on ${page.url()}, where the test ended`,
      ).toEqual([]);
    },
    { auto: true },
  ],

  capture: async ({ page }, use) => {
    await use(async (name, part) => {
      // Also lets loading bars finish, so the picture shows the page, not its skeleton.
      expect(
        await accessibilityViolations(page),
        `WCAG 2 A/AA violations on ${page.url()} (screenshot ${name})`,
      ).toEqual([]);
      const file = path.join(tierEnv.screenshotsDir(), `${name}.png`);
      if (part) {
        await part.screenshot({ path: file, animations: 'disabled' });
        return;
      }
      await page.screenshot({
        path: file,
        fullPage: true,
        animations: 'disabled',
      });
    });
  },
});

export { expect };

/** Status names as the plugin's API and the pages spell them (FLUX_STATUSES of the common package). */
export const STATUSES = [
  'ready',
  'failing',
  'progressing',
  'stalled',
  'suspended',
  'unknown',
] as const;

/** The path of a resource's detail page: resource ids carry colons and are URI-encoded into the path. */
export const resourcePath = (id: string) =>
  `/flux/resources/${encodeURIComponent(id)}`;

/** Items of a list answer, whether it is a page (`{ items }`) or a plain array. */
export function itemsOf<T>(body: T[] | { items: T[] }): T[] {
  return Array.isArray(body) ? body : body.items;
}

/**
 * Clicks an action button; when the page asks for confirmation in a dialog, confirms with the button of the
 * same name.
 */
export async function clickAction(page: Page, name: string) {
  await page.getByRole('button', { name, exact: true }).click();
  const dialog = page.getByRole('dialog');
  const asked = await dialog
    .waitFor({ state: 'visible', timeout: 1_500 })
    .then(() => true)
    .catch(() => false);
  if (asked) await dialog.getByRole('button', { name, exact: true }).click();
}
