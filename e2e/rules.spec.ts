import { test, expect } from '@playwright/test';
import { AppPage } from './app-page';

/*
 * rules.csv by hand (gaps in minutes):
 *   a: 22:00 (google), 22:20, 22:40 (mail), 23:00, 23:20, 00:10 next day (gap 50)
 *   b: 10:00, 10:30 (gap exactly 30)
 * Plain rule at 30 min: a splits at 00:10 (50 >= 30) -> 2; b splits (30 >= 30) -> 2. Total 4.
 * Boundary '>': b stays one session -> 3.
 * Max 2 events: a's first session (5 events) -> 3 sessions + 1 = 4 for a; b 2 -> 6.
 * Split on utm_source: a's 22:40 'mail' differs from 'google' -> a gets 3; total 5.
 * Universal Analytics (30 min, midnight UTC, campaign, 500 hits): a: google | mail.. | 00:10 -> 3; b: 2 -> 5.
 * Matomo (30 min '>', midnight, campaign): a 3; b 1 -> 4.
 */
test('rules, boundary and presets change the count as the products do', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('rules.csv'));
  await app.waitReady('rules.csv', 30);
  expect(await app.stat('sessions')).toBe(4);

  await page.getByTestId('rule-boundary').selectOption('gt');
  await expect(page.getByTestId('stat-sessions')).toHaveAttribute('data-value', '3');
  await page.getByTestId('rule-boundary').selectOption('ge');
  await expect(page.getByTestId('stat-sessions')).toHaveAttribute('data-value', '4');

  const maxEvents = page.getByTestId('rule-max-events');
  await maxEvents.fill('2');
  await maxEvents.press('Enter');
  await expect(page.getByTestId('stat-sessions')).toHaveAttribute('data-value', '6');
  await maxEvents.fill('');
  await maxEvents.press('Enter');
  await expect(page.getByTestId('stat-sessions')).toHaveAttribute('data-value', '4');

  await page.getByTestId('rule-split-column').selectOption('utm_source');
  await expect(page.getByTestId('stat-sessions')).toHaveAttribute('data-value', '5');
  await page.getByTestId('rule-split-column').selectOption('');

  await page.getByTestId('rule-preset').selectOption('universal-analytics');
  await expect(page.getByTestId('rule-max-events')).toHaveValue('500');
  await expect(page.getByTestId('rule-midnight')).toBeChecked();
  await expect(page.getByTestId('rule-split-column')).toHaveValue('utm_source');
  await expect(page.getByTestId('stat-sessions')).toHaveAttribute('data-value', '5');
  await expect(page.getByTestId('rule-source')).toContainText('Universal Analytics');

  await page.getByTestId('rule-preset').selectOption('matomo');
  await expect(page.getByTestId('rule-boundary')).toHaveValue('gt');
  await expect(page.getByTestId('stat-sessions')).toHaveAttribute('data-value', '4');
  await expect(app.status).toHaveAttribute('data-state', 'ready');

  const compare = page.getByTestId('preset-compare');
  await expect(compare.locator('tr[data-preset]')).toHaveCount(7);
  await expect(compare.locator('tr[data-preset=universal-analytics] td').nth(2)).toHaveAttribute('data-value', '5');
  await expect(compare.locator('tr[data-preset=matomo] td').nth(2)).toHaveAttribute('data-value', '4');
  await expect(compare.locator('tr[data-preset=ga4] td').nth(2)).toHaveAttribute('data-value', '4');
});

test('the midnight split follows the chosen time zone', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('rules.csv'));
  await app.waitReady('rules.csv', 30);
  await app.setGap(120);
  // a's events are 20-50 min apart: one session at 120 min; b one. Total 2.
  expect(await app.stat('sessions')).toBe(2);
  await page.getByTestId('rule-midnight').check();
  // Midnight UTC falls between 23:20 and 00:10: a splits -> 3.
  await expect(page.getByTestId('stat-sessions')).toHaveAttribute('data-value', '3');
  // In Asia/Kolkata (UTC+5:30) midnight is 18:30Z: a's events all fall on 2 May local -> 2.
  await page.getByTestId('rule-timezone').selectOption('Asia/Kolkata');
  await expect(page.getByTestId('stat-sessions')).toHaveAttribute('data-value', '2');
  await expect(app.status).toHaveAttribute('data-state', 'ready');
});
