import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { AppPage } from './app-page';

/*
 * boundary.csv at 30 min: alice-1 (10:00-10:29:59.999), alice-2 (10:59:59.999-11:00), bob-1 (12:00 x2),
 * bob-2 (12:30), carol-1. late.csv: alice 11:30 (30 min after 11:00: a new session -> created),
 * bob 12:10 (bridges 12:00 and 12:30: merged), erin (created).
 */
test('a late file is appended: changes reported, figures equal a fresh load of both files', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('boundary.csv'));
  await app.waitReady('boundary.csv', 30);
  await page.getByTestId('append-input').setInputFiles(app.fixture('late.csv'));
  const summary = page.getByTestId('append-summary');
  await expect(summary).toHaveAttribute('data-merged', '1');
  await expect(summary).toHaveAttribute('data-created', '2');
  await expect(summary).toHaveAttribute('data-extended', '0');
  await expect(summary).toHaveAttribute('data-split', '0');
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  const appended = await app.stats();
  const changed = await app.download('export-changed-sessions');
  expect(changed.rows.map((r) => r.session_id).sort()).toEqual(['alice-3', 'bob-1', 'erin-1']);

  // The same file again is refused, and nothing changes.
  await page.getByTestId('append-input').setInputFiles(app.fixture('late.csv'));
  await expect(app.error).toContainText('late.csv: every one of its 3 rows is already loaded');
  expect(await app.stats()).toEqual(appended);

  // A fresh load of both files together gives the same figures.
  const both = `${readFileSync(app.fixture('boundary.csv'), 'utf8')}${readFileSync(app.fixture('late.csv'), 'utf8').split('\n').slice(1).join('\n')}`;
  await page.getByTestId('file-input').setInputFiles({ name: 'both.csv', mimeType: 'text/csv', buffer: Buffer.from(both) });
  await app.waitReady('both.csv', 30);
  expect(await app.stats()).toEqual(appended);
});

test('lateness against arrival order, and a watermark simulation', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.chooseFile(app.fixture('two-ids.tsv'));
  await app.waitReady('two-ids.tsv', 30);
  await expect(page.getByTestId('lateness')).toHaveCount(0);
  await page.getByTestId('lateness-arrival-order').check();
  await expect(app.status).toHaveAttribute('data-state', 'ready');
  const chart = page.getByTestId('lateness');
  // Row 5 (10:00:30.5) arrives after 11:01:00: one event out of order, 3629.5 s late.
  await expect(chart).toHaveAttribute('data-out-of-order', '1');
  await expect(chart).toHaveAttribute('data-max-lateness-us', String(3_629_500_000));
  const allowed = page.getByTestId('lateness-allowed-minutes');
  await allowed.fill('5');
  await allowed.press('Enter');
  await expect(page.getByTestId('lateness-dropped')).toHaveAttribute('data-value', '1');
  await allowed.fill('61');
  await allowed.press('Enter');
  await expect(page.getByTestId('lateness-dropped')).toHaveAttribute('data-value', '0');
  await expect(app.status).toHaveAttribute('data-state', 'ready');
});
