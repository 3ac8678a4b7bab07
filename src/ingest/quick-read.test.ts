import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffFile, SNIFF_BYTES } from '../domain/sniff-file';
import { zonelessShareSql } from '../sql/events-sql';
import { eventsChecksum, eventsChecksumSql } from '../test/sql-oracles';
import { gapColumnsSql, rawColumnSql, urlColumnSql } from '../sql/gap-columns-sql';
import { gapColumnsFromIpc, splitCodesFromRawIpc, urlColumnFromIpc } from '../stats/gap-columns';
import { dropLoaded, loadThroughApp } from '../test/load-through-app';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { fileHead, planQuickRead, QUICK_READ_HEAD_BYTES, QUICK_READ_WIDE_HEAD_BYTES, quickRead, type QuickRead } from './quick-read';

/*
 * The quick read must give exactly what the DuckDB path gives (the raw table, the detected
 * mapping, the events table and the columns the stats worker reads from it), or decline.
 * Events are compared by row number: the two orders of users differ.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const encode = (text: string) => new TextEncoder().encode(text);

let engine: NodeEngine;
let nextId = 1;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine?.close());

function dialectOf(bytes: Uint8Array): { delimiter: string; quote: string } | null {
  const sniff = sniffFile('f.csv', bytes.subarray(0, SNIFF_BYTES), bytes.length);
  if (!sniff.ok || sniff.kind !== 'delimited' || sniff.encoding !== 'utf-8' || !sniff.firstLine) return null;
  return { delimiter: sniff.firstLine.delimiter, quote: sniff.firstLine.quote };
}

/** The quick read of `bytes` as the page would start it (null when sniffFile sees no UTF-8 delimited file). */
function quickReadFile(bytes: Uint8Array): QuickRead | null {
  const dialect = dialectOf(bytes);
  return dialect ? quickRead(bytes, dialect) : null;
}

interface PerRow {
  gap: number;
  ts: number;
  url: string | null;
  split: number;
}

/** Asserts that the accepted quick read equals what the DuckDB path makes of the same bytes. */
async function expectSameAsDuckDb(name: string, bytes: Uint8Array, quick: Extract<QuickRead, { ok: true }>): Promise<void> {
  const id = nextId++;
  const outcome = await loadThroughApp(engine, name, bytes, id);
  try {
    if (!outcome.ok) throw new Error(`${name}: the quick read accepted a file the DuckDB path refuses: ${outcome.error.message}`);
    const table = `events_${id}`;
    expect(quick.columns, name).toEqual(outcome.raw.columns);
    expect(quick.mapping, name).toEqual(outcome.mapping);
    expect(quick.figures, name).toEqual(outcome.events.figures);
    expect(quick.skipped, name).toEqual({ byReason: outcome.events.skippedByReason, examples: outcome.events.skippedExamples });
    const [zoneless] = await engine.query<{ share: number }>(
      zonelessShareSql({ rawTable: outcome.raw.table, columns: outcome.raw.columns, mapping: outcome.mapping }),
    );
    expect(quick.zonelessShare, name).toBe(zoneless?.share);
    const events = gapColumnsFromIpc(await engine.queryIpc(gapColumnsSql(table)), outcome.events.figures.users);
    const [sql] = await engine.query<{ checksum: number }>(eventsChecksumSql(table));
    expect(eventsChecksum(quick.events), name).toBe(sql?.checksum);
    expect(eventsChecksum(events), name).toBe(sql?.checksum);
    const url = outcome.mapping.url ? await dictionaryColumn(urlColumnSql(table), urlColumnFromIpc) : null;
    const split = quick.split
      ? await dictionaryColumn(rawColumnSql(outcome.raw.table, quick.split.column), (ipc) => splitCodesFromRawIpc(ipc, events.rows))
      : null;
    const duck = new Map<number, PerRow>();
    events.rows.forEach((row, i) => {
      const code = url?.codes[i] ?? -1;
      duck.set(row, {
        gap: events.gaps[i] as number,
        ts: events.times[i] as number,
        url: code < 0 ? null : (url?.labels[code] ?? null),
        split: split?.[i] ?? -1,
      });
    });
    expect(quick.url === null, name).toBe(url === null);
    // Split codes are equal where the cell text is: compare the classes, not the numbers.
    const splitPairs = new Map<number, number>();
    const reversePairs = new Map<number, number>();
    quick.events.rows.forEach((row, k) => {
      const d = duck.get(row);
      const code = quick.url?.codes[k] ?? -1;
      const mine = { gap: quick.events.gaps[k], ts: quick.events.times[k], url: code < 0 ? null : quick.url?.labels[code], split: d?.split };
      expect(mine, `${name} row ${row}`).toEqual(d);
      const q = quick.split?.codes[k] ?? -1;
      const s = d?.split ?? -1;
      expect(q < 0, `${name} row ${row} split`).toBe(s < 0);
      if (q >= 0) {
        expect(splitPairs.get(q) ?? s, `${name} row ${row} split class`).toBe(s);
        expect(reversePairs.get(s) ?? q, `${name} row ${row} split class`).toBe(q);
        splitPairs.set(q, s);
        reversePairs.set(s, q);
      }
    });
    expect(quick.events.rows.length).toBe(duck.size);
    expect(quick.events.users).toBe(events.users);
  } finally {
    await dropLoaded(engine, id);
  }
}

async function dictionaryColumn<T>(sql: { query: string; drop: string }, decode: (ipc: Uint8Array) => T): Promise<T> {
  try {
    return decode(await engine.queryIpc(sql.query));
  } finally {
    await engine.exec(sql.drop);
  }
}

// ---------------------------------------------------------------------------------------
// Generated files: regular rows mixed with the irregular cases the quick read must decline
// or read as DuckDB does.

const HEADERS = [
  ['user_id', 'timestamp', 'url', 'referrer', 'device'],
  ['visitor', 'ts', 'page', 'utm_campaign'],
  ['event_time', 'user', 'path'],
  ['userId', 'time', 'action', 'source', 'note'],
];
const USERS = ['u1', 'u2', 'u3', 'alice', 'Zoë', '用户7', 'a b', '42', 'x;y', 'u-\u00e9\u0301'];
const TEXTS = [
  '/a',
  '/b?x=1',
  'https://ex.com/p',
  'mobile',
  'Café',
  ' /spaced ',
  'a,b',
  'x|y',
  '\u00a0',
  '  ',
  'ok',
  "it's",
  "'q,x'",
  'a\tb',
  '#x',
  '2024-05-01T10:00:00Z',
  '42',
];

type Style = 'clean' | 'mixed';

const instantArb = fc
  .integer({ min: Date.UTC(2023, 11, 30, 0, 0, 1), max: Date.UTC(2024, 2, 2) })
  .chain((ms) =>
    fc.tuple(
      fc.constant(ms),
      fc.integer({ min: 0, max: 999 }),
      fc.integer({ min: 0, max: 6 }),
      fc.constantFrom('T', ' '),
      fc.constantFrom('Z', '', '+05:30', '-08:00', '+14:00', '+00:00'),
    ),
  );

type Instant = [number, number, number, string, string];

function isoText([ms, micros, digits, separator, zone]: Instant): string {
  const base = new Date(ms).toISOString().slice(0, 19).replace('T', separator);
  const fraction = String((ms % 1000) * 1000 + micros)
    .padStart(6, '0')
    .slice(0, digits);
  return `${base}${digits > 0 ? `.${fraction}` : ''}${zone}`;
}

const IRREGULAR_TS = [
  '2023-02-29T10:00:00Z',
  '2024-01-01T24:00:00Z',
  '2024-01-01T10:00:00.1234567Z',
  '2024-01-01T10:00:00+15:00',
  '2024-01-01T10:00:00z',
  ' 2024-01-01T10:00:00Z',
  '2024-01-01T10:00Z',
  '2024-01-01',
  '',
  'not-a-time',
  '01/02/2024 10:00',
  '2024-01-01T10:00:00+0530',
  '1899-12-31T23:00:00Z',
];

const rowArb = fc.record({
  user: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...USERS) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 500 }).map((n) => `user${n}`) }),
  ts: instantArb,
  texts: fc.array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TEXTS) }, { weight: 1, arbitrary: fc.constant('') }), { minLength: 5, maxLength: 5 }),
  quoted: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
  irregular: fc.integer({ min: 0, max: 40 }),
  tsIrregular: fc.constantFrom(...IRREGULAR_TS),
});

interface GeneratedFile {
  text: string;
  style: Style;
}

function cell(value: string, quoted: boolean, delimiter: string): string {
  return quoted || value.includes(delimiter) || value.includes('"') ? `"${value.replaceAll('"', '""')}"` : value;
}

const fileArb = (style: Style): fc.Arbitrary<GeneratedFile> =>
  fc
    .record({
      header: fc.constantFrom(...HEADERS),
      delimiter: fc.constantFrom(',', ',', ';', '\t', '|'),
      crlf: fc.boolean(),
      rows: fc.array(rowArb, { minLength: 1, maxLength: 60 }),
      finalBreak: fc.boolean(),
      // File-wide shapes: one zone or fraction length throughout (DuckDB's sniffer types such a
      // column), a few instants only (ties), a BOM, a quoted header.
      zone: fc.constantFrom(null, 'Z', '', '+02:00'),
      digits: fc.constantFrom(null, 0, 3, 6),
      ties: fc.boolean(),
      bom: fc.boolean(),
      quotedHeader: fc.boolean(),
    })
    .map(({ header, delimiter, crlf, rows, finalBreak, zone, digits, ties, bom, quotedHeader }) => {
      const tsOf = ([ms, micros, d, separator, z]: Instant) =>
        isoText([ties ? Date.UTC(2024, 0, 1, 9) + (ms % 4) * 60_000 : ms, ties ? 0 : micros, digits ?? d, separator, zone ?? z]);
      const userAt = header.findIndex((h) => /user|visitor/i.test(h));
      const tsAt = header.findIndex((h) => /time|ts/i.test(h) && !/user/i.test(h));
      const lineBreak = crlf ? '\r\n' : '\n';
      const lines = [`${bom ? '\uFEFF' : ''}${header.map((h) => (quotedHeader ? `"${h}"` : h)).join(delimiter)}`];
      for (const r of rows) {
        const irregular = style === 'mixed' ? r.irregular : 0;
        // A cell starting with ' is irregular (DuckDB's sniffer may take ' for the quote).
        const text = (i: number) => (style === 'clean' ? (r.texts[i] ?? '').replace(/^'/, '') : (r.texts[i] ?? ''));
        const values = header.map((_, i) => (i === userAt ? r.user : i === tsAt ? tsOf(r.ts) : text(i)));
        if (irregular === 1) values[tsAt] = r.tsIrregular;
        if (irregular === 2) values[userAt] = '';
        if (irregular === 3) values[userAt] = ` ${r.user}`;
        if (irregular === 4) values.push('extra');
        if (irregular === 5) values.pop();
        if (irregular === 11) values[values.length - 1] = 'say "hi"';
        if (irregular === 14) values[tsAt] = `${values[tsAt]} `;
        if (irregular === 15) values[userAt] = '  ';
        if (irregular === 16) values[userAt] = `${r.user}\u00a0`;
        let line = values.map((v, i) => cell(v, r.quoted[i] ?? false, delimiter)).join(delimiter);
        if (irregular === 6) line = line.replace(/\/[a-z]/, (m) => `${m}"q`);
        if (irregular === 7) line = `${line}${delimiter}`;
        if (irregular === 8) lines.push('');
        if (irregular === 9) line = `${line}\r`;
        if (irregular === 10) line = line.replace(cell(values[userAt] ?? '', false, delimiter), `"${values[userAt]}\nmore"`);
        if (irregular === 12) line = header.join(delimiter);
        if (irregular === 13) line = `#${line}`;
        lines.push(line);
      }
      return { text: lines.join(lineBreak) + (finalBreak ? lineBreak : ''), style };
    });

describe('quickRead on generated files', () => {
  it('reads every clean generated file, and as the DuckDB path does', async () => {
    await fc.assert(
      fc.asyncProperty(fileArb('clean'), async (file) => {
        const bytes = encode(file.text);
        const quick = quickReadFile(bytes);
        expect(quick).not.toBeNull();
        if (!quick?.ok) throw new Error(`declined a clean file: ${quick?.reason}\n${file.text.slice(0, 400)}`);
        await expectSameAsDuckDb('clean.csv', bytes, quick);
      }),
      { numRuns: 100, seed: 1 },
    );
  }, 300_000);

  it('reads irregular generated files as the DuckDB path does, or declines them', async () => {
    let accepted = 0;
    let runs = 0;
    const reasons = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fileArb('mixed'), async (file) => {
        runs++;
        const bytes = encode(file.text);
        const quick = quickReadFile(bytes);
        if (!quick) return;
        if (!quick.ok) {
          const reason = quick.reason.replace(/^data row \d+: /, '').replace(/"[^"]*"/g, '…');
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          return;
        }
        accepted++;
        await expectSameAsDuckDb('mixed.csv', bytes, quick);
      }),
      { numRuns: 250, seed: 2 },
    );
    console.log(`mixed files: ${accepted}/${runs} accepted; declined for`, Object.fromEntries(reasons));
    expect(accepted).toBeGreaterThan(runs * 0.1);
  }, 600_000);
});

describe('quickRead in two halves (a second worker reads the second, as for big files)', () => {
  it('gives what one read gives, at any line start, or declines as it does', async () => {
    let split = 0;
    await fc.assert(
      fc.property(fc.oneof(fileArb('clean'), fileArb('mixed')), fc.double({ min: 0, max: 1, noNaN: true }), (file, where) => {
        const bytes = encode(file.text);
        const dialect = dialectOf(bytes);
        if (!dialect) return;
        const whole = quickRead(bytes, dialect);
        // A line start past the header line (the part re-reads the header itself).
        const headerEnd = bytes.indexOf(10) + 1;
        if (headerEnd <= 0 || headerEnd >= bytes.length) return;
        const lineEnd = bytes.indexOf(10, headerEnd + Math.floor(where * (bytes.length - headerEnd)));
        if (lineEnd < 0 || lineEnd + 1 >= bytes.length) return;
        const halves = quickRead(bytes, dialect, { splitAt: lineEnd + 1 });
        expect(halves.ok, `${halves.ok ? '' : halves.reason} / ${whole.ok ? '' : whole.reason}`).toBe(whole.ok);
        if (!whole.ok || !halves.ok) return;
        split++;
        // The same events, in the same order, with the same labels (codes in order of first appearance).
        expect(halves).toEqual(whole);
      }),
      { numRuns: 400, seed: 3 },
    );
    expect(split).toBeGreaterThan(40);
  }, 120_000);

  it('plans from the first lines when they hold the sampled rows, and asks for the whole file when they do not', () => {
    const comma = { delimiter: ',', quote: '"' };
    const lines = ['user_id,timestamp,url'];
    for (let i = 0; i < 2100; i++) lines.push(`u${i % 50},2024-05-01T10:${String(i % 60).padStart(2, '0')}:00Z,/${'x'.repeat(2500)}`);
    const bytes = encode(`${lines.join('\n')}\n`);
    const head = fileHead(bytes, bytes.length);
    expect(head.length).toBeLessThanOrEqual(QUICK_READ_HEAD_BYTES);
    expect(head[head.length - 1]).toBe(10);
    expect(planQuickRead(head, comma, bytes.length)).toMatchObject({ ok: false, needsWholeFile: true });
    expect(planQuickRead(bytes, comma).ok).toBe(true);
    // The stats engine then reads a larger head (never all of a big file at once).
    expect(planQuickRead(fileHead(bytes, bytes.length, QUICK_READ_WIDE_HEAD_BYTES), comma, bytes.length).ok).toBe(true);
    const narrow = encode(
      `${lines
        .slice(0, 3000)
        .map((l) => l.slice(0, 40))
        .join('\n')}\n`,
    );
    expect(planQuickRead(fileHead(narrow, narrow.length), comma, narrow.length).ok).toBe(true);
  });

  it('splits the 100k benchmark file and reads it as one read does', () => {
    const file = path.join(repoRoot, 'bench/data/clicks-100000-seed7-ooo0.02.csv');
    if (!fs.existsSync(file)) return;
    const bytes = new Uint8Array(fs.readFileSync(file));
    const at = bytes.indexOf(10, bytes.length >> 1) + 1;
    const comma = { delimiter: ',', quote: '"' };
    expect(quickRead(bytes, comma, { splitAt: at })).toEqual(quickRead(bytes, comma));
  });
});

describe('quickRead in pieces (the stats worker reads a file in slices: quick-read-chunks.ts)', () => {
  it('gives what one read gives at any slice size, or declines as it does, whole or in two halves', async () => {
    let pieces = 0;
    await fc.assert(
      fc.property(fc.oneof(fileArb('clean'), fileArb('mixed')), fc.integer({ min: 1, max: 200 }), fc.boolean(), (file, chunkBytes, halves) => {
        const bytes = encode(file.text);
        const dialect = dialectOf(bytes);
        if (!dialect) return;
        const headerEnd = bytes.indexOf(10) + 1;
        const splitAt = halves && headerEnd > 0 ? bytes.indexOf(10, (headerEnd + bytes.length) >> 1) + 1 : 0;
        const options = splitAt > headerEnd && splitAt < bytes.length ? { splitAt } : {};
        const whole = quickRead(bytes, dialect, options);
        const chunked = quickRead(bytes, dialect, { ...options, chunkBytes });
        expect(chunked.ok, `${chunked.ok ? '' : chunked.reason} / ${whole.ok ? '' : whole.reason}`).toBe(whole.ok);
        if (!whole.ok || !chunked.ok) return;
        pieces++;
        expect(chunked).toEqual(whole);
      }),
      { numRuns: 400, seed: 5 },
    );
    expect(pieces).toBeGreaterThan(80);
  }, 120_000);

  it('reads the 100k benchmark file in 1 MB slices as one read does', () => {
    const file = path.join(repoRoot, 'bench/data/clicks-100000-seed7-ooo0.02.csv');
    if (!fs.existsSync(file)) return;
    const bytes = new Uint8Array(fs.readFileSync(file));
    const comma = { delimiter: ',', quote: '"' };
    expect(quickRead(bytes, comma, { chunkBytes: 1024 ** 2 })).toEqual(quickRead(bytes, comma));
  });
});

// ---------------------------------------------------------------------------------------

const corpusDir = path.resolve(repoRoot, '../shared/peer-suites/csv-corpus');
function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

describe('quickRead on the csv corpus', () => {
  it.skipIf(!fs.existsSync(corpusDir))(
    'reads each corpus file it accepts as the DuckDB path does',
    async () => {
      const accepted: string[] = [];
      let files = 0;
      for (const file of walk(corpusDir).sort()) {
        const bytes = new Uint8Array(fs.readFileSync(file));
        const quick = quickReadFile(bytes);
        files++;
        if (!quick?.ok) continue;
        const name = path.relative(corpusDir, file);
        accepted.push(name);
        await expectSameAsDuckDb(name, bytes, quick);
      }
      console.log(`csv corpus: ${accepted.length} of ${files} files accepted:`, accepted);
    },
    600_000,
  );
});

describe('quickRead on the sample and a generated 100k file', () => {
  it('reads a file wider than the profiled columns, its user and timestamp past them, as the DuckDB path does', async () => {
    const fillers = Array.from({ length: 305 }, (_, i) => `c${i}`);
    const row = (user: string, ts: string, url: string) => [...fillers.map((_, i) => (i % 7 === 0 ? '' : `v${i}`)), user, ts, url].join(',');
    const text = [
      [...fillers, 'user_id', 'timestamp', 'page'].join(','),
      row('u1', '2024-05-01T10:00:00Z', '/a'),
      row('u2', '2024-05-01T09:00:00+01:00', ''),
      row('u1', '2024-05-01T09:59:59.5Z', '/b'),
    ].join('\n');
    const bytes = encode(text);
    const quick = quickReadFile(bytes);
    if (!quick?.ok) throw new Error(`declined the wide file: ${quick?.reason}`);
    await expectSameAsDuckDb('wide.csv', bytes, quick);
  }, 120_000);

  it('accepts the bundled sample and reads it as the DuckDB path does', async () => {
    const bytes = new Uint8Array(fs.readFileSync(path.join(repoRoot, 'public/sample/clicks-sample.csv')));
    const quick = quickReadFile(bytes);
    if (!quick?.ok) throw new Error(`declined the sample: ${quick?.reason}`);
    expect(quick.figures.skipped).toBe(5);
    await expectSameAsDuckDb('clicks-sample.csv', bytes, quick);
  }, 120_000);

  const big = path.join(repoRoot, 'bench/data/clicks-100000-seed7-ooo0.02.csv');
  it.skipIf(!fs.existsSync(big))(
    'accepts the 100k benchmark file and reads it as the DuckDB path does',
    async () => {
      const bytes = new Uint8Array(fs.readFileSync(big));
      const quick = quickReadFile(bytes);
      if (!quick?.ok) throw new Error(`declined the 100k file: ${quick?.reason}`);
      await expectSameAsDuckDb('clicks-100000.csv', bytes, quick);
    },
    300_000,
  );
});

describe('quickRead declines what it cannot be sure DuckDB reads the same way', () => {
  const header = 'user_id,timestamp,url';
  const good = 'u1,2024-05-01T10:00:00Z,/a';
  const comma = { delimiter: ',', quote: '"' };
  const cases: [string, string | Uint8Array, RegExp, { delimiter: string; quote: string }?][] = [
    ['a quote other than " or none', `${header}\n${good}\n`, /quote "'"/, { delimiter: ',', quote: "'" }],
    ['an unusual delimiter', `${header}\n${good}\n`, /delimiter/, { delimiter: ':', quote: '"' }],
    ['invalid UTF-8', new Uint8Array([...encode(`${header}\nu1,2024-05-01T10:00:00Z,/`), 0xff, 0x0a]), /invalid UTF-8/],
    ['a truncated UTF-8 sequence at the end', new Uint8Array([...encode(`${header}\nu1,2024-05-01T10:00:00Z,/`), 0xc3]), /invalid UTF-8/],
    ['an overlong UTF-8 encoding', new Uint8Array([...encode(`${header}\nu1,2024-05-01T10:00:00Z,/`), 0xc0, 0xaf, 0x0a]), /invalid UTF-8/],
    ['a UTF-16 surrogate encoded in UTF-8', new Uint8Array([...encode(`${header}\nu1,2024-05-01T10:00:00Z,/`), 0xed, 0xa0, 0x80, 0x0a]), /invalid UTF-8/],
    ['an empty header name', `user_id,,timestamp\nu1,x,2024-05-01T10:00:00Z\n`, /empty header name/],
    ['a repeated header name', `user_id,timestamp,Timestamp\nu1,2024-05-01T10:00:00Z,x\n`, /repeated/],
    ['a header name with surrounding whitespace', `user_id, timestamp,url\n${good}\n`, /whitespace/],
    ['a header name with a quote', `user_id,"time""stamp",url\n${good}\n`, /escaped quote/],
    ['a header name with a control character', `user_id,time\u0001stamp,timestamp\nu1,a,2024-05-01T10:00:00Z\n`, /control character/],
    ['a line with fewer fields', `${header}\n${good}\nu2,2024-05-01T10:00:00Z\n`, /data row 2: field count 2, header has 3/],
    ['a line with more fields', `${header}\n${good},x\n`, /data row 1: more fields/],
    ['a trailing delimiter', `${header}\n${good},\n`, /more fields/],
    ['a blank line', `${header}\n${good}\n\n${good}\n`, /after data row 1: blank line/],
    ['a blank line at the end', `${header}\n${good}\n\n`, /blank line/],
    ['a blank first line', `\n${header}\n${good}\n`, /blank first line/],
    ['a lone CR', `${header}\n${good}\ru2,2024-05-01T10:00:00Z,/b\n`, /CR LF line break in a file of LF|CR/],
    ['CR LF lines in an LF file', `${header}\n${good}\r\n${good}\n`, /CR LF line break in a file of LF/],
    ['LF lines in a CR LF file', `${header}\r\n${good}\n${good}\r\n`, /LF line break in a file of CR LF/],
    ['a quoted line break', `${header}\n${good}\nu2,2024-05-01T10:00:00Z,"/a\nb"\n`, /line break inside quotes/],
    ['an escaped quote', `${header}\nu2,2024-05-01T10:00:00Z,"/a""b"\n`, /escaped quote/],
    ['a first quoted field far down', `${header}\n${`${good}\n`.repeat(1000)}u2,2024-05-01T10:00:00Z,"/b"\n`, /data row 1001: the first quoted field/],
    ['a cell starting with an apostrophe', `${header}\nu2,2024-05-01T10:00:00Z,'/a,b'\n`, /starting with '/],
    ['a quoted cell starting with an apostrophe', `${header}\nu2,2024-05-01T10:00:00Z,"'/a"\n`, /starting with '/],
    ['a backslash before a quote', `${header}\nu2,2024-05-01T10:00:00Z,"/a\\"\n`, /backslash before a quote/],
    ['an escaped quote at the start of a cell', `${header},note\nu2,2024-05-01T10:00:00Z,/a,"""hi"""\n`, /escaped quote/],
    ['a quote inside an unquoted field', `${header}\nu2,2024-05-01T10:00:00Z,/a"b\n`, /quote inside an unquoted field/],
    ['text after a closing quote', `${header}\nu2,2024-05-01T10:00:00Z,"/a"b\n`, /text after a closing quote/],
    ['an unclosed quote', `${header}\nu2,2024-05-01T10:00:00Z,"/a`, /unclosed quote/],
    [
      'a quote mark in a file read without quoting',
      `${header}\nu2,2024-05-01T10:00:00Z,"/a"\n`,
      /quote inside an unquoted field/,
      { delimiter: ',', quote: '' },
    ],
    ['a NUL byte', `${header}\nu2,2024-05-01T10:00:00Z,/a\u0000\n`, /NUL/],
    ['a user id with leading whitespace', `${header}\n u1,2024-05-01T10:00:00Z,/a\n`, /user id with surrounding whitespace/],
    ['a user id with trailing whitespace', `${header}\nu1 ,2024-05-01T10:00:00Z,/a\n`, /user id with surrounding whitespace/],
    ['a blank user id (NBSP)', `${header}\n\u00a0,2024-05-01T10:00:00Z,/a\n`, /user id with surrounding whitespace/],
    ['a timestamp with surrounding whitespace', `${header}\n${good}\nu1,2024-05-01T10:00:00Z ,/a\n`, /timestamp not in the form/],
    ['a timestamp with leading whitespace', `${header}\n${good}\nu1, 2024-05-01T10:00:00Z,/a\n`, /timestamp not in the form/],
    ['February 29 of a common year', `${header}\n${good}\nu1,2023-02-29T10:00:00Z,/a\n`, /data row 2: timestamp not in the form/],
    ['hour 24', `${header}\n${good}\nu1,2024-05-01T24:00:00Z,/a\n`, /timestamp not in the form/],
    ['second 60', `${header}\n${good}\nu1,2024-05-01T10:00:60Z,/a\n`, /timestamp not in the form/],
    ['seven fraction digits', `${header}\n${good}\nu1,2024-05-01T10:00:00.1234567Z,/a\n`, /timestamp not in the form/],
    ['an offset of 15 hours', `${header}\n${good}\nu1,2024-05-01T10:00:00+15:00,/a\n`, /timestamp not in the form/],
    ['an offset without a colon', `${header}\n${good}\nu1,2024-05-01T10:00:00+0530,/a\n`, /timestamp not in the form/],
    ['a lower-case z', `${header}\n${good}\nu1,2024-05-01T10:00:00z,/a\n`, /timestamp not in the form/],
    ['a date without seconds', `${header}\n${good}\nu1,2024-05-01T10:00Z,/a\n`, /timestamp not in the form/],
    ['a year out of range', `${header}\n${good}\nu1,1899-12-31T10:00:00Z,/a\n`, /timestamp not in the form/],
    ['a date-like text that is not ISO', `${header}\n${good}\nu1,2024/05/01 10:00:00,/a\n`, /timestamp not in the form/],
    ['only midnights in the sample', `${header}\nu1,2024-05-01T00:00:00Z,/a\nu1,2024-05-02T00:00:00Z,/a\n`, /midnight/],
    ['a row repeating the header', `${header}\n${good}\n${header}\n${good}\n`, /data row 2: repeats the header/],
    ['a line starting with #', `${header}\n${good}\n#u1,2024-05-01T10:00:00Z,/a\n`, /starts with #/],
    ['a first data line starting with #', `${header}\n#u1,2024-05-01T10:00:00Z,/a\n${good}\n`, /data row 1: starts with #/],
    ['a single column', `timestamp\n2024-05-01T10:00:00Z\n`, /fewer than two columns/],
    ['no data rows', `${header}\n`, /no data rows/],
    ['no readable event', `${header}\n,2024-05-01T10:00:00Z,/a\nu1,,/b\n`, /no row has both/],
    ['a user column not found by name', `who,timestamp,url\nu1,2024-05-01T10:00:00Z,/a\n`, /no column is named like a user id/],
    ['a timestamp column not found by name', `user_id,stamp,url\n${good}\n`, /not found by name/],
    ['two columns named like timestamps', `user_id,ts,timestamp\nu1,2024-05-01T10:00:00Z,hello\n`, /another column is named like a timestamp/],
    ['a day/month timestamp column', `user_id,timestamp,url\nu1,01/05/2024 10:00,/a\n`, /timestamp format (dmy|mdy)|no mapping/],
  ];
  it.each(cases)('declines %s', (_what, text, reason, dialect) => {
    const result = quickRead(typeof text === 'string' ? encode(text) : text, dialect ?? comma);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('accepts a BOM, CR LF line breaks, quoted cells and no final line break', async () => {
    const bytes = encode(`\uFEFF"user_id",timestamp,url\r\n"u1",2024-05-01T10:00:00Z,"/a,b"\r\nu1,2024-05-01T10:00:00.5+02:00,`);
    const result = quickRead(bytes, comma);
    if (!result.ok) throw new Error(result.reason);
    await expectSameAsDuckDb('bom.csv', bytes, result);
    expect(result.columns).toEqual(['user_id', 'timestamp', 'url']);
    expect(Array.from(result.events.times)).toEqual([Date.UTC(2024, 4, 1, 8, 0, 0, 500) * 1000, Date.UTC(2024, 4, 1, 10) * 1000]);
    expect(Array.from(result.events.gaps)).toEqual([-1, Date.UTC(2024, 4, 1, 10) * 1000 - Date.UTC(2024, 4, 1, 8, 0, 0, 500) * 1000]);
    expect(Array.from(result.events.rows)).toEqual([2, 1]);
    expect(result.url?.labels).toEqual(['/a,b']);
    expect(Array.from(result.url?.codes ?? [])).toEqual([-1, 0]);
  });

  it('reads instants before 1970 and after 2100 as DuckDB does (negative times: % truncates alike in the checksum)', async () => {
    const bytes = encode(
      `${header}\nu1,1950-03-01T10:00:00.000001Z,/a\nu1,1900-01-01 00:00:01-14:00,/b\nu2,2199-12-31T23:59:59.999999+14:00,/a\nu2,2000-02-29T12:00:00,/c\n`,
    );
    const result = quickRead(bytes, comma);
    if (!result.ok) throw new Error(result.reason);
    expect(result.events.times[0]).toBeLessThan(0);
    await expectSameAsDuckDb('old.csv', bytes, result);
  }, 60_000);

  it('accepts escaped quotes in a column it does not read, as DuckDB reads them', async () => {
    const bytes = encode(`${header},note\n${good},"say ""hi"", twice"\nu2,2024-05-01T10:00:01Z,/b,"a""b"\n`);
    const result = quickRead(bytes, comma);
    if (!result.ok) throw new Error(result.reason);
    await expectSameAsDuckDb('escaped.csv', bytes, result);
  }, 60_000);

  it('accepts quoted fields far down when quotes come early too, as DuckDB reads them', async () => {
    const bytes = encode(`${header}\nu1,2024-05-01T10:00:00Z,"/a"\n${`${good}\n`.repeat(30_000)}u2,2024-05-01T10:00:00Z,"/b"\n`);
    const result = quickRead(bytes, comma);
    if (!result.ok) throw new Error(result.reason);
    expect(result.url?.labels).toEqual(['/a', '/b']);
    await expectSameAsDuckDb('late-quote.csv', bytes, result);
  }, 60_000);

  it('accepts an escaped quote far below the first quoted field, as DuckDB reads it', async () => {
    const line = (note: string) => `u1,2024-05-01T10:00:00Z,/a,${note}\n`;
    const bytes = encode(`${header},note\n${line('"x"')}${line('y').repeat(30_000)}${line('"say ""hi"""')}${line('z').repeat(10)}`);
    const result = quickRead(bytes, comma);
    if (!result.ok) throw new Error(result.reason);
    await expectSameAsDuckDb('late-escape.csv', bytes, result);
  }, 60_000);

  it('skips rows without a user id or with an empty or non-date timestamp, as the events table does', async () => {
    const bytes = encode(`${header}\n,2024-05-01T10:00:00Z,/a\nu1,,/a\nu1,not-a-time,/a\n${good}\n`);
    const result = quickRead(bytes, comma);
    if (!result.ok) throw new Error(result.reason);
    await expectSameAsDuckDb('skips.csv', bytes, result);
    expect(result.figures).toMatchObject({ rowsRead: 4, events: 1, skipped: 3, users: 1 });
    expect(Array.from(result.events.rows)).toEqual([4]);
  });
});
