import { quoteIdent, quoteString } from './quote';
import { fileColumnsSql, numberRowsSql, rowidSql } from './rowid-sql';

/*
 * Reading a delimited file into a raw table: every column as text (so nothing is retyped
 * and exports keep each cell as it was), dialect and header sniffed by DuckDB, and
 * malformed lines set aside in a rejects table instead of failing the whole load or
 * collapsing the file into a single column.
 */

/** A CSV dialect as sniff_csv reports it; '' = none (no quoting, no comments). */
export interface CsvDialect {
  delimiter: string;
  quote: string;
  escape: string;
  skipRows: number;
  header: boolean;
  comment: string;
  /**
   * DuckDB's strict_mode off: reads files with mixed line endings or stray quotes, but a
   * line with more fields than the header silently loses the extra values. A last resort.
   */
  lenient?: boolean;
  /**
   * The columns, named here instead of sniffed (auto_detect off): DuckDB's sniffer gives
   * up on some files whose dialect is plain. More names than the header has take the
   * extra values of longer lines (with null_padding for the shorter ones).
   */
  columns?: string[];
  /** With `columns`: pad lines that are shorter (for a header widened to the longest line). */
  padded?: boolean;
}

/** The lenient read's null text: a control character no CSV holds, so no field is read as NULL. */
export const LENIENT_NULL_TEXT = '\u0001';

/** Copies a raw table (of file columns `columns`) with '' in every text column turned into NULL, rows in order. */
export function emptyToNullSql(from: string, to: string, columns: readonly string[]): string {
  return [
    `CREATE OR REPLACE TABLE ${quoteIdent(to)} AS SELECT nullif(COLUMNS(${fileColumnsSql(columns)}), '') FROM ${quoteIdent(from)} ORDER BY ${rowidSql(columns)}`,
    ...numberRowsSql(to, columns),
  ].join('; ');
}

export interface ReadDelimitedSpec {
  fileName: string;
  rawTable: string;
  rejectsTable: string;
  rejectsScanTable: string;
  /** null: let read_csv sniff everything. */
  dialect: CsvDialect | null;
}

export function readDelimitedSql(spec: ReadDelimitedSpec): string {
  const options = [
    'all_varchar = true',
    'store_rejects = true',
    `rejects_table = ${quoteString(spec.rejectsTable)}`,
    `rejects_scan = ${quoteString(spec.rejectsScanTable)}`,
  ];
  const d = spec.dialect;
  if (d) {
    options.push(`delim = ${quoteString(d.delimiter)}`, `quote = ${quoteString(d.quote)}`, `escape = ${quoteString(d.escape)}`, `header = ${d.header}`);
    if (d.lenient) options.push('strict_mode = false');
    if (d.columns) {
      const struct = d.columns.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ');
      options.push('auto_detect = false', `columns = {${struct}}`);
      // Lines shorter than a widened header are padded; DuckDB's parallel scanner refuses
      // padding where quoted values hold newlines, hence parallel off.
      if (d.padded) options.push('null_padding = true', 'parallel = false');
      // A lenient read pads lines shorter than the header too: empty fields are read as ''
      // (turned into NULL after) so that the padded ones, NULL, can be counted.
      if (d.padded && d.lenient) options.push(`nullstr = ${quoteString(LENIENT_NULL_TEXT)}`);
    }
    // skip = 0 written out makes DuckDB 1.4 read the header twice after a blank first line.
    if (d.skipRows > 0) options.push(`skip = ${Math.floor(d.skipRows)}`);
    if (d.comment) options.push(`comment = ${quoteString(d.comment)}`);
  }
  return `CREATE OR REPLACE TABLE ${quoteIdent(spec.rawTable)} AS
SELECT * FROM read_csv(${quoteString(spec.fileName)}, ${options.join(', ')})`;
}

/**
 * DuckDB's own dialect guess, made without ignore_errors (which store_rejects implies and
 * which turns off the detection of title lines above the header).
 */
export function sniffCsvSql(fileName: string): string {
  return `SELECT Delimiter AS delimiter, Quote AS quote, Escape AS escape, SkipRows::DOUBLE AS "skipRows",
  HasHeader AS header, Comment AS comment FROM sniff_csv(${quoteString(fileName)})`;
}

/** Copies a raw table with its file columns renamed by position (for names SQL cannot quote), rows in scan order. */
export function renameColumnsSql(from: string, to: string, names: readonly string[]): string {
  const select = names.map((n, i) => `#${i + 1} AS ${quoteIdent(n)}`).join(', ');
  return [`CREATE OR REPLACE TABLE ${quoteIdent(to)} AS SELECT ${select} FROM ${quoteIdent(from)}`, ...numberRowsSql(to, names)].join('; ');
}

/**
 * The table's column names, in order. pragma_table_info, not information_schema.columns:
 * the first query of a page on information_schema (or duckdb_columns()) cost 0.3-0.65 s in
 * a fresh Node process and 0.56-1.1 s in a cold page's raw read, pragma_table_info 0.03-0.1 s.
 * Its argument is parsed as a name, hence the quoted identifier inside the string.
 */
export function columnNamesSql(table: string): string {
  return `SELECT name FROM pragma_table_info(${quoteString(quoteIdent(table))}) ORDER BY cid`;
}

/** Lines DuckDB could not split into the file's columns, counted once per line. */
export function rejectedCountSql(rejectsTable: string): string {
  return `SELECT count(DISTINCT line)::DOUBLE AS count FROM ${quoteIdent(rejectsTable)}`;
}

/**
 * The first lines set aside, in file order. `line` is DuckDB's count, which is not the file's
 * line (see domain/line-breaks.ts); `position` is one past the byte where DuckDB took the
 * line to start (0 for a line that starts the file is reported as 1), from which the loader
 * counts the file line.
 */
export function rejectedExamplesSql(rejectsTable: string, limit: number): string {
  return `SELECT line::DOUBLE AS line, min(line_byte_position)::DOUBLE AS position, min(error_type) AS "errorType",
  min(error_message) AS message, min(csv_line) AS text
FROM ${quoteIdent(rejectsTable)} GROUP BY line ORDER BY position, line LIMIT ${Math.max(0, Math.floor(limit))}`;
}

export function dropTableSql(table: string): string {
  return `DROP TABLE IF EXISTS ${quoteIdent(table)}`;
}

/** Puts table `from` in the place of `to` (dropped first, if there), under `to`'s name. */
export function replaceTableSql(from: string, to: string): string {
  return `${dropTableSql(to)}; ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`;
}

/** The table's rows, as `count`. */
export function rowCountSql(table: string): string {
  return `SELECT count(*)::DOUBLE AS count FROM ${quoteIdent(table)}`;
}

/**
 * Of a raw table's first `sampleRows` rows, those with a cell that starts with a double quote
 * mark (`n`: a sign that quoting was misread), and the rows sampled (`sampled`).
 */
export function literalQuoteRowsSql(table: string, columns: readonly string[], sampleRows: number): string {
  // One test per column, OR-ed, rather than UNPIVOT to (row, value) pairs: the same count,
  // and the UNPIVOT was 178-403 ms of a cold page's raw read (Node, first query: 322 vs 34 ms).
  // Columns by position (#1, …: the file's columns come first, see rowid-sql.ts), as a name
  // read from a file may hold a NUL byte, which ends the SQL text.
  const quoted = columns.map((_, i) => `starts_with(CAST(#${i + 1} AS VARCHAR), '"')`).join(' OR ') || 'false';
  return `SELECT count(*) FILTER (WHERE ${quoted})::DOUBLE AS n, count(*)::DOUBLE AS sampled
FROM (SELECT * FROM ${quoteIdent(table)} LIMIT ${Math.max(0, Math.floor(sampleRows))})`;
}

/** The most fields a set-aside line had ("Expected Number of Columns: 3 Found: 4"), or NULL. */
export function widestRejectedSql(rejectsTable: string): string {
  return `SELECT max(TRY_CAST(regexp_extract(error_message, 'Found: (\\d+)', 1) AS INTEGER))::DOUBLE AS widest
FROM ${quoteIdent(rejectsTable)} WHERE error_type = 'TOO MANY COLUMNS'`;
}

/** Rows whose first columns hold their own names (a header line read as a data row). */
export function headerRowsCountSql(table: string, names: readonly string[]): string {
  return `SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(table)} WHERE ${headerRowCondition(names)}`;
}

/** True for a row whose columns `names` hold their own names. */
export function headerRowCondition(names: readonly string[]): string {
  return names.map((n) => `${quoteIdent(n)} = ${quoteString(n)}`).join(' AND ');
}

/** Copies a raw table without the rows matching `condition`, in file order (row numbers 0…n-1 again). */
export function keepRowsSql(from: string, to: string, condition: string, columns: readonly string[]): string {
  return [
    `CREATE OR REPLACE TABLE ${quoteIdent(to)} AS SELECT ${fileColumnsSql(columns)} FROM ${quoteIdent(from)} WHERE NOT coalesce(${condition}, false) ORDER BY ${rowidSql(columns)}`,
    ...numberRowsSql(to, columns),
  ].join('; ');
}

/** The last row at or above `maxRowid` (0-based row number) whose columns `names` hold `values` ('' as NULL), as `r`. */
export function lastMatchingRowSql(table: string, columns: readonly string[], names: readonly string[], values: readonly string[], maxRowid: number): string {
  const match = names.map((n, i) => `${quoteIdent(n)} IS NOT DISTINCT FROM NULLIF(${quoteString(values[i] ?? '')}, '')`).join(' AND ');
  const row = rowidSql(columns);
  return `SELECT max(${row})::DOUBLE AS r FROM ${quoteIdent(table)} WHERE ${row} <= ${Math.floor(maxRowid)} AND ${match}`;
}

/** Rows where `column` is NULL, as `n`. */
export function nullCountSql(table: string, column: string): string {
  return `SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(table)} WHERE ${quoteIdent(column)} IS NULL`;
}

/** The values in each column, as c0, c1, … */
export function valueCountsSql(table: string, columns: readonly string[]): string {
  return `SELECT ${columns.map((c, i) => `count(${quoteIdent(c)})::DOUBLE AS c${i}`).join(', ')} FROM ${quoteIdent(table)}`;
}

export function dropColumnsSql(table: string, columns: readonly string[]): string {
  return columns.map((c) => `ALTER TABLE ${quoteIdent(table)} DROP COLUMN ${quoteIdent(c)}`).join('; ');
}

/** A file the quick read found plainly regular (quick-read.ts): its dialect and header names, as it read them. */
export interface RegularCsvSpec {
  fileName: string;
  rawTable: string;
  delimiter: string;
  /** '"' or '' (no quoting); the escape is the quote (RFC 4180). */
  quote: string;
  columns: readonly string[];
}

/**
 * Reads a regular file with the dialect and names the quick read found, nothing sniffed and
 * no rejects table: a line DuckDB cannot split fails the statement (the caller then reads
 * the file the general way, readDelimitedSql, which sets such lines aside).
 */
export function readRegularCsvSql(spec: RegularCsvSpec): string {
  const struct = spec.columns.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ');
  const options = [
    'all_varchar = true',
    `delim = ${quoteString(spec.delimiter)}`,
    `quote = ${quoteString(spec.quote)}`,
    `escape = ${quoteString(spec.quote)}`,
    'header = true',
    'auto_detect = false',
    `columns = {${struct}}`,
  ];
  return `CREATE OR REPLACE TABLE ${quoteIdent(spec.rawTable)} AS
SELECT * FROM read_csv(${quoteString(spec.fileName)}, ${options.join(', ')})`;
}
