import { test, expect, type Page } from '@playwright/test';
import { writeFile } from 'node:fs/promises';
import { AppPage } from './app-page';

// The session list and sessions over time, through the hooks, against the figures and the sessions export.

type Row = Record<string, string>;

/** The local day (or hour) of an ISO instant in a zone, by Intl: independent of the page's binning. */
function localBin(iso: string, timeZone: string, hour: boolean): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return hour ? `${p.year}-${p.month}-${p.day}T${p.hour}` : `${p.year}-${p.month}-${p.day}`;
}

function countBy(rows: Row[], key: (r: Row) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return m;
}

async function bins(page: Page): Promise<Map<string, number>> {
  const panel = page.getByTestId('sessions-over-time');
  await expect(panel).toHaveAttribute('data-state', 'ready');
  const cells = await panel
    .locator('[data-day]')
    .evaluateAll((els) => els.map((e) => [e.getAttribute('data-day') ?? '', Number(e.getAttribute('data-sessions'))] as const));
  return new Map(cells.filter(([, n]) => n > 0));
}

async function listReady(page: Page, total: number) {
  const list = page.getByTestId('session-list');
  await expect(list).toHaveAttribute('data-state', 'ready');
  await expect(list).toHaveAttribute('data-total', String(total));
  return list;
}

const rowIds = (page: Page) => page.getByTestId('session-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session-id') ?? ''));

test('the session list holds every session: sorted, filtered, scrolled, and opens a timeline', async ({ page }, testInfo) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('load-sample').click();
  await app.waitReady('clicks-sample.csv', 30);
  const sessions = await app.stat('sessions');
  const list = await listReady(page, sessions);
  const exported = (await app.download('export-sessions-csv')).rows;
  expect(exported.length).toBe(sessions);

  // By start: the export's first sessions in (start, user, number) order, start shown as UTC with ms.
  const byStart = [...exported].sort(
    (a, b) =>
      (a.start_time ?? '').localeCompare(b.start_time ?? '') ||
      ((a.user_id ?? '') < (b.user_id ?? '') ? -1 : (a.user_id ?? '') > (b.user_id ?? '') ? 1 : 0) ||
      Number(a.session_number) - Number(b.session_number),
  );
  const firstRows = await rowIds(page);
  expect(firstRows.slice(0, 5)).toEqual(byStart.slice(0, 5).map((r) => r.session_id));
  await expect(page.getByTestId('session-row').first()).toHaveAttribute('data-start', byStart[0]?.start_time ?? '');
  await page.locator('.session-list-panel').screenshot({ path: testInfo.outputPath('session-list.png') });
  // Only the rows in view are in the page.
  expect(firstRows.length).toBeLessThan(40);

  // Scrolled to the end: the last session by start is there.
  await list.locator('tbody').evaluate((body) => body.scrollTo(0, body.scrollHeight));
  await expect(page.locator(`[data-testid=session-row][data-session-id="${byStart.at(-1)?.session_id}"]`)).toBeVisible();

  // By events, most first.
  await page.getByTestId('session-sort-events').click();
  await page.getByTestId('session-sort-events').click();
  await expect(list).toHaveAttribute('data-direction', 'desc');
  await expect(list).toHaveAttribute('data-state', 'ready');
  const most = Math.max(...exported.map((r) => Number(r.event_count)));
  await expect(page.getByTestId('session-row').first()).toHaveAttribute('data-events', String(most));

  // Filtered by user, then by length.
  const perUser = [...countBy(exported, (r) => r.user_id ?? '')].sort((a, b) => b[1] - a[1]);
  const [busiest, busiestSessions] = perUser[0] ?? ['', 0];
  await page.getByTestId('session-filter-user').fill(busiest);
  await listReady(page, exported.filter((r) => (r.user_id ?? '').startsWith(busiest)).length);
  expect(busiestSessions).toBeGreaterThan(0);
  await page.getByTestId('session-filter-user').fill('');
  await page.getByTestId('session-filter-min-events').fill('3');
  await page.getByTestId('session-filter-max-duration').fill('10');
  await listReady(page, exported.filter((r) => Number(r.event_count) >= 3 && Number(r.duration_seconds) <= 600).length);
  await page.getByTestId('session-filter-clear').click();
  await listReady(page, sessions);

  // A click opens that user's timeline at that session.
  const row = page.getByTestId('session-row').nth(2);
  const user = await row.getAttribute('data-user');
  await row.click();
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-user', user ?? '');
  await expect(app.status).toHaveAttribute('data-state', 'ready');

  // The list follows the threshold.
  await app.setGap(600);
  await listReady(page, await app.stat('sessions'));
});

test('sessions over time sum to the sessions figure and move with the display zone', async ({ page }, testInfo) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('load-sample').click();
  await app.waitReady('clicks-sample.csv', 30);
  const sessions = await app.stat('sessions');
  const exported = (await app.download('export-sessions-csv')).rows;
  const panel = page.getByTestId('sessions-over-time');
  await expect(page.getByTestId('display-timezone')).toHaveValue('UTC');

  const utc = await bins(page);
  await expect(panel).toHaveAttribute('data-unit', 'day');
  expect([...utc.values()].reduce((a, b) => a + b, 0)).toBe(sessions);
  expect(utc).toEqual(countBy(exported, (r) => localBin(r.start_time ?? '', 'UTC', false)));

  await page.getByTestId('display-timezone').selectOption('Asia/Tokyo');
  await expect(panel).toHaveAttribute('data-timezone', 'Asia/Tokyo');
  const tokyo = await bins(page);
  expect(tokyo).toEqual(countBy(exported, (r) => localBin(r.start_time ?? '', 'Asia/Tokyo', false)));
  expect(tokyo).not.toEqual(utc);
  await panel.screenshot({ path: testInfo.outputPath('sessions-over-time.png') });
  expect([...tokyo.values()].reduce((a, b) => a + b, 0)).toBe(sessions);
  // The list's start column follows the zone; its data-start stays UTC.
  await expect(page.getByTestId('session-row').first()).toContainText('GMT+9');
  await expect(page.getByTestId('session-row').first()).toHaveAttribute('data-start', /Z$/);
});

test("a generated file across New York's fall-back is binned by local hour, 01 holding two hours", async ({ page }, testInfo) => {
  // Three users, an event every 40 minutes (each its own session at a 30-minute threshold) over 36 hours.
  const lines = ['user_id,timestamp,url'];
  const from = Date.UTC(2024, 10, 2, 18);
  for (let u = 0; u < 3; u++)
    for (let t = from + u * 60_000; t < from + 36 * 3_600_000; t += 40 * 60_000) lines.push(`u${u},${new Date(t).toISOString()},/p${u}`);
  const file = testInfo.outputPath('fall-back.csv');
  await writeFile(file, lines.join('\n'));
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(file);
  await app.waitReady('fall-back.csv', 30);
  const sessions = await app.stat('sessions');
  expect(sessions).toBe(lines.length - 1);
  await listReady(page, sessions);

  await page.getByTestId('display-timezone').selectOption('America/New_York');
  const panel = page.getByTestId('sessions-over-time');
  await expect(panel).toHaveAttribute('data-timezone', 'America/New_York');
  const hours = await bins(page);
  await expect(panel).toHaveAttribute('data-unit', 'hour');
  const expected = countBy(
    lines.slice(1).map((l) => ({ ts: l.split(',')[1] ?? '' })),
    (r) => localBin(r.ts ?? '', 'America/New_York', true),
  );
  expect(hours).toEqual(expected);
  // 01:00 to 02:00 happened twice that night: 3 users × 3 events in those two hours.
  expect(hours.get('2024-11-03T01')).toBe(expected.get('2024-11-03T01'));
  expect([...hours.values()].reduce((a, b) => a + b, 0)).toBe(sessions);
});
