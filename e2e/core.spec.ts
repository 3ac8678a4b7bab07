import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { parquetReadObjects } from 'hyparquet';
import { AppPage } from './app-page';

/*
 * boundary.csv, by hand (rule: a gap >= threshold starts a session):
 *   alice 10:00:00, 10:29:59.999 (gap 29:59.999), 10:59:59.999 (gap 30:00.000), 11:00 (1 ms)
 *     -> 2 sessions at 30 min, 1 at 31 min, 3 at 0.5 min
 *   bob 12:00, 12:00 (tie), 08:30-04:00 = 12:30Z (gap 30 min) -> 2 at 30 min, 1 at 31, 2 at 0.5
 *   carol one event -> 1 session
 *   2 rows skipped (no user; unreadable timestamp)
 */
const BOUNDARY = { events: 8, users: 3, sessions: 5, skipped: 2 };

test('sessionizes a chosen file by the >= rule, in a non-UTC browser', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('boundary.csv'));
  await app.waitReady('boundary.csv', 30);
  expect(await app.stats()).toEqual(BOUNDARY);
  // The skipped rows are named by the file lines an editor shows (the header is line 1).
  const skipped = page.getByRole('table', { name: /First rows without a user id/ });
  await expect(skipped.locator('tbody tr td:first-child')).toHaveText(['line 10', 'line 11']);
  await app.setGap(31);
  expect(await app.stat('sessions')).toBe(3);
  await app.setGap(0.5);
  expect(await app.stat('sessions')).toBe(6);
  await expect(page.getByTestId('gap-slider')).toHaveValue(String(sliderPositionFor(0.5)));
});

function sliderPositionFor(minutes: number): number {
  // Same log scale as src/domain/threshold.ts: 0.1 min .. 10080 min over 1000 steps.
  return Math.round(((Math.log(minutes) - Math.log(0.1)) / (Math.log(10080) - Math.log(0.1))) * 1000);
}

test('a file dropped anywhere on the page loads, with a visible drop target while dragging', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.locator('body').drop({ files: app.fixture('boundary.csv') });
  await app.waitReady('boundary.csv', 30);
  expect(await app.stats()).toEqual(BOUNDARY);
  await expect(page.getByTestId('drop-target')).toHaveCount(0);
});

test('the slider and the minutes input agree, and the last slider value wins', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('boundary.csv'));
  await app.waitReady('boundary.csv', 30);
  const slider = page.getByTestId('gap-slider');
  for (const position of [100, 900, 300, 700, 10, 480]) await slider.fill(String(position));
  const minutes = Number(await page.getByTestId('gap-minutes').inputValue());
  await expect(app.status).toHaveAttribute('data-gap-minutes', String(minutes));
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  expect(minutes).toBeGreaterThan(10);
  expect(minutes).toBeLessThan(30);
  // 10-30 min: alice's 29:59.999 and 30:00.000 gaps both split; bob's 30:00 splits.
  expect(await app.stat('sessions')).toBe(6);
});

test('?gap= sets the initial threshold', async ({ page }) => {
  const app = new AppPage(page);
  await app.open('?gap=31');
  await expect(page.getByTestId('gap-minutes')).toHaveValue('31');
  await app.chooseFile(app.fixture('boundary.csv'));
  await app.waitReady('boundary.csv', 31);
  expect(await app.stat('sessions')).toBe(3);
});

test('changing the user column re-sessionizes; epoch milliseconds in a TSV', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('two-ids.tsv'));
  await app.waitReady('two-ids.tsv', 30);
  await expect(page.getByTestId('map-user')).toHaveValue('visitor_id');
  await expect(page.getByTestId('map-timestamp')).toHaveValue('ts');
  await expect(page.getByTestId('map-url')).toHaveValue('page');
  // v1: 10:00:00, 10:00:30.5, 11:00 -> 2 sessions; v2, v3 one each.
  expect(await app.stats()).toEqual({ events: 5, users: 3, sessions: 4, skipped: 0 });
  await page.getByTestId('map-user').selectOption('ip');
  await expect(page.getByTestId('stat-users')).toHaveAttribute('data-value', '2');
  await app.waitReady('two-ids.tsv', 30);
  // 10.0.0.1: 10:00, 10:00:30.5, 10:01 -> 1; 10.0.0.2: 11:00, 11:01 -> 1.
  expect(await app.stats()).toEqual({ events: 5, users: 2, sessions: 2, skipped: 0 });
  await page.getByTestId('map-url').selectOption('');
  await app.waitReady('two-ids.tsv', 30);
  await expect(page.getByTestId('map-url')).toHaveValue('');
});

test('a date column and a time-of-day column are combined', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('weblog-date-time.csv'));
  await app.waitReady('weblog-date-time.csv', 30);
  await expect(page.getByTestId('map-timestamp')).toHaveValue('DATE');
  await expect(page.getByTestId('map-time')).toHaveValue('TIME');
  await expect(page.getByTestId('map-user')).toHaveValue('client');
  // c1: 23:50, 23:59, 00:20 next day (21 min) -> 1; c2: 00:05, 01:00 (55 min) -> 2.
  expect(await app.stats()).toEqual({ events: 5, users: 2, sessions: 3, skipped: 0 });
});

const BAD_FILES: { name: string; content: Buffer; says: RegExp }[] = [
  { name: 'empty.csv', content: Buffer.alloc(0), says: /empty/ },
  { name: 'header-only.csv', content: Buffer.from('user_id,timestamp,url\n'), says: /no data rows/ },
  { name: 'binary.csv', content: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), says: /binary|could not|cannot/ },
  { name: 'workbook.csv', content: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200)]), says: /ZIP/ },
  { name: 'no-timestamps.csv', content: Buffer.from('user_id,colour\nu1,red\nu2,blue\n'), says: /timestamp/ },
  { name: 'one-column.csv', content: Buffer.from('user_id\nu1\nu2\n'), says: /single column/ },
];

test('bad files get a clear error and the dataset loaded before stays loaded and shown', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('boundary.csv'));
  await app.waitReady('boundary.csv', 30);
  for (const bad of BAD_FILES) {
    await page.getByTestId('file-input').setInputFiles({ name: bad.name, mimeType: 'text/csv', buffer: bad.content });
    await expect(app.status).toHaveAttribute('data-state', 'error');
    await expect(app.error).toBeVisible();
    await expect(app.error).toContainText(bad.name);
    await expect(app.error).toHaveText(bad.says);
    await expect(app.status).toHaveAttribute('data-file', 'boundary.csv');
    expect(await app.stats()).toEqual(BOUNDARY);
  }
  // The kept dataset still works.
  await app.setGap(31);
  expect(await app.stat('sessions')).toBe(3);
  await expect(app.error).toHaveCount(0);
});

test('the browser time zone changes nothing', async ({ browser }) => {
  const results: unknown[] = [];
  for (const timezoneId of ['UTC', 'Asia/Kolkata', 'Pacific/Chatham']) {
    const context = await browser.newContext({ timezoneId });
    const app = new AppPage(await context.newPage());
    await app.open();
    await app.chooseFile(app.fixture('boundary.csv'));
    await app.waitReady('boundary.csv', 30);
    results.push(await app.stats());
    await context.close();
  }
  expect(results).toEqual([BOUNDARY, BOUNDARY, BOUNDARY]);
});

test("the page's name and purpose are on screen before its script runs, with nothing to click", async ({ browser }) => {
  // index.html's first screen: what a person sees while the app's script loads (React replaces it).
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sessionizer');
    await expect(page.getByText('Cut a clickstream into sessions by inactivity')).toBeVisible();
    await expect(page.getByRole('status')).toHaveText('Starting…');
    expect(await page.locator('[data-testid], input, button, a, select').count()).toBe(0);
  } finally {
    await context.close();
  }
});

test('the page requests nothing from another origin', async ({ page }) => {
  const offOrigin: string[] = [];
  page.context().on('request', (request) => {
    const url = new URL(request.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:' && url.protocol !== 'blob:') offOrigin.push(request.url());
  });
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('two-ids.tsv'));
  await app.waitReady('two-ids.tsv', 30);
  await app.setGap(5);
  expect(offOrigin).toEqual([]);
});

/** The exports' warnings that SQL made a table the stats worker should have (src/state/export-tables.ts). */
function sqlFallbacks(page: import('@playwright/test').Page): string[] {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning' && /export is (ordered|made) by SQL/.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test('export buttons download the result on screen', async ({ page }) => {
  const app = new AppPage(page);
  const fallbacks = sqlFallbacks(page);
  await app.open();
  await app.chooseFile(app.fixture('boundary.csv'));
  await app.waitReady('boundary.csv', 30);
  const sessions = await app.download('export-sessions-csv');
  expect(sessions.name).toBe('boundary.sessions.gap-30m.csv');
  const sessionIds = sessions.rows.map((r) => r.session_id);
  expect(sessionIds).toEqual(['alice-1', 'alice-2', 'bob-1', 'bob-2', 'carol-1']);
  expect(sessions.rows[0]).toMatchObject({
    start_time: '2024-05-01T10:00:00.000Z',
    end_time: '2024-05-01T10:29:59.999Z',
    duration_seconds: '1799.999',
    event_count: '2',
    first_url: '/',
    last_url: '/a',
  });
  await app.setGap(31);
  const events = await app.download('export-events-csv');
  expect(events.name).toBe('boundary.events.gap-31m.csv');
  expect(events.rows).toHaveLength(8);
  expect(Object.keys(events.rows[0] ?? {})).toEqual(['user_id', 'timestamp', 'url', 'session_id', 'session_number']);
  expect(new Set(events.rows.map((r) => r.session_id))).toEqual(new Set(['alice-1', 'bob-1', 'carol-1']));
  expect(events.rows.find((r) => r.url === '/offset-is-12:30Z')?.timestamp).toBe('2024-05-01T08:30:00-04:00');
  // The stats worker ordered the events and made the sessions (no fallback to SQL alone).
  expect(fallbacks).toEqual([]);
});

test('Parquet export buttons download Parquet files named after the source and threshold', async ({ page }) => {
  const app = new AppPage(page);
  const fallbacks = sqlFallbacks(page);
  await app.open();
  await app.chooseFile(app.fixture('boundary.csv'));
  await app.waitReady('boundary.csv', 30);
  for (const [testId, name] of [
    ['export-sessions-parquet', 'boundary.sessions.gap-30m.parquet'],
    ['export-events-parquet', 'boundary.events.gap-30m.parquet'],
  ]) {
    const downloading = page.waitForEvent('download');
    await page.getByTestId(testId as string).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(name);
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 4).toString()).toBe('PAR1');
    const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
    expect(rows).toHaveLength(testId === 'export-sessions-parquet' ? 5 : 8);
  }
  expect(fallbacks).toEqual([]);
});
