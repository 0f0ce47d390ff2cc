import AxeBuilder from '@axe-core/playwright';
import { Page } from '@playwright/test';

/** The rules the Flux pages are held to: WCAG 2.0 and 2.1, levels A and AA. */
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core's violations of WCAG 2 A/AA on the page as it is now, one line each with the elements concerned,
 * so that a failing test says what to fix. Waits for loading bars first: a skeleton is not the page.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page
    .getByRole('progressbar')
    .first()
    .waitFor({ state: 'hidden', timeout: 5_000 })
    .catch(() => {});
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  return results.violations.map(
    violation =>
      `${violation.id} (${violation.impact}): ${
        violation.help
      } — ${violation.nodes
        .slice(0, 8)
        .map(
          node =>
            `${node.target.join(' ')}${
              node.failureSummary
                ? ` [${node.failureSummary
                    .split('\n')
                    .slice(1)
                    .join(' ')
                    .trim()}]`
                : ''
            }`,
        )
        .join('; ')}${
        violation.nodes.length > 8
          ? `; and ${violation.nodes.length - 8} more`
          : ''
      }`,
  );
}
