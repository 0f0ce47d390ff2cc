import { expect, STATUSES, test } from '../fixtures';

interface Summary {
  totals: Record<(typeof STATUSES)[number] | 'total', number>;
}

test.describe('overview', () => {
  test('shows the same count per status as the backend summary', async ({
    page,
    visit,
    fluxApi,
    capture,
  }) => {
    await visit('/flux');
    await expect(page.getByTestId('status-tile-ready-count')).toBeVisible();
    // Real controllers change statuses while the page is open (a retry runs, a source is fetched): the tiles
    // and the summary are compared again until they agree, as the page catches up within moments.
    const tilesAndSummary = async () => {
      const summary = await fluxApi.get<Summary>('/summary');
      const tiles: Record<string, string> = {};
      const totals: Record<string, string> = {};
      for (const status of STATUSES) {
        tiles[status] = (
          (await page
            .getByTestId(`status-tile-${status}-count`)
            .textContent()) ?? ''
        ).trim();
        totals[status] = String(summary.totals[status]);
      }
      return { tiles, totals, total: summary.totals.total };
    };
    await expect
      .poll(async () => (await tilesAndSummary()).total, {
        message: 'the first sync has written objects',
      })
      .toBeGreaterThan(0);
    await expect
      .poll(
        async () => {
          const { tiles, totals } = await tilesAndSummary();
          return JSON.stringify(tiles) === JSON.stringify(totals)
            ? 'same'
            : `tiles ${JSON.stringify(tiles)} vs summary ${JSON.stringify(
                totals,
              )}`;
        },
        { timeout: 15_000 },
      )
      .toBe('same');
    await capture('overview');
  });

  test('renders in the dark theme chosen in the user settings', async ({
    page,
    visit,
    capture,
  }) => {
    // The user settings' theme switch stores its choice under this key (AppThemeSelector of core-app-api).
    await page.addInitScript(() =>
      window.localStorage.setItem('theme', 'dark'),
    );
    await visit('/flux');
    await expect(page.getByTestId('status-tile-ready-count')).toBeVisible();
    const background = await page.evaluate(() => {
      const [r, g, b] = getComputedStyle(document.body)
        .backgroundColor.match(/\d+/g)!
        .map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    });
    expect(
      background,
      'relative luminance of the page background',
    ).toBeLessThan(0.3);
    await capture('overview-dark');
  });
});
