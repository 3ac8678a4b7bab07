import { beforeAll, describe, expect, it } from 'vitest';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { AppStore } from '../state/app-store';
import { inProcessIngest } from './row-ingest';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

async function load(name: string, data: Uint8Array) {
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
  await store.loadFile({ name, size: data.length, data });
  return store.getState();
}

describe('NDJSON', () => {
  it('reads one object a line, flattens nested objects, skips blank lines, rejects bad lines with their numbers, keeps every row accounted', async () => {
    const text = [
      '\uFEFF{"userId":"a","event_time":"2024-05-01T10:00:00Z","page":"/"}',
      '',
      '{"userId":"a","event_time":"2024-05-01T10:45:00Z","page":"/x","extra":{"k":[1,2]}}',
      'not json',
      '[1,2]',
      '{"userId":"b","event_time":"2024-05-01T10:00:00.000001Z"}',
      '{"userId":null,"event_time":"2024-05-01T10:00:00Z"}',
    ].join('\r\n');
    const s = await load('events.ndjson', new TextEncoder().encode(text));
    expect(s.error).toBeNull();
    expect(s.dataset?.raw.columns).toEqual(['userId', 'event_time', 'page', 'extra.k']);
    expect(s.dataset?.events.mapping).toMatchObject({ user: 'userId', timestamp: 'event_time', url: 'page', format: 'iso' });
    expect(s.dataset?.raw.rejectedExamples.map((r) => r.line)).toEqual([4, 5]);
    expect(s.dataset?.events.figures).toMatchObject({ rowsRead: 6, events: 3, users: 2, skipped: 3 });
    expect(s.result?.stats.sessions).toBe(3);
    // Nested objects are flattened to dotted paths; arrays stay JSON text.
    const [extra] = await engine.query<{ extra: string }>(`SELECT "extra.k" AS extra FROM "${s.dataset?.raw.table}" WHERE "extra.k" IS NOT NULL`);
    expect(extra?.extra).toBe('[1,2]');
  });

  it('refuses a file with no object line, naming the first bad line', async () => {
    const s = await load('bad.jsonl', new TextEncoder().encode('{"a":\n{"b":\n'));
    expect(s.error).toMatch(/^bad\.jsonl: .*line 1/);
  });
});

describe('Parquet', () => {
  it('reads typed columns as text, timestamps as ISO UTC with microseconds kept', async () => {
    const base = Date.UTC(2024, 4, 1, 10) * 1000;
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'visitor_id', data: ['v1', 'v1', 'v2', null] },
        { name: 'ts', data: [BigInt(base), BigInt(base + 30 * 60_000_000), BigInt(base + 1), BigInt(base)] },
        { name: 'count', data: [1, 2, 3, 4] },
      ],
      schema: [
        { name: 'root', num_children: 3 },
        { name: 'visitor_id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'ts', type: 'INT64', repetition_type: 'REQUIRED', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
        { name: 'count', type: 'INT32', repetition_type: 'REQUIRED' },
      ],
    });
    const s = await load('clicks.parquet', new Uint8Array(buffer));
    expect(s.error).toBeNull();
    const rows = await engine.query<{ visitor_id: string | null; ts: string; count: string }>(`SELECT * FROM "${s.dataset?.raw.table}"`);
    expect(rows).toEqual([
      { visitor_id: 'v1', ts: '2024-05-01T10:00:00.000Z', count: '1' },
      { visitor_id: 'v1', ts: '2024-05-01T10:30:00.000Z', count: '2' },
      { visitor_id: 'v2', ts: '2024-05-01T10:00:00.000001Z', count: '3' },
      { visitor_id: null, ts: '2024-05-01T10:00:00.000Z', count: '4' },
    ]);
    expect(s.dataset?.events.figures).toMatchObject({ rowsRead: 4, events: 3, users: 2, skipped: 1 });
    // The 30-minute gap is exactly the threshold: a new session.
    expect(s.result?.stats.sessions).toBe(3);
  });

  it('says so when a .parquet file is not Parquet', async () => {
    const s = await load('fake.parquet', new TextEncoder().encode('user,ts\nu,2024-01-01\n'));
    expect(s.error).toMatch(/^fake\.parquet: .*PAR1/);
  });
});
