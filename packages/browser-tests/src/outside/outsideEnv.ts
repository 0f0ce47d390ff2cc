import { Page } from '@playwright/test';

/** What the outside tier's runner hands its Playwright specs, through the environment. */
export interface OutsideRun {
  /** The created app's backend, serving its built frontend. */
  portalUrl: string;
  /** The cluster the backend README's configuration step names, and its title. */
  cluster: { name: string; title: string };
  /** The Flux objects seeded on that cluster. */
  seededObjects: number;
  /** The catalog entity of the frontend README's example, and the Flux objects labelled for it. */
  entity: { path: string; objects: Array<{ kind: string; name: string }> };
  reportDir: string;
}

export function writeOutsideRun(run: OutsideRun) {
  process.env.FLUX_OUTSIDE_RUN = JSON.stringify(run);
}

export function readOutsideRun(): OutsideRun {
  const text = process.env.FLUX_OUTSIDE_RUN;
  if (!text)
    throw new Error(
      'FLUX_OUTSIDE_RUN is not set: run the outside tier with yarn test:outside',
    );
  return JSON.parse(text);
}

/**
 * The created app asks to sign in (its guest provider) on the first load, and shows its pages once signed in:
 * waits for one or the other, and signs in when asked.
 */
export async function signInAsGuest(page: Page) {
  const enter = page.getByRole('button', { name: 'Enter' });
  const signedIn = page.getByRole('link', { name: 'Flux' }).first();
  await enter.or(signedIn).first().waitFor({ timeout: 60_000 });
  if (await enter.isVisible()) await enter.click();
  await signedIn.waitFor({ timeout: 60_000 });
}
