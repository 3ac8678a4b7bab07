import { beforeAll, describe, expect, it } from 'vitest';
import { vendorTwins } from '../../scripts/vendor-json.mjs';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { loadThroughApp, type LoadOutcome } from '../test/load-through-app';
import { sessionizedEventsSql, sessionStatsSql } from '../sql/sessionize-sql';
import { SEGMENT_USER_COLUMN } from '../domain/vendor-shapes';
import { AppStore } from './app-store';
import { inProcessIngest } from '../ingest/row-ingest';

/*
 * Each analytics product's export of one clickstream (scripts/vendor-json.mjs), as NDJSON and
 * as a JSON array, against the plain CSV it comes from: the product's columns are
 * preselected, and the figures and every session id are the CSV's.
 */

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

const { csv, twins } = vendorTwins({ seed: 'vendor-json', events: 1500 });
const encode = (text: string) => new TextEncoder().encode(text);
let nextId = 900;

async function outcome(name: string, text: string) {
  const loaded = await loadThroughApp(engine, name, encode(text), nextId++);
  if (!loaded.ok) throw loaded.error;
  const spec = { eventsTable: loaded.events.table, thresholdUs: 30 * 60e6, boundary: 'ge' as const };
  const sessions = await engine.query<{ id: string }>(
    `SELECT row_number::DOUBLE AS row, user_id || '-' || session_number AS id FROM (${sessionizedEventsSql(spec)}) ORDER BY row_number`,
  );
  const [stats] = await engine.query<Record<string, number>>(sessionStatsSql(spec));
  return { loaded, sessions, stats };
}

const expected: Record<string, { user: string; timestamp: string; url: string; format: string; vendor: string }> = {
  mixpanel: { user: 'properties.distinct_id', timestamp: 'properties.time', url: 'properties.$current_url', format: 'epoch-s', vendor: 'Mixpanel' },
  segment: { user: SEGMENT_USER_COLUMN, timestamp: 'timestamp', url: 'context.page.url', format: 'iso', vendor: 'Segment' },
  amplitude: { user: 'user_id', timestamp: 'event_time', url: 'event_properties.page_url', format: 'iso', vendor: 'Amplitude' },
  ga4: { user: 'user_pseudo_id', timestamp: 'event_timestamp', url: 'event_name', format: 'epoch-us', vendor: 'GA4 BigQuery' },
  snowplow: { user: 'domain_userid', timestamp: 'derived_tstamp', url: 'page_urlpath', format: 'iso', vendor: 'Snowplow' },
};

describe('vendor JSON twins of one clickstream', () => {
  let plain: Awaited<ReturnType<typeof outcome>>;
  beforeAll(async () => {
    plain = await outcome(csv.name, csv.text);
  });

  it('the plain CSV has sessions, users and one skipped row to compare against', () => {
    expect(plain.loaded.events.figures).toMatchObject({ rowsRead: 1501, events: 1500, skipped: 1 });
    expect(plain.stats?.sessions).toBeGreaterThan(100);
  });

  it.each(twins.map((t) => [t.name, t] as const))(
    '%s: its product is recognised, its columns preselected, same figures and session ids as the CSV',
    async (_name, twin) => {
      const got = await outcome(twin.name, twin.text);
      const want = expected[twin.vendor];
      if (!want) throw new Error(twin.vendor);
      expect((got.loaded as Extract<LoadOutcome, { ok: true }>).mapping).toMatchObject({
        user: want.user,
        timestamp: want.timestamp,
        url: want.url,
        format: want.format,
      });
      expect(got.loaded.notes.some((n) => n.startsWith(`Recognised ${want.vendor === 'Amplitude' ? 'an' : 'a'} ${want.vendor} export`))).toBe(true);
      expect(got.loaded.events.figures).toEqual(plain.loaded.events.figures);
      expect(got.stats).toEqual(plain.stats);
      expect(got.sessions).toEqual(plain.sessions);
    },
  );
});

describe('the user column is never a date or a constant', () => {
  const rows = Array.from({ length: 60 }, (_, i) => ({
    date: i < 30 ? '20240501' : '20240502',
    us: 1_714_521_600_000_000 + i * 60_000_000,
    pseudo: `p${i % 4}`,
  }));

  it('a GA4 export as Parquet preselects user_pseudo_id and event_timestamp (µs), never event_date', async () => {
    const { parquetWriteBuffer } = await import('hyparquet-writer');
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'event_date', data: rows.map((r) => r.date) },
        { name: 'event_timestamp', data: rows.map((r) => BigInt(r.us)) },
        { name: 'event_name', data: rows.map(() => 'page_view') },
        { name: 'user_id', data: rows.map(() => null) },
        { name: 'user_pseudo_id', data: rows.map((r) => r.pseudo) },
      ],
      schema: [
        { name: 'root', num_children: 5 },
        { name: 'event_date', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'event_timestamp', type: 'INT64', repetition_type: 'OPTIONAL' },
        { name: 'event_name', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'user_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'user_pseudo_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ],
    });
    const loaded = await loadThroughApp(engine, 'ga4.parquet', new Uint8Array(buffer), nextId++);
    if (!loaded.ok) throw loaded.error;
    expect(loaded.mapping).toMatchObject({ user: 'user_pseudo_id', timestamp: 'event_timestamp', format: 'epoch-us' });
    expect(loaded.events.figures).toMatchObject({ events: 60, users: 4 });
  });

  it('without a known shape, an empty user_id, a compact date and a constant are passed over for the column whose values repeat', async () => {
    const text = ['event_date,country,user_id,ts,pid', ...rows.map((r) => `${r.date},US,,${new Date(r.us / 1000).toISOString()},${r.pseudo}`)].join('\n');
    const loaded = await loadThroughApp(engine, 'generic.csv', encode(text), nextId++);
    if (!loaded.ok) throw loaded.error;
    expect(loaded.mapping).toMatchObject({ user: 'pid', timestamp: 'ts' });
  });
});

describe('a product export as CSV', () => {
  it('is read by DuckDB rather than the quick read, so the page names the product (an Amplitude CSV)', async () => {
    const lines = [
      'event_type,user_id,device_id,event_time',
      ...Array.from({ length: 30 }, (_, i) => `view,u${i % 3},d${i % 3},2024-05-01 10:${String(i).padStart(2, '0')}:00.000000`),
    ];
    const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
    const bytes = encode(lines.join('\n'));
    await store.loadFile({ name: 'amplitude.csv', size: bytes.length, data: bytes });
    const { dataset, error } = store.getState();
    expect(error).toBeNull();
    expect(dataset?.events.mapping).toMatchObject({ user: 'user_id', timestamp: 'event_time', url: 'event_type' });
    expect(dataset?.notes.some((n) => n.startsWith('Recognised an Amplitude export'))).toBe(true);
  });
});
