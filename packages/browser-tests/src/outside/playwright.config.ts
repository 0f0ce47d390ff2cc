import { defineConfig } from '@playwright/test';
import path from 'path';
import { chromiumLaunchOptions } from '../chromium';
import { readOutsideRun } from './outsideEnv';

/* Run by src/outside/runOutsideTier.ts once the created app's backend is up. */
const run = readOutsideRun();

export default defineConfig({
  testDir: './specs',
  testMatch: '**/*.spec.ts',
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 30_000 },
  outputDir: path.join(run.reportDir, 'outside', 'artifacts'),
  reporter: [
    ['list'],
    ['json', { outputFile: path.join(run.reportDir, 'outside.json') }],
  ],
  use: {
    baseURL: run.portalUrl,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions,
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
