import { expect, test } from '@playwright/test';
import { AppPage } from './app-page';

/*
 * Exports are written in chunks of rows: the page says how many rows it has written while
 * it runs, and Cancel stops it with a message, no download, and the page as it was. The
 * file has a few chunks' worth of events so that the export is still running after its first.
 */

const EVENTS = 300_000;

function clickstream(): Buffer {
  const start = Date.UTC(2024, 4, 1);
  const lines = ['user_id,timestamp,url'];
  for (let i = 0; i < EVENTS; i++) {
    // 2,000 users, an event every 7 minutes each: some gaps cross the threshold.
    const user = i % 2000;
    const minutes = Math.floor(i / 2000) * 7 + (Math.floor(i / 2000) % 9 === 0 ? 40 : 0);
    lines.push(`u${user},${new Date(start + minutes * 60_000 + user * 1000).toISOString()},/p${i % 50}`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

test('an export shows the rows written while it runs; Cancel stops it and leaves the page usable', async ({ page }) => {
  test.setTimeout(240_000);
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('file-input').setInputFiles({ name: 'many.csv', mimeType: 'text/csv', buffer: clickstream() });
  await app.waitReady('many.csv', 30);
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));

  // Cancel while the export prepares (it stops before its next chunk).
  await page.getByTestId('export-events-csv').click();
  await page.getByTestId('export-cancel').click();
  await expect(page.getByTestId('export-cancelled')).toContainText('The events CSV export was cancelled');
  await expect(page.getByTestId('export-progress')).toBeHidden();
  await expect(app.error).toBeHidden();
  await expect(page.getByTestId('export-events-csv')).toBeEnabled();
  expect(downloads).toEqual([]);

  // The page goes on: an export downloads its whole file, saying how far it is on the way.
  await page.evaluate(() => {
    const seen: string[] = [];
    (globalThis as unknown as { progressSeen: string[] }).progressSeen = seen;
    new MutationObserver(() => {
      const shown = document.querySelector('[data-testid=export-progress]');
      if (shown) seen.push(`${shown.getAttribute('data-rows-done')}/${shown.getAttribute('data-rows-total')}: ${shown.textContent}`);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  const events = await app.download('export-events-csv');
  expect(events.name).toBe('many.events.gap-30m.csv');
  expect(events.rows).toHaveLength(EVENTS);
  expect(events.rows[0]).toMatchObject({ user_id: 'u0', session_id: 'u0-1', session_number: '1' });
  await expect(page.getByTestId('export-cancelled')).toBeHidden();
  const seen = await page.evaluate(() => (globalThis as unknown as { progressSeen: string[] }).progressSeen);
  const total = EVENTS.toLocaleString('en-US');
  // Part of the rows written, out of all of them, while the export ran.
  expect(seen.some((s) => /^[1-9]\d*\/\d+: /.test(s) && s.includes(`of ${total} rows`) && !s.startsWith(`${EVENTS}/`))).toBe(true);
  expect(seen.some((s) => s.startsWith(`${EVENTS}/${EVENTS}: `))).toBe(true);
  const sessions = await app.download('export-sessions-csv');
  expect(sessions.rows.length).toBe(await app.stat('sessions'));
});
