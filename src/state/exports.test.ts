import { beforeAll, describe, expect, it, vi } from 'vitest';
import Papa from 'papaparse';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { AppStore } from './app-store';
import { inProcessIngest } from '../ingest/row-ingest';
import { exportCsv, exportFileName, exportParquet, writeParquetHere } from './exports';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

const FILE = [
  'when,who,url,"note, with comma"',
  '2024-05-01T10:00:00.123456Z,alice,/,"=1+2"',
  '2024-05-01T10:29:59.999Z,alice,/a,"line one',
  'line two"',
  '2024-05-01T11:00:00Z,alice,/b,"say ""hi"""',
  '2024-05-01T09:00:00+02:00,"bob, jr",/c,ünïcödé',
  ',nobody,/d,skipped',
].join('\n');

async function loaded(gapMinutes: number) {
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest }, gapMinutes);
  const bytes = new TextEncoder().encode(FILE);
  await store.loadFile({ name: 'clicks.csv', size: bytes.length, data: bytes });
  const { dataset, result, error } = store.getState();
  expect(error).toBeNull();
  if (!dataset || !result) throw new Error('not loaded');
  return { dataset, result };
}

function parse(bytes: Uint8Array): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(new TextDecoder().decode(bytes), { header: true, skipEmptyLines: true }).data;
}

describe('CSV exports', () => {
  it('events: every original column with its original text, then session_id and session_number', async () => {
    const { dataset, result } = await loaded(30);
    const file = await exportCsv(engine, dataset, result, null, 'events');
    expect(file.name).toBe('clicks.events.gap-30m.csv');
    const rows = parse(await file.bytes());
    expect(rows).toEqual([
      { when: '2024-05-01T10:00:00.123456Z', who: 'alice', url: '/', 'note, with comma': '=1+2', session_id: 'alice-1', session_number: '1' },
      { when: '2024-05-01T10:29:59.999Z', who: 'alice', url: '/a', 'note, with comma': 'line one\nline two', session_id: 'alice-1', session_number: '1' },
      { when: '2024-05-01T11:00:00Z', who: 'alice', url: '/b', 'note, with comma': 'say "hi"', session_id: 'alice-2', session_number: '2' },
      { when: '2024-05-01T09:00:00+02:00', who: 'bob, jr', url: '/c', 'note, with comma': 'ünïcödé', session_id: 'bob, jr-1', session_number: '1' },
    ]);
  });

  it('sessions: ISO UTC times with milliseconds, durations with milliseconds, first and last url', async () => {
    const { dataset, result } = await loaded(30);
    const rows = parse(await (await exportCsv(engine, dataset, result, null, 'sessions')).bytes());
    expect(rows).toEqual([
      {
        session_id: 'alice-1',
        user_id: 'alice',
        session_number: '1',
        start_time: '2024-05-01T10:00:00.123Z',
        end_time: '2024-05-01T10:29:59.999Z',
        duration_seconds: '1799.876',
        event_count: '2',
        first_url: '/',
        last_url: '/a',
      },
      {
        session_id: 'alice-2',
        user_id: 'alice',
        session_number: '2',
        start_time: '2024-05-01T11:00:00.000Z',
        end_time: '2024-05-01T11:00:00.000Z',
        duration_seconds: '0.000',
        event_count: '1',
        first_url: '/b',
        last_url: '/b',
      },
      {
        session_id: 'bob, jr-1',
        user_id: 'bob, jr',
        session_number: '1',
        start_time: '2024-05-01T07:00:00.000Z',
        end_time: '2024-05-01T07:00:00.000Z',
        duration_seconds: '0.000',
        event_count: '1',
        first_url: '/c',
        last_url: '/c',
      },
    ]);
  });

  it('each export reflects its own threshold (no stale COPY buffer)', async () => {
    const a = await loaded(30);
    const b = await loaded(60);
    const first = parse(await (await exportCsv(engine, a.dataset, a.result, null, 'sessions')).bytes());
    const second = parse(await (await exportCsv(engine, b.dataset, b.result, null, 'sessions')).bytes());
    expect(first).toHaveLength(3);
    expect(second).toHaveLength(2);
  });

  it('names files after the source and threshold', () => {
    expect(exportFileName('clicks.csv', 'sessions', 30, 'parquet')).toBe('clicks.sessions.gap-30m.parquet');
    expect(exportFileName('logs.2024.tsv', 'events', 0.5, 'csv')).toBe('logs.2024.events.gap-0.5m.csv');
  });
});

describe('Parquet exports, read back by native DuckDB', () => {
  async function readBack(bytes: Uint8Array) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const dir = mkdtempSync(path.join(tmpdir(), 'parquet-'));
    const file = path.join(dir, 'x.parquet');
    writeFileSync(file, bytes);
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    const types = (await conn.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`)).getRowObjects();
    // Instants as epoch microseconds: the client would show them in the process's zone.
    const rows = (
      await conn.runAndReadAll(
        `SELECT * REPLACE (epoch_us(start_time) AS start_time) FROM read_parquet('${file}')`.replace(
          ' REPLACE (epoch_us(start_time) AS start_time)',
          types.some((t) => t.column_name === 'start_time') ? ' REPLACE (epoch_us(start_time) AS start_time)' : '',
        ),
      )
    ).getRowObjectsJson();
    rmSync(dir, { recursive: true, force: true });
    return { types: Object.fromEntries(types.map((t) => [String(t.column_name), String(t.column_type)])), rows };
  }

  it('sessions: typed timestamps (UTC, µs), integers and doubles', async () => {
    const { dataset, result } = await loaded(30);
    const file = await exportParquet(engine, dataset, result, null, 'sessions', writeParquetHere);
    expect(file.name).toBe('clicks.sessions.gap-30m.parquet');
    const { types, rows } = await readBack(await file.bytes());
    expect(types).toEqual({
      session_id: 'VARCHAR',
      user_id: 'VARCHAR',
      session_number: 'BIGINT',
      start_time: 'TIMESTAMP WITH TIME ZONE',
      end_time: 'TIMESTAMP WITH TIME ZONE',
      duration_seconds: 'DOUBLE',
      event_count: 'BIGINT',
      first_url: 'VARCHAR',
      last_url: 'VARCHAR',
    });
    expect(rows.map((r) => [r.session_id, r.session_number, r.event_count, r.duration_seconds, r.first_url, r.last_url])).toEqual([
      ['alice-1', '1', '2', 1799.875544, '/', '/a'],
      ['alice-2', '2', '1', 0, '/b', '/b'],
      ['bob, jr-1', '1', '1', 0, '/c', '/c'],
    ]);
    expect(String(rows[0]?.start_time)).toBe(String(Date.UTC(2024, 4, 1, 10) * 1000 + 123456));
  });

  it('events: the original text of every cell, then session_id and session_number', async () => {
    const { dataset, result } = await loaded(30);
    const { types, rows } = await readBack(await (await exportParquet(engine, dataset, result, null, 'events', writeParquetHere)).bytes());
    expect(types).toEqual({ when: 'VARCHAR', who: 'VARCHAR', url: 'VARCHAR', 'note, with comma': 'VARCHAR', session_id: 'VARCHAR', session_number: 'BIGINT' });
    expect(rows.map((r) => [r.when, r['note, with comma'], r.session_id, r.session_number])).toEqual([
      ['2024-05-01T10:00:00.123456Z', '=1+2', 'alice-1', '1'],
      ['2024-05-01T10:29:59.999Z', 'line one\nline two', 'alice-1', '1'],
      ['2024-05-01T11:00:00Z', 'say "hi"', 'alice-2', '2'],
      ['2024-05-01T09:00:00+02:00', 'ünïcödé', 'bob, jr-1', '1'],
    ]);
  });
});

describe('spreadsheet-safe CSV', () => {
  it('prefixes formula-like cells with an apostrophe and leaves the rest as they were', async () => {
    const { dataset, result } = await loaded(30);
    const rows = parse(await (await exportCsv(engine, dataset, result, null, 'events', true)).bytes());
    expect(rows.map((r) => r['note, with comma'])).toEqual(["'=1+2", 'line one\nline two', 'say "hi"', 'ünïcödé']);
    expect(rows.map((r) => r.when)).toEqual(['2024-05-01T10:00:00.123456Z', '2024-05-01T10:29:59.999Z', '2024-05-01T11:00:00Z', '2024-05-01T09:00:00+02:00']);
  });

  it('neutralises = + - @ and a leading tab in the sessions export too', async () => {
    const cells = ['=cmd|calc', '+1', '-2', '@SUM(A1)', '\tx', 'plain'];
    const text = ['user_id,timestamp,url', ...cells.map((c, i) => `u${i},2024-05-01T10:00:00Z,"${c}"`)].join('\n');
    const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
    const bytes = new TextEncoder().encode(text);
    await store.loadFile({ name: 'inject.csv', size: bytes.length, data: bytes });
    const safe = await store.queries.exportFile('sessions', 'csv', true);
    const faithful = await store.queries.exportFile('sessions', 'csv', false);
    if (!safe || !faithful) throw new Error('export failed');
    expect(parse(await safe.bytes()).map((r) => r.first_url)).toEqual(cells.map((c) => (c === 'plain' ? c : `'${c}`)));
    expect(parse(await faithful.bytes()).map((r) => r.first_url)).toEqual(cells);
  });
});

describe('the events in export order', () => {
  const orderedTables = async () =>
    (await engine.query<{ name: string }>("SELECT table_name AS name FROM duckdb_tables() WHERE table_name LIKE 'ordered_events_%'")).length;

  it.each([
    [10, 1, 'kept for the next export of a small file'],
    [3, 0, 'dropped after each export past the limit'],
  ])('limit %i rows: %i table afterwards (%s); both exports are the same', async (limit, tablesAfter) => {
    const before = await orderedTables();
    const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest, keepOrderedEventsMaxRows: limit });
    const bytes = new TextEncoder().encode(FILE);
    await store.loadFile({ name: 'clicks.csv', size: bytes.length, data: bytes });
    const first = await store.queries.exportFile('events', 'csv');
    expect(await orderedTables()).toBe(before + tablesAfter);
    const second = await store.queries.exportFile('events', 'csv');
    if (!first || !second) throw new Error('export failed');
    expect(parse(await second.bytes())).toEqual(parse(await first.bytes()));
    expect(parse(await first.bytes())).toHaveLength(4);
  });

  it('are made ahead by prepareExports, once, and the export then only writes the same rows', async () => {
    const before = await orderedTables();
    const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
    const bytes = new TextEncoder().encode(FILE);
    await store.loadFile({ name: 'clicks.csv', size: bytes.length, data: bytes });
    await store.queries.tablesReady();
    expect(store.queries.exportsToPrepare()).toBe(store.getState().result?.eventsTable);
    expect(await store.queries.prepareExports()).toBe(true);
    expect(await orderedTables()).toBe(before + 1);
    const made = vi.spyOn(engine, 'exec');
    const prepared = await store.queries.exportFile('events', 'csv');
    expect(made.mock.calls.filter(([sql]) => /CREATE[^(]*ordered_events_/.test(sql))).toEqual([]);
    made.mockRestore();
    const fresh = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
    await fresh.loadFile({ name: 'clicks.csv', size: bytes.length, data: bytes });
    const unprepared = await fresh.queries.exportFile('events', 'csv');
    if (!prepared || !unprepared) throw new Error('export failed');
    expect(await prepared.bytes()).toEqual(await unprepared.bytes());
  });

  it('are not made ahead past the size kept, nor while nothing is loaded', async () => {
    const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest, keepOrderedEventsMaxRows: 3 });
    expect(store.queries.exportsToPrepare()).toBeNull();
    expect(await store.queries.prepareExports()).toBe(false);
    const bytes = new TextEncoder().encode(FILE);
    await store.loadFile({ name: 'clicks.csv', size: bytes.length, data: bytes });
    await store.queries.tablesReady();
    const before = await orderedTables();
    expect(store.queries.exportsToPrepare()).toBeNull();
    expect(await store.queries.prepareExports()).toBe(false);
    expect(await orderedTables()).toBe(before);
  });
});

describe('a file whose columns carry the names the app uses itself', () => {
  // rowid shadows DuckDB's row number; session_id and session_number are the computed
  // columns' names; __user, __ts_us and __n are helper names of the SQL for other engines.
  const COLLIDING = [
    'rowid,user_id,__user,timestamp,url,session_id,session_number,session_id_original,__ts_us,__n',
    'r1,alice,bob,2024-05-01T10:00:00Z,/a,s-1,x1,o1,t1,n1',
    'r2,alice,bob,2024-05-01T10:10:00Z,/b,s-1,x1,o2,t2,n2',
    'r3,bob,alice,2024-05-01T10:05:00Z,/c,s-2,x2,o3,t3,n3',
    'r4,alice,bob,2024-05-01T11:00:00Z,/d,s-3,x3,o4,t4,n4',
    'r5,,carol,2024-05-01T12:00:00Z,/e,s-4,x4,o5,t5,n5',
  ].join('\n');
  const HEADER = [
    'rowid',
    'user_id',
    '__user',
    'timestamp',
    'url',
    'session_id_original_2',
    'session_number_original',
    'session_id_original',
    '__ts_us',
    '__n',
    'session_id',
    'session_number',
  ];
  const ROWS = [
    ['r1', 'alice', 'bob', '2024-05-01T10:00:00Z', '/a', 's-1', 'x1', 'o1', 't1', 'n1', 'alice-1', '1'],
    ['r2', 'alice', 'bob', '2024-05-01T10:10:00Z', '/b', 's-1', 'x1', 'o2', 't2', 'n2', 'alice-1', '1'],
    ['r4', 'alice', 'bob', '2024-05-01T11:00:00Z', '/d', 's-3', 'x3', 'o4', 't4', 'n4', 'alice-2', '2'],
    ['r3', 'bob', 'alice', '2024-05-01T10:05:00Z', '/c', 's-2', 'x2', 'o3', 't3', 'n3', 'bob-1', '1'],
  ];

  async function loadedColliding(header: string) {
    const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest }, 30);
    const bytes = new TextEncoder().encode(COLLIDING.replace(/^rowid/, header));
    await store.loadFile({ name: 'own-names.csv', size: bytes.length, data: bytes });
    // The quick read may show the file first: DuckDB's tables are what the exports read.
    await store.queries.tablesReady();
    const { dataset, result, error } = store.getState();
    expect(error).toBeNull();
    if (!dataset || !result) throw new Error('not loaded');
    return { dataset, result };
  }

  it.each(['rowid', 'ROWID', 'RowId'])('loads a file with a column named %s and counts its rows', async (name) => {
    const { dataset } = await loadedColliding(name);
    expect(dataset.events.mapping.user).toBe('user_id');
    expect(dataset.events.figures).toMatchObject({ rowsRead: 5, events: 4, skipped: 1 });
    expect(dataset.events.skippedExamples.map((r) => r.row)).toEqual([5]);
  });

  it("CSV: keeps the file's columns (renamed by the one rule) and the computed session_id and session_number", async () => {
    const { dataset, result } = await loadedColliding('rowid');
    const file = await exportCsv(engine, dataset, result, null, 'events');
    const [header, ...rows] = Papa.parse<string[]>(new TextDecoder().decode(await file.bytes()), { skipEmptyLines: true }).data;
    expect(header).toEqual(HEADER);
    expect(rows).toEqual(ROWS);
  });

  it('Parquet: the same columns, session_number typed', async () => {
    const { dataset, result } = await loadedColliding('rowid');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const dir = mkdtempSync(path.join(tmpdir(), 'parquet-'));
    const file = path.join(dir, 'x.parquet');
    writeFileSync(file, await (await exportParquet(engine, dataset, result, null, 'events', writeParquetHere)).bytes());
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const read = await conn.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
    const types = (await conn.runAndReadAll(`SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`)).getRows().map((r) => String(r[0]));
    rmSync(dir, { recursive: true, force: true });
    expect(read.columnNames()).toEqual(HEADER);
    expect(read.getRows().map((r) => r.map(String))).toEqual(ROWS);
    expect(types.at(-1)).toBe('BIGINT');
  });
});
