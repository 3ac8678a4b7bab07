import { test, expect } from '@playwright/test';
import { AppPage } from './app-page';

// The same known answer as src/state/sample.test.ts (public/sample/README.md).
test('the bundled sample is one click away and gives the documented figures', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('load-sample').click();
  await app.waitReady('clicks-sample.csv', 30);
  expect(await app.stats()).toEqual({ events: 40_000, users: 3_000, sessions: 9_655, skipped: 5 });
  await expect(page.getByText('3 × missing user id')).toBeVisible();
  await expect(page.getByText('2 × unreadable timestamp')).toBeVisible();
  // Nothing pushes the page wider than a laptop window (a fieldset or grid track sized to
  // its widest option once did: 1,545 px at 1,280).
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
});
