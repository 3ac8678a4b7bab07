import { test, expect, type Page } from '@playwright/test';
import { weblogTwins } from '../scripts/weblog-twins.mjs';
import { AppPage } from './app-page';

/*
 * A combined-format access log and a CloudFront log, generated as twins of one clickstream
 * (scripts/weblog-twins.mjs), load through the page with their mapping preselected and give
 * the plain CSV's figures and sessions, each user's id being its client IP.
 */

const TWINS = weblogTwins({ seed: 14, events: 2_000 });

async function choose(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
}

/** The sessions export as sorted lines, users renamed by `user`. */
async function sessionLines(app: AppPage, user: (id: string) => string): Promise<string[]> {
  const { rows } = await app.download('export-sessions-csv');
  return rows.map((r) => `${user(r.user_id ?? '')}-${r.session_number} ${r.start_time} ${r.end_time} ${r.event_count}`).sort();
}

test('a combined log and a CloudFront log give the figures and sessions of their CSV twin', async ({ page }) => {
  test.setTimeout(120_000);
  const app = new AppPage(page);
  await app.open();
  await choose(page, 'clicks.csv', TWINS.csv);
  await app.waitReady('clicks.csv', 30);
  const plain = await app.stats();
  expect(plain.skipped).toBe(0);
  const plainSessions = await sessionLines(app, (u) => TWINS.ipOfUser.get(u) ?? `no IP for ${u}`);

  await choose(page, 'access.log', TWINS.combined);
  await app.waitReady('access.log', 30);
  await expect(page.getByTestId('map-user')).toHaveValue('client_ip');
  await expect(page.getByTestId('map-timestamp')).toHaveValue('time');
  await expect(page.getByTestId('map-url')).toHaveValue('path');
  await expect(page.getByTestId('map-user').locator('option[value="ip_user_agent"]')).toHaveCount(1);
  await expect(page.getByTestId('notes')).toContainText('combined format');
  expect(await app.stats()).toEqual(plain);
  expect(await sessionLines(app, (ip) => ip)).toEqual(plainSessions);

  await choose(page, 'cloudfront.log', TWINS.cloudfront);
  await app.waitReady('cloudfront.log', 30);
  await expect(page.getByTestId('map-user')).toHaveValue('c-ip');
  await expect(page.getByTestId('map-timestamp')).toHaveValue('date');
  await expect(page.getByTestId('map-time')).toHaveValue('time');
  await expect(page.getByTestId('map-url')).toHaveValue('cs-uri-stem');
  await expect(page.getByTestId('notes')).toContainText('W3C extended log');
  expect(await app.stats()).toEqual(plain);
  expect(await sessionLines(app, (ip) => ip)).toEqual(plainSessions);

  // IP + user agent as the user: more users, never fewer.
  await page.getByTestId('map-user').selectOption('ip_user_agent');
  await app.waitReady('cloudfront.log', 30);
  await expect(page.getByTestId('map-user')).toHaveValue('ip_user_agent');
  await expect.poll(() => app.stat('users')).toBeGreaterThan(plain.users);
});
