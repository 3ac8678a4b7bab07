import { test, expect } from '@playwright/test';
import { writeFile } from 'node:fs/promises';
import { generateClickstream } from '../scripts/clickstream-generator.mjs';
import { AppPage } from './app-page';

/*
 * A clean CSV file is shown from the stats worker's quick read, before DuckDB has read it
 * (data-tables="pending" on the status element); DuckDB then takes the worker's events over,
 * and exports and timelines, which wait for its tables, agree with the figures shown.
 */
/** Writes a generated clickstream of `events` events (2% of rows late) to `file`. */
async function writeClickstream(file: string, events: number, seed: number): Promise<string> {
  await writeFile(file, `${[...generateClickstream({ seed, events, outOfOrder: 0.02 })].join('\n')}\n`);
  return file;
}

test("a clean file is ready from its quick read; exports and the timeline follow from DuckDB's tables", async ({ page }, testInfo) => {
  const events = 60_000;
  const file = await writeClickstream(testInfo.outputPath('clicks-60k.csv'), events, 11);
  const app = new AppPage(page);
  await app.open();
  // Every value data-tables takes, from before the file is chosen.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { tablesSeen: string[] }).tablesSeen = seen;
    const status = document.querySelector('[data-testid=app-status]');
    if (!status) throw new Error('no status element');
    new MutationObserver(() => {
      const value = `${status.getAttribute('data-state')}/${status.getAttribute('data-tables')}`;
      if (seen[seen.length - 1] !== value) seen.push(value);
    }).observe(status, { attributes: true });
  });

  await app.chooseFile(file);
  await app.waitReady('clicks-60k.csv', 30);
  const shown = await app.stats();
  expect(shown).toMatchObject({ events, skipped: 0 });

  // At once: the export waits for DuckDB's tables, and has every event in the sessions shown.
  const exported = await app.download('export-events-csv');
  expect(exported.rows).toHaveLength(events);
  expect(new Set(exported.rows.map((r) => r.session_id)).size).toBe(shown.sessions);
  await expect(app.status).toHaveAttribute('data-tables', 'ready');
  expect(await app.stats()).toEqual(shown);
  const seen = await page.evaluate(() => (window as unknown as { tablesSeen: string[] }).tablesSeen);
  expect(seen, "ready from the quick read first, then DuckDB's tables").toEqual(expect.arrayContaining(['ready/pending', 'ready/ready']));
  expect(seen.indexOf('ready/pending')).toBeLessThan(seen.indexOf('ready/ready'));

  // The timeline (DuckDB) counts the sessions the export gives a user.
  const user = exported.rows[0]?.user_id ?? '';
  const userSessions = new Set(exported.rows.filter((r) => r.user_id === user).map((r) => r.session_id)).size;
  const search = page.getByTestId('user-search');
  await search.fill(user);
  await search.press('Enter');
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toHaveAttribute('data-user', user);
  await expect(timeline).toHaveAttribute('data-sessions', String(userSessions));
});

test('a big clean file is read in two halves by two workers at once, and DuckDB takes its events over', async ({ page }, testInfo) => {
  // Past QUICK_READ_SPLIT_FROM_BYTES (16 MB): the second stats worker reads the second half.
  const events = 320_000;
  const file = await writeClickstream(testInfo.outputPath('clicks-320k.csv'), events, 12);
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(file);
  await app.waitReady('clicks-320k.csv', 30);
  const shown = await app.stats();
  expect(shown).toMatchObject({ events, skipped: 0 });
  await expect(app.status).toHaveAttribute('data-tables', 'ready', { timeout: 30_000 });
  // DuckDB took the quick read's events over and counted the same rows and events: a
  // difference, or a failure of the quick read, would be said on the page.
  await expect(page.getByTestId('tables-problem')).toHaveCount(0);
  await expect(page.getByText(/quick first reading of this file failed/)).toHaveCount(0);
  expect(await app.stats()).toEqual(shown);
  await app.setGap(5);
  await app.setGap(30);
  expect(await app.stats()).toEqual(shown);
});

test('a second file chosen while DuckDB still reads the first is shown whole, and nothing of either is lost (issue 13, defect 2)', async ({
  page,
}, testInfo) => {
  const first = await writeClickstream(testInfo.outputPath('first-200k.csv'), 200_000, 31);
  const second = await writeClickstream(testInfo.outputPath('second-20k.csv'), 20_000, 32);
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(first);
  await app.waitReady('first-200k.csv', 30);
  // The first is on screen from its quick read while DuckDB still makes its tables…
  expect(await app.status.getAttribute('data-tables')).toBe('pending');
  // …when the second is chosen.
  await app.chooseFile(second);
  await app.waitReady('second-20k.csv', 30);
  await expect(app.status).toHaveAttribute('data-tables', 'ready', { timeout: 30_000 });
  await expect(app.error).toBeHidden();
  expect(await app.stat('events')).toBe(20_000);
  const exported = await app.download('export-events-csv');
  expect(exported.rows).toHaveLength(20_000);
  // The first file loads again as if nothing had happened.
  await app.chooseFile(first);
  await app.waitReady('first-200k.csv', 30);
  await expect(app.status).toHaveAttribute('data-tables', 'ready', { timeout: 30_000 });
  expect(await app.stat('events')).toBe(200_000);
});
