import { defineConfig } from '@playwright/test';
import path from 'path';
import { chromiumLaunchOptions, tierEnv } from './chromium';

/*
 * Run by src/runBrowserTier.ts once the portal is up (FLUX_PORTAL_URL). Tests run one at a time: they share
 * one backend and one fleet, and some change objects that others count.
 */
export default defineConfig({
  testDir: './specs',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  outputDir: path.join(tierEnv.reportDir(), 'browser', 'artifacts'),
  reporter: [
    ['list'],
    ['json', { outputFile: path.join(tierEnv.reportDir(), 'playwright.json') }],
  ],
  globalSetup: require.resolve('./globalSetup'),
  use: {
    baseURL: tierEnv.portalUrl(),
    storageState: tierEnv.storageState(),
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions,
    viewport: { width: 1440, height: 900 },
    colorScheme: 'light',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
