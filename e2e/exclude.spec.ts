import { test, expect } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppPage } from './app-page';

/*
 * A generated file with planted bots (at 30 minutes, boundary >=):
 *   person0..person9: 3 events each (0, +5 min, +2 h): 2 sessions each -> 30 events, 20 sessions
 *   bot0..bot2: 100 events each, one every 40 minutes: 100 sessions each -> 300 events, 300 sessions
 *   crawler: 4 events a minute apart, one with a Googlebot agent: 1 session
 *   one row without a user: skipped
 * Everyone: 14 users, 334 events, 321 sessions. More than 50 events left out: the bots ->
 * 11 users, 34 events, 21 sessions. And an agent containing "BOT": the crawler too -> 10, 30, 20.
 */
function plantedBotsFile(): string {
  const start = Date.UTC(2024, 2, 9, 12);
  const iso = (ms: number) => new Date(ms).toISOString();
  const lines = ['user_id,timestamp,url,user_agent'];
  for (let p = 0; p < 10; p++) {
    for (const offset of [0, 5, 120]) lines.push(`person${p},${iso(start + p * 60_000 + offset * 60_000)},/p${p},Mozilla/5.0 (X11)`);
  }
  for (let b = 0; b < 3; b++) for (let i = 0; i < 100; i++) lines.push(`bot${b},${iso(start + i * 40 * 60_000 + b * 1000)},/feed,curl/8.0`);
  for (let i = 0; i < 4; i++) lines.push(`crawler,${iso(start + i * 60_000)},/,${i === 2 ? 'Googlebot/2.1' : 'Mozilla/5.0'}`);
  lines.push(`,${iso(start)},/nobody,Mozilla/5.0`);
  const dir = mkdtempSync(path.join(tmpdir(), 'exclude-'));
  const file = path.join(dir, 'bots.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('leaving bots out changes every figure and export consistently, and clearing restores them', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(plantedBotsFile());
  await app.waitReady('bots.csv', 30);
  expect(await app.stats()).toEqual({ events: 334, users: 14, sessions: 321, skipped: 1 });
  await expect(page.getByTestId('stat-excluded-users')).toHaveAttribute('data-value', '0');

  await page.getByTestId('exclude-events-over').fill('50');
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('stat-excluded-users')).toHaveAttribute('data-value', '3');
  expect(await app.stats()).toEqual({ events: 34, users: 11, sessions: 21, skipped: 1 });
  // The SQL for other engines leaves the same users out.
  await expect(page.getByTestId('sql-panel')).toContainText('Users with more than 50 events are left out');
  const listed = page.getByTestId('excluded-users').locator('tbody tr');
  await expect(listed).toHaveCount(3);
  await expect(listed.first()).toHaveAttribute('data-events', '100');

  await page.getByTestId('exclude-column').selectOption('user_agent');
  await page.getByTestId('exclude-contains').fill('BOT');
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('stat-excluded-users')).toHaveAttribute('data-value', '4');
  expect(await app.stats()).toEqual({ events: 30, users: 10, sessions: 20, skipped: 1 });
  await expect(page.getByTestId('excluded-users').locator('tbody tr[data-user=crawler]')).toHaveAttribute('data-events', '4');
  // A column match is not part of the SQL, and the panel says so.
  await expect(page.getByTestId('sql-filter-note')).toContainText('user_agent');
  // The preset comparison counts the same users (GA4: the gap rule alone at 30 minutes).
  await expect(page.getByTestId('preset-compare').locator('tr[data-preset=ga4] td').nth(2)).toHaveAttribute('data-value', '20');

  const events = await app.download('export-events-csv');
  expect(events.rows).toHaveLength(30);
  expect(new Set(events.rows.map((r) => r.user_id))).toEqual(new Set(Array.from({ length: 10 }, (_, p) => `person${p}`)));
  expect(new Set(events.rows.map((r) => r.session_id)).size).toBe(20);
  const sessions = await app.download('export-sessions-csv');
  expect(sessions.rows).toHaveLength(20);
  expect(new Set(sessions.rows.map((r) => r.session_id))).toEqual(new Set(events.rows.map((r) => r.session_id)));
  const parquet = await app.download('export-sessions-parquet');
  expect(parquet.name).toMatch(/\.parquet$/);

  // The breakdown counts the kept users only: every kept event has the one desktop agent.
  await page.getByTestId('breakdown-column').selectOption('user_agent');
  const desktop = page.getByTestId('breakdown-row').filter({ hasText: 'Mozilla/5.0 (X11)' });
  await expect(desktop).toHaveAttribute('data-events', '30');
  await expect(desktop).toHaveAttribute('data-users', '10');
  await expect(desktop).toHaveAttribute('data-sessions', '20');
  await expect(page.getByTestId('breakdown-row')).toHaveCount(1);

  // A threshold change keeps the filter.
  await app.setGap(180);
  expect(await app.stats()).toEqual({ events: 30, users: 10, sessions: 10, skipped: 1 });

  await page.getByTestId('exclude-events-over').fill('');
  await page.getByTestId('exclude-contains').fill('');
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('stat-excluded-users')).toHaveAttribute('data-value', '0');
  await app.setGap(30);
  expect(await app.stats()).toEqual({ events: 334, users: 14, sessions: 321, skipped: 1 });
  await expect(page.getByTestId('breakdown-row').filter({ hasText: 'curl/8.0' })).toHaveAttribute('data-sessions', '300');
  expect((await app.download('export-events-csv')).rows).toHaveLength(334);
});
