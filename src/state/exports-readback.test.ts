import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { NO_PYTHON_MESSAGE, PYTHON, runPython } from '../test/python-for-tests';
import { inProcessIngest } from '../ingest/row-ingest';
import { AppStore } from './app-store';

/*
 * An independent reader of what we write: the Parquet exports, read back by pyarrow and by
 * Polars (scripts/read-parquet-back.py), hold the CSV exports' rows and values with the
 * types README and the page's contract state.
 */

type Row = Record<string, unknown>;
interface Read {
  schema: Record<string, string>;
  rows: Row[];
}

/** A clickstream with what a reader may get wrong: quotes, commas, newlines, Unicode, empty cells, a column named like ours, µs. */
function clickstream(): string {
  const lines = ['when,user,url,note,session_id'];
  const notes = ['plain', '"quoted, with comma"', '"two\nlines"', 'ünïcödé 日本', '', '=1+2'];
  for (let i = 0; i < 120; i++) {
    const us = String((i * 7919) % 1_000_000).padStart(6, '0');
    const minute = (i * 13) % 60;
    const hour = 10 + Math.floor(i / 40);
    lines.push(
      `2024-05-01T${hour}:${String(minute).padStart(2, '0')}:00.${us}Z,user ${i % 9},${i % 5 === 0 ? '' : `/p/${i % 4}`},${notes[i % notes.length]},orig-${i}`,
    );
  }
  lines.push(',nobody,/x,skipped,orig-x');
  return `${lines.join('\n')}\n`;
}

let engine: NodeEngine;
let dir = '';
let store: AppStore;
beforeAll(async () => {
  if (!PYTHON) return;
  engine = await createNodeEngine();
  dir = mkdtempSync(path.join(tmpdir(), 'readback-'));
  store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
  const bytes = new TextEncoder().encode(clickstream());
  await store.loadFile({ name: 'clicks.csv', size: bytes.length, data: bytes });
  expect(store.getState().error).toBeNull();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function exported(table: 'events' | 'sessions') {
  const csv = await store.queries.exportFile(table, 'csv');
  const parquet = await store.queries.exportFile(table, 'parquet');
  if (!csv || !parquet) throw new Error('export failed');
  const file = path.join(dir, parquet.name);
  writeFileSync(file, await parquet.bytes());
  const read = JSON.parse(runPython('read-parquet-back.py', [file]))[file] as { pyarrow: Read; polars: Read };
  const rows = Papa.parse<Record<string, string>>(new TextDecoder().decode(await csv.bytes()), { header: true, skipEmptyLines: true }).data;
  return { csv: rows, ...read };
}

const READERS = ['pyarrow', 'polars'] as const;

describe.skipIf(!PYTHON)('Parquet exports read back by pyarrow and Polars', () => {
  it.each(READERS)("events (%s): the CSV export's rows and text, session_number an int64", async (reader) => {
    const { csv, ...read } = await exported('events');
    const { schema, rows } = read[reader];
    const text = reader === 'pyarrow' ? 'string' : 'String';
    const int64 = reader === 'pyarrow' ? 'int64' : 'Int64';
    expect(schema).toEqual({ when: text, user: text, url: text, note: text, session_id_original: text, session_id: text, session_number: int64 });
    expect(rows).toHaveLength(120);
    // Same rows, same order; an empty CSV cell is a NULL or an empty text in Parquet.
    expect(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? '' : String(v)])))).toEqual(csv);
    expect(rows.every((r) => typeof r.session_number === 'number')).toBe(true);
    expect(rows.some((r) => r.note === 'two\nlines')).toBe(true);
  });

  it.each(READERS)("sessions (%s): the CSV export's sessions; times are UTC timestamps to the µs, counts int64, durations doubles", async (reader) => {
    const { csv, ...read } = await exported('sessions');
    const { schema, rows } = read[reader];
    expect(schema).toEqual(
      reader === 'pyarrow'
        ? {
            session_id: 'string',
            user_id: 'string',
            session_number: 'int64',
            start_time: 'timestamp[us, tz=UTC]',
            end_time: 'timestamp[us, tz=UTC]',
            duration_seconds: 'double',
            event_count: 'int64',
            first_url: 'string',
            last_url: 'string',
          }
        : {
            session_id: 'String',
            user_id: 'String',
            session_number: 'Int64',
            start_time: "Datetime(time_unit='us', time_zone='UTC')",
            end_time: "Datetime(time_unit='us', time_zone='UTC')",
            duration_seconds: 'Float64',
            event_count: 'Int64',
            first_url: 'String',
            last_url: 'String',
          },
    );
    expect(rows).toHaveLength(csv.length);
    expect(csv.length).toBe(store.getState().result?.stats.sessions);
    // CSV times carry milliseconds: the Parquet instant, cut to the millisecond, is that text.
    const toMs = (iso: unknown) => `${String(iso).slice(0, 23)}Z`;
    rows.forEach((r, i) => {
      const c = csv[i] as Record<string, string>;
      expect([r.session_id, r.user_id, String(r.session_number), String(r.event_count), r.first_url ?? '', r.last_url ?? '']).toEqual([
        c.session_id,
        c.user_id,
        c.session_number,
        c.event_count,
        c.first_url,
        c.last_url,
      ]);
      expect(String(r.start_time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
      expect(toMs(r.start_time)).toBe(c.start_time);
      expect(toMs(r.end_time)).toBe(c.end_time);
      expect(Math.abs(Number(r.duration_seconds) - Number(c.duration_seconds))).toBeLessThan(0.001);
    });
    // The microseconds are the file's: the first sessions start at their users' first events (row 37 for "user 1").
    expect(rows.find((r) => r.session_id === 'user 0-1')?.start_time).toBe('2024-05-01T10:00:00.000000+00:00');
    expect(rows.find((r) => r.session_id === 'user 1-1')?.start_time).toBe('2024-05-01T10:01:00.293003+00:00');
  });
});

describe.skipIf(PYTHON)('Parquet exports read back by pyarrow and Polars', () => {
  it.skip(NO_PYTHON_MESSAGE, () => {});
});
