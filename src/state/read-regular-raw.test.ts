import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sniffFile } from '../domain/sniff-file';
import type { Engine } from '../engine/engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { createLocalStatsEngine } from '../stats/stats-engine';
import { rowidSql } from '../sql/rowid-sql';
import { quoteIdent, quoteString } from '../sql/quote';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { quickReadDialect } from './load-pipeline';
import type { FileSource, RawTable } from './raw-table';
import { readRawTable } from './read-raw-table';
import { readRegularRawTable, type RegularFile } from './read-regular-raw';

/*
 * The raw table of a quick-read file made with the quick read's dialect (readRegularRawTable)
 * must be the one the general read (readRawTable, read_csv sniffing) makes: same columns and
 * types, same cells (NULL and '' told apart) in the same row order, same row lines. Checked
 * on every file of the shared csv corpus the quick read takes, and on generated regular files.
 */

const stats = createLocalStatsEngine();
let engine: NodeEngine;
/** Statements the engine ran, to tell whether readRegularRawTable fell back to the general read. */
let statements: string[] = [];
let recording: Engine;

beforeAll(async () => {
  engine = await createNodeEngine();
  recording = {
    ...engine,
    exec: async (sql) => {
      statements.push(sql);
      return engine.exec(sql);
    },
  };
});
afterAll(() => engine.close());

/** The quick read's dialect and columns of the file, or null when it declines the file. */
async function quickReading(source: FileSource): Promise<RegularFile | null> {
  const dialect = await quickReadDialect(source);
  if (!dialect) return null;
  const plan = await stats.quickPlan('q', source.data, dialect, false);
  if (!plan.ok) return null;
  const scanned = await stats.quickScan('q', false);
  if (!scanned.ok) return null;
  const read = await stats.quickJoin('q', null);
  await stats.release('q');
  return read.ok ? { ...dialect, columns: read.columns } : null;
}

/** Rows of `a` missing from `b` (as a multiset, with each row's number), both ways. */
async function rowsDiffering(a: RawTable, b: RawTable): Promise<number> {
  const select = (t: RawTable) => `SELECT *, ${rowidSql(t.columns)} AS __row FROM ${quoteIdent(t.table)}`;
  const [row] = await engine.query<{ n: number }>(
    `SELECT (SELECT count(*) FROM (${select(a)} EXCEPT ALL ${select(b)})) + (SELECT count(*) FROM (${select(b)} EXCEPT ALL ${select(a)})) AS n`,
  );
  return row?.n ?? -1;
}

async function columnTypes(table: string): Promise<string> {
  const rows = await engine.query<{ name: string; type: string }>(`SELECT name, type FROM pragma_table_info(${quoteString(quoteIdent(table))}) ORDER BY cid`);
  return rows.map((r) => `${r.name}:${r.type}`).join(',');
}

/** Compares both reads of `source`; false when the quick read declines it. */
async function expectSameRawTable(source: FileSource): Promise<boolean> {
  const regular = await quickReading(source);
  if (!regular) return false;
  const general = await readRawTable(engine, source, 1, inProcessIngest, true);
  statements = [];
  const made = await readRegularRawTable(recording, source, 2, regular, inProcessIngest);
  // A fallback would compare the general read with itself.
  expect(
    statements.some((s) => s.includes('rejects_table')),
    `${source.name}: fell back to the general read`,
  ).toBe(false);
  expect(made.columns).toEqual(general.columns);
  // What the general read has not: the file as the dialect read it (the events export's source).
  const { regularFile, ...rest } = made;
  expect(regularFile).toEqual({ data: source.data, delimiter: regular.delimiter, quote: regular.quote });
  expect({ ...rest, table: '', id: 0 }).toEqual({ ...general, table: '', id: 0 });
  expect(await columnTypes(made.table)).toBe(await columnTypes(general.table));
  expect(await rowsDiffering(general, made), source.name).toBe(0);
  await engine.exec(`DROP TABLE ${quoteIdent(general.table)}; DROP TABLE ${quoteIdent(made.table)}`);
  return true;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.resolve(repoRoot, '../shared/peer-suites/csv-corpus');
const corpusFiles = fs.existsSync(corpusDir) ? walk(corpusDir).filter((f) => /\.(csv|tsv|txt)$/i.test(f)) : [];

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/**
 * The file with a user and a timestamp column put before its own on every line (a quick read
 * needs both), its own bytes kept as they are: its quoting and line endings still tested.
 */
function withUserAndTime(source: FileSource): FileSource | null {
  const bytes = source.data as Uint8Array;
  const sniff = sniffFile(source.name, bytes.subarray(0, 65536), bytes.length);
  if (!sniff.ok || sniff.kind !== 'delimited' || !sniff.firstLine) return null;
  const d = sniff.firstLine.delimiter;
  const text = new TextDecoder().decode(bytes);
  let row = 0;
  const lines = text.split('\n').map((line, i, all) => {
    if (i === all.length - 1 && line === '') return line;
    if (i === 0) return `user_id${d}timestamp${d}${line}`;
    row++;
    return `u${row % 7}${d}2024-05-01T00:${String(row % 60).padStart(2, '0')}:00Z${d}${line}`;
  });
  return fileSource(`${source.name}+user`, new TextEncoder().encode(lines.join('\n')));
}

function fileSource(name: string, bytes: Uint8Array): FileSource {
  return { name, size: bytes.length, data: bytes };
}

describe('the raw table of a quick-read file, read with its dialect', () => {
  it.skipIf(corpusFiles.length === 0)(
    'equals the general read on every corpus file the quick read takes',
    async () => {
      const taken: string[] = [];
      for (const file of corpusFiles) {
        const source = fileSource(path.basename(file), new Uint8Array(fs.readFileSync(file)));
        if (await expectSameRawTable(source)) taken.push(path.relative(corpusDir, file));
        const withColumns = withUserAndTime(source);
        if (withColumns && (await expectSameRawTable(withColumns))) taken.push(`${path.relative(corpusDir, file)} (user, timestamp added)`);
      }
      // Few corpus files have a user and a timestamp column; with them added, most regular ones are taken.
      expect(taken.length).toBeGreaterThan(20);
      console.log(`corpus files the quick read takes: ${taken.length} of ${corpusFiles.length}: ${taken.join(', ')}`);
    },
    300_000,
  );
});

/** Cells of the columns the quick read does not read: quoting, delimiters, "" inside, empties, unicode. */
const cellArb = (d: string) =>
  fc.constantFrom(
    'a',
    'x y',
    '',
    '""',
    '123',
    '1.50',
    'Zoë',
    '日本語',
    '🙂',
    `"a${d}b"`,
    `"${d}"`,
    '"he said ""hi"""',
    `"q""${d}""r"`,
    '"plain"',
    '" padded "',
  );

const regularFileArb = fc
  .record({
    delimiter: fc.constantFrom(',', ';', '\t', '|'),
    lineEnd: fc.constantFrom('\n', '\r\n'),
    finalLineEnd: fc.boolean(),
    bom: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    extra: fc.integer({ min: 1, max: 40 }),
  })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      rows: fc.array(
        fc.record({
          user: fc.constantFrom('u1', 'alice', 'Zoë', '42', '"u2"'),
          time: fc.oneof(
            { weight: 6, arbitrary: fc.integer({ min: 0, max: 86_399 }).map((s) => new Date(Date.UTC(2024, 4, 1) + s * 1000).toISOString()) },
            { weight: 1, arbitrary: fc.constant('') },
          ),
          cells: fc.array(cellArb(shape.delimiter), { minLength: shape.extra, maxLength: shape.extra }),
        }),
        { minLength: 1, maxLength: 40 },
      ),
    }),
  );

function regularFileText({
  shape,
  rows,
}: {
  shape: { delimiter: string; lineEnd: string; finalLineEnd: boolean; bom: boolean; extra: number };
  rows: { user: string; time: string; cells: string[] }[];
}): string {
  const d = shape.delimiter;
  const header = ['user_id', 'timestamp', ...Array.from({ length: shape.extra }, (_, i) => `c${i}`)].join(d);
  const lines = rows.map((r) => [r.user, r.time, ...r.cells].join(d));
  return (shape.bom ? '\uFEFF' : '') + [header, ...lines].join(shape.lineEnd) + (shape.finalLineEnd ? shape.lineEnd : '');
}

describe('the raw table of a generated regular file, read with its dialect', () => {
  it('equals the general read', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(regularFileArb, async (file) => {
        if (await expectSameRawTable(fileSource('generated.csv', new TextEncoder().encode(regularFileText(file))))) taken++;
      }),
      { seed: 17, numRuns: 60 },
    );
    // Most generated files are regular enough for the quick read, else this test tests little.
    console.log(`generated files the quick read takes: ${taken} of 60`);
    expect(taken).toBeGreaterThan(50);
  }, 300_000);
});

describe('readRegularRawTable', () => {
  it('numbers the rows itself when a file column is named rowid, as the general read does', async () => {
    const text = 'user_id,timestamp,rowid\nu1,2024-05-01T00:00:00Z,7\nu2,2024-05-01T00:01:00Z,\nu1,2024-05-01T00:02:00Z,"3"\n';
    expect(await expectSameRawTable(fileSource('rowid.csv', new TextEncoder().encode(text)))).toBe(true);
  });

  it('reads the file the general way when DuckDB cannot split a line with the dialect given', async () => {
    const source = fileSource('wider.csv', new TextEncoder().encode('user_id,timestamp,url\nu1,2024-05-01T00:00:00Z,/a\nu2,2024-05-01T00:01:00Z,/b\n'));
    const general = await readRawTable(engine, source, 1, inProcessIngest, true);
    statements = [];
    // Two names for three fields: the dialect-given read fails on the first line.
    const made = await readRegularRawTable(recording, source, 2, { delimiter: ',', quote: '"', columns: ['user_id', 'timestamp'] }, inProcessIngest);
    expect(statements.some((s) => s.includes('rejects_table'))).toBe(true);
    expect({ ...made, table: '', id: 0 }).toEqual({ ...general, table: '', id: 0 });
    expect(await rowsDiffering(general, made)).toBe(0);
    await engine.exec(`DROP TABLE ${quoteIdent(general.table)}; DROP TABLE ${quoteIdent(made.table)}`);
  });
});
