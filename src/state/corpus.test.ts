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
    rowsRead: 166, malformed: 83,
    why: 'both tables read as one: the first table is read exactly (its 83 rows equal the clean table); the second table, 8 fields a line, and its header are set aside as malformed lines, counted (83)',
  },
  'file_multitable_more.csv': {
    rowsRead: 166,
    why: 'both tables read as one (still wrong, see PINNED): the second table\'s header is a data row and its 82 rows, 10 fields a line, are cut to 9 fields and kept, repeating the first table\'s events',
  },
  'file_quotation_char_0x27.csv': {
    why: "quote char ' not detected (Men's, won't…): the RFC 4180 retry (quote \") keeps all 83 rows, but the 48 lines with a comma inside '…' are split there and cut to 9 fields without a note (still wrong, see PINNED and its test)",
  },
  // row_extra_quote10_col6.csv matches the defaults since 4388f37, but see its test: line 11 is shifted.
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
 * e2abc23 fixed, then files 4388f37 fixed or changed for the better, then files where the
 * app still does worse than it should (loader bugs, reported; "regression" where it did
 * better before the loader change named). `raw` pins the raw table as well: its columns,
 * rows read, lines set aside, and (small files) every row, in file order.
 */
interface RawPin {
  columns: string[];
  rowsRead: number;
  rejected: number;
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
  'duckdb/data/csv/unescaped_quotes/unescaped_quote.csv': {
    error: /no column holds readable timestamps \(columns: "column0", "column1"\)/,
    // Since 4388f37 line 3 is kept whole (its ";" inside the quotes too), no longer set aside.
    raw: {
      columns: ['column0', 'column1'], rowsRead: 6, rejected: 0,
      rows: [1, 2, 3, 4, 5, 6].map((i) => ({ column0: `${i}`, column1: i === 3 ? 'pedro pdet ho;landa' : 'pedro pdet holanda' })),
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
  // One stray quote on line 11 no longer costs 48 lines: all 83 rows in 9 columns (line 11
  // is shifted, see its Pollock test).
  'pollock/polluted_files/csv/row_extra_quote10_col6.csv': { loaded: [83, 0, 83] },
  // The first table is read exactly; the second (8 fields a line) is set aside, counted.
  'pollock/polluted_files/csv/file_multitable_less.csv': { loaded: [83, 83, 166] },
  // The one-column header "content" is kept and the quoted multi-line tweet is its first
  // row (before: both were taken for lines above the header and skipped, counted nowhere;
  // native read_csv() does the same, 1x2). The last line, "84,hello world", is cut to the
  // header's one field ("hello world" dropped, the defect pinned below), which does not
  // matter here: the file is refused, and for a reason true of its header.
  'duckdb/data/csv/csv_quoted_newline_odd.csv': {
    error: /^found a single column \("content"\); a clickstream needs at least a user id and a timestamp column/,
    raw: { columns: ['content'], rowsRead: 2, rejected: 0 },
  },

  // Still wrong (reported).
  // Regression (since 4388f37), one defect throughout this group: the RFC 4180 retry reads
  // with strict_mode = false, which cuts every line to the header's number of fields, and
  // it now wins whenever a line has more fields than the header. The extra values vanish
  // with no column and no note; before, those lines were set aside as malformed, counted
  // and shown. Should be: extra columns (column3…) for the extra values, or a note saying
  // how many lines had more fields than the header and that their extra values were
  // dropped (empty extra fields, a trailing comma, may go unmentioned).
  // Header id,name,lat,lon, one row of 5 fields: the header is kept since 4388f37 (before:
  // skipped with sniff_csv's dialect, names column0…column4), but the 5th value, "value",
  // is dropped. Should be: the header's names and a 5th column.
  'duckdb/data/csv/locations_row_trailing_comma.csv': {
    error: /^no column holds readable timestamps \(columns: "id", "name", "lat", "lon"\)/,
    raw: { columns: ['id', 'name', 'lat', 'lon'], rowsRead: 1, rejected: 0, rows: [{ id: '1', name: 'name', lat: '0', lon: '0' }] },
  },
  // A blank line, header One,two,three, then rows of 4, 3, 5 and 5 fields. The header's
  // names are kept since 4388f37 (before: sniff_csv's dialect skipped 5 lines, the header
  // and two rows vanished, names column0…column4), but (1) the header line is also read as
  // the first data row: with a blank first line, header = true and skip = 0, DuckDB 1.4.3
  // reads line 2 twice (see the hostile-files test "a blank line above the header"), so
  // rowsRead is 5 for 4 rows; (2) the values 4, 4 5 and 4 5 are dropped.
  'duckdb/data/csv/inconsistent_cells.csv': {
    error: /^no column holds readable timestamps \(columns: "One", "two", "three"\)/,
    raw: {
      columns: ['One', 'two', 'three'], rowsRead: 5, rejected: 0,
      rows: [{ One: 'One', two: 'two', three: 'three' }, ...Array.from({ length: 4 }, () => ({ One: '1', two: '2', three: '3' }))],
    },
  },
  // Lines 4 and 5 have 5 fields for 4 columns: kept with their 5th value, 7, dropped (line
  // 4 becomes an event, line 5 is skipped for its timestamp " bla"); before 4388f37 both
  // were set aside as malformed (2 events, 5 skipped).
  'duckdb/data/csv/rejects/multiple_errors/multiple_errors.csv': {
    loaded: [3, 4, 7],
    raw: {
      columns: ['name', 'age', 'current_day', 'barks'], rowsRead: 7, rejected: 3,
      rows: [
        { name: 'oogie boogie', age: '3', current_day: ' 2023-01-01', barks: ' 2' },
        { name: 'oogie boogie', age: '3', current_day: ' 2023-01-02', barks: ' 5' },
        { name: 'oogie boogie', age: '3', current_day: ' 2023-01-03', barks: ' bla' },
        { name: 'oogie boogie', age: '3', current_day: ' bla', barks: ' bla' },
      ],
    },
  },
  // '1,27,,"I'm too long!"' is kept as 1, 27, NULL: "I'm too long!" is dropped (before
  // 4388f37: set aside, 2 lines rejected). The short line is still set aside.
  'csvkit/examples/bad.csv': {
    error: /no column holds readable timestamps \(columns: "column_a", "column_b", "column_c"\)/,
    raw: {
      columns: ['column_a', 'column_b', 'column_c'], rowsRead: 3, rejected: 1,
      rows: [{ column_a: '1', column_b: '27', column_c: null }, { column_a: '0', column_b: 'mixed types.... uh oh', column_c: '17' }],
    },
  },
  // "1,2,3,4,5" under a,b,c is kept as 1,2,3: 4 and 5 dropped (before 4388f37: set aside).
  'duckdb/data/csv/extra_delimiters.csv': {
    error: /no column holds readable timestamps \(columns: "a", "b", "c"\)/,
    raw: { columns: ['a', 'b', 'c'], rowsRead: 4, rejected: 0, rows: Array.from({ length: 4 }, () => ({ a: '1', b: '2', c: '3' })) },
  },
  // "7,7,3" under i,j is kept as 7,7: 3 dropped (before 4388f37: set aside).
  'duckdb/data/csv/test/error_too_many.csv': {
    error: /no column holds readable timestamps \(columns: "i", "j"\)/,
    raw: { columns: ['i', 'j'], rowsRead: 6, rejected: 0, rows: ['1', '2', '3', '4', '7', '5'].map((v) => ({ i: v, j: v })) },
  },
  // Headerless, 1 to 5 fields a line: the lines of 4 and 5 fields are kept cut to 3 (10000
  // and 10000,100000 dropped), the lines of 1 and 2 fields set aside (before 4388f37: all
  // four set aside).
  'duckdb/data/csv/nullpadding.csv': {
    error: /no column holds readable timestamps \(columns: "column0", "column1", "column2"\)/,
    raw: { columns: ['column0', 'column1', 'column2'], rowsRead: 5, rejected: 2, rows: Array.from({ length: 3 }, () => ({ column0: '10', column1: '100', column2: '1000' })) },
  },
  // The quote char ' is not detected. Since 4388f37 all 83 rows load (before: 35, and 48
  // lines with a comma inside '…' set aside, counted), but those 48 are split at that comma
  // and cut to 9 fields: the description is cut, its rest lands in 'URL' and Comments,
  // and the URL is dropped, with no note (see its Pollock test). DATE, TIME and Qty are
  // right in every row. Should be: ' detected as the quote (a first-line field starting
  // with ' is a hint), or the lines kept whole in extra columns.
  'pollock/polluted_files/csv/file_quotation_char_0x27.csv': { loaded: [83, 0, 83] },
  // Two tables: the second (line 85 on) repeats the first's header with a 10th column and
  // the first table's rows. Since 4388f37 the first table is read exactly (before: 48 of
  // its lines set aside, 10 rows right), but the second table's header is a data row
  // (skipped: unreadable timestamp) and its 82 rows, cut to 9 fields, load as events: the
  // first table's events twice, with no note. Should be: a line repeating the header ends
  // the table (or starts a second one), with a note naming the line.
  'pollock/polluted_files/csv/file_multitable_more.csv': { loaded: [165, 1, 166] },
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
          const { rows, ...counts } = pinned.raw;
          expect({ columns: raw.columns, rowsRead: raw.rowsRead, rejected: raw.rejected }).toEqual(counts);
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
          if (name === 'row_extra_quote10_col6.csv') {
            // Known deviation (since 4388f37, which fixed the 48 lines lost): line 11 has a
            // stray quote (""Made in the USA…) and is read with its description split at a
            // comma, "standards" losing its "s", the rest in URL and the URL in Comments. The
            // line is neither rejected nor counted; the other 82 rows equal the clean table.
            const [row] = await engine.query<Record<string, string | null>>(`SELECT "ProductType", "ProductDescription", "URL", "Comments" FROM "${raw.table}" WHERE rowid = 9`);
            expect(row).toEqual({
              ProductType: 'All-Weather Dining Table, Round 48"',
              ProductDescription: 'Made in the USA to our exacting standard',
              URL: ' this round patio table is durable enough to weather the elements year-round."',
              Comments: 'https://www.example.com/product/BH_9827.html',
            });
          }
          if (name === 'file_quotation_char_0x27.csv') {
            // Still wrong (PINNED): line 3's description holds two commas inside '…'. Split
            // there and cut to 9 fields, its rest fills 'URL' and Comments, and its URL is
            // dropped, with no note. Before 4388f37 the line was set aside, counted.
            const [row] = await engine.query<Record<string, string | null>>(`SELECT "'ProductDescription'" AS d, "'URL'" AS u, "Comments" AS c FROM "${raw.table}" WHERE rowid = 1`);
            expect(row).toEqual({
              d: "'The next level of weather protection. This light-up jacket resists the elements and keeps you visible in low-light conditions. From running",
              u: ' biking or walking the dog',
              c: " the durable construction and innovative safety features won't let you down.'",
            });
          }
        });
      }, 20_000);
    }
  });

  describe('every other input: loads with sound accounting or a LoadError naming it', () => {
    for (const rel of others) it(rel, async () => { await run(rel); }, 20_000);
  });
});
