import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetFigures } from '../domain/types';
import { transcodeToUtf8 } from '../ingest/transcode';
import { minutesToUs } from '../domain/threshold';
import { sessionStatsSql } from '../sql/sessionize-sql';
import { dropTableSql, readDelimitedSql } from '../sql/read-sql';
import { dropLoaded, expectSoundOutcome, loadThroughApp, type LoadOutcome } from '../test/load-through-app';
import type { ChosenColumns } from '../domain/detect-columns';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { sniffSource } from './read-raw-table';
import { sniffFile, SNIFF_BYTES } from '../domain/sniff-file';

/*
 * Generated fuzzing of the load path (issue 6, item 2). Valid clickstream CSVs
 * (user_id,timestamp,url[,extra], ISO timestamps, some quoted fields holding commas and
 * quotes) are mutated: truncated at a byte, bytes flipped (NUL, quote, delimiter, newline,
 * CR, high bytes), stray quotes and delimiters inserted, columns shuffled (header and rows
 * alike), the header dropped or repeated, garbage lines appended, CRLF and LF mixed. Each
 * file goes through the app's loader as the page runs it (readRawTable -> detectRawMapping
 * -> buildEvents, src/test/load-through-app.ts) and must:
 *   - end within CASE_BOUND_MS (the Node engine blocks, so this is measured after the fact;
 *     a real hang is caught by the test's timeout);
 *   - either load with rowsRead >= 1 and events + skipped = rowsRead (the skip reasons
 *     summing to skipped, no more rows than lines), or end in a LoadError that names the
 *     file, with a message under 1,000 characters that names the line DuckDB reported when
 *     a malformed line is what stopped it; never another exception;
 *   - leave no table behind once the loaded raw/events tables are dropped.
 * And for valid files: shuffling the columns, or appending blank lines, changes none of
 * the figures (events, users, rows, skipped, first/last event, sessions at 30 min); a
 * dropped or repeated header, or one changed byte that is not a quote, loses no other row.
 * The blocks below assert the fixes of the loader bugs these found: one bad quote turning
 * quoting off for the whole file (91f99d4), an open quote in a fully quoted file getting it
 * refused (090c278), a quoted last field ending in CRLF in an LF file being set aside
 * (BUG 2), and the line named for a malformed line being DuckDB's count instead of the
 * file's line (BUG 3). No loader bug these properties found is open.
 * Seeds are fixed so a failure replays; fast-check prints the counterexample.
 */

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

/** Per file: the loader must be done by then (a few hundred ms is usual). */
const CASE_BOUND_MS = 10_000;
/** Per property, shrinking included. */
const PROPERTY_TIMEOUT_MS = 120_000;
const MAX_MESSAGE_CHARS = 1_000;
/** FUZZ_SEED and FUZZ_RUNS_SCALE (a factor on every numRuns) run a longer soak with other cases. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_501);
const RUNS_SCALE = Number(process.env.FUZZ_RUNS_SCALE ?? 1);

// ---------------------------------------------------------------------------------------
// Valid clickstreams

interface Cell {
  text: string;
  /** Quoted in the file even when the text does not need it. */
  quoted: boolean;
}

interface Clickstream {
  header: Cell[];
  rows: Cell[][];
  eol: '\n' | '\r\n';
  /** The last line ends with `eol`. */
  trailingEol: boolean;
}

const BASE_MS = Date.UTC(2024, 4, 1, 8, 0, 0);
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

type TimestampStyle = 'z' | 'millis' | 'offset' | 'zoneless';

function isoText(ms: number, style: TimestampStyle): string {
  // With an offset the wall clock moves by it, so the instant stays the same.
  const offsetMinutes = style === 'offset' ? 120 : 0;
  const d = new Date(ms + offsetMinutes * 60_000);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  switch (style) {
    case 'z':
      return `${date}T${clock}Z`;
    case 'millis':
      return `${date}T${clock}.${pad(d.getUTCMilliseconds(), 3)}Z`;
    case 'offset':
      return `${date}T${clock}+02:00`;
    case 'zoneless':
      return `${date}T${clock}`;
  }
}

/** Mostly unquoted; one cell in five quoted anyway. */
const quotedArb = fc.integer({ min: 0, max: 4 }).map((n) => n === 0);

const userArb = fc.constantFrom('u1', 'u2', 'u3', 'alice', 'bob.smith', '42', 'user 7', 'Zoë');
const urlArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 30 }).map((n) => `/p${n}`) },
  { weight: 1, arbitrary: fc.constantFrom('/search?q=a,b', 'https://example.com/a,b,c?x=1', '/q?term="shoes"', '/café', '') },
);
const extraArb = fc.record({
  name: fc.constantFrom('referrer', 'note', 'device'),
  values: fc.constantFrom('mobile', 'a, b', 'He said "hi", twice', '', 'x;y', 'desktop|tablet'),
});

const clickstreamArb: fc.Arbitrary<Clickstream> = fc
  .record({
    rows: fc.array(
      fc.record({
        user: userArb,
        // Seconds after BASE_MS, within six hours: sessions of several events and gaps.
        offsetS: fc.integer({ min: 0, max: 6 * 3600 }),
        millis: fc.integer({ min: 0, max: 999 }),
        url: urlArb,
        extra: fc.constantFrom('mobile', 'a, b', 'He said "hi", twice', '', 'x;y', 'desktop|tablet'),
        quoted: fc.array(quotedArb, { minLength: 4, maxLength: 4 }),
      }),
      { minLength: 5, maxLength: 60 },
    ),
    style: fc.constantFrom<TimestampStyle>('z', 'millis', 'offset', 'zoneless'),
    extra: fc.option(extraArb, { nil: null }),
    headerQuoted: fc.array(quotedArb, { minLength: 4, maxLength: 4 }),
    eol: fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
    trailingEol: fc.boolean(),
  })
  .map(({ rows, style, extra, headerQuoted, eol, trailingEol }) => {
    const names = ['user_id', 'timestamp', 'url', ...(extra ? [extra.name] : [])];
    const header = names.map((text, i) => ({ text, quoted: headerQuoted[i] ?? false }));
    const cells = rows.map((r) => {
      const ms = BASE_MS + r.offsetS * 1000 + (style === 'millis' ? r.millis : 0);
      const texts = [r.user, isoText(ms, style), r.url, ...(extra ? [r.extra] : [])];
      return texts.map((text, i) => ({ text, quoted: r.quoted[i] ?? false }));
    });
    return { header, rows: cells, eol, trailingEol };
  });

function field(cell: Cell): string {
  return cell.quoted || /[",\r\n]/.test(cell.text) ? `"${cell.text.replaceAll('"', '""')}"` : cell.text;
}

const csvLine = (cells: readonly Cell[]) => cells.map(field).join(',');

/** Lines (header first) and the line ending after each. */
interface Lines {
  lines: string[];
  eols: string[];
}

function toLines(file: Clickstream): Lines {
  const lines = [csvLine(file.header), ...file.rows.map(csvLine)];
  const eols = lines.map((_, i) => (i < lines.length - 1 || file.trailingEol ? file.eol : ''));
  return { lines, eols };
}

const joinLines = ({ lines, eols }: Lines) => lines.map((l, i) => l + (eols[i] ?? '')).join('');
const utf8 = (text: string) => new TextEncoder().encode(text);
const render = (file: Clickstream) => utf8(joinLines(toLines(file)));

/** The columns of header and rows taken in `order` (indexes of the file's columns). */
function permuteColumns(file: Clickstream, order: readonly number[]): Clickstream {
  const pick = (cells: Cell[]) => order.filter((i) => i < cells.length).map((i) => cells[i] as Cell);
  return { ...file, header: pick(file.header), rows: file.rows.map(pick) };
}

/** A permutation of 0..3; permuteColumns drops the indexes a 3-column file does not have. */
const orderArb = fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 });

// ---------------------------------------------------------------------------------------
// Mutations

type LineOp =
  | { kind: 'shuffle'; order: number[] }
  | { kind: 'drop-header' }
  | { kind: 'duplicate-header'; at: number }
  | { kind: 'garbage'; lines: string[]; at: number | 'end' }
  | { kind: 'mix-eol'; crlf: boolean[] };

type ByteOp = { kind: 'truncate'; at: number } | { kind: 'flip'; at: number; byte: number } | { kind: 'insert'; at: number; text: string };

/** NUL, quote, delimiters, newline, CR, tab, then any high byte or any byte at all. */
const specialByteArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0x00, 0x22, 0x2c, 0x0a, 0x0d, 0x09, 0x3b, 0x7c, 0x27, 0x5c) },
  { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x00, max: 0xff }) },
);
const strayArb = fc.constantFrom('"', '"', ',', ',', '""', '",', ',"', '\t', ';', '|', '\n', '\r', '\r\n', '"\n"', "'");
const garbageLineArb = fc.oneof(
  fc.constantFrom('garbage', ',,,,', '"unterminated', 'a;b;c;d', '# comment', 'total,,42', '\u0000\u0000', '🙂,é,ß', ' ', 'x,"y', '2024-13-45T99:99:99Z,u1,/x'),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

const lineOpArb: fc.Arbitrary<LineOp> = fc.oneof(
  orderArb.map((order) => ({ kind: 'shuffle' as const, order })),
  fc.constant({ kind: 'drop-header' as const }),
  fc.nat().map((at) => ({ kind: 'duplicate-header' as const, at })),
  fc.record({
    kind: fc.constant('garbage' as const),
    lines: fc.array(garbageLineArb, { minLength: 1, maxLength: 3 }),
    at: fc.oneof({ weight: 3, arbitrary: fc.constant('end' as const) }, { weight: 1, arbitrary: fc.nat() }),
  }),
  fc.array(fc.boolean(), { minLength: 61, maxLength: 61 }).map((crlf) => ({ kind: 'mix-eol' as const, crlf })),
);

const truncateArb = fc.nat().map((at) => ({ kind: 'truncate' as const, at }));
const flipArb = fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: specialByteArb });
const insertArb = fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: strayArb });
const byteOpArb: fc.Arbitrary<ByteOp> = fc.oneof(truncateArb, flipArb, insertArb);

function applyLineOps(file: Clickstream, ops: readonly LineOp[]): Uint8Array {
  let current = file;
  for (const op of ops) if (op.kind === 'shuffle') current = permuteColumns(current, op.order);
  const { lines, eols } = toLines(current);
  const eol = current.eol;
  for (const op of ops) {
    switch (op.kind) {
      case 'drop-header':
        lines.shift();
        eols.shift();
        break;
      case 'duplicate-header': {
        const at = op.at % (lines.length + 1);
        lines.splice(at, 0, lines[0] ?? '');
        eols.splice(at, 0, eol);
        break;
      }
      case 'garbage': {
        const at = op.at === 'end' ? lines.length : op.at % (lines.length + 1);
        // After a last line without an ending, the garbage starts a line of its own.
        if (at === lines.length && lines.length > 0 && eols[lines.length - 1] === '') eols[lines.length - 1] = eol;
        lines.splice(at, 0, ...op.lines);
        eols.splice(at, 0, ...op.lines.map(() => eol));
        break;
      }
      case 'mix-eol':
        for (let i = 0; i < eols.length; i++) if (eols[i] !== '') eols[i] = op.crlf[i % op.crlf.length] ? '\r\n' : '\n';
        break;
      case 'shuffle':
        break;
    }
  }
  return utf8(joinLines({ lines, eols }));
}

function applyByteOp(bytes: Uint8Array, op: ByteOp): Uint8Array {
  const at = op.at % (bytes.length + 1);
  switch (op.kind) {
    case 'truncate':
      return bytes.slice(0, at);
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      out[op.at % bytes.length] = op.byte;
      return out;
    }
    case 'insert': {
      const text = utf8(op.text);
      const out = new Uint8Array(bytes.length + text.length);
      out.set(bytes.subarray(0, at), 0);
      out.set(text, at);
      out.set(bytes.subarray(at), at + text.length);
      return out;
    }
  }
}

/** Whether the header, and how many data rows, end (their text, not their line ending) within the first `cut` bytes. */
function wholeRowsBefore(file: Clickstream, cut: number): { header: boolean; whole: number } {
  const { lines, eols } = toLines(file);
  let end = 0;
  let ended = 0;
  for (const [i, line] of lines.entries()) {
    const textEnd = end + utf8(line).length;
    if (textEnd > cut) break;
    ended++;
    end = textEnd + utf8(eols[i] ?? '').length;
  }
  return { header: ended >= 1, whole: Math.max(0, ended - 1) };
}

const QUOTE = 0x22;

/** The file's lines, split at CRLF, LF or a lone CR (a last line without an ending included). */
function physicalLines(bytes: Uint8Array): string[] {
  return decodeAsLoader(bytes).split(/\r\n|\n|\r/);
}

/** The file's text as the loader reads it: UTF-8, or the encoding it detects when the file is not (Windows-1252 as a rule). */
function decodeAsLoader(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const sniff = sniffFile('clicks.csv', bytes.subarray(0, SNIFF_BYTES), bytes.length);
    return new TextDecoder(sniff.ok ? sniff.encoding : 'windows-1252').decode(bytes);
  }
}

const applyByteOps = (bytes: Uint8Array, ops: readonly ByteOp[]) => ops.reduce(applyByteOp, bytes);

const nameArb = fc.constantFrom('clicks.csv', 'export (1).csv', 'événements.csv', 'clicks.txt', 'data');

// ---------------------------------------------------------------------------------------
// Running the loader and checking its outcome

let nextId = 1;

/** Every table in the engine; the loader's scratch tables included. */
async function tables(): Promise<string[]> {
  const rows = await engine.query<{ name: string }>('SELECT table_name AS name FROM duckdb_tables() ORDER BY table_name');
  return rows.map((r) => r.name);
}

async function dropTables(names: readonly string[]): Promise<void> {
  if (names.length > 0) await engine.exec(names.map(dropTableSql).join('; '));
}

/** The file lines an error names ("CSV Error on Line: 12", "line 12"), not the SQL it echoes ("LINE 2: SELECT"). */
function linesNamed(text: string): number[] {
  const prose = text
    .split('\n')
    .filter((l) => !/^LINE \d+:/.test(l.trim()))
    .join('\n');
  return [...prose.matchAll(/\bline:?\s*(\d+)/gi)].map((m) => Number(m[1]));
}

/**
 * DuckDB's own error for the loader's first read of the file (read_csv sniffing it all),
 * the error the loader reports when every read failed; null if that read succeeds.
 */
async function firstReadError(name: string, bytes: Uint8Array): Promise<string | null> {
  const sniff = await sniffSource({ name, size: bytes.length, data: bytes });
  const data = sniff.encoding === 'utf-8' ? bytes : (await transcodeToUtf8(bytes, sniff.encoding)).file;
  const file = 'fuzz_probe.csv';
  await engine.registerFile(file, data);
  try {
    await engine.exec(
      readDelimitedSql({ fileName: file, rawTable: 'fuzz_probe', rejectsTable: 'fuzz_probe_rejects', rejectsScanTable: 'fuzz_probe_scans', dialect: null }),
    );
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await engine.dropFile(file);
    await dropTables(['fuzz_probe', 'fuzz_probe_rejects', 'fuzz_probe_scans']);
  }
}

interface Loaded {
  outcome: LoadOutcome;
  /** The session count at 30 minutes, when the file loaded. */
  sessions: number | null;
}

/**
 * Loads one file as the page does, checks the invariants, and frees its tables;
 * `inspect` runs on the outcome before they are dropped.
 */
async function loadAndCheck(
  name: string,
  bytes: Uint8Array,
  inspect?: (outcome: LoadOutcome) => Promise<void>,
  /** The columns a person would choose if the page asks (a file without its header). */
  answer?: ChosenColumns,
): Promise<Loaded> {
  const id = nextId++;
  const started = performance.now();
  let outcome: LoadOutcome;
  let sessions: number | null = null;
  try {
    outcome = await loadThroughApp(engine, name, bytes, id, answer);
    const elapsed = performance.now() - started;
    expect(elapsed, 'the load ends within the bound').toBeLessThan(CASE_BOUND_MS);
    if (outcome.ok) {
      const [stats] = await engine.query<{ sessions: number }>(
        sessionStatsSql({ eventsTable: outcome.events.table, thresholdUs: minutesToUs(30), boundary: 'ge' }),
      );
      sessions = stats?.sessions ?? null;
    }
    await inspect?.(outcome);
  } finally {
    await dropLoaded(engine, id);
    // Anything else left is a leak of the loader's: freed here so later cases start clean,
    // and asserted below.
    const left = await tables();
    await dropTables(left);
    expect(left, 'tables left behind by the loader').toEqual([]);
  }
  await expectSound(name, bytes, outcome);
  return { outcome, sessions };
}

async function expectSound(name: string, bytes: Uint8Array, outcome: LoadOutcome): Promise<void> {
  // rowsRead >= 1 and events + skipped = rowsRead; or a LoadError naming the file, its problem said.
  expectSoundOutcome(outcome, name);
  if (outcome.ok) {
    const { skipped, rowsRead } = outcome.events.figures;
    // The reasons account for every skipped row (malformed lines included).
    expect(outcome.events.skippedByReason.reduce((sum, r) => sum + r.count, 0)).toBe(skipped);
    // No more rows than the file has lines.
    expect(rowsRead).toBeLessThanOrEqual(physicalLines(bytes).length);
    return;
  }
  const { error } = outcome;
  expect(error.message.length).toBeLessThan(MAX_MESSAGE_CHARS);
  // Every line split badly: the first one set aside is named.
  if (/no line could be split/.test(error.problem)) expect(error.problem).toMatch(/\(line \d+: /);
  // Every read failed: the loader reports DuckDB's error for its first read, line included.
  if (/DuckDB could not read it/.test(error.problem)) {
    const duckdb = await firstReadError(name, bytes);
    const reported = duckdb === null ? [] : linesNamed(duckdb);
    for (const line of reported.slice(0, 1)) {
      expect(linesNamed(error.problem), `DuckDB reported line ${line}: ${duckdb}`).toContain(line);
    }
  }
}

async function figuresOf(file: Uint8Array, name = 'clicks.csv'): Promise<DatasetFigures & { sessions: number | null; mapping: string }> {
  const { outcome, sessions } = await loadAndCheck(name, file);
  if (!outcome.ok) throw new Error(`a valid file did not load: ${outcome.error.message}`);
  const m = outcome.mapping;
  return { ...outcome.events.figures, sessions, mapping: `${m.user}|${m.timestamp}|${m.url}|${m.format}` };
}

/** A small file loaded through the app, with the user ids and urls of its events in file order. */
async function loadText(text: string): Promise<{ outcome: LoadOutcome; users: string[]; urls: (string | null)[] }> {
  let rows: { user: string; url: string | null }[] = [];
  const { outcome } = await loadAndCheck('clicks.csv', utf8(text), async (o) => {
    if (o.ok) rows = await engine.query(`SELECT user_id AS "user", url FROM "${o.events.table}" ORDER BY row_number`);
  });
  return { outcome, users: rows.map((r) => r.user), urls: rows.map((r) => r.url) };
}

const params = (numRuns: number) => ({ seed: SEED, numRuns: Math.max(1, Math.round(numRuns * RUNS_SCALE)) });

// ---------------------------------------------------------------------------------------

describe('loader fuzzing: mutated clickstreams load soundly or fail with a clear LoadError', () => {
  it('valid generated clickstreams load every row (the generator is sound)', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(clickstreamArb, async (file) => {
        const figures = await figuresOf(render(file));
        expect(figures.rowsRead).toBe(file.rows.length);
        expect(figures.events).toBe(file.rows.length);
        expect(figures.mapping).toBe('user_id|timestamp|url|iso');
      }),
      params(30),
    );
  });

  it('truncated at a random byte', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(clickstreamArb, truncateArb, nameArb, async (file, op, name) => {
        await loadAndCheck(name, applyByteOp(render(file), op));
      }),
      params(50),
    );
  });

  it('random bytes flipped (NUL, quote, delimiters, newline, CR, high bytes)', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(clickstreamArb, fc.array(flipArb, { minLength: 1, maxLength: 6 }), nameArb, async (file, ops, name) => {
        await loadAndCheck(name, applyByteOps(render(file), ops));
      }),
      params(60),
    );
  });

  it('stray quotes, delimiters and line breaks inserted', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(clickstreamArb, fc.array(insertArb, { minLength: 1, maxLength: 5 }), nameArb, async (file, ops, name) => {
        await loadAndCheck(name, applyByteOps(render(file), ops));
      }),
      params(60),
    );
  });

  it('columns shuffled, header dropped or repeated, garbage lines, CRLF and LF mixed', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(clickstreamArb, fc.array(lineOpArb, { minLength: 1, maxLength: 4 }), nameArb, async (file, ops, name) => {
        await loadAndCheck(name, applyLineOps(file, ops));
      }),
      params(60),
    );
  });

  it('line and byte mutations combined', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(
        clickstreamArb,
        fc.array(lineOpArb, { maxLength: 3 }),
        fc.array(byteOpArb, { minLength: 1, maxLength: 4 }),
        nameArb,
        async (file, lineOps, byteOps, name) => {
          await loadAndCheck(name, applyByteOps(applyLineOps(file, lineOps), byteOps));
        },
      ),
      params(70),
    );
  });
});

describe('loader fuzzing: what a valid file loads as does not depend on its layout', () => {
  it('shuffling the column order (header and rows alike) changes no figure', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(clickstreamArb, orderArb, async (file, order) => {
        const before = await figuresOf(render(file));
        const after = await figuresOf(render(permuteColumns(file, order)));
        expect(after).toEqual(before);
      }),
      params(40),
    );
  });

  it('appending blank lines changes no figure', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(clickstreamArb, fc.integer({ min: 1, max: 5 }), async (file, blank) => {
        const before = await figuresOf(render(file));
        const ended = file.trailingEol ? '' : file.eol;
        const after = await figuresOf(utf8(joinLines(toLines(file)) + ended + file.eol.repeat(blank)));
        expect(after).toEqual(before);
      }),
      params(40),
    );
  });

  it('the header dropped, or repeated among the rows, loses no event', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(clickstreamArb, fc.option(fc.nat(), { nil: null }), async (file, at) => {
        const op: LineOp = at === null ? { kind: 'drop-header' } : { kind: 'duplicate-header', at: 1 + (at % file.rows.length) };
        // Without its header the user column may be one of two alike (the extra column, a
        // device or a note, repeats as ids do): the page asks, and the person chooses column0.
        const { outcome } = await loadAndCheck('clicks.csv', applyLineOps(file, [op]), undefined, { user: 'column0' });
        if (!outcome.ok) throw new Error(`${op.kind}: ${outcome.error.message}`);
        expect(outcome.events.figures.events).toBe(file.rows.length);
      }),
      params(40),
    );
  });

  it('one byte after the header changed to anything but a quote loses at most the two rows it touches', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(
        clickstreamArb,
        flipArb.filter((f) => f.byte !== QUOTE),
        async (file, op) => {
          const bytes = render(file);
          const at = op.at % bytes.length;
          fc.pre(at > utf8(csvLine(file.header)).length && bytes[at] !== QUOTE);
          const { outcome } = await loadAndCheck('clicks.csv', applyByteOp(bytes, { ...op, at }));
          if (!outcome.ok) throw new Error(outcome.error.message);
          expect(outcome.events.figures.events).toBeGreaterThanOrEqual(file.rows.length - 2);
        },
      ),
      params(60),
    );
  });
});

/*
 * BUG 1 of the first fuzzing run, fixed by 91f99d4 (a read that leaves cells starting with a
 * quote mark scores lower, and dialects are tried on while the best read has such rows):
 * one bad quote (the last line cut inside a quoted field, a stray `"` in a field) made
 * DuckDB's sniffer fall back to quote='' and the loader kept that read, so quoted values
 * kept their quotation marks, valid rows with a quoted comma were set aside and quoted
 * timestamps got the whole file refused. Now the file is read with its quote and only the
 * broken line is set aside. An open quote in a file whose fields are all quoted still got
 * the whole file refused ("no column holds readable timestamps"): every read with quote '"'
 * threw, the one with the columns named on "The parallel scanner does not support
 * null_padding in conjunction with quoted new lines", leaving quote='' with every value in
 * quotes. Fixed by 090c278 (null_padding only for a widened header, then with parallel =
 * false): the named-columns read keeps the other rows and sets aside the lines the open
 * quote runs into.
 */
describe('loader fuzzing: one bad quote no longer turns quoting off for the whole file, nor gets a fully quoted file refused', () => {
  const failFast = (numRuns: number) => ({ ...params(numRuns), endOnFailure: true });

  it('a file cut at a random byte keeps every data row the cut left whole', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(clickstreamArb, truncateArb, async (file, op) => {
        const bytes = render(file);
        const cut = op.at % (bytes.length + 1);
        const { outcome } = await loadAndCheck('clicks.csv', bytes.slice(0, cut));
        const { header, whole } = wholeRowsBefore(file, cut);
        if (!header || whole === 0) return;
        // The header and `whole` rows are intact, then at most one partial row.
        if (!outcome.ok) throw new Error(`${whole} whole rows, yet: ${outcome.error.message}`);
        expect(outcome.events.figures.events).toBeGreaterThanOrEqual(whole);
        expect(outcome.events.figures.rowsRead).toBeLessThanOrEqual(whole + 1);
      }),
      failFast(50),
    );
  });

  it('smallest case: a last line cut inside a quoted field is set aside, the rows above load unquoted', async () => {
    const { outcome, users } = await loadText('user_id,timestamp\nu1,"2024-05-01T08:00:00Z"\nu2,"');
    // Was: "no column holds readable timestamps" (read with quote='', the quotes kept).
    expect(outcome.ok && outcome.events.figures).toMatchObject({ events: 1, rowsRead: 2, skipped: 1 });
    expect(users).toEqual(['u1']);
    expect(outcome.raw?.rejectedExamples.map((r) => [r.line, r.text])).toEqual([[3, 'u2,"']]);
  });

  it('smallest case: a stray quote in one line sets aside that line only, a quoted comma kept', async () => {
    const { outcome, users, urls } = await loadText(
      'user_id,timestamp,url\nu1,2024-05-01T08:00:00Z,"/a,b"\nu2,2024-05-01T08:01:00Z,/p1\nu2,2024-05-01T08:02:00Z,"/p"2"\n',
    );
    // Was: 2 events; line 2 set aside ("Expected Number of Columns: 3 Found: 4"), line 4's url kept as "/p"2".
    expect(outcome.ok && outcome.events.figures).toMatchObject({ events: 2, rowsRead: 3, skipped: 1 });
    expect(users).toEqual(['u1', 'u2']);
    expect(urls).toEqual(['/a,b', '/p1']);
    expect(outcome.raw?.rejectedExamples.map((r) => r.line)).toEqual([4]);
  });

  it('smallest case: an open quote in a fully quoted file sets aside the lines it runs into, the others load unquoted', async () => {
    const { outcome, users, urls } = await loadText(
      'user_id,timestamp,url\n"u1","2024-05-01T08:00:00Z","/a"\n"u2","2024-05-01T08:01:00Z","/b\n"u3","2024-05-01T08:02:00Z","/c"\n"u4","2024-05-01T08:03:00Z","/d"\n',
    );
    // Was (before 090c278): "no column holds readable timestamps" (read with quote='', every
    // value in quotes). Lines 3 and 4, which the open quote joins, are set aside.
    expect(outcome.ok).toBe(true);
    expect(users).toEqual(['u1', 'u4']);
    expect(urls).toEqual(['/a', '/d']);
  });
});

/*
 * Loader bugs these properties found, each kept as its property and the smallest input
 * found (they were it.fails until fixed):
 *
 * (BUG 1, an open quote in a fully quoted file getting it refused, is fixed by 090c278:
 * see the block above.)
 *
 * BUG 2 (fixed), a CRLF line in an LF file lost its row when its last field was quoted: the
 *   strict reads set it aside as "Value with unterminated quote found" (the \r after the
 *   closing quote), so mixing line endings changed the figures. Now a file whose first
 *   bytes mix CRLF and LF and whose best strict read set lines aside is also read
 *   leniently (widened, so no value is cut), and that read keeps the row.
 *
 * (BUG 3, the line named for a malformed line being DuckDB's count, is fixed: see the
 * block below.)
 */
describe('loader fuzzing: mixed line endings change no figure (BUG 2, fixed)', () => {
  const failFast = (numRuns: number) => ({ ...params(numRuns), endOnFailure: true });

  it('BUG 2 (fixed): mixing CRLF and LF line endings in a valid file changes no figure', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(clickstreamArb, fc.array(fc.boolean(), { minLength: 61, maxLength: 61 }), async (file, crlf) => {
        const before = await figuresOf(render(file));
        const after = await figuresOf(applyLineOps(file, [{ kind: 'mix-eol', crlf }]));
        expect(after).toEqual(before);
      }),
      failFast(60),
    );
  });

  it('BUG 2 (fixed), smallest case: a CRLF line ending in a quoted field, in an LF file, loads', async () => {
    const { outcome } = await loadText('user_id,timestamp,url\nu1,2024-05-01T08:00:00Z,"/p0"\r\nu2,2024-05-01T08:01:00Z,/p1\n');
    // Was: 1 event, line 2 set aside as "Value with unterminated quote found."
    expect(outcome.ok && outcome.events.figures).toMatchObject({ events: 2, skipped: 0, rowsRead: 2 });
    expect(outcome.raw?.notes).toEqual(['The file could only be read leniently (its lines end in both CR LF and LF).']);
  });
});

/*
 * BUG 3 of the fuzzing runs, fixed: the line number given for a malformed line was DuckDB's
 * count, which counts each CRLF twice in a file whose first line ends in LF and does not
 * count line breaks inside quoted fields, so the person was sent to the wrong line. Now the
 * loader counts the file's line breaks up to the byte position DuckDB's rejects table gives
 * (src/ingest/file-lines.ts), and where that position is off (some reads of files with mixed
 * line endings give an earlier record's), finds the set-aside text from there on.
 */
describe("loader fuzzing: the line named for a malformed line is the file's line", () => {
  const failFast = (numRuns: number) => ({ ...params(numRuns), endOnFailure: true });

  it('the line named for a malformed line is the file line that holds it', { timeout: PROPERTY_TIMEOUT_MS }, async () => {
    await fc.assert(
      fc.asyncProperty(
        clickstreamArb,
        fc.array(lineOpArb, { maxLength: 3 }),
        fc.array(byteOpArb, { minLength: 1, maxLength: 4 }),
        async (file, lineOps, byteOps) => {
          const bytes = applyByteOps(applyLineOps(file, lineOps), byteOps);
          const text = decodeAsLoader(bytes);
          // Lone CRs left out: whether they end a line is DuckDB's call.
          fc.pre((text.match(/\r/g) ?? []).length === (text.match(/\r\n/g) ?? []).length);
          const { outcome } = await loadAndCheck('clicks.csv', bytes);
          const lines = text.split('\n');
          // The first line of the set-aside text (DuckDB may start it with the line break before it).
          const head = (t: string | undefined) => (t ?? '').replace(/^[\r\n]+/, '').split(/\r|\n/)[0];
          for (const r of outcome.raw?.rejectedExamples ?? []) {
            const first = head(r.text);
            // DuckDB gives some set-aside lines no text: nothing to compare.
            if (first === '') continue;
            const named = lines[r.line - 1];
            // A whole line of the file starts the named line; DuckDB shows only part of a line
            // in some reads (mixed line endings), which the named line then holds.
            if (lines.some((l) => head(l) === first)) expect(head(named), `line ${r.line}: ${JSON.stringify(r.text)}`).toBe(first);
            else expect(named, `line ${r.line}: ${JSON.stringify(r.text)}`).toContain(first);
          }
        },
      ),
      failFast(150),
    );
  });

  it('smallest case: a CRLF line in an LF file, then a short line: read leniently, the short line a skipped row', async () => {
    // Was [[5, 'x']] (DuckDB counted the CRLF twice), then [[4, 'x']]. Since the fix of BUG 2
    // a file mixing line endings whose strict read sets lines aside is read leniently, so the
    // short line is no longer set aside: it is padded, counted in a note, and skipped as a row
    // without a timestamp (row 3 of the data, the file's line 4).
    const { outcome } = await loadText('user_id,timestamp,url\nu1,2024-05-01T08:00:00Z,/p0\r\nu2,2024-05-01T08:01:00Z,/p1\nx\n');
    expect(outcome.raw?.rejectedExamples).toEqual([]);
    expect(outcome.raw?.notes).toContain('1 line has fewer fields than the header: its missing values are left empty.');
    expect(outcome.ok && outcome.events.figures).toMatchObject({ rowsRead: 3, events: 2, skipped: 1 });
    expect(outcome.ok && outcome.events.skippedExamples).toEqual([{ row: 3, reason: 'missing timestamp', user: 'x', timestamp: null }]);
  });

  it('smallest case: a line break inside a quoted field counts as a line', async () => {
    const { outcome } = await loadText('user_id,timestamp,url,note\nu1,2024-05-01T08:00:00Z,/p0,"two\nlines"\nu2,2024-05-01T08:01:00Z,/p1,x\nx\n');
    // Was [[4, 'x']]: DuckDB counts records, not the line breaks inside quoted fields.
    expect(outcome.raw?.rejectedExamples.map((r) => [r.line, r.text.trim()])).toEqual([[5, 'x']]);
  });
});

describe('loader fuzzing: the harness', () => {
  it('a loaded file leaves exactly its raw and events tables, which dropLoaded frees', async () => {
    const id = nextId++;
    const outcome = await loadThroughApp(engine, 'clicks.csv', utf8('user_id,timestamp\nu1,2024-05-01T10:00:00Z\n'), id);
    expect(outcome.ok).toBe(true);
    expect(await tables()).toEqual([`events_${id}`, `raw_${id}`].sort());
    await dropLoaded(engine, id);
    expect(await tables()).toEqual([]);
  });
});
