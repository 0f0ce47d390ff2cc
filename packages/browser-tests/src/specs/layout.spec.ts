import { Page } from '@playwright/test';
import { accessibilityViolations } from '../accessibility';
import { expect, itemsOf, resourcePath, test } from '../fixtures';

/**
 * What a narrow window does to the pages: words of table cells broken between two letters ("Kubern/etes",
 * "v2.9/.5"), and tables wider than their column so that the last columns are cut off or hidden behind a
 * sideways scroll. A break after a hyphen is a normal line break and allowed.
 */
async function layoutProblems(page: Page): Promise<string[]> {
  await page
    .getByRole('progressbar')
    .first()
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(() => {});
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const cell of Array.from(document.querySelectorAll('th, td'))) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        // Each run of non-space characters, cut after hyphens: one line each, or it was broken mid-word.
        const pieces = /[^\s-]+-?|-/g;
        for (let match = pieces.exec(text); match; match = pieces.exec(text)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set(
            Array.from(range.getClientRects())
              .filter(r => r.width > 0)
              .map(r => Math.round(r.top)),
          );
          if (lines.size > 1)
            problems.push(
              `"${match[0]}" is broken across lines in a table cell`,
            );
        }
      }
    }
    for (const container of Array.from(
      // Backstage's class names carry a suffix (MuiTableContainer-root-123).
      document.querySelectorAll('[class*="MuiTableContainer-root"]'),
    )) {
      const { scrollWidth, clientWidth } = container as HTMLElement;
      if (scrollWidth > clientWidth + 1)
        problems.push(
          `a table is ${
            scrollWidth - clientWidth
          } px wider than its ${clientWidth} px column`,
        );
    }
    const page = document.scrollingElement!;
    if (page.scrollWidth > page.clientWidth + 1)
      problems.push(
        `the page scrolls sideways by ${
          page.scrollWidth - page.clientWidth
        } px`,
      );
    return problems;
  });
}

interface FluxResource {
  id: string;
  kind: string;
}

for (const width of [1280, 1440, 1920]) {
  test.describe(`at ${width} × 900`, () => {
    test.use({ viewport: { width, height: 900 } });

    test('every Flux page fits the window, breaks no word mid-letter and passes axe-core', async ({
      page,
      visit,
      fluxApi,
    }) => {
      const [helmRelease] = itemsOf(
        await fluxApi.get<FluxResource[] | { items: FluxResource[] }>(
          '/resources?kind=HelmRelease&limit=1',
        ),
      );
      const pages = [
        '/flux',
        '/flux/clusters',
        '/flux/clusters/staging',
        '/flux/resources',
        '/flux/upgrades',
        '/flux/rollouts',
        '/flux/mine',
        resourcePath(helmRelease.id),
        '/catalog/default/component/podinfo/flux',
      ];
      for (const path of pages) {
        await visit(path);
        await expect(page.getByRole('main').first()).toBeVisible();
        // Soft: one run lists the problems of every page.
        expect
          .soft(await layoutProblems(page), `${path} at ${width} px`)
          .toEqual([]);
        expect
          .soft(
            await accessibilityViolations(page),
            `WCAG 2 A/AA violations on ${path} at ${width} px`,
          )
          .toEqual([]);
      }
    });
  });
}
