/**
 * Debian's Chromium: Playwright's own browser download cannot be fetched here, and a system browser is what a
 * CI machine can install from its package manager anyway.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  // As root (CI and the dev machines run as root) Chromium refuses to start with its sandbox; there is no GPU.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
  ],
};

/** Settings shared by the runner and the Playwright config, passed through the environment. */
export const tierEnv = {
  portalUrl: () => process.env.FLUX_PORTAL_URL ?? 'http://localhost:7007',
  /** The same portal, signed in as a viewer whom the dev policy lets act on some objects only. */
  viewerPortalUrl: () =>
    process.env.FLUX_VIEWER_PORTAL_URL ?? 'http://localhost:7008',
  /** Per demo cluster, the path of its administrator's kubeconfig: to change objects behind the portal's back. */
  demoKubeconfigs: (): Record<string, string> =>
    JSON.parse(process.env.FLUX_DEMO_KUBECONFIGS ?? '{}'),
  reportDir: () =>
    process.env.BROWSER_REPORT_DIR ??
    `${process.env.TMPDIR ?? '/tmp'}/flux-orchestrator-tests`,
  screenshotsDir: () =>
    process.env.FLUX_SCREENSHOTS_DIR ?? `${tierEnv.reportDir()}/screenshots`,
  /** The guest session saved by the global setup. */
  storageState: () => `${tierEnv.reportDir()}/browser/guest-session.json`,
};
