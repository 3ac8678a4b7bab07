import { test, expect } from '@playwright/test';
import { AppPage } from './app-page';

test('exploration views agree with the figures and the exports', async ({ page }, testInfo) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('load-sample').click();
  await app.waitReady('clicks-sample.csv', 30);
  const { events, users, sessions } = await app.stats();

  // The histogram's bars hold every gap: events minus users.
  const histogram = page.getByTestId('gap-histogram');
  await expect(histogram).toHaveAttribute('data-total', String(events - users));
  const counts = await histogram.locator('[data-count]').evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-count'))));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(events - users);

  // The curve at the current threshold is the sessions figure.
  await expect(page.getByTestId('threshold-curve')).toHaveAttribute('data-current-sessions', String(sessions));
  await page.screenshot({ path: testInfo.outputPath('explore-sample.png'), fullPage: true });

  // The suggestion applies with a click.
  const suggestion = page.getByTestId('suggested-gap');
  const suggested = await suggestion.getAttribute('data-value');
  expect(Number(suggested)).toBeGreaterThan(1);
  await suggestion.click();
  await expect(app.status).toHaveAttribute('data-gap-minutes', String(suggested));
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('gap-minutes')).toHaveValue(String(suggested));
  const atSuggestion = await app.stat('sessions');
  await expect(page.getByTestId('threshold-curve')).toHaveAttribute('data-current-sessions', String(atSuggestion));

  // A user's timeline counts the sessions the export gives that user.
  await app.setGap(30);
  const export_ = await app.download('export-sessions-csv');
  const busiest = [...export_.rows.reduce((m, r) => m.set(r.user_id ?? '', (m.get(r.user_id ?? '') ?? 0) + 1), new Map<string, number>())].sort(
    (a, b) => b[1] - a[1],
  )[0];
  if (!busiest) throw new Error('empty export');
  const search = page.getByTestId('user-search');
  await search.fill(busiest[0]);
  await search.press('Enter');
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toHaveAttribute('data-user', busiest[0]);
  await expect(timeline).toHaveAttribute('data-sessions', String(busiest[1]));
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await page.screenshot({ path: testInfo.outputPath('timeline.png'), fullPage: true });

  // The timeline follows the threshold.
  await app.setGap(600);
  const atTenHours = (await app.download('export-sessions-csv')).rows.filter((r) => r.user_id === busiest[0]).length;
  await expect(timeline).toHaveAttribute('data-sessions', String(atTenHours));
});
