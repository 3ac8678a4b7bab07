import { test, expect } from '@playwright/test';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { makeParquetTwins, NO_PYTHON_MESSAGE, PYTHON } from '../src/test/python-for-tests';
import { AppPage } from './app-page';

/*
 * Parquet through the page: the ingest worker decompresses every codec (hysnappy compiles
 * its wasm there) and a twin written by pyarrow or Polars shows the CSV twin's figures and
 * session ids; a hostile footer ends in an error while the dataset on screen stays.
 */

test.describe('Parquet twins through the page', () => {
  test.skip(!PYTHON, NO_PYTHON_MESSAGE);
  let dir = '';
  test.beforeAll(() => {
    dir = makeParquetTwins();
  });
  test.afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("every codec and a wall-clock nanosecond timestamp give the CSV twin's figures and session ids", async ({ page }) => {
    test.setTimeout(180_000);
    const app = new AppPage(page);
    await app.open();
    const sessionIds = async (file: string) => {
      await app.chooseFile(path.join(dir, file));
      await app.waitReady(file, 30);
      const { rows } = await app.download('export-events-csv');
      return { stats: await app.stats(), ids: rows.map((r) => `${r.user_id}|${r.session_id}`) };
    };
    const csv = await sessionIds('clicks.csv');
    expect(csv.stats.skipped).toBe(1);
    for (const file of [
      'clicks.snappy.parquet',
      'clicks.gzip.parquet',
      'clicks.zstd.parquet',
      'clicks.lz4.parquet',
      'clicks.brotli.parquet',
      'clicks.polars.parquet',
      'clicks.ts-ns-local.parquet',
    ]) {
      expect(await sessionIds(file), file).toEqual(csv);
    }
  });
});

test('a Parquet footer declaring 1e12 rows is refused at once; the dataset on screen stays', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByTestId('file-input').setInputFiles({
    name: 'good.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('user_id,timestamp,url\na,2024-05-01T10:00:00Z,/\nb,2024-05-01T10:00:00Z,/\n'),
  });
  await app.waitReady('good.csv', 30);
  const writer = new ByteWriter();
  const pq = new ParquetWriter({
    writer,
    schema: [
      { name: 'root', num_children: 1 },
      { name: 'user_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
    ],
  });
  pq.write({ columnData: [{ name: 'user_id', data: ['a', 'b'] }] });
  pq.num_rows = 1_000_000_000_000n;
  for (const group of pq.row_groups) group.num_rows = pq.num_rows;
  pq.finish();
  await page.getByTestId('file-input').setInputFiles({ name: 'huge.parquet', mimeType: 'application/octet-stream', buffer: Buffer.from(writer.getBuffer()) });
  await expect(page.getByTestId('error')).toContainText('huge.parquet');
  await expect(page.getByTestId('error')).toContainText('1,000,000,000,000 rows');
  await expect(app.status).toHaveAttribute('data-file', 'good.csv');
  expect(await app.stats()).toMatchObject({ events: 2, users: 2 });
});
