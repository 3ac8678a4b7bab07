import { test, expect } from '@playwright/test';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { compressedTwins, hostileArchives } from '../scripts/compressed-twins.mjs';
import { AppPage } from './app-page';

// A .csv.gz and an Amplitude-style zip of hourly .json.gz files, decompressed in the page
// (DecompressionStream, the private file system), give the plain file's figures and session ids.

const { csv, twins, hourlyFiles } = compressedTwins();

type Loaded = { stats: Awaited<ReturnType<AppPage['stats']>>; ids: string[] };

async function load(app: AppPage, name: string, bytes: Uint8Array | string): Promise<Loaded> {
  await app.page.getByTestId('file-input').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await app.waitReady(name, 30);
  const { rows } = await app.download('export-events-csv');
  const ids = rows.map((r) => `${r.user_id}|${r.timestamp}|${r.url}|${r.referrer}|${r.device}|${r.session_id}`).sort();
  return { stats: await app.stats(), ids };
}

test('a .csv.gz and a zip of hourly .json.gz files give the plain file’s figures and session ids', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const plain = await load(app, 'clicks.csv', csv);
  expect(plain.stats.events).toBe(3000);

  const gz = await load(app, 'clicks.csv.gz', twins['clicks.csv.gz']);
  expect(gz).toEqual(plain);
  await expect(page.getByTestId('notes')).toContainText('The file is gzip-compressed: it was decompressed while reading');

  const amplitude = await load(app, 'amplitude-export.zip', twins['amplitude-export.zip']);
  expect(amplitude).toEqual(plain);
  await expect(page.getByTestId('notes')).toContainText(`holding ${hourlyFiles} files of one shape (each gzip-compressed)`);
});

test('a zip declaring a petabyte is refused at once, and the dataset stays', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const plain = await load(app, 'clicks.csv', csv);
  const absurd = hostileArchives().find((h) => h.name === 'absurd.zip');
  if (!absurd) throw new Error('no absurd.zip');
  await page.getByTestId('file-input').setInputFiles({ name: 'absurd.zip', mimeType: 'application/zip', buffer: Buffer.from(absurd.data) });
  await expect(app.error).toContainText(/absurd\.zip: its file says it decompresses to 1\.0 PB, more than the [\d.]+ MB the page can hold/);
  await expect(app.status).toHaveAttribute('data-file', 'clicks.csv');
  expect(await app.stats()).toEqual(plain.stats);
});

test('gzip files joined with cat (which Chromium’s DecompressionStream refuses) are read whole', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const plain = await load(app, 'clicks.csv', csv);
  const lines = csv.split('\n');
  const first = await promisify(gzip)(`${lines.slice(0, 1501).join('\n')}\n`);
  const second = await promisify(gzip)(`${lines.slice(1501).join('\n')}`);
  expect(await load(app, 'joined.csv.gz', Buffer.concat([first, second]))).toEqual(plain);
  await expect(page.getByTestId('notes')).toContainText('It holds several gzip streams one after another (files joined with cat)');
});
