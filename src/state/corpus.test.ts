import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import type { ColumnMapping } from '../domain/types';
import {
  describeOutcome, dropLoaded, expectSoundOutcome, loadThroughApp, messageDefects,
  type LoadOutcome, type MessageDefect,
} from '../test/load-through-app';

/*
 * Every input file of the shared robustness corpus (../shared/peer-suites/csv-corpus, see
 * its README for what each file exercises) goes through the loader as the page runs it.
 * Each must load with sound accounting or end in a LoadError naming the file. Where the
 * corpus has an expected parse (csv-spectrum, Pollock) the raw table is compared with it,
 * and every place where the app differs is listed in a table below with the reason.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.resolve(repoRoot, '../shared/peer-suites/csv-corpus');
const corpusExists = fs.existsSync(path.join(corpusDir, 'README.md'));
if (!corpusExists) console.warn(`csv corpus not found at ${corpusDir}: the corpus suite is skipped.`);

/** Expected outputs, license texts and the manifest: not inputs. */
const NOT_INPUT = [
  /^csv-spectrum\/json\//,
  /^pollock\/polluted_files\/(clean|parameters)\//,
  /(^|\/)(LICENSE(\.md|\.txt)?|NOTICE\.txt|COPYING|README\.md)$/,
];

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const inputs = corpusExists
  ? walk(corpusDir)
    .map((file) => path.relative(corpusDir, file).split(path.sep).join('/'))
    .filter((rel) => !NOT_INPUT.some((re) => re.test(rel)))
    .sort()
  : [];

/*
 * Error messages that fall short of ui-contract.md ("a message a person can act on").
 * Each is a loader bug reported to the loader's owner; when one is fixed, its line here
 * fails and is to be removed. None is known since e2abc23: the sniffing errors of mixed
 * line endings are gone (the retried reads load those files), so is DuckDB's Latin-1
 * error (non-UTF-8 text is re-encoded in JS), and header names are cut to 40 characters.
 */
const KNOWN_MESSAGE_DEFECTS: Record<string, MessageDefect[]> = {};

/** Quote-aware count of CSV records (the clean Pollock files quote every field). */
function countRecords(text: string): number {
  let records = 0;
  let inQuotes = false;
  let pending = false;
  for (const ch of text) {
    if (ch === '"') inQuotes = !inQuotes;
    if (ch === '\n' && !inQuotes) {
      records++;
      pending = false;
    } else if (ch !== '\r') {
      pending = true;
    }
  }
  return records + (pending ? 1 : 0);
}

interface PollockParameters {
  header_lines: number;
  n_columns: number;
}

/*
 * Where the app's raw table differs from Pollock's expected table. Defaults: as many
 * columns as n_columns, as many rows read as the clean file has data rows, no line set
 * aside as malformed.
 */
const POLLOCK_DEVIATIONS: Record<string, { columns?: number; rowsRead?: number; malformed?: number; why: string }> = {
  'file_field_delimiter_0x20.csv': {
    columns: 1,
    why: 'space delimiter not sniffed (nor by sniff_csv): each line is one value, then a "found a single column" LoadError',
  },
  'file_header_multirow_2.csv': {
    rowsRead: 84,
    why: 'the second header line is read as a data row (then skipped: unreadable timestamp)',
  },
  'file_header_multirow_3.csv': {
    rowsRead: 85,
    why: 'the 2nd and 3rd header lines are read as data rows (then skipped: unreadable timestamp)',
  },
  'file_preamble.csv': {
    rowsRead: 85,
    why: 'the preamble line "PREAMBLE,,,,,,,," becomes the header (columns PREAMBLE, column1, …) and the real header a data row',
  },
  'file_multitable_less.csv': {
    rowsRead: 166, malformed: 106,
    why: 'both tables read as one; with store_rejects the sniffer drops the quote char, so every line with a quoted comma is malformed. The retries do not help: sniff_csv answers delimiter "|", quote none (one column), and the RFC 4180 retry takes that "|"',
  },
  'file_multitable_more.csv': {
    rowsRead: 166, malformed: 97,
    why: 'as file_multitable_less.csv',
  },
  'file_quotation_char_0x27.csv': {
    malformed: 48,
    why: "quote char ' not detected (Men's, won't…): 48 of 83 lines with a quoted comma are set aside as malformed; sniff_csv answers delimiter \"|\" (one column), so the retries keep fewer columns and lose",
  },
  'row_extra_quote10_col6.csv': {
    malformed: 48,
    why: 'one stray quote on line 11 makes the sniffer (store_rejects implies ignore_errors) pick quote=none: 48 of 83 lines lost as malformed. The RFC 4180 retry would keep all 83 rows in 9 columns with ",", but it takes sniff_csv\'s delimiter, "|" here',
  },
  'row_less_sep_row10_col3.csv': {
    malformed: 1,
    why: 'the polluted line has 8 fields: set aside as malformed (and counted) instead of repaired',
  },
  'row_field_delimiter_10_0x20.csv': {
    malformed: 1,
    why: 'the polluted line has 1 field: set aside as malformed (and counted)',
  },
  // row_more_sep_row10_col3.csv matches the defaults, but see its test: one line is shifted.
};

/*
 * Outcomes pinned file by file: first the files the corpus manifest says native DuckDB
 * "quietly degrades" (single VARCHAR column, 0 rows, first row used as header), then files
 * e2abc23 fixed, then files where the app still does worse than it should (loader bugs,
 * reported; "regression" where it did better before e2abc23).
 */
type Pinned =
  | { loaded: [events: number, skipped: number, rowsRead: number]; mapping?: Partial<ColumnMapping> }
  | { error: RegExp };
const PINNED: Record<string, Pinned> = {
  // single VARCHAR column natively
  'pollock/polluted_files/csv/row_less_sep_row10_col3.csv': { loaded: [82, 1, 83] },
  'pollock/polluted_files/csv/row_extra_quote10_col6.csv': { loaded: [35, 48, 83] }, // 48 lines lost (POLLOCK_DEVIATIONS)
  'pollock/polluted_files/csv/row_field_delimiter_10_0x20.csv': { loaded: [82, 1, 83] },
  'pollock/polluted_files/csv/file_multitable_less.csv': { loaded: [60, 106, 166] },
  'pollock/polluted_files/csv/file_multitable_more.csv': { loaded: [69, 97, 166] },
  'pollock/polluted_files/csv/file_quotation_char_0x27.csv': { loaded: [35, 48, 83] },
  'csvkit/examples/bad.csv': { error: /no column holds readable timestamps \(columns: "column_a", "column_b", "column_c"\)/ },
  'duckdb/data/csv/extra_delimiters.csv': { error: /no column holds readable timestamps \(columns: "a", "b", "c"\)/ },
  'duckdb/data/csv/unescaped_quotes/unescaped_quote.csv': { error: /no column holds readable timestamps/ },
  'duckdb/data/csv/rejects/multiple_errors/multiple_errors.csv': { loaded: [2, 5, 7] },
  // 0 rows natively
  'duckdb/data/csv/all_quotes.csv': { error: /no column holds readable timestamps \(columns: "upc", "name", "description", "price"\)/ },
  'duckdb/data/csv/test/long_escaped_value.csv': { error: /^has a header \("1🦆2🦆"a{32}…"\) but no data rows\.$/u },
  'duckdb/data/csv/segfault.csv': { error: /^has a header \("a", """\) but no data rows\.$/ },
  // first row used as header natively: the app reads all 3,102 lines as data
  'duckdb/data/csv/error/timestamp.csv': { loaded: [3101, 1, 3102] },

  // Fixed by e2abc23. UTF-16BE (FE FF) is re-encoded in JS: a,b,c as csvkit expects.
  'csvkit/examples/test_utf16_big.csv': { error: /^no column holds readable timestamps \(columns: "a", "b", "c"\)/ },
  // Junk, comment and note lines above the header are skipped (sniff_csv's SkipRows), as
  // native read_csv() does: 1x3, 2x3 and 2x3 as the manifest says.
  'duckdb/data/csv/auto/multiple_skip_row.csv': { loaded: [1, 0, 1], mapping: { user: 'number', timestamp: 'date', format: 'iso' } },
  'duckdb/data/csv/dirty_line.csv': { error: /^no column holds readable timestamps \(columns: "COL1", "COL2", "COL3"\)/ },
  'duckdb/data/csv/comments/comment_skip.csv': { error: /^no column holds readable timestamps \(columns: "x", "y", "z"\)/ },
  // As native (1x2): the one-column "content" header and its multi-line tweet are taken
  // for lines above the header and skipped; "84,hello world" is the one row.
  'duckdb/data/csv/csv_quoted_newline_odd.csv': { error: /^no column holds readable timestamps \(columns: "column0", "column1"\)/ },
  // CRLF header, LF rows: read (the retry with RFC 4180) instead of DuckDB's sniffing error.
  'csvlint.rb/features/fixtures/inconsistent-line-endings.csv': { error: /^no column holds readable timestamps \(columns: "Foo", "Bsr", "Baz"\)/ },
  'csvlint.rb/features/fixtures/inconsistent-line-endings-unquoted.csv': { error: /^no column holds readable timestamps \(columns: "Foo", "Bsr", "Baz"\)/ },
  // DD-MM-YY timestamps ("02-02-02 14:15:00") are no longer read as ISO (the years 2 to
  // 90 AD): the DD-MM-YYYY date "d" with the time of day "t" is the timestamp.
  'duckdb/data/csv/auto/time_date_timestamp_dd-mm-yy.csv': { loaded: [3, 0, 3], mapping: { user: 'b', timestamp: 'd', time: 't', format: 'dmy' } },

  // Still wrong (reported).
  // The header line id,name,lat,lon is dropped: the row has 5 fields, sniff_csv says skip 1
  // line, no header, so the names become column0…column4 and the header line is counted
  // nowhere (native read_csv() does the same; before e2abc23: refused, "no line could be
  // split"). Should be: the header's names with a 5th column.
  'duckdb/data/csv/locations_row_trailing_comma.csv': { error: /^no column holds readable timestamps \(columns: "column0", "column1", "column2", "column3", "column4"\)/ },
  // Regression. Header One,two,three then rows of 4, 3, 5 and 5 fields: before e2abc23 the
  // header and 1 row were kept, 3 lines set aside and counted (rowsRead 4, malformed 3).
  // Now the sniff_csv read (skip 5 lines, no header, 5 columns) keeps 2 rows and wins: the
  // header and two rows vanish, counted nowhere, and the names are column0…column4.
  'duckdb/data/csv/inconsistent_cells.csv': { error: /^no column holds readable timestamps \(columns: "column0", "column1", "column2", "column3", "column4"\)/ },
  // Regression. A quoted header name holding tab, newline, VT, FF and CR: 3 VT bytes are
  // 8% of the 40-byte file, over the 5% control-byte rule, so it is called binary. Before
  // e2abc23 it was read (1 row x 3 columns, as natively) and refused for its lack of
  // timestamps. Should be: read as text (a share of a few bytes in a tiny file says little).
  'csvkit/examples/test_header_newline.csv': { error: /^cannot be read as a clickstream: it looks binary, not text \(8% of its first 40 bytes are control characters\)\.$/ },
  // Headerless files with mixed CRLF/LF line endings: read_csv and sniff_csv give up, and
  // the RFC 4180 retry forces header = true, so the first data row names the columns and
  // is counted nowhere ("1","2","3" / "10","hello","20"; native: sniffing error).
  'duckdb/data/csv/mixed_new_line.csv': { error: /^no column holds readable timestamps \(columns: "1", "2", "3"\)/ },
  'duckdb/data/csv/test/mixed_line_endings.csv': { error: /^no column holds readable timestamps \(columns: "10", "hello", "20"\)/ },
  // Shift-JIS is read as Windows-1252: the error lists mojibake names ("–¼‘O", "”N—î" for
  // 名前, 年齢) and, being an error, shows none of the notes, so nothing says the file was
  // read in another encoding. Should be: the error says the file is not UTF-8 (and how it
  // was read), as the note does. Before e2abc23: DuckDB's "File is not latin-1 encoded"
  // with the SQL echoed. (Node 20.18.3+ decodes 0x91-0x97 as C1 controls, nodejs/node#60888;
  // browsers give – ‘ ” —.)
  'duckdb/data/csv/encodings/shift_jis.csv': { error: /^no column holds readable timestamps \(columns: "[\u0096–]¼[\u0091‘]O", "[\u0094”]N[\u0097—]î"\)/ },
};

/** Instants a clickstream can hold: outside them a timestamp was misread. */
const PLAUSIBLE_US: [from: number, to: number] = [Date.UTC(1900, 0, 1) * 1000, Date.UTC(2100, 0, 1) * 1000];
/**
 * Loaded files whose events fall outside PLAUSIBLE_US (loader bugs, reported). None since
 * e2abc23: time_date_timestamp_dd-mm-yy.csv, read as the years 2 to 90 AD before, is pinned
 * in PINNED with its right reading.
 */
const KNOWN_IMPLAUSIBLE: Record<string, string> = {};

const outcomes = new Map<string, string>();

describe.skipIf(!corpusExists)(`csv corpus at ${corpusDir}`, () => {
  let engine: NodeEngine;
  let nextId = 1;

  beforeAll(async () => {
    engine = await createNodeEngine();
  });

  afterAll(() => {
    engine?.close();
    const loaded = [...outcomes.values()].filter((o) => o.startsWith('loaded')).length;
    const width = Math.max(...[...outcomes.keys()].map((k) => k.length));
    console.log([
      `csv corpus: ${outcomes.size} files, ${loaded} loaded, ${outcomes.size - loaded} LoadError`,
      '(loaded events/skipped/rowsRead with the detected columns | LoadError: first 100 chars)',
      ...[...outcomes].map(([file, outcome]) => `${file.padEnd(width)}  ${outcome.replace(/\s+/g, ' ')}`),
    ].join('\n'));
  });

  /** Loads `rel` through the app, checks the outcome is sound, runs `more`, frees the tables. */
  async function run(rel: string, more?: (outcome: LoadOutcome) => Promise<void>): Promise<LoadOutcome> {
    const name = path.basename(rel);
    const id = nextId++;
    const outcome = await loadThroughApp(engine, name, new Uint8Array(fs.readFileSync(path.join(corpusDir, rel))), id);
    outcomes.set(rel, describeOutcome(outcome));
    try {
      expectSoundOutcome(outcome, name);
      if (!outcome.ok) expect(messageDefects(outcome.error), outcome.error.message).toEqual(KNOWN_MESSAGE_DEFECTS[rel] ?? []);
      if (outcome.ok) {
        const { firstEventUs, lastEventUs } = outcome.events.figures;
        const plausible = firstEventUs !== null && lastEventUs !== null && firstEventUs >= PLAUSIBLE_US[0] && lastEventUs < PLAUSIBLE_US[1];
        expect(plausible, `events from ${firstEventUs} to ${lastEventUs} µs`).toBe(!(rel in KNOWN_IMPLAUSIBLE));
      }
      const pinned = PINNED[rel];
      if (pinned && 'loaded' in pinned) {
        expect(outcome.ok ? [outcome.events.figures.events, outcome.events.figures.skipped, outcome.events.figures.rowsRead] : outcome.error.message).toEqual(pinned.loaded);
        if (outcome.ok && pinned.mapping) expect(outcome.mapping).toMatchObject(pinned.mapping);
      } else if (pinned) {
        expect(outcome.ok ? describeOutcome(outcome) : outcome.error.problem).toMatch(pinned.error);
      }
      await more?.(outcome);
    } finally {
      await dropLoaded(engine, id);
    }
    return outcome;
  }

  it('finds the 145 input files the manifest lists', () => {
    expect(inputs).toHaveLength(145);
    for (const rel of [...Object.keys(KNOWN_MESSAGE_DEFECTS), ...Object.keys(PINNED), ...Object.keys(KNOWN_IMPLAUSIBLE)]) expect(inputs).toContain(rel);
  });

  const spectrum = inputs.filter((rel) => rel.startsWith('csv-spectrum/csvs/'));
  const pollock = inputs.filter((rel) => rel.startsWith('pollock/polluted_files/csv/'));
  const others = inputs.filter((rel) => !spectrum.includes(rel) && !pollock.includes(rel));

  describe('csv-spectrum: raw table equals the expected parse', () => {
    for (const rel of spectrum) {
      it(rel, async () => {
        const expected = JSON.parse(fs.readFileSync(path.join(corpusDir, rel.replace('/csvs/', '/json/').replace(/\.csv$/, '.json')), 'utf8')) as Record<string, string>[];
        await run(rel, async (outcome) => {
          // None of these has a timestamp column, so each ends in a LoadError after the raw
          // table was read; the raw table is what the exports and the SQL panel would see.
          const raw = outcome.raw;
          expect(raw, 'the raw table was read').not.toBeNull();
          if (!raw) return;
          expect(raw.rowsRead).toBe(expected.length);
          expect(raw.rejected).toBe(0);
          expect(raw.columns).toEqual(Object.keys(expected[0] ?? {}));
          const rows = await engine.query<Record<string, string | null>>(`SELECT * FROM "${raw.table}"`);
          // DuckDB reads an empty field, quoted or not, as NULL; the events export writes NULL
          // as an empty cell, so NULL stands for the expected "".
          expect(rows.map((row) => Object.fromEntries(raw.columns.map((c) => [c, row[c] ?? ''])))).toEqual(expected);
        });
      }, 20_000);
    }
  });

  describe('Pollock: column count and rows read against the expected table', () => {
    for (const rel of pollock) {
      const name = path.basename(rel);
      it(rel, async () => {
        const dir = path.join(corpusDir, 'pollock/polluted_files');
        const params = JSON.parse(fs.readFileSync(path.join(dir, 'parameters', `${name}_parameters.json`), 'utf8')) as PollockParameters;
        const cleanRecords = countRecords(fs.readFileSync(path.join(dir, 'clean', name), 'utf8'));
        const cleanRows = cleanRecords - (params.header_lines > 0 ? 1 : 0);
        const deviation = POLLOCK_DEVIATIONS[name];
        await run(rel, async (outcome) => {
          const raw = outcome.raw;
          if (!raw) {
            // Only the empty and the header-only file stop before a raw table exists.
            expect(cleanRows).toBe(0);
            return;
          }
          expect(raw.columns.length).toBe(deviation?.columns ?? params.n_columns);
          expect(raw.rowsRead).toBe(deviation?.rowsRead ?? cleanRows);
          expect(raw.rejected).toBe(deviation?.malformed ?? 0);
          if (name === 'row_more_sep_row10_col3.csv') {
            // Known deviation: this file meets the defaults only because DuckDB keeps the
            // 10-field line 11 (its last field is empty) with every value from PRODUCTID on
            // shifted one column right. The clean file has PRODUCTID BH-9827, Price $78.07;
            // the line is neither rejected nor counted, it silently loses its alignment.
            const [row] = await engine.query<Record<string, string | null>>(`SELECT "PRODUCTID", "Price" FROM "${raw.table}" WHERE rowid = 9`);
            expect(row).toEqual({ PRODUCTID: null, Price: 'BH-9827' });
          }
        });
      }, 20_000);
    }
  });

  describe('every other input: loads with sound accounting or a LoadError naming it', () => {
    for (const rel of others) it(rel, async () => { await run(rel); }, 20_000);
  });
});
