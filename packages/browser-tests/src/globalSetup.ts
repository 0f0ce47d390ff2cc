import { chromium, FullConfig } from '@playwright/test';
import fs from 'fs';
import path from 'path';
import { chromiumLaunchOptions, tierEnv } from './chromium';
import { signInIfAsked } from './session';

/**
 * Signs in once as the guest and saves the session: the sign-in page remembers the provider in local storage
 * and signs in silently on later loads.
 */
export default async function globalSetup(_config: FullConfig) {
  const file = tierEnv.storageState();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const browser = await chromium.launch(chromiumLaunchOptions);
  try {
    const page = await browser.newPage();
    await page.goto(`${tierEnv.portalUrl()}/`);
    await signInIfAsked(page);
    await page.context().storageState({ path: file });
  } finally {
    await browser.close();
  }
}
