import type { Engine } from '../engine/engine';
import type { FirstLineGuess } from '../domain/sniff-file';
import { SKIPPED_EXAMPLES } from '../sql/events-sql';
import {
  dropTableSql,
  literalQuoteRowsSql,
  readDelimitedSql,
  rejectedCountSql,
  rejectedExamplesSql,
  replaceTableSql,
  sniffCsvSql,
  widestRejectedSql,
  type CsvDialect,
} from '../sql/read-sql';
import type { PositionedRejectedLine } from '../ingest/file-lines';
import { fileColumns, rowCount } from './raw-table';

/** Lines set aside: as many examples as of skipped rows. */
export const SET_ASIDE_EXAMPLES = SKIPPED_EXAMPLES;

export interface DelimitedRead {
  table: string;
  columns: string[];
  kept: number;
  rejected: number;
  rejectedExamples: PositionedRejectedLine[];
  /** Lines above the header that the chosen dialect skipped (titles, comments). */
  skippedLines: number;
  /** Read with strict_mode off (see CsvDialect.lenient). */
  lenient?: boolean;
  /** Columns added for the extra values of lines longer than the header. */
  widened?: number;
  /** Rows whose cells still carry quote marks (estimated): a sign quoting was misread. */
  literalQuoteRows: number;
  /** What the checks after the read found and did (repeated headers, a second table, lost values). */
  notes?: string[];
  /** A lenient read's column past a one-field header, there only to count the lines it cuts. */
  spareColumn?: boolean;
  /** Lines the read skipped above the header, and whether it took a header (unknown for read_csv's own sniffing). */
  dialect?: { skipRows: number; header: boolean };
  /** Lines below the header read as rows and removed after the read (repeated headers). */
  removedLines?: number[];
}

/**
 * Reads a delimited file, trying dialects until one splits every line: first read_csv's
 * own sniffing; when lines are rejected or only one column is found, the dialect
 * sniff_csv reports (it detects title lines above the header, which store_rejects turns
 * off), then plain RFC 4180 with the delimiter and header the first line suggests. The
 * read that accounts for the most rows wins: rows kept, less lines skipped above the
 * header (those are accounted nowhere), with at least two columns; the others are dropped.
 */
export async function readDelimited(
  engine: Engine,
  fileName: string,
  table: string,
  id: number,
  firstLine: FirstLineGuess | undefined,
  /** The widest line cut from the file before this read (see wide-lines-cut.ts), for the note. */
  widestCut = 0,
): Promise<DelimitedRead> {
  let sniffed: CsvDialect | null | undefined;
  // The widest line DuckDB set aside for having too many fields, in any read so far.
  let widest = 0;
  const names = firstLine ? columnNames(firstLine) : null;
  // Reads widen to the widest line, but never past MAX_EXTRA_COLUMNS more than the header.
  const widthFor = (width: number): number => (names ? Math.min(width, names.length + MAX_EXTRA_COLUMNS) : width);
  const dialects: (() => Promise<CsvDialect | null | undefined>)[] = [
    // Title lines above the header (sniffFile found them): read from the header on.
    async () => (names && firstLine?.titleLines ? rfc({ columns: names }) : null),
    async () => {
      sniffed = await sniffDialect(engine, fileName);
      // Skipping many lines, or skipping lines of a table without a header, drops data.
      return sniffed && sniffed.skipRows <= MAX_TITLE_LINES && (sniffed.header || sniffed.skipRows === 0) ? sniffed : undefined;
    },
    // The columns named from the first line: DuckDB's sniffer gives up on some plain files.
    async () => (names ? rfc({ columns: names }) : rfc({})),
    // Lines longer than the header: their extra values get columns of their own.
    // (Not for a one-field first line: that is a delimiter problem, not long lines.)
    async () => (names && names.length > 1 && widest > names.length ? rfc({ columns: widen(names, widthFor(widest)), padded: true }) : undefined),
    // Every line shorter than the header (a header naming more columns than the data has).
    async () => (names && names.length > 1 && (!best || best.kept === 0) ? rfc({ columns: names, padded: true }) : undefined),
    // The last resort, when nothing so far gave a usable table with rows, or when lines
    // were set aside in a file with mixed line endings (a quoted last field before a CRLF
    // in an LF file is one). Widened, so that longer lines keep their values.
    async () => (best && best.columns.length >= 2 && best.kept > 0 && !(firstLine?.mixedLineEndings && best.rejected > 0) ? undefined : rfc(lenientColumns())),
  ];
  const linesAbove = (firstLine?.blankLinesAbove ?? 0) + (firstLine?.titleLines ?? 0);
  const rfc = (extra: Partial<CsvDialect>): CsvDialect => ({
    delimiter: firstLine?.delimiter ?? ',',
    quote: firstLine?.quote ?? '"',
    escape: firstLine?.quote ?? '"',
    skipRows: extra.columns || firstLine?.titleLines ? linesAbove : sniffed?.header && sniffed.skipRows <= MAX_TITLE_LINES ? sniffed.skipRows : 0,
    header: (firstLine?.header ?? true) || (firstLine?.titleLines ?? 0) > 0,
    comment: '',
    ...extra,
  });
  // The lenient read cuts longer lines to its columns: as wide as the widest line seen and
  // LENIENT_SPARE_COLUMNS more (a one-field header gets one, to count the lines cut).
  const lenientColumns = (): Partial<CsvDialect> => {
    if (!names) return { lenient: true };
    const width = names.length > 1 ? widthFor(Math.max(widest, firstLine?.widestInHead ?? 0, names.length)) + LENIENT_SPARE_COLUMNS : 2;
    return { lenient: true, columns: widen(names, width), padded: true };
  };
  let best: DelimitedRead | null = null;
  let firstError: unknown = null;
  const tried = new Set<string>();
  for (const [attempt, next] of dialects.entries()) {
    const dialect = await next();
    if (dialect === undefined) continue;
    const key = JSON.stringify(dialect);
    if (tried.has(key)) continue;
    tried.add(key);
    const candidate = `${table}_try${attempt}`;
    const rejectsTable = `rejects_${id}_${attempt}`;
    const scans = `reject_scans_${id}_${attempt}`;
    try {
      await engine.exec(readDelimitedSql({ fileName, rawTable: candidate, rejectsTable, rejectsScanTable: scans, dialect }));
      const read: DelimitedRead = {
        table: candidate,
        columns: await fileColumns(engine, candidate),
        kept: await rowCount(engine, candidate),
        rejected: (await engine.query<{ count: number }>(rejectedCountSql(rejectsTable)))[0]?.count ?? 0,
        rejectedExamples: await engine.query<PositionedRejectedLine>(rejectedExamplesSql(rejectsTable, SET_ASIDE_EXAMPLES)),
        skippedLines: dialect?.columns ? (firstLine?.titleLines ?? 0) : (dialect?.skipRows ?? 0),
        lenient: dialect?.lenient ?? false,
        widened: dialect?.columns && names ? dialect.columns.length - names.length : 0,
        literalQuoteRows: 0,
        spareColumn: dialect?.lenient && names?.length === 1 && dialect.columns?.length === 2,
        ...(dialect ? { dialect: { skipRows: dialect.skipRows, header: dialect.header } } : {}),
      };
      read.literalQuoteRows = await literalQuoteRows(engine, candidate, read.columns, read.kept);
      const [w] = await engine.query<{ widest: number | null }>(widestRejectedSql(rejectsTable));
      widest = Math.max(widest, w?.widest ?? 0);
      if (!best || betterRead(read, best)) {
        if (best) await engine.exec(dropTableSql(best.table));
        best = read;
      } else {
        await engine.exec(dropTableSql(candidate));
      }
    } catch (error) {
      firstError ??= error;
      await engine.exec(dropTableSql(candidate));
    } finally {
      await engine.exec(`${dropTableSql(rejectsTable)}; ${dropTableSql(scans)}`);
    }
    if (best && best.rejected === 0 && best.columns.length >= 2 && best.literalQuoteRows === 0) break;
  }
  if (!best) throw firstError;
  await engine.exec(replaceTableSql(best.table, table));
  const widestLine = Math.max(widest, firstLine?.widestInHead ?? 0, widestCut);
  if (names && names.length > 1 && widestLine > widthFor(widestLine)) {
    const limit = names.length + MAX_EXTRA_COLUMNS;
    const note = `Some lines have far more fields than the header's ${names.length} (the widest has ${widestLine.toLocaleString('en-US')}): lines with more than ${limit} fields are set aside as malformed, not given columns of their own.`;
    return { ...best, table, notes: [...(best.notes ?? []), note] };
  }
  return { ...best, table };
}

/** Columns the lenient read has past the widest line seen. */
const LENIENT_SPARE_COLUMNS = 1;

/**
 * Most extra columns a read adds for lines longer than the header. Past it, such lines are
 * set aside (listed with their line numbers) instead: one line of 30,000 fields would
 * otherwise make a table of 30,000 columns, and every later step scans all of them.
 */
export const MAX_EXTRA_COLUMNS = 64;

/** Column names from the first line: its fields (or column0… without a header), unique, none empty. */
export function columnNames(firstLine: FirstLineGuess): string[] {
  const seen = new Set<string>();
  return firstLine.fields.map((field, i) => {
    // Trimmed, as DuckDB's sniffer names them, so a file reads the same whichever read wins.
    const base = field.trim();
    let name = firstLine.header && base !== '' ? base : `column${i}`;
    for (let k = 1; seen.has(name); k++) name = `${firstLine.header && base !== '' ? base : `column${i}`}_${k}`;
    seen.add(name);
    return name;
  });
}

/** The header's names, then column{n} for the extra values of longer lines. */
export function widen(names: readonly string[], width: number): string[] {
  const wide = [...names];
  for (let i = names.length; i < width; i++) {
    let name = `column${i}`;
    while (wide.includes(name)) name = `${name}_`;
    wide.push(name);
  }
  return wide;
}

/** Title or comment lines above a header that a dialect may skip. */
const MAX_TITLE_LINES = 10;

/**
 * How good a read is: usable (two columns or more) first; then the rows it keeps, less the
 * lines it skipped above the header and the rows whose cells still carry quote marks (a
 * single stray quote can make DuckDB read a whole quoted file with quoting off).
 */
function betterRead(a: DelimitedRead, b: DelimitedRead): boolean {
  const usable = (r: DelimitedRead) => (r.columns.length - (r.spareColumn ? 1 : 0) >= 2 ? 1 : 0);
  if (usable(a) !== usable(b)) return usable(a) > usable(b);
  const score = (r: DelimitedRead) => r.kept - r.skippedLines - r.literalQuoteRows;
  return score(a) > score(b);
}

const QUOTE_SAMPLE_ROWS = 5000;

/** Rows (estimated from the first ones) with a cell that starts with a double quote mark. */
async function literalQuoteRows(engine: Engine, table: string, columns: readonly string[], kept: number): Promise<number> {
  if (kept === 0) return 0;
  const [row] = await engine.query<{ n: number; sampled: number }>(literalQuoteRowsSql(table, columns, QUOTE_SAMPLE_ROWS));
  if (!row || row.sampled === 0) return 0;
  return Math.round((row.n * kept) / row.sampled);
}

async function sniffDialect(engine: Engine, fileName: string): Promise<CsvDialect | undefined> {
  try {
    const [row] = await engine.query<{ delimiter: string; quote: string; escape: string; skipRows: number; header: boolean; comment: string }>(
      sniffCsvSql(fileName),
    );
    if (!row) return undefined;
    const none = (v: string) => (v === '(empty)' ? '' : v);
    return {
      delimiter: none(row.delimiter),
      quote: none(row.quote),
      escape: none(row.escape),
      skipRows: row.skipRows,
      header: row.header,
      comment: none(row.comment),
    };
  } catch {
    // No dialect to suggest: the other attempts stand on their own.
    return undefined;
  }
}
