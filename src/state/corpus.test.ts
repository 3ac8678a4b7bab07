import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import type { ColumnMapping } from '../domain/types';
import type { ChosenColumns } from '../domain/detect-columns';
import type { QuestionRole } from '../domain/role-candidates';
import {
  describeOutcome,
  dropLoaded,
  expectSoundOutcome,
  loadThroughApp,
  messageDefects,
  type LoadOutcome,
  type MessageDefect,
} from '../test/load-through-app';

/*
 * Every input file of the shared robustness corpus (../shared/peer-suites/csv-corpus, see
 * its README for what each file exercises) goes through the loader as the page runs it.
 * Each must load with sound accounting or end in a LoadError naming the file. Where the
 * corpus has an expected parse (csv-spectrum, Pollock) the raw table is compared with it,
 * and every place where the app differs is listed in a table below with the reason.
 *
 * Known problems still pinned (loader bugs, reported; each pin fails when it is fixed):
 *   - file_quotation_char_0x27.csv: the quote ' is detected, but DuckDB cannot read the 33
 *     lines whose '…' values hold an unescaped apostrophe (won't, Men's): they are set aside,
 *     counted, with their line numbers (Pollock's expected parse keeps them).
 *   - row_more_sep_row10_col3.csv: a line with one delimiter too many (its last field empty)
 *     is set aside only when it is in the first 64 KB (sniffFile finds it there); further
 *     down, DuckDB keeps such a line with its values shifted one column right, silently.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.resolve(repoRoot, '../shared/peer-suites/csv-corpus');
const corpusExists = fs.existsSync(path.join(corpusDir, 'README.md'));
if (!corpusExists) console.warn(`csv corpus not found at ${corpusDir}: the corpus suite is skipped.`);

/** Expected outputs, license texts and the manifest: not inputs. */
const NOT_INPUT = [/^csv-spectrum\/json\//, /^pollock\/polluted_files\/(clean|parameters)\//, /(^|\/)(LICENSE(\.md|\.txt)?|NOTICE\.txt|COPYING|README\.md)$/];

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
    why: 'the space delimiter is not sniffed (nor by native DuckDB): one column, each line whole; the file is refused with "found a single column… its delimiter or quoting could not be recognised" (see PINNED: 2da2960 split the lines at the commas inside descriptions into column1…column6, 7535df6 no longer widens a one-field first line)',
  },
  // file_header_multirow_2/3.csv, file_preamble.csv, file_multitable_less/_more.csv meet
  // the defaults since the preamble and repeated or second headers are recognised (see
  // their tests below and PINNED).
  'file_quotation_char_0x27.csv': {
    malformed: 33,
    why: "quote char ' detected, 9 columns; the 33 lines whose '…' values hold an unescaped apostrophe (won't, Men's) are set aside, DuckDB's \"unterminated quote\" or a field count; the 50 others equal the clean table (see PINNED)",
  },
  'row_extra_quote10_col6.csv': {
    malformed: 1,
    why: 'line 11, the stray quote, is set aside ("Value with unterminated quote found"); the other 82 rows equal the clean table (fixed by 2da2960; see its test)',
  },
  'row_less_sep_row10_col3.csv': {
    malformed: 1,
    why: 'line 11, missing the comma before PRODUCTID (8 fields for 9), is set aside ("Expected Number of Columns: 9 Found: 8"); the other 82 rows equal the clean table (fixed by 090c278; see its test)',
  },
  'row_field_delimiter_10_0x20.csv': {
    malformed: 1,
    why: 'line 11, spaces for delimiters (3 fields at the commas inside its quoted text), is set aside ("Expected Number of Columns: 9 Found: 3"); the other 82 rows equal the clean table (fixed by 090c278; see its test)',
  },
  'row_more_sep_row10_col3.csv': {
    malformed: 1,
    why: 'line 11, one delimiter too many (10 fields, the last empty), is set aside with its line number; DuckDB alone kept it with its values from PRODUCTID on one column right (see its test)',
  },
};

/*
 * Outcomes pinned file by file: first the files the corpus manifest says native DuckDB
 * "quietly degrades" (single VARCHAR column, 0 rows, first row used as header), then files
 * e2abc23 fixed, then files 4388f37 fixed or changed for the better, then files 286d108
 * fixed, then files 2da2960 fixed (the columns named from the first line; the extra values
 * of longer lines kept in column{n}, with a note), then files 7535df6 fixed (the lenient
 * read also when no read kept a row; no widening of a one-field first line), then files
 * where the app still does worse than it should (loader bugs, reported; "regression" where
 * it did better before the loader change named). `raw` pins the raw table as well: its
 * columns, rows read, lines set aside (and which), the raw table's notes, and (small
 * files) every row, in file order.
 */
interface RawPin {
  columns: string[];
  rowsRead: number;
  rejected: number;
  /** The file lines set aside as malformed (the first 20, as the page shows them). */
  rejectedLines?: number[];
  /** The notes of the raw read (extra columns, lenient read, lines skipped above the header). */
  notes?: string[];
  rows?: Record<string, string | null>[];
}
type Pinned = ({ loaded: [events: number, skipped: number, rowsRead: number]; mapping?: Partial<ColumnMapping> } | { error: RegExp }) & { raw?: RawPin };
/** The header of most Pollock files. */
const POLLOCK_COLUMNS = ['DATE', 'TIME', 'Qty', 'PRODUCTID', 'Price', 'ProductType', 'ProductDescription', 'URL', 'Comments'];
/** A Pollock file read as its clean table (83 rows, 9 columns, none set aside), with one note. */
const cleanPollockTable = (note: string): Pinned => ({ loaded: [83, 0, 83], raw: { columns: POLLOCK_COLUMNS, rowsRead: 83, rejected: 0, notes: [note] } });
/** csvlint's Foo,Bsr,Baz table (2 rows), refused for having no timestamp, with one note. */
const csvlintFooTable = (note: string): Pinned => ({
  error: /^no column holds readable timestamps \(columns: "Foo", "Bsr", "Baz"\)/,
  raw: {
    columns: ['Foo', 'Bsr', 'Baz'],
    rowsRead: 2,
    rejected: 0,
    notes: [note],
    rows: [
      { Foo: 'Biff', Bsr: 'Baff', Baz: 'Boff' },
      { Foo: 'Qux', Bsr: 'Teaspoon', Baz: 'Doge' },
    ],
  },
});
const PINNED: Record<string, Pinned> = {
  // single VARCHAR column natively (row_less_sep_row10_col3.csv and
  // row_field_delimiter_10_0x20.csv: see the files 090c278 fixed below)
  // 1;"pedro "pdet" holanda" and so on. Since 286d108 read without quoting, each value as
  // written in the file, outer quotes included (4388f37 stripped every quote, the inner ones
  // too, without a note). Line 3, whose ";" sits inside the quotes, splits in 3 and is set
  // aside, counted. (Better still would be DuckDB's relaxed reading, pedro "pdet" holanda,
  // with line 3 whole; nothing is altered or lost unseen, though.)
  'duckdb/data/csv/unescaped_quotes/unescaped_quote.csv': {
    error: /no column holds readable timestamps \(columns: "column0", "column1"\)/,
    raw: {
      columns: ['column0', 'column1'],
      rowsRead: 6,
      rejected: 1,
      rejectedLines: [3],
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
  // (Its quoted twin, inconsistent-line-endings.csv, reads the same since 7535df6: see below.)
  'csvlint.rb/features/fixtures/inconsistent-line-endings-unquoted.csv': { error: /^no column holds readable timestamps \(columns: "Foo", "Bsr", "Baz"\)/ },
  // DD-MM-YY timestamps ("02-02-02 14:15:00") are no longer read as ISO (the years 2 to
  // 90 AD): the DD-MM-YYYY date "d" with the time of day "t" is the timestamp. No column is
  // named as a user; "b" holds one value ("TEST2") and a constant is not picked by its
  // values (issue 14): "a" is.
  'duckdb/data/csv/auto/time_date_timestamp_dd-mm-yy.csv': { loaded: [3, 0, 3], mapping: { user: 'a', timestamp: 'd', time: 't', format: 'dmy' } },

  // Fixed by 4388f37. Headerless files with mixed CRLF/LF line endings: the RFC 4180 retry
  // takes the first line's header guess (numbers in it: no header), so every line is a row
  // under column0… (before: the first row named the columns and was counted nowhere).
  'duckdb/data/csv/mixed_new_line.csv': {
    error: /^no column holds readable timestamps \(columns: "column0", "column1", "column2"\)/,
    raw: {
      columns: ['column0', 'column1', 'column2'],
      rowsRead: 3,
      rejected: 0,
      rows: [
        { column0: '1', column1: '2', column2: '3' },
        { column0: '4', column1: '5', column2: '6' },
        { column0: '7', column1: '8', column2: '9' },
      ],
    },
  },
  'duckdb/data/csv/test/mixed_line_endings.csv': {
    error: /^no column holds readable timestamps \(columns: "column0", "column1", "column2"\)/,
    raw: {
      columns: ['column0', 'column1', 'column2'],
      rowsRead: 3,
      rejected: 0,
      rows: [
        { column0: '10', column1: 'hello', column2: '20' },
        { column0: '20', column1: 'world', column2: '30' },
        { column0: '30', column1: 'test', column2: '30' },
      ],
    },
  },
  // As above. The one-field line "6" was set aside as malformed, counted; since a file with
  // mixed line endings whose strict read sets lines aside is also read leniently (widened
  // and padded, see loader-fuzz BUG 2), "6" is a row, its missing value empty, and a note
  // counts the line. Equal for a person: "6" is kept instead of shown as set aside, and
  // either way the line is named.
  'duckdb/data/csv/mixed_new_line_2.csv': {
    error: /^no column holds readable timestamps \(columns: "column0", "column1"\)/,
    raw: {
      columns: ['column0', 'column1'],
      rowsRead: 4,
      rejected: 0,
      notes: [
        'The file could only be read leniently (its lines end in both CR LF and LF).',
        '1 line has fewer fields than the header: its missing values are left empty.',
      ],
      rows: [
        { column0: '1', column1: '23' },
        { column0: '4', column1: '5' },
        { column0: '6', column1: null },
        { column0: '7', column1: '89' },
      ],
    },
  },
  // Headerless one-column files: the first value is a row, no longer the column's name.
  'duckdb/data/csv/dates_special_format.csv': {
    error: /^found a single column \("column0"\)/,
    raw: {
      columns: ['column0'],
      rowsRead: 8,
      rejected: 0,
      rows: ['Dec 8, 2022', 'Sep 26, 2022', 'Aug 31, 2022', 'Aug 14, 2022', 'May 16, 2022', 'Apr 28, 2022', 'Apr 14, 2022', 'Jan 10, 2022'].map((v) => ({
        column0: v,
      })),
    },
  },
  'duckdb/data/csv/thousands_separator/simple_quoted.csv': {
    error: /^found a single column \("column0"\)/,
    raw: {
      columns: ['column0'],
      rowsRead: 5,
      rejected: 0,
      rows: ['100,000.00', '300,000.20', '300,000,000.40', '50', '9999999999.20'].map((v) => ({ column0: v })),
    },
  },
  // "1" then 19,999 blank lines: 20,000 rows (the blank lines are empty values).
  'duckdb/data/csv/test/many_empty_lines.csv': { error: /^found a single column \("column0"\)/, raw: { columns: ['column0'], rowsRead: 20_000, rejected: 0 } },
  // 3 VT bytes in a 40-byte file are no longer taken for binary: read as text, as natively
  // (1 row x 3 columns); the quoted header name keeps its tab, newlines, VT, FF and CR.
  'csvkit/examples/test_header_newline.csv': {
    error: /^no column holds readable timestamps \(columns: "\t\n\v\f\r start \t\n\v\f\r end \t\n\v\f\r", "b", "c"\)/,
    raw: {
      columns: ['\t\n\v\f\r start \t\n\v\f\r end \t\n\v\f\r', 'b', 'c'],
      rowsRead: 1,
      rejected: 0,
      rows: [{ '\t\n\v\f\r start \t\n\v\f\r end \t\n\v\f\r': 'd', b: 'e', c: 'f' }],
    },
  },
  // Header names in messages are cut by code points: 39 of them, the emoji whole.
  'duckdb/data/csv/test/long_escaped_value.csv': { error: /^has a header \("1🦆2🦆"a{34}…"\) but no data rows\.$/u },
  // The one-column header "content" is kept and the quoted multi-line tweet is its first
  // row (before: both were taken for lines above the header and skipped, counted nowhere;
  // native read_csv() does the same, 1x2). Since 7535df6 a one-field first line is not
  // widened, so the lenient last resort reads the file and cuts the last line, "84,hello
  // world", to "84" (as 286d108 did; 2da2960 kept "hello world" in column1), under a note
  // that names stray quotes or lines no strict reading splits (before, it blamed mixed line
  // endings, which the file does not have). The
  // file is refused as a single column, which it is by its header: no one-column file can
  // be a clickstream, so the person loses nothing. Since the lenient read counts the lines
  // it cuts (a spare column, dropped after), a second note says 1 line lost values (before,
  // the note said only that values "would have" been lost, whether any were or not).
  'duckdb/data/csv/csv_quoted_newline_odd.csv': {
    error:
      /^found a single column \("content"\); a clickstream needs at least a user id and a timestamp column\. If the file has more columns, its delimiter or quoting could not be recognised\.$/,
    raw: {
      columns: ['content'],
      rowsRead: 2,
      rejected: 0,
      notes: [
        'The file could only be read leniently (stray quotes or lines that no strict reading splits).',
        '1 line has more fields than the one-column header: only its first value was kept.',
      ],
    },
  },

  // Fixed by 286d108, then by 2da2960. 286d108 read strictly and set aside (counted) every
  // line with more fields than the header (4388f37 kept such lines cut to the header's
  // fields, the extra values gone without a note). Since 2da2960 those lines load whole:
  // the header's names, then column{n} for the extra values, with a note; every line is a
  // row, the header keeps its names. DuckDB's null_padding fills the columns a shorter line
  // lacks with NULL, with no note (harmless in these files). Since 090c278 only a read whose
  // header is widened pads; elsewhere a shorter line is set aside (row_less_sep_row10_col3.csv
  // below: 2da2960 kept it padded, its values shifted).
  // '1,27,,"I'm too long!"' (4 fields) keeps its 4th value in column3; ',"I'm too short!"'
  // (2 fields) is padded.
  'csvkit/examples/bad.csv': {
    error: /no column holds readable timestamps \(columns: "column_a", "column_b", "column_c", "column3"\)/,
    raw: {
      columns: ['column_a', 'column_b', 'column_c', 'column3'],
      rowsRead: 3,
      rejected: 0,
      notes: ['Some lines have more fields than the header; their extra values are kept in an extra column (column3).'],
      rows: [
        { column_a: '1', column_b: '27', column_c: null, column3: "I'm too long!" },
        { column_a: null, column_b: "I'm too short!", column_c: null, column3: null },
        { column_a: '0', column_b: 'mixed types.... uh oh', column_c: '17', column3: null },
      ],
    },
  },
  // "1,2,3,4,5" under a,b,c (line 4): 4 and 5 in column3 and column4.
  'duckdb/data/csv/extra_delimiters.csv': {
    error: /no column holds readable timestamps \(columns: "a", "b", "c", "column3", "column4"\)/,
    raw: {
      columns: ['a', 'b', 'c', 'column3', 'column4'],
      rowsRead: 4,
      rejected: 0,
      notes: ['Some lines have more fields than the header; their extra values are kept in 2 extra columns (column3, column4).'],
      rows: [null, null, '4', null].map((v) => ({ a: '1', b: '2', c: '3', column3: v, column4: v && '5' })),
    },
  },
  // "7,7,3" under i,j (line 6): 3 in column2.
  'duckdb/data/csv/test/error_too_many.csv': {
    error: /no column holds readable timestamps \(columns: "i", "j", "column2"\)/,
    raw: {
      columns: ['i', 'j', 'column2'],
      rowsRead: 6,
      rejected: 0,
      notes: ['Some lines have more fields than the header; their extra values are kept in an extra column (column2).'],
      rows: ['1', '2', '3', '4', '7', '5'].map((v) => ({ i: v, j: v, column2: v === '7' ? '3' : null })),
    },
  },
  // Lines 4 and 5 (5 fields for 4 columns) keep " 7" in column4, lines 7 and 8 (3 fields)
  // are padded, and line 6 ('"oogie boogie"bla': text after a closing quote) is set aside,
  // as DuckDB's own rejects test expects. Line 4 is an event now (286d108 set it aside; 3
  // events instead of 2), the rows with " bla" for a date are skipped as unreadable.
  // The 4th column is "barks": since 7535df6 the names from the first line are trimmed, as
  // DuckDB's sniffer names them (2da2960 named it " barks", as written). The values keep
  // their leading space, as written.
  'duckdb/data/csv/rejects/multiple_errors/multiple_errors.csv': {
    loaded: [3, 4, 7],
    raw: {
      columns: ['name', 'age', 'current_day', 'barks', 'column4'],
      rowsRead: 7,
      rejected: 1,
      rejectedLines: [6],
      notes: ['Some lines have more fields than the header; their extra values are kept in an extra column (column4).'],
      rows: [
        { name: 'oogie boogie', age: '3', current_day: ' 2023-01-01', barks: ' 2', column4: null },
        { name: 'oogie boogie', age: '3', current_day: ' 2023-01-02', barks: ' 5', column4: null },
        { name: 'oogie boogie', age: '3', current_day: ' 2023-01-03', barks: ' bla', column4: ' 7' },
        { name: 'oogie boogie', age: '3', current_day: ' bla', barks: ' bla', column4: ' 7' },
        { name: 'oogie boogie', age: '3', current_day: ' bla', barks: null, column4: null },
        { name: 'oogie boogie'.repeat(7), age: '3', current_day: ' bla', barks: null, column4: null },
      ],
    },
  },
  // A blank line, header One,two,three, then rows of 4, 3, 5 and 5 fields (and a blank
  // line): the header is read once (skip = the blank line) and every row loads, the 4th
  // and 5th values in column3 and column4.
  'duckdb/data/csv/inconsistent_cells.csv': {
    error: /^no column holds readable timestamps \(columns: "One", "two", "three", "column3", "column4"\)/,
    raw: {
      columns: ['One', 'two', 'three', 'column3', 'column4'],
      rowsRead: 4,
      rejected: 0,
      notes: ['Some lines have more fields than the header; their extra values are kept in 2 extra columns (column3, column4).'],
      rows: [
        { One: '1', two: '2', three: '3', column3: '4', column4: null },
        { One: '1', two: '2', three: '3', column3: null, column4: null },
        { One: '1', two: '2', three: '3', column3: '4', column4: '5' },
        { One: '1', two: '2', three: '3', column3: '4', column4: '5' },
      ],
    },
  },
  // Headerless, 1 to 5 fields a line: 5 columns, every value kept, as DuckDB's own
  // null_padding test expects (286d108 set aside every line but the first). Its note said
  // "more fields than the header" of a file without one; now it says the file has no
  // header and counts from the first line.
  'duckdb/data/csv/nullpadding.csv': {
    error: /no column holds readable timestamps \(columns: "column0", "column1", "column2", "column3", "column4"\)/,
    raw: {
      columns: ['column0', 'column1', 'column2', 'column3', 'column4'],
      rowsRead: 5,
      rejected: 0,
      notes: [
        'The file has no header, and some lines have more fields than its first line; their extra values are kept in 2 extra columns (column3, column4).',
      ],
      rows: [
        ['10', '100', '1000', null, null],
        ['10', '100', '1000', '10000', null],
        ['10', null, null, null, null],
        ['10', '100', null, null, null],
        ['10', '100', '1000', '10000', '100000'],
      ].map((values) => Object.fromEntries(values.map((v, i) => [`column${i}`, v]))),
    },
  },
  // Fixed by 2da2960 (a regression of 286d108, which refused it): header id,name,lat,lon
  // and one row of 5 fields load as 1 row, "value" in column4. Native read_csv() loads the
  // row under column0…column4, the header skipped; 4388f37 dropped "value" without a note.
  'duckdb/data/csv/locations_row_trailing_comma.csv': {
    error: /^no column holds readable timestamps \(columns: "id", "name", "lat", "lon", "column4"\)/,
    raw: {
      columns: ['id', 'name', 'lat', 'lon', 'column4'],
      rowsRead: 1,
      rejected: 0,
      notes: ['Some lines have more fields than the header; their extra values are kept in an extra column (column4).'],
      rows: [{ id: '1', name: 'name', lat: '0', lon: '0', column4: 'value' }],
    },
  },
  // Fixed by 2da2960 (a regression of 286d108, which read it with no quote character and
  // set 48 lines aside): the strict RFC 4180 read with the header's names keeps 82 rows
  // exactly as the clean table has them (see its Pollock test) and sets aside line 11, the
  // stray quote, with DuckDB's "Value with unterminated quote found", counted.
  'pollock/polluted_files/csv/row_extra_quote10_col6.csv': {
    loaded: [82, 1, 83],
    raw: {
      columns: ['DATE', 'TIME', 'Qty', 'PRODUCTID', 'Price', 'ProductType', 'ProductDescription', 'URL', 'Comments'],
      rowsRead: 83,
      rejected: 1,
      rejectedLines: [11],
      notes: [],
    },
  },
  // Was refused ("no line could be split", line 2 having 3 fields for a,b,c,d); since
  // 2da2960 its one row 1,2,3 loads, d empty (padded, no note: the value is simply absent).
  'csvkit/examples/test_extra_header.csv': {
    error: /^no column holds readable timestamps \(columns: "a", "b", "c", "d"\)/,
    raw: { columns: ['a', 'b', 'c', 'd'], rowsRead: 1, rejected: 0, notes: [], rows: [{ a: '1', b: '2', c: '3', d: null }] },
  },

  // Fixed by 7535df6 (a regression of 2da2960): "Foo","Bsr","Baz" CRLF, then two quoted LF
  // lines (the last one without a line break). The read with named columns takes CRLF from
  // the first line as the line break and keeps no row (lines 2 and 3 are one line to it);
  // 2da2960 skipped the lenient last resort as that read had 3 columns, and refused the file
  // with "no line could be split" blaming line 2. The lenient read now runs whenever no read
  // kept a row: both rows, unquoted, as its unquoted twin; refused for having no timestamp.
  'csvlint.rb/features/fixtures/inconsistent-line-endings.csv': csvlintFooTable('The file could only be read leniently (its lines end in both CR LF and LF).'),
  // Fixed by 7535df6 in what the person is told (a regression of 2da2960). Space-delimited:
  // the delimiter is not sniffed (nor natively: 83x1), so the header line is one field.
  // 2da2960 widened the read, splitting every line at the commas inside its quoted
  // descriptions into column1…column6 under a note about "more fields than the header",
  // which pointed away from the cause. A one-field first line is no longer widened: one
  // column, every line whole, nothing set aside, no note, and the message says the
  // delimiter or quoting could not be recognised, which is the cause.
  'pollock/polluted_files/csv/file_field_delimiter_0x20.csv': {
    error:
      /^found a single column \("DATE TIME Qty PRODUCTID Price ProductTy…"\); a clickstream needs at least a user id and a timestamp column\. If the file has more columns, its delimiter or quoting could not be recognised\.$/,
    raw: {
      columns: ['DATE TIME Qty PRODUCTID Price ProductType "ProductDescription" "URL" Comments'],
      rowsRead: 83,
      rejected: 0,
      notes: [],
    },
  },

  // Fixed by 090c278 (null_padding only for a header widened to a longer line): a line
  // shorter than the header is set aside as malformed, counted and shown with its line
  // number, as before 2da2960; the other 82 rows equal the clean table (see their Pollock
  // tests). 2da2960 kept such lines padded: here line 11, without the comma between Qty and
  // PRODUCTID, loaded with every value from PRODUCTID on one column left (Qty "2BH-9827"),
  // and line 11 of the next file, spaces for delimiters, was padded into DATE and skipped as
  // an "unreadable timestamp" (with TIME picked as the user column). The generated twin is
  // in hostile-files.test.ts.
  'pollock/polluted_files/csv/row_less_sep_row10_col3.csv': {
    loaded: [82, 1, 83],
    mapping: { user: 'Qty', timestamp: 'DATE', time: 'TIME' },
    raw: { columns: POLLOCK_COLUMNS, rowsRead: 83, rejected: 1, rejectedLines: [11], notes: [] },
  },
  'pollock/polluted_files/csv/row_field_delimiter_10_0x20.csv': {
    loaded: [82, 1, 83],
    mapping: { user: 'Qty', timestamp: 'DATE', time: 'TIME' },
    raw: { columns: POLLOCK_COLUMNS, rowsRead: 83, rejected: 1, rejectedLines: [11], notes: [] },
  },

  // Fixed here (structurally odd files): '"This is a title row",,' above "Foo","Bsr","Baz".
  // Was read with the title for the header (columns "This is a title row", column1, column2,
  // the real header a data row); now the title is skipped with its note, as csvlint expects
  // (a "title_row" warning).
  'csvlint.rb/features/fixtures/title-row.csv': csvlintFooTable(
    'The first line of the file, above the header, was skipped: it is not part of the table (a title or comments).',
  ),
  // Fixed here (structurally odd files). A comment line "# this file has a bunch of gunk at
  // the top", header one,two,three,four, two rows of 3 fields. Was refused with "no line
  // could be split" (regression of 7535df6; 2da2960 loaded every line under the comment's
  // name, the real header a data row). sniffFile now takes a line with text in one field at
  // most, above a line of named fields, for a title: skipped with its note, the columns named
  // from the next line, the short rows padded (native read_csv(null_padding = true) reads
  // the same 2 rows under one…four).
  'duckdb/data/csv/nullpadding_header.csv': {
    error: /^no column holds readable timestamps \(columns: "one", "two", "three", "four"\)/,
    raw: {
      columns: ['one', 'two', 'three', 'four'],
      rowsRead: 2,
      rejected: 0,
      notes: ['The first line of the file, above the header, was skipped: it is not part of the table (a title or comments).'],
      rows: [
        { one: '1', two: 'a', three: 'alice', four: null },
        { one: '2', two: 'b', three: 'bob', four: null },
      ],
    },
  },
  // Two tables: the second (line 85 on) repeats the first's header without Comments (_less)
  // or with a 10th column "col1" (_more), then the first table's rows again. Was: the second
  // header a data row, the second table loaded under the first's names with no note (every
  // event twice), and the read widened to 15 (16) columns, column9… empty in every row under
  // a note listing them as holding values. Now a line below the header that starts with its
  // names, shares most of them and holds no data is a second table's header: the table read
  // ends above it, exactly the clean table (83 rows, 9 columns), and a note names the line
  // and counts the lines not loaded. (Loading the second table too would put every event of
  // this file in twice; a person splits the file to load it.)
  'pollock/polluted_files/csv/file_multitable_less.csv': cleanPollockTable(
    'Line 85 starts a second table ("DATE", "TIME", "Qty", "PRODUCTID", "Price", "ProductType", "ProductDescription", "URL"): it and the 82 lines below it were not loaded. Split the file to load that table on its own.',
  ),
  'pollock/polluted_files/csv/file_multitable_more.csv': cleanPollockTable(
    'Line 85 starts a second table ("DATE", "TIME", "Qty", "PRODUCTID", "Price", "ProductType", "ProductDescription", "URL", … (10 columns)): it and the 82 lines below it were not loaded. Split the file to load that table on its own.',
  ),
  // A preamble line and a line of delimiters above the header: was read with "PREAMBLE" for
  // the header (columns PREAMBLE, column1…) and the real header a data row. Both are skipped
  // now, with the title-line note; the 83 rows equal the clean table.
  'pollock/polluted_files/csv/file_preamble.csv': cleanPollockTable(
    'The first 2 lines of the file, above the header, were skipped: they are not part of the table (a title or comments).',
  ),
  // Header lines repeated below the header (Pollock's "multirow" headers repeat the same
  // names): were data rows, skipped as unreadable timestamps. Now they are no rows, and a
  // note names them; the 83 rows equal the clean table. (The same note covers files joined
  // one after another, each with its header.)
  'pollock/polluted_files/csv/file_header_multirow_2.csv': cleanPollockTable(
    'Line 2 repeats the header (files joined one after another, or a header of several lines); it was skipped.',
  ),
  'pollock/polluted_files/csv/file_header_multirow_3.csv': cleanPollockTable(
    'Lines 2, 3 repeat the header (files joined one after another, or a header of several lines); they were skipped.',
  ),
  // A line with one delimiter too many: was kept with its values from PRODUCTID on shifted
  // one column right, silently. Set aside now with its line number (see its Pollock test).
  'pollock/polluted_files/csv/row_more_sep_row10_col3.csv': {
    loaded: [82, 1, 83],
    mapping: { user: 'Qty', timestamp: 'DATE', time: 'TIME' },
    raw: { columns: POLLOCK_COLUMNS, rowsRead: 83, rejected: 1, rejectedLines: [11], notes: [] },
  },
  // The quote char ' is detected now (a first-line field wrapped in '…' and none in "…"):
  // 9 columns, every kept row equal to its clean row. Was: read with quote ", each line with
  // commas inside '…' split there and its pieces shifted right into column9…column14, 73
  // rows wrong, under a note about extra values. Still short of Pollock's parse: the 33
  // lines whose '…' text holds an unescaped apostrophe (won't, Men's) cannot be read by
  // DuckDB with quote ' (strict: "unterminated quote"; lenient: it joins lines); they are
  // set aside, counted, with their line numbers.
  'pollock/polluted_files/csv/file_quotation_char_0x27.csv': {
    loaded: [50, 33, 83],
    raw: { columns: POLLOCK_COLUMNS, rowsRead: 83, rejected: 33, notes: [] },
  },
  // Shift_JIS is detected and converted: the columns are 名前 and 年齢, and the raw table's
  // note says the file is not UTF-8, how it was read and the first line with a byte UTF-8
  // does not allow. The file has no timestamps, so it is refused for that. Before, it was
  // read as Windows-1252: mojibake names ("–¼‘O", "”N—î") and nothing said the file was not
  // UTF-8. Before e2abc23: DuckDB's "File is not latin-1 encoded" with the SQL echoed.
  'duckdb/data/csv/encodings/shift_jis.csv': {
    error: /^no column holds readable timestamps \(columns: "名前", "年齢"\)/,
    raw: {
      columns: ['名前', '年齢'],
      rowsRead: 20,
      rejected: 0,
      notes: [
        'The file is not UTF-8 (line 1 is the first with a byte UTF-8 does not allow): it was read as Shift_JIS (Japanese) and converted to UTF-8. If the text looks wrong, save it as UTF-8 and load it again.',
      ],
    },
  },
};

/** Instants a clickstream can hold: outside them a timestamp was misread. */
const PLAUSIBLE_US: [from: number, to: number] = [Date.UTC(1900, 0, 1) * 1000, Date.UTC(2100, 0, 1) * 1000];
/**
 * Loaded files whose events fall outside PLAUSIBLE_US (loader bugs, reported). None since
 * e2abc23: time_date_timestamp_dd-mm-yy.csv, read as the years 2 to 90 AD before, is pinned
 * in PINNED with its right reading.
 */
const KNOWN_IMPLAUSIBLE: Record<string, string> = {};

/*
 * Files the page asks about instead of loading (issue 14, item 5): no column is named for
 * the role and the values single none out, or the only candidate is a constant. Each is then
 * loaded with the answer that gives the mapping it was silently given before (the pins above
 * still hold for it); any other file asking fails its test.
 */
const POLLOCK_ASKED = {
  roles: ['user'] as QuestionRole[],
  answer: { user: 'Qty' },
  why: 'Qty, ProductType and ProductDescription repeat alike; none is named as a user (Qty was the silent guess)',
};
const ASKED: Record<string, { roles: QuestionRole[]; answer: ChosenColumns; why: string }> = {
  ...Object.fromEntries(
    [
      'file_double_trailing_newline.csv',
      'file_escape_char_0x5C.csv',
      'file_field_delimiter_0x3B.csv',
      'file_field_delimiter_0x9.csv',
      'file_header_multirow_2.csv',
      'file_header_multirow_3.csv',
      'file_multitable_less.csv',
      'file_multitable_more.csv',
      'file_no_trailing_newline.csv',
      'file_one_data_row.csv',
      'file_preamble.csv',
      'file_quotation_char_0x27.csv',
      'file_record_delimiter_0xD.csv',
      'row_extra_quote10_col6.csv',
      'row_field_delimiter_10_0x20.csv',
      'row_less_sep_row10_col3.csv',
      'row_more_sep_row10_col3.csv',
      'source.csv',
    ].map((name) => [`pollock/polluted_files/csv/${name}`, POLLOCK_ASKED]),
  ),
  'pollock/polluted_files/csv/file_no_header.csv': {
    roles: ['user'],
    answer: { user: 'column2' },
    why: 'headerless Pollock: column2 (Qty) and the product columns alike',
  },
  'arrow-rs/arrow-csv/test/data/truncated_rows.csv': {
    roles: ['user'],
    answer: { user: 'Name' },
    why: 'Name, Age and Occupation are all different in each row',
  },
  'csvkit/examples/realdata/ks_1033_data.csv': { roles: ['user'], answer: { user: 'county' }, why: 'county, item names, quantities… repeat alike' },
  'csvlint.rb/features/fixtures/invalid-byte-sequence.csv': {
    roles: ['user'],
    answer: { user: 'Dependencia Origem' },
    why: 'a bank statement: the document numbers and amounts are no user ids',
  },
  'duckdb/data/csv/auto/multiple_skip_row.csv': { roles: ['user'], answer: { user: 'number' }, why: 'one row: number and text fit alike' },
  'duckdb/data/csv/auto_date/device_metadata_1.csv': {
    roles: ['timestamp'],
    answer: { timestamp: 'installation_date' },
    why: 'installation_date and last_maintenance_date read alike (dates), neither named as a timestamp',
  },
  'duckdb/data/csv/error/timestamp.csv': { roles: ['user'], answer: { user: 'column1' }, why: 'the only candidate, column1, holds one value' },
  'duckdb/data/csv/rejects/multiple_errors/multiple_errors.csv': {
    roles: ['timestamp', 'user'],
    answer: { timestamp: 'current_day', user: 'name' },
    why: 'current_day reads half its values; name and barks fit alike',
  },
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
    console.log(
      [
        `csv corpus: ${outcomes.size} files, ${loaded} loaded, ${outcomes.size - loaded} LoadError`,
        '(loaded events/skipped/rowsRead with the detected columns | LoadError: first 100 chars)',
        ...[...outcomes].map(([file, outcome]) => `${file.padEnd(width)}  ${outcome.replace(/\s+/g, ' ')}`),
      ].join('\n'),
    );
  });

  /** Loads `rel` through the app, checks the outcome is sound, runs `more`, frees the tables. */
  async function run(rel: string, more?: (outcome: LoadOutcome) => Promise<void>): Promise<LoadOutcome> {
    const name = path.basename(rel);
    const id = nextId++;
    const asked = ASKED[rel];
    const outcome = await loadThroughApp(engine, name, new Uint8Array(fs.readFileSync(path.join(corpusDir, rel))), id, asked?.answer);
    outcomes.set(rel, `${outcome.ok && outcome.asked ? `asked ${outcome.asked.map((r) => r.role).join('+')}, answered: ` : ''}${describeOutcome(outcome)}`);
    try {
      expect(outcome.ok ? outcome.asked?.map((r) => r.role) : outcome.asked?.uncertain.map((r) => r.role), 'the roles the page asks about').toEqual(
        asked?.roles,
      );
      expectSoundOutcome(outcome, name);
      if (!outcome.ok) expect(messageDefects(outcome.error), outcome.error.message).toEqual(KNOWN_MESSAGE_DEFECTS[rel] ?? []);
      if (outcome.ok) {
        const { firstEventUs, lastEventUs } = outcome.events.figures;
        const plausible = firstEventUs !== null && lastEventUs !== null && firstEventUs >= PLAUSIBLE_US[0] && lastEventUs < PLAUSIBLE_US[1];
        expect(plausible, `events from ${firstEventUs} to ${lastEventUs} µs`).toBe(!(rel in KNOWN_IMPLAUSIBLE));
      }
      const pinned = PINNED[rel];
      if (pinned && 'loaded' in pinned) {
        expect(outcome.ok ? [outcome.events.figures.events, outcome.events.figures.skipped, outcome.events.figures.rowsRead] : outcome.error.message).toEqual(
          pinned.loaded,
        );
        if (outcome.ok && pinned.mapping) expect(outcome.mapping).toMatchObject(pinned.mapping);
      } else if (pinned) {
        expect(outcome.ok ? describeOutcome(outcome) : outcome.error.problem).toMatch(pinned.error);
      }
      if (pinned?.raw) {
        const raw = outcome.raw;
        expect(raw, 'the raw table was read').not.toBeNull();
        if (raw) {
          const { rows, rejectedLines, notes, ...counts } = pinned.raw;
          expect({ columns: raw.columns, rowsRead: raw.rowsRead, rejected: raw.rejected }).toEqual(counts);
          if (rejectedLines) expect(raw.rejectedExamples.map((e) => e.line)).toEqual(rejectedLines);
          if (notes) expect(raw.notes).toEqual(notes);
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
    for (const rel of [...Object.keys(KNOWN_MESSAGE_DEFECTS), ...Object.keys(PINNED), ...Object.keys(KNOWN_IMPLAUSIBLE), ...Object.keys(ASKED)])
      expect(inputs).toContain(rel);
  });

  const spectrum = inputs.filter((rel) => rel.startsWith('csv-spectrum/csvs/'));
  const pollock = inputs.filter((rel) => rel.startsWith('pollock/polluted_files/csv/'));
  const others = inputs.filter((rel) => !spectrum.includes(rel) && !pollock.includes(rel));

  describe('csv-spectrum: raw table equals the expected parse', () => {
    for (const rel of spectrum) {
      it(rel, async () => {
        const expected = JSON.parse(fs.readFileSync(path.join(corpusDir, rel.replace('/csvs/', '/json/').replace(/\.csv$/, '.json')), 'utf8')) as Record<
          string,
          string
        >[];
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
    /** The clean table's data rows (the clean files quote every field). */
    function cleanTable(name: string): string[][] {
      const text = fs.readFileSync(path.join(corpusDir, 'pollock/polluted_files/clean', name), 'utf8');
      return Papa.parse<string[]>(text, { skipEmptyLines: true }).data.slice(1);
    }
    /** The raw table's rows in file order, by position, the first `n` columns, NULL as "". */
    async function firstColumns(table: string, columns: string[], n: number): Promise<string[][]> {
      const rows = await engine.query<Record<string, string | null>>(`SELECT * FROM "${table}" ORDER BY rowid`);
      return rows.map((row) => columns.slice(0, n).map((c) => row[c] ?? ''));
    }
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
            // Line 11 has one delimiter too many, its last field empty. DuckDB keeps such a line
            // without that field, every value from PRODUCTID on one column right (PRODUCTID
            // empty, Price BH-9827); sniffFile finds it in the first 64 KB and the loader sets
            // it aside with its line number. The other 82 rows equal the clean table.
            expect(raw.rejectedExamples.map((e) => [e.line, e.message])).toEqual([
              [11, 'Expected Number of Columns: 9 Found: 10 (one delimiter too many: the values after it would be one column off)'],
            ]);
            expect(await firstColumns(raw.table, raw.columns, 9)).toEqual(cleanTable(name).filter((_, i) => i !== 9));
          }
          if (name === 'row_extra_quote10_col6.csv') {
            // Fixed by 2da2960: every row but line 11 (the stray quote, ""Made in the USA…,
            // set aside) equals the clean table, quoted descriptions whole. 286d108 read the
            // file with no quote character: 48 lines set aside, 25 of the 35 kept shifted.
            expect(await firstColumns(raw.table, raw.columns, 9)).toEqual(cleanTable(name).filter((_, i) => i !== 9));
          }
          if (
            ['file_multitable_less.csv', 'file_multitable_more.csv', 'file_preamble.csv', 'file_header_multirow_2.csv', 'file_header_multirow_3.csv'].includes(
              name,
            )
          ) {
            // Every row equals the clean table: the second table (line 85 on) is not read, the
            // preamble lines are skipped, the repeated header lines are not rows (see PINNED).
            expect(await firstColumns(raw.table, raw.columns, 9)).toEqual(cleanTable(name));
          }
          if (name === 'file_quotation_char_0x27.csv') {
            // Read with quote ': every row kept equals its clean row; the lines set aside are
            // those whose quoted text holds an apostrophe DuckDB takes for the closing quote.
            const setAside = new Set(raw.rejectedExamples.map((e) => e.line));
            expect(raw.rejectedExamples.slice(0, 3).map((e) => [e.line, e.message])).toEqual([
              [3, 'Value with unterminated quote found.'],
              [5, 'Value with unterminated quote found.'],
              [7, 'Value with unterminated quote found.'],
            ]);
            // Each kept row is a clean row, in file order, none of the set-aside lines (each
            // data row is one line: line = clean row + 2). One difference is known: Pollock's
            // parameters give " as the escape character inside '…', so its parse reads
            // 'Round 48""' as Round 48"; the loader (escape = the quote) keeps 48"".
            // For 2 of the 33 set-aside lines (19 and 50) DuckDB's rejects table gives the byte
            // position and the text of the kept line above (its unquoted value holds an
            // apostrophe: Kids' Good Mocs, Portable Game Center); the file has no CR, so the
            // loader keeps DuckDB's own line there (see numberByFileLines).
            const clean = cleanTable(name).map((row) => JSON.stringify(row));
            let at = -1;
            for (const row of await firstColumns(raw.table, raw.columns, 9)) {
              at = clean.indexOf(JSON.stringify(row.map((v) => v.replaceAll('""', '"'))), at + 1);
              expect(at, JSON.stringify(row)).toBeGreaterThanOrEqual(0);
              expect(setAside.has(at + 2)).toBe(false);
            }
          }
          if (name === 'row_less_sep_row10_col3.csv' || name === 'row_field_delimiter_10_0x20.csv') {
            // Fixed by 090c278 (see PINNED): line 11 is set aside as malformed, with DuckDB's
            // reason, and every other row equals the clean table. 2da2960 kept it padded: its
            // values shifted one column left (row_less_sep), or most of it in DATE (spaces
            // for delimiters), with no note.
            expect(raw.rejectedExamples.map((e) => [e.line, e.message])).toEqual([
              [11, name === 'row_less_sep_row10_col3.csv' ? 'Expected Number of Columns: 9 Found: 8' : 'Expected Number of Columns: 9 Found: 3'],
            ]);
            expect(await firstColumns(raw.table, raw.columns, 9)).toEqual(cleanTable(name).filter((_, i) => i !== 9));
          }
        });
      }, 20_000);
    }
  });

  describe('every other input: loads with sound accounting or a LoadError naming it', () => {
    for (const rel of others)
      it(rel, async () => {
        await run(rel);
      }, 20_000);
  });
});
