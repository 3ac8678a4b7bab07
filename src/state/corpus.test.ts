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
    why: 'regression of 286d108 (see PINNED): both tables read as one with no quote character; 48 lines of the first table and 58 of the second set aside, 25 of each kept shifted (before: the first table exact, the second set aside, 83)',
  },
  'file_multitable_more.csv': {
    rowsRead: 166, malformed: 97,
    why: 'regression of 286d108 (see PINNED): both tables read as one with no quote character; 48 lines of the first table and 49 of the second set aside, the rest kept, most shifted (before: the first table exact, the second cut to 9 fields and kept)',
  },
  'file_quotation_char_0x27.csv': {
    malformed: 48,
    why: "quote char ' not detected (Men's, won't…): the 48 lines with two or more commas inside '…' are set aside, counted; the 25 with one are kept split there, without a note (still wrong, see PINNED and its test)",
  },
  'row_extra_quote10_col6.csv': {
    malformed: 48,
    why: 'regression of 286d108 (see PINNED and its test): read with no quote character, 48 lines set aside and 25 of the 35 kept shifted (before: 83 rows, only line 11 shifted)',
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
 * e2abc23 fixed, then files 4388f37 fixed or changed for the better, then files 286d108
 * fixed (strict reads: lines with more fields than the header set aside and counted), then
 * files where the app still does worse than it should (loader bugs, reported;
 * "regression" where it did better before the loader change named). `raw` pins the raw
 * table as well: its columns, rows read, lines set aside (and which), and (small files)
 * every row, in file order.
 */
interface RawPin {
  columns: string[];
  rowsRead: number;
  rejected: number;
  /** The file lines set aside as malformed (the first 20, as the page shows them). */
  rejectedLines?: number[];
  rows?: Record<string, string | null>[];
}
type Pinned = (
  | { loaded: [events: number, skipped: number, rowsRead: number]; mapping?: Partial<ColumnMapping> }
  | { error: RegExp }
) & { raw?: RawPin };
const PINNED: Record<string, Pinned> = {
  // single VARCHAR column natively
  'pollock/polluted_files/csv/row_less_sep_row10_col3.csv': { loaded: [82, 1, 83] },
  'pollock/polluted_files/csv/row_field_delimiter_10_0x20.csv': { loaded: [82, 1, 83] },
  // 1;"pedro "pdet" holanda" and so on. Since 286d108 read without quoting, each value as
  // written in the file, outer quotes included (4388f37 stripped every quote, the inner ones
  // too, without a note). Line 3, whose ";" sits inside the quotes, splits in 3 and is set
  // aside, counted. (Better still would be DuckDB's relaxed reading, pedro "pdet" holanda,
  // with line 3 whole; nothing is altered or lost unseen, though.)
  'duckdb/data/csv/unescaped_quotes/unescaped_quote.csv': {
    error: /no column holds readable timestamps \(columns: "column0", "column1"\)/,
    raw: {
      columns: ['column0', 'column1'], rowsRead: 6, rejected: 1, rejectedLines: [3],
      rows: [1, 2, 4, 5, 6].map((i) => ({ column0: `${i}`, column1: '"pedro "pdet" holanda"' })),
    },
  },
  // 0 rows natively
  'duckdb/data/csv/all_quotes.csv': { error: /no column holds readable timestamps \(columns: "upc", "name", "description", "price"\)/ },
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
  // CRLF header, LF rows: read (the retry with RFC 4180) instead of DuckDB's sniffing error.
  'csvlint.rb/features/fixtures/inconsistent-line-endings.csv': { error: /^no column holds readable timestamps \(columns: "Foo", "Bsr", "Baz"\)/ },
  'csvlint.rb/features/fixtures/inconsistent-line-endings-unquoted.csv': { error: /^no column holds readable timestamps \(columns: "Foo", "Bsr", "Baz"\)/ },
  // DD-MM-YY timestamps ("02-02-02 14:15:00") are no longer read as ISO (the years 2 to
  // 90 AD): the DD-MM-YYYY date "d" with the time of day "t" is the timestamp.
  'duckdb/data/csv/auto/time_date_timestamp_dd-mm-yy.csv': { loaded: [3, 0, 3], mapping: { user: 'b', timestamp: 'd', time: 't', format: 'dmy' } },

  // Fixed by 4388f37. Headerless files with mixed CRLF/LF line endings: the RFC 4180 retry
  // takes the first line's header guess (numbers in it: no header), so every line is a row
  // under column0… (before: the first row named the columns and was counted nowhere).
  'duckdb/data/csv/mixed_new_line.csv': {
    error: /^no column holds readable timestamps \(columns: "column0", "column1", "column2"\)/,
    raw: {
      columns: ['column0', 'column1', 'column2'], rowsRead: 3, rejected: 0,
      rows: [{ column0: '1', column1: '2', column2: '3' }, { column0: '4', column1: '5', column2: '6' }, { column0: '7', column1: '8', column2: '9' }],
    },
  },
  'duckdb/data/csv/test/mixed_line_endings.csv': {
    error: /^no column holds readable timestamps \(columns: "column0", "column1", "column2"\)/,
    raw: {
      columns: ['column0', 'column1', 'column2'], rowsRead: 3, rejected: 0,
      rows: [{ column0: '10', column1: 'hello', column2: '20' }, { column0: '20', column1: 'world', column2: '30' }, { column0: '30', column1: 'test', column2: '30' }],
    },
  },
  // As above; the one-field line "6" is set aside as malformed, counted.
  'duckdb/data/csv/mixed_new_line_2.csv': {
    error: /^no column holds readable timestamps \(columns: "column0", "column1"\)/,
    raw: {
      columns: ['column0', 'column1'], rowsRead: 4, rejected: 1,
      rows: [{ column0: '1', column1: '23' }, { column0: '4', column1: '5' }, { column0: '7', column1: '89' }],
    },
  },
  // Headerless one-column files: the first value is a row, no longer the column's name.
  'duckdb/data/csv/dates_special_format.csv': {
    error: /^found a single column \("column0"\)/,
    raw: {
      columns: ['column0'], rowsRead: 8, rejected: 0,
      rows: ['Dec 8, 2022', 'Sep 26, 2022', 'Aug 31, 2022', 'Aug 14, 2022', 'May 16, 2022', 'Apr 28, 2022', 'Apr 14, 2022', 'Jan 10, 2022'].map((v) => ({ column0: v })),
    },
  },
  'duckdb/data/csv/thousands_separator/simple_quoted.csv': {
    error: /^found a single column \("column0"\)/,
    raw: {
      columns: ['column0'], rowsRead: 5, rejected: 0,
      rows: ['100,000.00', '300,000.20', '300,000,000.40', '50', '9999999999.20'].map((v) => ({ column0: v })),
    },
  },
  // "1" then 19,999 blank lines: 20,000 rows (the blank lines are empty values).
  'duckdb/data/csv/test/many_empty_lines.csv': { error: /^found a single column \("column0"\)/, raw: { columns: ['column0'], rowsRead: 20_000, rejected: 0 } },
  // 3 VT bytes in a 40-byte file are no longer taken for binary: read as text, as natively
  // (1 row x 3 columns); the quoted header name keeps its tab, newlines, VT, FF and CR.
  'csvkit/examples/test_header_newline.csv': {
    error: /^no column holds readable timestamps \(columns: "\t\n\v\f\r start \t\n\v\f\r end \t\n\v\f\r", "b", "c"\)/,
    raw: { columns: ['\t\n\v\f\r start \t\n\v\f\r end \t\n\v\f\r', 'b', 'c'], rowsRead: 1, rejected: 0, rows: [{ '\t\n\v\f\r start \t\n\v\f\r end \t\n\v\f\r': 'd', b: 'e', c: 'f' }] },
  },
  // Header names in messages are cut by code points: 39 of them, the emoji whole.
  'duckdb/data/csv/test/long_escaped_value.csv': { error: /^has a header \("1🦆2🦆"a{34}…"\) but no data rows\.$/u },
  // The one-column header "content" is kept and the quoted multi-line tweet is its first
  // row (before: both were taken for lines above the header and skipped, counted nowhere;
  // native read_csv() does the same, 1x2). The last line, "84,hello world", is cut to the
  // header's one field ("hello world" dropped: since 286d108 this file is read with the
  // lenient last resort, whose note does say a line "would have lost" extra values), which
  // does not matter here: the file is refused, and for a reason true of its header.
  'duckdb/data/csv/csv_quoted_newline_odd.csv': {
    error: /^found a single column \("content"\); a clickstream needs at least a user id and a timestamp column/,
    raw: { columns: ['content'], rowsRead: 2, rejected: 0 },
  },

  // Fixed by 286d108. Reads are strict first: a line with more fields than the header is
  // set aside as malformed, counted, and shown with its line number and DuckDB's reason
  // (4388f37 kept such lines cut to the header's fields, the extra values gone without a
  // note). Every line is accounted for and the header keeps its names. (DuckDB's reason
  // says "Found: N+1" for any line over N fields: "1,2,3,4,5" under a,b,c is "Found: 4".)
  // '1,27,,"I'm too long!"' (4 fields) and ',"I'm too short!"' (2) are set aside.
  'csvkit/examples/bad.csv': {
    error: /no column holds readable timestamps \(columns: "column_a", "column_b", "column_c"\)/,
    raw: {
      columns: ['column_a', 'column_b', 'column_c'], rowsRead: 3, rejected: 2, rejectedLines: [2, 3],
      rows: [{ column_a: '0', column_b: 'mixed types.... uh oh', column_c: '17' }],
    },
  },
  // "1,2,3,4,5" under a,b,c (line 4) is set aside.
  'duckdb/data/csv/extra_delimiters.csv': {
    error: /no column holds readable timestamps \(columns: "a", "b", "c"\)/,
    raw: { columns: ['a', 'b', 'c'], rowsRead: 4, rejected: 1, rejectedLines: [4], rows: Array.from({ length: 3 }, () => ({ a: '1', b: '2', c: '3' })) },
  },
  // "7,7,3" under i,j (line 6) is set aside.
  'duckdb/data/csv/test/error_too_many.csv': {
    error: /no column holds readable timestamps \(columns: "i", "j"\)/,
    raw: { columns: ['i', 'j'], rowsRead: 6, rejected: 1, rejectedLines: [6], rows: ['1', '2', '3', '4', '5'].map((v) => ({ i: v, j: v })) },
  },
  // Lines 4 and 5 (5 fields for 4 columns) are set aside with lines 6 to 8, as DuckDB's own
  // rejects test expects (4388f37 kept line 4 as an event, its 5th value dropped).
  'duckdb/data/csv/rejects/multiple_errors/multiple_errors.csv': {
    loaded: [2, 5, 7],
    raw: {
      columns: ['name', 'age', 'current_day', 'barks'], rowsRead: 7, rejected: 5, rejectedLines: [4, 5, 6, 7, 8],
      rows: [
        { name: 'oogie boogie', age: '3', current_day: ' 2023-01-01', barks: ' 2' },
        { name: 'oogie boogie', age: '3', current_day: ' 2023-01-02', barks: ' 5' },
      ],
    },
  },
  // A blank line, header One,two,three, then rows of 4, 3, 5 and 5 fields. The header is
  // read once (4388f37 passed skip = 0, and DuckDB 1.4.3 then read line 2 again as a data
  // row after the blank line): 4 rows read, the lines of 4 and 5 fields (3, 6, 7) set aside.
  'duckdb/data/csv/inconsistent_cells.csv': {
    error: /^no column holds readable timestamps \(columns: "One", "two", "three"\)/,
    raw: { columns: ['One', 'two', 'three'], rowsRead: 4, rejected: 3, rejectedLines: [3, 6, 7], rows: [{ One: '1', two: '2', three: '3' }] },
  },
  // Headerless, 1 to 5 fields a line: the first line (3 fields) sets the columns and every
  // other line is set aside, counted (4388f37 kept the lines of 4 and 5 fields cut to 3).
  'duckdb/data/csv/nullpadding.csv': {
    error: /no column holds readable timestamps \(columns: "column0", "column1", "column2"\)/,
    raw: { columns: ['column0', 'column1', 'column2'], rowsRead: 5, rejected: 4, rejectedLines: [2, 3, 4, 5], rows: [{ column0: '10', column1: '100', column2: '1000' }] },
  },
  // Still wrong (reported).
  // Regression of 286d108: header id,name,lat,lon and one row of 5 fields. The strict read
  // sets that row aside, and the lenient last resort is skipped because the strict read has
  // 4 columns (none of its rows kept): the file is refused. Native read_csv() loads 1 row x
  // 5 columns; 4388f37 kept the header and the row, "value" dropped. The clickstream with
  // the same shape, refused the same way, is in hostile-files.test.ts. Should be: the
  // header's names and a 5th column holding "value".
  'duckdb/data/csv/locations_row_trailing_comma.csv': {
    error: /^no line could be split into the file's columns \(line 2: Expected Number of Columns: 4 Found: 5\)\.$/,
  },
  // Regression of 286d108, one defect in these four Pollock files: the RFC 4180 read with
  // quote " (which read them before) now runs with strict_mode on and fails in DuckDB's
  // sniffing ("It was not possible to automatically detect the CSV parsing dialect"), and
  // the lenient last resort is skipped because read_csv's own sniffing gave 9 columns. That
  // read has no quote character at all: the header names keep their quotes
  // ("ProductDescription" with its quotes), every line with two or more commas inside a
  // quoted description is set aside (48 of the 83 rows), and every line with one is kept
  // split at it, with the rest of the description in URL and the URL in Comments, silently
  // (25 of the 35 rows kept; see the Pollock tests). Should be: the strict RFC 4180 read
  // without sniffing (auto_detect = false, the header's names as VARCHAR columns), which
  // keeps 82 rows of this file exact and sets aside only line 11 ("Value with unterminated
  // quote found"). Before: 83 rows, 82 exact, line 11 shifted.
  'pollock/polluted_files/csv/row_extra_quote10_col6.csv': { loaded: [35, 48, 83] },
  // Before, the first table's 83 rows were read exactly and the second table (8 fields a
  // line) was set aside, 83 lines. Now 48 of the first table's lines are set aside and 25 of
  // its 35 rows kept are shifted; of the second table, 58 lines are set aside and 25 are
  // kept as rows (shifted too: they have 9 fields once split at a comma in a description).
  'pollock/polluted_files/csv/file_multitable_less.csv': { loaded: [60, 106, 166] },
  // Two tables: the second (line 85 on) repeats the first's header with a 10th column and
  // the first table's rows. Before, the first table was read exactly and the second loaded
  // as well (its 82 rows cut to 9 fields, the first table's events twice, no note). Now
  // neither table is read right (as above): 48 lines of the first table and 49 of the
  // second set aside, 35 and 34 rows kept, 25 and 24 of them shifted.
  // Should be: as above, and a line repeating the header ends the table (or starts a second
  // one), with a note naming the line.
  'pollock/polluted_files/csv/file_multitable_more.csv': { loaded: [69, 97, 166] },
  // The quote char ' is not detected. 286d108 brings back the outcome before 4388f37: the
  // 48 lines with two or more commas inside '…' are set aside, counted (4388f37 kept all 83
  // rows, those 48 cut to 9 fields without a note); the 25 lines with one comma there are
  // still kept split at it, the description cut, its rest in 'URL' and the URL in Comments,
  // with no note (see its Pollock test). Events: 35 (before: 83, DATE, TIME and Qty right in
  // every row). Should be: ' detected as the quote (a first-line field starting with ' is a
  // hint), or the lines kept whole in extra columns.
  'pollock/polluted_files/csv/file_quotation_char_0x27.csv': { loaded: [35, 48, 83] },
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
      if (pinned?.raw) {
        const raw = outcome.raw;
        expect(raw, 'the raw table was read').not.toBeNull();
        if (raw) {
          const { rows, rejectedLines, ...counts } = pinned.raw;
          expect({ columns: raw.columns, rowsRead: raw.rowsRead, rejected: raw.rejected }).toEqual(counts);
          if (rejectedLines) expect(raw.rejectedExamples.map((e) => e.line)).toEqual(rejectedLines);
          if (rows) expect(await engine.query<Record<string, string | null>>(`SELECT * FROM "${raw.table}" ORDER BY rowid`)).toEqual(rows);
        }
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
          if (name === 'row_extra_quote10_col6.csv' || name === 'file_quotation_char_0x27.csv') {
            // Read with no quote character (regression of 286d108 for the first, see PINNED;
            // still wrong for the second): the header names keep their quotes, and 25 of the
            // 35 rows kept have a single comma inside a quoted description, split there with
            // no note. Line 4 (RI-8070, "…ideal for warm, dry conditions.") shows it: the
            // description is cut, its rest is in URL, the URL in Comments (empty in every row
            // of the clean table). Before 286d108 the first file read line 4 exactly, and
            // the second set no line aside.
            const q = name === 'row_extra_quote10_col6.csv' ? '"' : "'";
            expect(raw.columns.slice(6, 8)).toEqual([`${q}ProductDescription${q}`, `${q}URL${q}`]);
            const [shifted] = await engine.query<{ n: number }>(`SELECT count("Comments")::DOUBLE AS n FROM "${raw.table}"`);
            expect(shifted?.n).toBe(25);
            // By position, as the names hold the quote characters.
            const [row] = await engine.query<Record<string, string | null>>(`SELECT #4 AS p, #7 AS d, #8 AS u, #9 AS c FROM "${raw.table}" WHERE rowid = 1`);
            expect(row).toEqual({
              p: 'RI-8070',
              d: `${q}Great grip and super extra breathability make these amazing ventilated hikers ideal for warm`,
              u: ` dry conditions.${q}`,
              c: `${q}https://www.example.com/product/RI_8070.html${q}`,
            });
          }
          if (name === 'row_extra_quote10_col6.csv') {
            // Line 11, the stray quote (""Made in the USA…), is one of the 48 set aside; so
            // are lines 3, 6, 8, 9 and 10, which the clean table holds exactly.
            expect(raw.rejectedExamples.map((e) => e.line).slice(0, 6)).toEqual([3, 6, 8, 9, 10, 11]);
          }
        });
      }, 20_000);
    }
  });

  describe('every other input: loads with sound accounting or a LoadError naming it', () => {
    for (const rel of others) it(rel, async () => { await run(rel); }, 20_000);
  });
});
