import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
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
 * fails and is to be removed.
 */
const KNOWN_MESSAGE_DEFECTS: Record<string, MessageDefect[]> = {
  // readRawTable passes DuckDB's sniffer error through: it names the registered copy
  // "upload_N.csv" and says nothing a person can do (mixed CRLF/LF line endings).
  'csvlint.rb/features/fixtures/inconsistent-line-endings-unquoted.csv': ['internal-name', 'engine-jargon'],
  'csvlint.rb/features/fixtures/inconsistent-line-endings.csv': ['internal-name', 'engine-jargon'],
  'duckdb/data/csv/mixed_new_line.csv': ['internal-name', 'engine-jargon'],
  'duckdb/data/csv/mixed_new_line_2.csv': ['internal-name', 'engine-jargon'],
  'duckdb/data/csv/test/mixed_line_endings.csv': ['internal-name', 'engine-jargon'],
  // Not UTF-8, so read as Latin-1; DuckDB's latin-1 decoder refuses bytes 0x80-0x9F and
  // its error quotes the SQL ("LINE 2: SELECT * FROM read_csv('upload_N.csv', ...").
  'duckdb/data/csv/encodings/shift_jis.csv': ['internal-name', 'engine-sql', 'engine-jargon'],
  // "has a header (…) but no data rows" pastes the header names whole: here a 30 KB value.
  'duckdb/data/csv/test/long_escaped_value.csv': ['too-long'],
};

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
    columns: 1, malformed: 73,
    why: 'space delimiter not sniffed: one column, then "found a single column" LoadError',
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
    why: 'both tables read as one; with store_rejects the sniffer drops the quote char, so every line with a quoted comma is malformed',
  },
  'file_multitable_more.csv': {
    rowsRead: 166, malformed: 97,
    why: 'as file_multitable_less.csv',
  },
  'file_quotation_char_0x27.csv': {
    malformed: 48,
    why: "quote char ' not detected (Men's, won't…): 48 of 83 lines with a quoted comma are set aside as malformed",
  },
  'row_extra_quote10_col6.csv': {
    malformed: 48,
    why: 'one stray quote on line 11 makes the sniffer (store_rejects implies ignore_errors) pick quote=none: 48 of 83 lines lost as malformed',
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
 * where the app does worse than it should (loader bugs, reported).
 */
type Pinned = { loaded: [events: number, skipped: number, rowsRead: number] } | { error: RegExp };
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
  'duckdb/data/csv/test/long_escaped_value.csv': { error: /^has a header \(1🦆2🦆"a+""b+"\) but no data rows\.$/ },
  'duckdb/data/csv/segfault.csv': { error: /^has a header \(a, "\) but no data rows\.$/ },
  // first row used as header natively: the app reads all 3,102 lines as data
  'duckdb/data/csv/error/timestamp.csv': { loaded: [3101, 1, 3102] },

  // Loader bugs. UTF-16BE (FE FF) is passed to DuckDB as 'utf-16', which is little-endian:
  // the header comes out as CJK-looking garbage. Should load as a,b,c (then: no timestamps).
  'csvkit/examples/test_utf16_big.csv': { error: /^has a header \(\uFFFE\u6100/ },
  // store_rejects implies ignore_errors, which turns off the sniffer's skip-row detection:
  // native read_csv() skips the junk/comment lines above the header (manifest: 1x3, 2x3,
  // 2x3, 1x5, 1x2); the app reads the junk line as the header. No timestamps in any of
  // them, but a clickstream export with a title line fails the same way.
  'duckdb/data/csv/auto/multiple_skip_row.csv': { error: /^no line could be split into the file's columns \(line 2: Expected Number of Columns: 1 Found: 2\)/ },
  'duckdb/data/csv/dirty_line.csv': { error: /^no line could be split into the file's columns \(line 2: Expected Number of Columns: 1 Found: 2\)/ },
  'duckdb/data/csv/comments/comment_skip.csv': { error: /^found a single column \("skip this line"\)/ },
  'duckdb/data/csv/locations_row_trailing_comma.csv': { error: /^no line could be split into the file's columns \(line 2: Expected Number of Columns: 4 Found: 5\)/ },
  'duckdb/data/csv/csv_quoted_newline_odd.csv': { error: /^found a single column \("content"\)/ },
};

/** Instants a clickstream can hold: outside them a timestamp was misread. */
const PLAUSIBLE_US: [from: number, to: number] = [Date.UTC(1900, 0, 1) * 1000, Date.UTC(2100, 0, 1) * 1000];
/** Loaded files whose events fall outside PLAUSIBLE_US (loader bugs, reported). */
const KNOWN_IMPLAUSIBLE: Record<string, string> = {
  // DD-MM-YY timestamps ("02-02-02 14:15:00"). Read as dmy, strptime's %Y takes the
  // two-digit years as 2 to 90 AD; read as iso, DuckDB's cast takes "02-02-02" as
  // 0002-02-02 and "13-12-04" as 0013-12-04. Should be: 2002…, or no timestamp column
  // (the file also has a DD-MM-YYYY date column "d" and a time column "t").
  'duckdb/data/csv/auto/time_date_timestamp_dd-mm-yy.csv': 'events in the years 2 to 90 AD',
};

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
