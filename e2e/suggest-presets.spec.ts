import { test, expect } from '@playwright/test';
import { writeFile } from 'node:fs/promises';
import { burstyCsv, burstyEvents, MAX_CLICK_GAP_SECONDS, MIN_VISIT_GAP_MINUTES } from '../src/test/bursty-clickstream';
import { AppPage } from './app-page';

test('on bursty clicks the suggestion lands between visits, is marked on both charts, and a splitting threshold is warned about', async ({
  page,
}, testInfo) => {
  // Double-fired clicks 0.5-1 s apart, clicks ~20 s apart, hourly, daily and weekly visitors, a bot every 5 min.
  const file = testInfo.outputPath('bursty.csv');
  await writeFile(file, burstyCsv(burstyEvents({ seed: 2, users: { hourly: 4, daily: 40, weekly: 40 }, bots: { count: 1, periodSeconds: 300 } })));
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(file);
  await app.waitReady('bursty.csv', 30);

  const suggestion = page.getByTestId('suggested-gap');
  await expect(suggestion).toHaveAttribute('data-confidence', 'clear');
  const minutes = Number(await suggestion.getAttribute('data-value'));
  expect(minutes).toBeGreaterThanOrEqual(MAX_CLICK_GAP_SECONDS / 60);
  expect(minutes).toBeLessThanOrEqual(MIN_VISIT_GAP_MINUTES);
  expect(Number(await suggestion.getAttribute('data-flat-from'))).toBeLessThanOrEqual(minutes);
  expect(Number(await suggestion.getAttribute('data-flat-to'))).toBeGreaterThanOrEqual(minutes);
  await expect(page.getByTestId('suggestion-details')).toContainText(/Passed over: 6\.0 s \(between the modes around \d+ ms and \d+ s/);
  for (const chart of ['gap-histogram', 'threshold-curve']) {
    await expect(page.getByTestId(chart).getByTestId('suggestion-mark')).toHaveAttribute('data-minutes', String(minutes));
    await expect(page.getByTestId(chart).getByTestId('flat-range')).toHaveAttribute('data-from', (await suggestion.getAttribute('data-flat-from')) ?? '');
  }

  await page.locator('section.explore').screenshot({ path: testInfo.outputPath('suggestion-marks.png') });

  // A threshold below the double-fire gap makes nearly every session single-event: warned.
  await expect(page.getByTestId('single-event-warning')).toHaveCount(0);
  await app.setGap(0.005);
  await expect(page.getByTestId('single-event-warning')).toBeVisible();
  expect(Number(await page.getByTestId('single-event-warning').getAttribute('data-value'))).toBeGreaterThan(0.5);
  await suggestion.click();
  await expect(app.status).toHaveAttribute('data-gap-minutes', String(minutes));
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('single-event-warning')).toHaveCount(0);
});

test('a file with one kind of gap gets no suggestion, and the page says so', async ({ page }, testInfo) => {
  // Every click 20 s (±) after the last, one long visit a user: no valley.
  const lines = ['user_id,timestamp'];
  for (let u = 0; u < 20; u++)
    for (let k = 0; k < 40; k++) lines.push(`u${u},${new Date(Date.UTC(2024, 4, 1) + k * (15_000 + ((k * 7919 + u * 104_729) % 10_000))).toISOString()}`);
  const file = testInfo.outputPath('one-mode.csv');
  await writeFile(file, `${lines.join('\n')}\n`);
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(file);
  await app.waitReady('one-mode.csv', 30);
  const suggestion = page.getByTestId('suggested-gap');
  await expect(suggestion).toHaveAttribute('data-confidence', 'none');
  await expect(suggestion).toHaveAttribute('data-value', '');
  await expect(suggestion).toBeDisabled();
  await expect(page.getByTestId('gap-histogram').getByTestId('suggestion-mark')).toHaveCount(0);
});

test('a chosen preset stays shown; the comparison is exact and applies a row; captions follow the rules', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('rules.csv'));
  await app.waitReady('rules.csv', 30);
  const preset = page.getByTestId('rule-preset');
  const source = page.getByTestId('rule-source');

  // Amplitude has GA4's settings, and still shows as Amplitude with its own source.
  await preset.selectOption('amplitude');
  await expect(preset).toHaveValue('amplitude');
  await expect(source).toContainText('Amplitude Docs');
  await expect(source).not.toContainText('Google Analytics');
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await preset.selectOption('custom');
  await expect(preset).toHaveValue('custom');
  await expect(source).toContainText('Custom rules');
  await preset.selectOption('ga4');
  await expect(preset).toHaveValue('ga4');
  // A rule changed by hand makes it custom.
  const maxEvents = page.getByTestId('rule-max-events');
  await maxEvents.fill('2');
  await maxEvents.press('Enter');
  await expect(preset).toHaveValue('custom');
  await expect(page.getByTestId('stat-sessions')).toHaveAttribute('data-value', '6');
  await expect(app.status).toHaveAttribute('data-state', 'ready');

  // Exact counts, and the change against the 6 sessions in force.
  const compare = page.getByTestId('preset-compare');
  const ua = compare.locator('tr[data-preset=universal-analytics]');
  await expect(ua.locator('td').nth(2)).toHaveAttribute('data-value', '5');
  await expect(ua.locator('td').nth(2)).toHaveText('5');
  await expect(ua.getByTestId('preset-change')).toHaveText('−16.7%');
  expect(Number(await ua.getByTestId('preset-change').getAttribute('data-value'))).toBeCloseTo(-1 / 6, 12);

  // A row's button applies its preset.
  await ua.getByTestId('apply-preset').click();
  await expect(preset).toHaveValue('universal-analytics');
  await expect(page.getByTestId('stat-sessions')).toHaveAttribute('data-value', '5');
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await expect(ua).toHaveAttribute('data-chosen', 'true');
  await expect(ua.getByTestId('preset-change')).toHaveText('0%');

  // With rules on, the histogram caption counts session starts by cause: 2 users, 2 gaps of 30 min or more, 1 campaign change.
  await expect(page.getByTestId('gap-histogram')).toContainText(
    "With the further rules in force, the 5 sessions start at a user's first event (2, 40.0%), at a gap reaching the threshold (2, 40.0%) or where a further rule cuts (1, 20.0%).",
  );
  await preset.selectOption('custom');
  await page.getByTestId('rule-max-events').fill('');
  await page.getByTestId('rule-max-events').press('Enter');
  await page.getByTestId('rule-midnight').uncheck();
  await page.getByTestId('rule-split-column').selectOption('');
  await expect(page.getByTestId('stat-sessions')).toHaveAttribute('data-value', '4');
  await expect(page.getByTestId('gap-histogram')).toContainText('reach the threshold and start a new session.');
});
