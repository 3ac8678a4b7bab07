import AxeBuilder from '@axe-core/playwright';
import { test, expect, type Page } from '@playwright/test';
import { AppPage } from './app-page';

/*
 * An automated accessibility audit (issue 15): axe-core's WCAG 2 A and AA rules on the page with
 * the sample loaded, on a desktop and a phone screen, in light and dark colour schemes. A
 * serious or critical finding fails; the message lists each rule with the elements it names,
 * so the fix can start from the failure alone.
 */

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/*
 * Selectors left out of the audit, each with the reason the finding is axe's and not the
 * page's. None today: recharts' SVGs pass as they are.
 */
const FALSE_POSITIVES: string[] = [];

async function loadSample(page: Page): Promise<AppPage> {
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('load-sample').click();
  await app.waitReady('clicks-sample.csv');
  return app;
}

/** Opens the panels below the workspace: the session list in view, the lanes, one user's timeline. */
async function openSessionPanels(app: AppPage): Promise<void> {
  const { page } = app;
  await expect(page.getByTestId('session-list')).toHaveAttribute('data-state', 'ready');
  await page.getByTestId('session-list').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('session-row').first()).toBeVisible();
  await expect(page.getByTestId('timeline-lane').first()).toBeVisible();
  await page.getByTestId('top-users-events').click();
  await page.locator('[data-testid=top-users] button').first().click();
  await expect(page.getByTestId('timeline')).not.toHaveAttribute('data-user', '');
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await page.getByTestId('timeline').scrollIntoViewIfNeeded();
}

async function seriousViolations(page: Page): Promise<string[]> {
  // The panels' content-visibility: auto (a rendering optimisation, with no effect on the
  // accessibility tree or on colours) makes axe slow past its timeout: each style it reads in a
  // panel off screen renders that panel again. Drawn in full, the page is audited as it reads.
  await page.addStyleTag({ content: '.sections > section { content-visibility: visible !important; }' });
  // Only violations (and incomplete ones for A11Y_REPORT) are listed in full (each other result names one node): with every node of
  // every passing rule, the results of a page with lanes and a session list are megabytes. One
  // axe.run in the page (legacy mode): the default runs each frame apart and finishes in a blank
  // page, 36-42 s here against 8-16 s, for a page that has no frames. options() first: it
  // replaces the options that withTags sets.
  let builder = new AxeBuilder({ page })
    .options({ resultTypes: process.env.A11Y_REPORT ? ['violations', 'incomplete'] : ['violations'] })
    .withTags(WCAG_TAGS)
    .setLegacyMode(true);
  for (const selector of FALSE_POSITIVES) builder = builder.exclude(selector);
  const { violations, passes, incomplete } = await builder.analyze();
  if (process.env.A11Y_REPORT)
    console.log(
      JSON.stringify(
        incomplete.map((r) => ({ id: r.id, nodes: r.nodes.map((n) => [n.target.join(' '), n.any.map((c) => c.message).join('; ')]) })),
        null,
        1,
      ),
    );
  // The contrast rule ran and passed on text: a page that failed to render would pass empty.
  expect(passes.find((r) => r.id === 'color-contrast')?.nodes.length ?? 0).toBeGreaterThan(0);
  expect(await page.locator('[data-testid^=stat-]').count()).toBeGreaterThan(3);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`).join('\n')}`,
    );
}

const SCREENS = [
  { name: '1280×800', viewport: { width: 1280, height: 800 } },
  { name: '390×844', viewport: { width: 390, height: 844 } },
] as const;

for (const screen of SCREENS) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`at ${screen.name}, ${colorScheme}`, () => {
      test.use({ viewport: screen.viewport, colorScheme });

      test('axe finds no serious or critical WCAG A/AA violation on the loaded page', async ({ page }) => {
        await loadSample(page);
        expect(await seriousViolations(page)).toEqual([]);
      });
    });
  }
}

test.describe('with the session panels open', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  for (const colorScheme of ['light', 'dark'] as const) {
    test(`axe finds no serious or critical violation in the session list, lanes and a user's timeline (${colorScheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      const app = await loadSample(page);
      await openSessionPanels(app);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
});
