import { test, expect } from '@playwright/test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { AppPage } from './app-page';

// NDJSON and Parquet go through the ingest worker in the page (Node tests call it in-process).
test('NDJSON loads through the ingest worker', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const lines = [
    { anonymous_id: 'a', ts: 1714557600000, screen: 'home' },
    { anonymous_id: 'a', ts: 1714559400000, screen: 'cart' },
    { anonymous_id: 'b', ts: 1714557600000, screen: 'home' },
  ].map((o) => JSON.stringify(o));
  await page
    .getByTestId('file-input')
    .setInputFiles({ name: 'app.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(`${lines.join('\n')}\nnot json\n`) });
  await app.waitReady('app.ndjson', 30);
  await expect(page.getByTestId('map-user')).toHaveValue('anonymous_id');
  await expect(page.getByTestId('ts-format')).toHaveValue('epoch-ms');
  // a: 30 min gap exactly -> 2 sessions; b: 1.
  expect(await app.stats()).toEqual({ events: 3, users: 2, sessions: 3, skipped: 1 });
});

test('Parquet loads through the ingest worker, timestamps to the microsecond', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const base = BigInt(Date.UTC(2024, 4, 1, 10)) * 1000n;
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'user_id', data: ['u1', 'u1', 'u1', 'u2'] },
      { name: 'event_timestamp', data: [base, base + 1_799_999_999n, base + 3_599_999_999n, base] },
    ],
    schema: [
      { name: 'root', num_children: 2 },
      { name: 'user_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'event_timestamp', type: 'INT64', repetition_type: 'REQUIRED', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
    ],
  });
  await page.getByTestId('file-input').setInputFiles({ name: 'events.parquet', mimeType: 'application/octet-stream', buffer: Buffer.from(buffer) });
  await app.waitReady('events.parquet', 30);
  // u1 gaps: 29:59.999999 and 30:00.000000 (>= 30 min) -> 2 sessions; u2: 1.
  expect(await app.stats()).toEqual({ events: 4, users: 2, sessions: 3, skipped: 0 });
});
