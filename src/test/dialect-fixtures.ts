import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { expect } from 'vitest';
import type { Engine } from '../engine/engine';
import type { Boundary, ColumnMapping, TimestampFormat } from '../domain/types';
import type { SessionRules } from '../domain/rules';
import { inProcessIngest } from '../ingest/row-ingest';
import { AppStore } from '../state/app-store';
import { quoteIdent, quoteString } from '../sql/quote';
import { rowidColumn } from '../sql/rowid-sql';
import { referenceParseTimestampUs } from './reference-sessionizer';
import { timestampSampleArb } from './timestamp-text';

/*
 * Fixtures for the SQL of other engines (src/sql/dialect-sql.ts), and the page's own answer
 * for each: the file loaded through the app (AppStore, as the page does), its events and
 * sessions CSV exports (AppStore.exportFile, which runs exportCsv of src/state/exports.ts), and the file as an all-text table for another engine to read.
 */

export interface DialectFixture {
  /** Path from the repository root. */
  path: string;
  /** What the page detects; the test fails if detection changes, so the case stays meant. */
  mapping: ColumnMapping;
}

export const DIALECT_FIXTURES: readonly DialectFixture[] = [
  { path: 'public/sample/clicks-sample.csv', mapping: { user: 'user_id', timestamp: 'timestamp', time: '', url: 'url', format: 'iso' } },
  { path: 'src/test/fixtures/sessionize-edge.csv', mapping: { user: 'user_id', timestamp: 'timestamp', time: '', url: 'url', format: 'iso' } },
  { path: 'src/test/fixtures/sessionize-edge-epoch.csv', mapping: { user: 'visitor_id', timestamp: 'epoch', time: '', url: 'page', format: 'epoch-s' } },
  { path: 'src/test/fixtures/sessionize-edge-dmy-time.csv', mapping: { user: 'user', timestamp: 'date', time: 'time', url: 'page', format: 'dmy' } },
  { path: 'src/test/fixtures/sessionize-edge-clf.csv', mapping: { user: 'ip', timestamp: 'time', time: '', url: 'request', format: 'clf' } },
  { path: 'src/test/fixtures/sessionize-edge-colliding-names.csv', mapping: { user: 'user_id', timestamp: 'timestamp', time: '', url: 'url', format: 'iso' } },
];

/** Thresholds and boundaries each fixture is sessionized at (the 40 000-row sample skips 0.5 min). */
export function dialectRuns(fixture: DialectFixture): { gap: number; boundary: Boundary }[] {
  const runs: { gap: number; boundary: Boundary }[] = [
    { gap: 30, boundary: 'ge' },
    { gap: 30, boundary: 'gt' },
    { gap: 0.5, boundary: 'ge' },
    { gap: 60, boundary: 'ge' },
  ];
  return fixture.path.startsWith('public/') ? runs.filter((r) => r.gap !== 0.5) : runs;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function fixtureBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(`${REPO_ROOT}${path}`));
}

/**
 * A PostgreSQL schema name for one test file in this process: two runs against one server (two
 * checkouts side by side) would otherwise drop each other's tables.
 */
export function postgresTestSchema(base: string): string {
  return `${base}_${process.pid}`;
}

export function fixtureName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** A table's rows as text cells; '' for NULL (as the CSV exports write NULL). */
export type Rows = string[][];

export interface PageAnswer {
  mapping: ColumnMapping;
  /** The file's columns, in order, as the page read them. */
  columns: string[];
  /** Header and rows of the events export. */
  events: { header: string[]; rows: Rows };
  sessions: { header: string[]; rows: Rows };
}

function parseCsv(bytes: Uint8Array): { header: string[]; rows: Rows } {
  const parsed = Papa.parse<string[]>(new TextDecoder().decode(bytes), { header: false, skipEmptyLines: true });
  const [header = [], ...rows] = parsed.data;
  return { header, rows };
}

async function settled(store: AppStore): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (store.getState().status === 'loading') {
    if (Date.now() > deadline) throw new Error('the store did not settle within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The page's answer for a fixture at a threshold and boundary, and with further rules when given. */
export async function pageAnswer(
  engine: Engine,
  fixture: DialectFixture,
  gapMinutes: number,
  boundary: Boundary,
  rules?: Omit<SessionRules, 'boundary'>,
): Promise<PageAnswer> {
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest }, gapMinutes);
  const bytes = fixtureBytes(fixture.path);
  await store.loadFile({ name: fixtureName(fixture.path), size: bytes.length, data: bytes });
  await settled(store);
  if (rules) {
    store.setRules({ ...rules, boundary });
    await settled(store);
  } else if (boundary !== 'ge') {
    store.setBoundary(boundary);
    await settled(store);
  }
  const { dataset, result, error } = store.getState();
  if (error !== null) throw new Error(`the page could not load ${fixture.path}: ${error}`);
  if (!dataset || !result) throw new Error(`the page has no result for ${fixture.path}`);
  if (result.gapMinutes !== gapMinutes || result.rules.boundary !== boundary) throw new Error('the result is for another threshold');
  const exported = async (table: 'events' | 'sessions') => {
    const file = await store.queries.exportFile(table, 'csv');
    if (!file) throw new Error(`the ${table} export failed: ${store.getState().error ?? 'no file'}`);
    return parseCsv(await file.bytes());
  };
  return {
    mapping: dataset.events.mapping,
    columns: [...dataset.raw.columns],
    events: await exported('events'),
    sessions: await exported('sessions'),
  };
}

let registered = 0;

/**
 * Loads a fixture into DuckDB as `table`, every column VARCHAR exactly as in the file
 * (read_csv with all_varchar, as the page reads it), and returns its rows in file order.
 */
export async function loadAllText(engine: Engine, fixture: DialectFixture, table: string): Promise<{ columns: string[]; rows: (string | null)[][] }> {
  const name = `dialect_fixture_${++registered}.csv`;
  await engine.registerFile(name, fixtureBytes(fixture.path));
  try {
    await engine.exec(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM read_csv(${quoteString(name)}, all_varchar = true)`);
  } finally {
    await engine.dropFile(name);
  }
  const columns = await engine.query<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = ${quoteString(table)} ORDER BY ordinal_position`,
  );
  const notText = columns.filter((c) => c.type !== 'VARCHAR');
  if (notText.length > 0) throw new Error(`${table} has columns that are not VARCHAR: ${notText.map((c) => c.name).join(', ')}`);
  const names = columns.map((c) => c.name);
  // A column named rowid hides the row order; a table just written scans in its insertion order.
  const order = rowidColumn(names) === null ? ' ORDER BY rowid' : '';
  const objects = await engine.query<Record<string, string | null>>(`SELECT * FROM ${quoteIdent(table)}${order}`);
  return { columns: names, rows: objects.map((o) => names.map((n) => o[n] ?? null)) };
}

/** Cells as the CSV exports write them: NULL as '', numbers as their decimal text. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'bigint') return value.toString();
  return String(value);
}

/** The same rows in the same order, or a message naming the first differences. */
export function diffRows(actual: Rows, expected: Rows, what: string): string | null {
  const problems: string[] = [];
  if (actual.length !== expected.length) problems.push(`${what}: ${actual.length} rows, the page has ${expected.length}`);
  const n = Math.min(actual.length, expected.length);
  let shown = 0;
  let differing = 0;
  for (let i = 0; i < n; i++) {
    const a = JSON.stringify(actual[i]);
    const e = JSON.stringify(expected[i]);
    if (a !== e) {
      differing++;
      if (shown++ < 5) problems.push(`${what} row ${i + 1}:\n  got  ${a}\n  page ${e}`);
    }
  }
  if (differing > 5) problems.push(`… ${differing} differing rows in all`);
  return problems.length > 0 ? problems.join('\n') : null;
}

/** Rows sorted by their JSON text, for engines whose ORDER BY collates user ids differently. */
export function sortedRows(rows: Rows): Rows {
  return [...rows].sort((a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** duration_seconds and other decimals compared as numbers with 3 decimals ('0.000' = '0'). */
export function normaliseSessionRow(header: readonly string[], row: readonly string[]): string[] {
  return row.map((cell, i) => (header[i] === 'duration_seconds' && cell !== '' ? Number(cell).toFixed(3) : cell));
}

/**
 * For engines without a row order: the urls a session's first_url (last_url) may take when
 * several events share the session's first (last) instant that has a url. Computed from the
 * page's events export, reading each timestamp with the reference parser.
 */
export function urlTies(page: PageAnswer): Map<string, { first: Set<string>; last: Set<string> }> {
  const { mapping, events } = page;
  const at = (name: string) => events.header.indexOf(name);
  const [tsCol, timeCol, urlCol, sidCol] = [at(mapping.timestamp), mapping.time ? at(mapping.time) : -1, at(mapping.url), at('session_id')];
  const bySession = new Map<string, { us: number; url: string }[]>();
  for (const row of events.rows) {
    const text = timeCol >= 0 ? `${(row[tsCol] ?? '').trim()} ${(row[timeCol] ?? '').trim()}` : (row[tsCol] ?? '');
    const us = referenceParseTimestampUs(text, mapping.format);
    if (us === null) throw new Error(`the reference parser cannot read ${JSON.stringify(text)}, which the page read`);
    const url = urlCol >= 0 ? (row[urlCol] ?? '') : '';
    const sid = row[sidCol] ?? '';
    const list = bySession.get(sid) ?? [];
    list.push({ us, url });
    bySession.set(sid, list);
  }
  const ties = new Map<string, { first: Set<string>; last: Set<string> }>();
  for (const [sid, list] of bySession) {
    const withUrl = list.filter((e) => e.url !== '');
    const min = Math.min(...withUrl.map((e) => e.us));
    const max = Math.max(...withUrl.map((e) => e.us));
    ties.set(sid, {
      first: new Set(withUrl.filter((e) => e.us === min).map((e) => e.url)),
      last: new Set(withUrl.filter((e) => e.us === max).map((e) => e.url)),
    });
  }
  return ties;
}

/**
 * Sessions rows compared with the page's, except that first_url and last_url may be any url
 * at a tied first (last) instant (engines without a row order). Returns problems, or null.
 */
export function diffSessionsAllowingTies(actual: Rows, page: PageAnswer): string | null {
  const header = page.sessions.header;
  const [sid, first, last] = [header.indexOf('session_id'), header.indexOf('first_url'), header.indexOf('last_url')];
  const ties = urlTies(page);
  const relaxed = actual.map((row) => {
    const copy = [...row];
    const tie = ties.get(row[sid] ?? '');
    const expected = page.sessions.rows.find((r) => r[sid] === row[sid]);
    if (tie && expected) {
      if (tie.first.size > 1 && tie.first.has(row[first] ?? '') && tie.first.has(expected[first] ?? '')) copy[first] = expected[first] ?? '';
      if (tie.last.size > 1 && tie.last.has(row[last] ?? '') && tie.last.has(expected[last] ?? '')) copy[last] = expected[last] ?? '';
    }
    return normaliseSessionRow(header, copy);
  });
  const expected = page.sessions.rows.map((r) => normaliseSessionRow(header, r));
  return diffRows(sortedRows(relaxed), sortedRows(expected), 'sessions');
}

/** Reads each text with a dialect's generated parsing steps (timestampProbeQuery), in order. */
export type Readings = (texts: readonly string[], format: TimestampFormat) => Promise<(number | null)[]>;

/** (id, text) rows for timestampProbeQuery, as a VALUES list in standard SQL. */
export function probeSource(texts: readonly string[]): string {
  return `SELECT * FROM (VALUES ${texts.map((t, i) => `(${i}, ${quoteString(t)})`).join(', ')}) AS v(id, text)`;
}

/** Random instants, spelled every way the generators know for `format`, read back exactly. */
export async function expectGeneratedSpellingsRead(readings: Readings, format: TimestampFormat, seed: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.array(timestampSampleArb(format), { minLength: 1, maxLength: 25 }), async (samples) => {
      expect(
        await readings(
          samples.map((s) => s.text),
          format,
        ),
      ).toEqual(samples.map((s) => s.us));
    }),
    { seed, numRuns: 40 },
  );
}

/** Texts at the edges of each format: offsets, fractions, epoch decimals, and texts that are no instant. */
export const EDGE_TIMESTAMPS: readonly [TimestampFormat, string][] = [
  ['iso', '2024-05-01T10:00:00+05:45'],
  ['iso', '2024-05-01 10:00:00 +05:45'],
  ['iso', '2024-05-01T10:00:00-03'],
  ['iso', '2024-05-01T10:00:00.1234567Z'],
  ['iso', '1969-12-31T23:59:59.999999Z'],
  ['iso', '2024/05/01'],
  ['iso', '2024-05-01T10:00:00+23:59'],
  ['iso', '2024-05-01T10:00Z'],
  ['iso', '2024-05-01 10:00 UTC'],
  ['iso', '\u00a02024-05-01 10:00:00\t'],
  ['iso', '2024-02-30 10:00:00'],
  ['iso', '2023-02-29'],
  ['iso', '1900-02-29T00:00:00Z'],
  ['iso', '2000-02-29'],
  ['iso', '2024-05-01T24:00:00'],
  ['iso', '2024-05-01T10:60:00'],
  ['iso', '2024-05-01 10:00:00+24:00'],
  ['iso', '2024-05/01'],
  ['iso', 'yesterday'],
  ['iso', ''],
  ['iso', '2024-05-01 10:00:00 GMT'],
  ['iso', '0000-01-01'],
  ['dmy', '29/02/2024 10:00:00.5'],
  ['dmy', '1.2.2024 9:05'],
  ['dmy', '31/12/24'],
  ['dmy', '31/12-2024'],
  ['dmy', '31/04/2024'],
  ['mdy', '02-29-2024 23:59:59.999999'],
  ['mdy', '31/12/2024'],
  ['clf', '10/Oct/2000:13:55:36 -0700'],
  ['clf', '10/oct/2000:13:55:36'],
  ['clf', '31/Apr/2024:10:00:00 +0000'],
  ['clf', '10/Foo/2000:13:55:36'],
  ['epoch-s', '1714557600.123456'],
  ['epoch-s', '-1.000001'],
  ['epoch-s', '+12'],
  ['epoch-s', '.5'],
  ['epoch-s', '5.'],
  ['epoch-s', '1714557600.1234565'],
  ['epoch-ms', '0.0004995'],
  ['epoch-us', '2.4999999'],
  ['epoch-us', '-2.5'],
  ['epoch-us', '9223372036854775807'],
  ['epoch-us', '-9223372036854775808'],
  ['epoch-us', '9223372036854775808'],
  ['epoch-s', '000000000000000000000001'],
  ['epoch-s', '99999999999999999999'],
  ['epoch-s', '1e9'],
  ['epoch-s', '.'],
  ['epoch-s', '-'],
  ['epoch-s', ''],
  ['epoch-s', '1 2'],
  ['epoch-s', '1,5'],
];

/**
 * Each edge text reads as the reference parser reads it, one query per text so that a
 * text that made the engine fail would fail the test. One deliberate difference: the year
 * 0000 is unreadable in the generated SQL (PostgreSQL's make_date and BigQuery's DATE have
 * no year 0).
 */
export async function expectEdgeTimestampsRead(readings: Readings): Promise<void> {
  for (const [format, text] of EDGE_TIMESTAMPS) {
    const expected = text.startsWith('0000-') ? null : referenceParseTimestampUs(text, format);
    expect(await readings([text], format), `${format} ${JSON.stringify(text)}`).toEqual([expected]);
  }
}
