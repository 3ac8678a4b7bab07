import { test, expect } from '@playwright/test';
import { vendorTwins } from '../scripts/vendor-json.mjs';
import { AppPage } from './app-page';

// A Mixpanel NDJSON export and a Segment JSON array of one clickstream, through the page's
// ingest worker: each product is recognised, its columns preselected, and the figures and
// session ids are those of the plain CSV the twins were written from (scripts/vendor-json.mjs).
const { csv, twins } = vendorTwins({ seed: 'vendor-json-e2e', events: 600 });
const file = (name: string) => {
  const twin = name === csv.name ? csv : twins.find((t) => t.name === name);
  if (!twin) throw new Error(name);
  return { name, mimeType: name.endsWith('.csv') ? 'text/csv' : 'application/json', buffer: Buffer.from(twin.text) };
};

test('a Mixpanel NDJSON and a Segment JSON array give the plain CSV twin’s figures and session ids', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const input = page.getByTestId('file-input');

  await input.setInputFiles(file(csv.name));
  await app.waitReady(csv.name, 30);
  const figures = await app.stats();
  expect(figures).toMatchObject({ events: 600, skipped: 1 });
  const sessionIds = (await app.download('export-events-csv')).rows.map((r) => r.session_id);
  expect(sessionIds).toHaveLength(600);

  const cases = [
    { name: 'mixpanel.ndjson', user: 'properties.distinct_id', format: 'epoch-s', vendor: 'Mixpanel' },
    { name: 'segment.json', user: 'userId_or_anonymousId', format: 'iso', vendor: 'Segment' },
  ];
  for (const c of cases) {
    await input.setInputFiles(file(c.name));
    await app.waitReady(c.name, 30);
    await expect(page.getByTestId('map-user')).toHaveValue(c.user);
    await expect(page.getByTestId('ts-format')).toHaveValue(c.format);
    await expect(page.getByTestId('notes')).toContainText(`Recognised a ${c.vendor} export`);
    expect(await app.stats()).toEqual(figures);
    expect((await app.download('export-events-csv')).rows.map((r) => r.session_id)).toEqual(sessionIds);
  }
});
