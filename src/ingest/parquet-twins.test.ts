import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { parquetMetadata } from 'hyparquet';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { makeParquetTwins, NO_PYTHON_MESSAGE, PYTHON } from '../test/python-for-tests';
import { AppStore } from '../state/app-store';
import { inProcessIngest } from './row-ingest';

/*
 * Parquet files written by pyarrow and Polars (scripts/make-parquet-twins.py), in every
 * codec and with the timestamp typed in every unit, load with the same figures and session
 * ids as their plain-CSV twins.
 */

let engine: NodeEngine;
let dir = '';
beforeAll(async () => {
  if (!PYTHON) return;
  engine = await createNodeEngine();
  dir = makeParquetTwins();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function load(name: string) {
  const data = new Uint8Array(readFileSync(path.join(dir, name)));
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
  await store.loadFile({ name, size: data.length, data });
  const state = store.getState();
  expect(state.error, name).toBeNull();
  const events = await store.queries.exportFile('events', 'csv');
  if (!state.dataset || !state.result || !events) throw new Error(`${name} did not load`);
  const rows = Papa.parse<Record<string, string>>(new TextDecoder().decode(await events.bytes()), { header: true, skipEmptyLines: true }).data;
  return {
    figures: state.dataset.events.figures,
    sessions: state.result.stats.sessions,
    mapping: state.dataset.events.mapping,
    ids: rows.map((r) => `${r.user_id}|${r.session_id}|${r.session_number}`),
  };
}

async function expectTwins(parquet: string, csv: string) {
  const [a, b] = [await load(parquet), await load(csv)];
  expect(a.mapping).toMatchObject({ user: 'user_id', timestamp: 'timestamp', url: 'url' });
  expect(a.figures).toEqual(b.figures);
  expect(a.sessions).toBe(b.sessions);
  expect(a.ids).toEqual(b.ids);
  return a;
}

const CODECS = [
  ['none', 'UNCOMPRESSED'],
  ['snappy', 'SNAPPY'],
  ['gzip', 'GZIP'],
  ['zstd', 'ZSTD'],
  ['lz4', 'LZ4_RAW'],
  ['brotli', 'BROTLI'],
  ['polars', 'ZSTD'],
] as const;

describe.skipIf(!PYTHON)('Parquet twins of a CSV clickstream', () => {
  it.each(CODECS)('%s: same figures and session ids as the CSV twin (codec %s)', async (name, codec) => {
    const file = `clicks.${name}.parquet`;
    const metadata = parquetMetadata(readFileSync(path.join(dir, file)).buffer as ArrayBuffer);
    expect(new Set(metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)))).toEqual(new Set([codec]));
    const loaded = await expectTwins(file, 'clicks.csv');
    expect(loaded.figures).toMatchObject({ rowsRead: loaded.figures.events + 1, skipped: 1 });
    // The edge user: 1 µs apart stays one session, 30 min + 1 µs later is the next.
    expect(loaded.ids.filter((id) => id.startsWith('edge|'))).toEqual(['edge|edge-1|1', 'edge|edge-1|1', 'edge|edge-2|2']);
  });

  it.each([
    ['ms', 'utc', 'clicks.ts-ms.csv'],
    ['ms', 'local', 'clicks.ts-ms.csv'],
    ['us', 'utc', 'clicks.csv'],
    ['us', 'local', 'clicks.csv'],
    ['ns', 'utc', 'clicks.csv'],
    ['ns', 'local', 'clicks.csv'],
  ])('TIMESTAMP(%s, %s) reads as the same instants as %s', async (unit, zone, csv) => {
    await expectTwins(`clicks.ts-${unit}-${zone}.parquet`, csv);
  });

  it.each([
    ['s', 'clicks.ts-s.csv'],
    ['ms', 'clicks.ts-ms.csv'],
    ['us', 'clicks.csv'],
  ])('an INT64 epoch in %s is detected in its unit and reads as %s', async (unit, csv) => {
    const loaded = await expectTwins(`clicks.epoch-${unit}.parquet`, csv);
    expect(loaded.mapping.format).toBe(`epoch-${unit}`);
  });

  it('keeps the microseconds and the UTC instant of a typed timestamp, and says a wall-clock one is read as UTC', async () => {
    const utc = await loadRaw('clicks.ts-us-utc.parquet');
    const local = await loadRaw('clicks.ts-us-local.parquet');
    const csv = readFileSync(path.join(dir, 'clicks.csv'), 'utf8').split('\n')[1]?.split(',')[1];
    expect(utc[0]?.timestamp).toBe(csv);
    expect(local[0]?.timestamp).toBe(csv?.replace(/Z$/, ''));
  });

  it('types: DATE, BOOLEAN, DECIMAL, INT32, DOUBLE, lists, dictionaries and nulls become the text of types.csv', async () => {
    const parquet = await loadRaw('types.parquet');
    const expected = Papa.parse<Record<string, string>>(readFileSync(path.join(dir, 'types.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(parquet.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? ''])))).toEqual(expected);
  });
});

describe.skipIf(PYTHON)('Parquet twins of a CSV clickstream', () => {
  it.skip(NO_PYTHON_MESSAGE, () => {});
});

/** The raw table of a file, as text, in file order (read without building events). */
async function loadRaw(name: string): Promise<Record<string, string | null>[]> {
  const data = new Uint8Array(readFileSync(path.join(dir, name)));
  const table = `raw_twin_${name.replace(/\W/g, '_')}`;
  await inProcessIngest(engine, { name, data }, 'parquet', table);
  const rows = await engine.query<Record<string, string | null>>(`SELECT * FROM "${table}"`);
  await engine.exec(`DROP TABLE "${table}"`);
  return rows;
}
