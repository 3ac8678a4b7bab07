import type { Engine } from '../engine/engine';
import { detectMapping } from '../domain/detect-columns';
import {
  extraDelimiterCollector, FIRST_LINE_BYTES, FIRST_LINE_TOO_LONG, recordFields, sniffFile, SNIFF_BYTES, type FileSniff,
  type FirstLineGuess, type HeadRecord,
} from '../domain/sniff-file';
import { fileChunks, readBytes, recordScanner } from '../domain/csv-records';
import { SKIP_REASONS, type ColumnMapping, type DatasetFigures, type SkippedCount, type SkippedRow, type SkipReason } from '../domain/types';
import { checkRowsAddUp, countedFigures, skippedCounts } from '../domain/rows-add-up';
import {
  createEventsTableSql, datasetFiguresSql, skippedExamplesSql, sortEventsTableSql,
  zonelessShareSql, SKIPPED_EXAMPLES, ZONE_SAMPLE_ROWS, type DatasetFiguresRow, type EventsSpec,
} from '../sql/events-sql';
import type { ColumnProfile } from '../domain/types';
import { columnProfileSql, profiledColumns } from '../sql/profile-sql';
import { compressedTablesSql, memoryInUseSql } from '../sql/storage-sql';
import {
  columnNamesSql, dropColumnsSql, dropTableSql, emptyToNullSql, headerRowCondition, headerRowsCountSql, keepRowsSql,
  lastMatchingRowSql, literalQuoteRowsSql, nullCountSql, readDelimitedSql, valueCountsSql, rejectedCountSql, rejectedExamplesSql, renameColumnsSql,
  replaceTableSql, rowCountSql, sniffCsvSql, widestRejectedSql, type CsvDialect,
} from '../sql/read-sql';
import { numberRowsSql, rowidInSql, rowsByRowidSql, withoutRowidColumn } from '../sql/rowid-sql';
import { transcodeToUtf8, type Transcoded } from '../ingest/transcode';
import { numberByFileLines, type PositionedRejectedLine } from '../ingest/file-lines';
import { checkedLinesOfRows, type RowLineSource } from '../ingest/row-lines';
import { engineMessage, LoadError } from './load-errors';
import type { IngestResult, RowIngest } from '../ingest/row-ingest';
import type { RejectedLine } from '../ingest/row-batches';

/*
 * Loading a file is two steps, each into freshly named tables, so that a failure leaves
 * whatever was loaded before untouched:
 *   readRawTable   file -> raw table of text columns (+ the lines DuckDB had to reject)
 *   buildEvents    raw table + mapping -> events table with gaps, figures, skipped rows
 */

export interface FileSource {
  name: string;
  size: number;
  data: File | Uint8Array;
}

export type { RejectedLine };

export interface RawTable {
  id: number;
  fileName: string;
  table: string;
  columns: string[];
  /** Data rows read, including rejected lines: counted by the reader (rows of its table and lines it set aside). */
  rowsRead: number;
  rejected: number;
  rejectedExamples: RejectedLine[];
  notes: string[];
  /** How to find the file line of a row (a delimited file read strictly, with every set-aside line known). */
  rowLines?: RowLineSource;
}

export interface EventsTable {
  table: string;
  mapping: ColumnMapping;
  figures: DatasetFigures;
  /** Counted where each is met (see datasetFiguresSql); figures.skipped is their sum. */
  skippedByReason: SkippedCount[];
  skippedExamples: SkippedRow[];
  notes: string[];
}

/** Lines set aside: as many examples as of skipped rows. */
const EXAMPLES = SKIPPED_EXAMPLES;

export async function sniffSource(source: FileSource): Promise<Extract<FileSniff, { ok: true }>> {
  let sniff = sniffFile(source.name, await readBytes(source.data, 0, SNIFF_BYTES), source.size);
  // A header wider than the first read: read on until the first line ends.
  if (!sniff.ok && sniff.problem === FIRST_LINE_TOO_LONG) sniff = sniffFile(source.name, await readBytes(source.data, 0, FIRST_LINE_BYTES), source.size);
  if (!sniff.ok) throw new LoadError(source.name, `cannot be read as a clickstream: ${sniff.problem}.`);
  return sniff;
}

interface DelimitedRead {
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
 * What the page can hold. DuckDB-WASM has 4 GB of address space (about 3.1 GB usable) and
 * cannot spill to disk; reading a file takes several times its size (text columns, the
 * parsed instants, the sorted events): a 1M-event CSV of 55 MB holds 154 MB once loaded and about
 * twice that while loading, so 4x its size is budgeted for CSV and NDJSON, more for
 * compressed Parquet. A file whose estimate does not fit is refused before it is read.
 */
export const MEMORY_BUDGET_BYTES = 3 * 1024 ** 3;
const MEMORY_PER_FILE_BYTE = { delimited: 4, ndjson: 4, parquet: 16 } as const;

/** From this size on, the file's tables are stored compressed (see storage-sql.ts). */
export const COMPRESS_TABLES_FROM_BYTES = 256 * 1024 ** 2;

async function checkFits(engine: Engine, source: FileSource, kind: keyof typeof MEMORY_PER_FILE_BYTE): Promise<void> {
  const [row] = await engine.query<{ bytes: number }>(memoryInUseSql());
  const inUse = row?.bytes ?? 0;
  const needed = source.size * MEMORY_PER_FILE_BYTE[kind];
  if (inUse + needed > MEMORY_BUDGET_BYTES) {
    const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;
    throw new LoadError(source.name, `is too large for this page: reading it needs about ${gb(needed)} of memory${inUse > 0 ? ` besides the ${gb(inUse)} in use` : ''}, and the browser's DuckDB can hold about ${gb(MEMORY_BUDGET_BYTES)}. Use the SQL panel's query on DuckDB or PostgreSQL for a file this size, or load a part of it.`);
  }
}

/** The file re-encoded to UTF-8 (streamed, see transcode.ts), or a LoadError saying why it could not be. */
async function convertToUtf8(source: FileSource, encoding: string, name: string): Promise<Transcoded> {
  try {
    return await transcodeToUtf8(source.data, encoding, name);
  } catch (error) {
    throw new LoadError(source.name, `could not be converted from ${encoding} to UTF-8 for reading: ${engineMessage(error)}. Save it as UTF-8 and load it again.`);
  }
}

/** DuckDB's out-of-memory error, said so a person can act on it. */
export function outOfMemoryProblem(message: string): string | null {
  if (!/out of memory|allocation failure|failed to allocate|malloc/i.test(message)) return null;
  return 'ran out of memory in the browser (DuckDB-WASM holds about 3 GB and cannot spill to disk). Load a smaller file, or run the SQL panel\'s query on DuckDB or PostgreSQL.';
}

export async function readRawTable(
  engine: Engine,
  source: FileSource,
  id: number,
  ingestRows: RowIngest,
): Promise<RawTable> {
  const sniff = await sniffSource(source);
  await checkFits(engine, source, sniff.kind);
  // Once a big file comes, every later table is stored compressed: the small ones pay a
  // little time, and memory already grown for the big one would not come back anyway.
  if (source.size >= COMPRESS_TABLES_FROM_BYTES) await engine.exec(compressedTablesSql());
  const table = `raw_${id}`;
  const notes = sniff.note ? [sniff.note] : [];
  let read: DelimitedRead;
  if (sniff.kind === 'delimited') {
    const registered = `upload_${id}.csv`;
    const converted = sniff.encoding === 'utf-8' ? null : await convertToUtf8(source, sniff.encoding, registered);
    const data = converted?.file ?? source.data;
    try {
      await engine.registerFile(registered, data);
      read = await readDelimitedChecked(engine, { registered, data, table, id, firstLine: sniff.firstLine });
    } catch (error) {
      const message = engineMessage(error).replaceAll(registered, source.name);
      throw new LoadError(source.name, outOfMemoryProblem(message) ?? `DuckDB could not read it as CSV/TSV: ${delimitedProblem(message)}`);
    } finally {
      await engine.dropFile(registered);
      await converted?.release();
    }
  } else {
    let ingested: IngestResult;
    try {
      ingested = await ingestRows(engine, source, sniff.kind, table);
    } catch (error) {
      if (error instanceof LoadError) throw error;
      throw new LoadError(source.name, `could not be read as ${sniff.kind === 'ndjson' ? 'NDJSON' : 'Parquet'}: ${engineMessage(error)}`);
    }
    read = { table, columns: [], kept: 0, skippedLines: 0, literalQuoteRows: 0, ...ingested };
    read.columns = await fileColumns(engine, table);
    read.kept = await rowCount(engine, table);
  }

  const { columns, kept, rejected, rejectedExamples, skippedLines } = read;
  if (read.widened) {
    // A file without a header has its columns counted from its first line.
    const longer = sniff.firstLine?.header === false ? 'The file has no header, and some lines have more fields than its first line' : 'Some lines have more fields than the header';
    notes.push(`${longer}; their extra values are kept in ${read.widened === 1 ? 'an extra column' : `${read.widened} extra columns`} (${columns.slice(-read.widened).join(', ')}).`);
  }
  if (read.lenient) {
    // Say the cause only where the first bytes show it; otherwise name what a strict read
    // stumbles on.
    const cause = sniff.firstLine?.mixedLineEndings ? 'its lines end in both CR LF and LF' : 'stray quotes or lines that no strict reading splits';
    notes.push(`The file could only be read leniently (${cause}).`);
  }
  notes.push(...(read.notes ?? []));
  if (skippedLines > 0) {
    notes.push(`The first ${skippedLines === 1 ? 'line' : `${skippedLines} lines`} of the file, above the header, ${skippedLines === 1 ? 'was' : 'were'} skipped: ${skippedLines === 1 ? 'it is' : 'they are'} not part of the table (a title or comments).`);
  }
  if (kept + rejected === 0) {
    await engine.exec(dropTableSql(table));
    throw new LoadError(source.name, columns.length > 0
      ? `has a header (${listColumns(columns)}) but no data rows.`
      : 'has no data rows.');
  }
  if (kept === 0) {
    await engine.exec(dropTableSql(table));
    const first = rejectedExamples[0];
    throw new LoadError(source.name, `no line could be split into the file's columns${first ? ` (line ${first.line}: ${first.message})` : ''}.`);
  }
  const clean = columns.map(cleanColumnName);
  if (clean.some((name, i) => name !== columns[i])) {
    // Names SQL cannot quote (a NUL byte) are renamed by position.
    await engine.exec(`${renameColumnsSql(table, `${table}_named`, clean)}; ${replaceTableSql(`${table}_named`, table)}`);
    notes.push('Some column names held control characters; they are shown with � in their place.');
  }
  const rowLines = sniff.kind === 'delimited' ? rowLineSource(source, sniff.encoding, sniff.firstLine, read) : undefined;
  return { id, fileName: source.name, table, columns: clean, rowsRead: kept + rejected, rejected, rejectedExamples, notes, ...(rowLines ? { rowLines } : {}) };
}

/**
 * Where the rows of a delimited read are found in the file, or nothing when that is not
 * certain: a lenient read (its line endings or quotes were not read as the scanner reads
 * them), or more lines set aside than are known by line.
 */
function rowLineSource(source: FileSource, encoding: string, firstLine: FirstLineGuess | undefined, read: DelimitedRead): RowLineSource | undefined {
  if (read.lenient || read.rejected > read.rejectedExamples.length || !firstLine) return undefined;
  return {
    data: source.data, encoding, delimiter: firstLine.delimiter, quote: firstLine.quote,
    // Blank lines are no records, so only title lines matter here.
    skipLines: read.dialect?.skipRows ?? firstLine.blankLinesAbove,
    header: read.dialect?.header ?? firstLine.header,
    notRows: [...read.rejectedExamples.map((r) => r.line), ...(read.removedLines ?? [])],
    rows: read.kept,
  };
}

/** The examples with the file line each starts on, where it is certain (see checkedLinesOfRows). */
async function withFileLines(engine: Engine, raw: RawTable, examples: SkippedRow[]): Promise<SkippedRow[]> {
  if (!raw.rowLines || examples.length === 0) return examples;
  const rowids = examples.map((r) => Math.floor(r.row) - 1);
  const rows = await engine.query<Record<string, unknown> & { __rowid: number }>(rowsByRowidSql(raw.table, raw.columns, rowids));
  const values = new Map(rows.map((r) => [r.__rowid + 1, raw.columns.map((c) => (r[c] === null || r[c] === undefined ? null : String(r[c])))]));
  const lines = await checkedLinesOfRows(raw.rowLines, values);
  return examples.map((r) => {
    const line = lines.get(r.row);
    return line === undefined ? r : { ...r, line };
  });
}

function cleanColumnName(name: string): string {
  return name.replaceAll('\u0000', '\uFFFD');
}

/** A few column names, each cut short, for messages. */
export function listColumns(columns: readonly string[], max = 8): string {
  // Cut by code points, so an emoji is never split in half.
  const shown = columns.slice(0, max).map((c) => {
    const points = Array.from(c);
    return `"${points.length > 40 ? `${points.slice(0, 39).join('')}…` : c}"`;
  });
  return shown.join(', ') + (columns.length > max ? `, … (${columns.length} columns)` : '');
}

function delimitedProblem(message: string): string {
  if (/sniffing file/i.test(message)) {
    return `${message}. If the file mixes Windows (CRLF) and Unix (LF) line endings, save it again with one kind; otherwise check that it is a delimited text file.`;
  }
  return message;
}

/**
 * The file's columns of a table just written from a file, which gets its row number column
 * here when a file column hides rowid (see rowid-sql.ts).
 */
async function fileColumns(engine: Engine, table: string): Promise<string[]> {
  const columns = withoutRowidColumn((await engine.query<{ name: string }>(columnNamesSql(table))).map((r) => r.name));
  const numbering = numberRowsSql(table, columns);
  if (numbering.length > 0) await engine.exec(numbering.join('; '));
  return columns;
}

async function rowCount(engine: Engine, table: string): Promise<number> {
  const [row] = await engine.query<{ count: number }>(rowCountSql(table));
  return row?.count ?? 0;
}

/**
 * Reads a delimited file, trying dialects until one splits every line: first read_csv's
 * own sniffing; when lines are rejected or only one column is found, the dialect
 * sniff_csv reports (it detects title lines above the header, which store_rejects turns
 * off), then plain RFC 4180 with the delimiter and header the first line suggests. The
 * read that accounts for the most rows wins: rows kept, less lines skipped above the
 * header (those are accounted nowhere), with at least two columns; the others are dropped.
 */
async function readDelimited(engine: Engine, fileName: string, table: string, id: number, firstLine: FirstLineGuess | undefined): Promise<DelimitedRead> {
  let sniffed: CsvDialect | null | undefined;
  // The widest line DuckDB set aside for having too many fields, in any read so far.
  let widest = 0;
  const names = firstLine ? columnNames(firstLine) : null;
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
    async () => (names && names.length > 1 && widest > names.length ? rfc({ columns: widen(names, widest), padded: true }) : undefined),
    // Every line shorter than the header (a header naming more columns than the data has).
    async () => (names && names.length > 1 && (!best || best.kept === 0) ? rfc({ columns: names, padded: true }) : undefined),
    // The last resort, when nothing so far gave a usable table with rows, or when lines
    // were set aside in a file with mixed line endings (a quoted last field before a CRLF
    // in an LF file is one). Widened, so that longer lines keep their values.
    async () => (best && best.columns.length >= 2 && best.kept > 0 && !(firstLine?.mixedLineEndings && best.rejected > 0) ? undefined : rfc(lenientColumns())),
  ];
  const linesAbove = (firstLine?.blankLinesAbove ?? 0) + (firstLine?.titleLines ?? 0);
  const rfc = (extra: Partial<CsvDialect>): CsvDialect => ({
    delimiter: firstLine?.delimiter ?? ',', quote: firstLine?.quote ?? '"', escape: firstLine?.quote ?? '"',
    skipRows: extra.columns || firstLine?.titleLines ? linesAbove : sniffed?.header && sniffed.skipRows <= MAX_TITLE_LINES ? sniffed.skipRows : 0,
    header: (firstLine?.header ?? true) || (firstLine?.titleLines ?? 0) > 0, comment: '', ...extra,
  });
  // The lenient read cuts longer lines to its columns: as wide as the widest line seen and
  // LENIENT_SPARE_COLUMNS more (a one-field header gets one, to count the lines cut).
  const lenientColumns = (): Partial<CsvDialect> => {
    if (!names) return { lenient: true };
    const width = names.length > 1 ? Math.max(widest, firstLine?.widestInHead ?? 0, names.length) + LENIENT_SPARE_COLUMNS : 2;
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
        rejectedExamples: await engine.query<PositionedRejectedLine>(rejectedExamplesSql(rejectsTable, EXAMPLES)),
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
  return { ...best, table };
}

/** Lines with one delimiter too many set aside at most (one query each). */
const MAX_SET_ASIDE_EXTRA = 1000;

/** Columns the lenient read has past the widest line seen. */
const LENIENT_SPARE_COLUMNS = 1;

interface DelimitedFile {
  /** The name the file is registered under in DuckDB. */
  registered: string;
  /** Its bytes, UTF-8 (to find the lines the checks below report). */
  data: File | Uint8Array;
  table: string;
  id: number;
  firstLine: FirstLineGuess | undefined;
}

/**
 * readDelimited, then the checks of what DuckDB reads without complaint but wrongly: a
 * line with one delimiter too many (kept with its values shifted), a line repeating the
 * header (read as a data row), the header of a second table (its rows read under the
 * first's names), and extra columns no line fills. Each finding is set aside or noted.
 */
async function readDelimitedChecked(engine: Engine, file: DelimitedFile): Promise<DelimitedRead> {
  const { firstLine } = file;
  // DuckDB's line numbers are not the file's: the set-aside lines are numbered from its byte
  // positions, before the checks below add lines they number themselves.
  const readNumbered = async (registered: string, data: File | Uint8Array): Promise<DelimitedRead> => {
    const read = await readDelimited(engine, registered, file.table, file.id, firstLine);
    return { ...read, rejectedExamples: await numberByFileLines(data, read.rejectedExamples) };
  };
  let read = await readNumbered(file.registered, file.data);
  const notes: string[] = [];
  const names = firstLine ? columnNames(firstLine) : null;
  // The line of a second table's header, where the table read ends.
  let endsAt: number | undefined;
  const headerNames = firstLine?.header && names && names.length >= 2 && !names.some((n) => n.includes('\u0000')) && read.columns.slice(0, names.length).join('\n') === names.join('\n') ? names : null;
  const size = file.data instanceof Uint8Array ? file.data.length : file.data.size;
  const headerLike = headerNames ? await headerLikeRows(engine, read, headerNames) : false;
  // Lines with one delimiter too many found in the first bytes: the whole file is searched.
  const extraInHead = headerNames && firstLine && !read.lenient ? firstLine.extraDelimiterLines : [];
  if (headerNames && firstLine && (headerLike || (extraInHead.length > 0 && size > SNIFF_BYTES))) {
    const scan = await scanWholeFile(file.data, firstLine, headerNames, headerLike);
    const second = scan.headerLines.find((l) => !l.repeat);
    endsAt = second?.line;
    if (second) {
      const part = `${file.registered}.first-table.csv`;
      const firstTable = file.data instanceof Uint8Array ? file.data.subarray(0, second.start) : new File([file.data.slice(0, second.start)], part);
      await engine.registerFile(part, firstTable);
      try {
        read = await readNumbered(part, firstTable);
      } finally {
        await engine.dropFile(part);
      }
      notes.push(`Line ${second.line} starts a second table (${listColumns(second.fields)}): it and the ${second.recordsFrom - 1} lines below it were not loaded. Split the file to load that table on its own.`);
    }
    const repeats = scan.headerLines.filter((l) => l.repeat && (!second || l.line < second.line));
    if (repeats.length > 0) {
      const removed = await deleteRows(engine, read.table, read.columns, headerRowCondition(headerNames));
      read = { ...read, kept: read.kept - removed, removedLines: repeats.map((l) => l.line) };
      notes.push(`${repeats.length === 1 ? 'Line' : 'Lines'} ${lineList(repeats)} ${repeats.length === 1 ? 'repeats' : 'repeat'} the header (files joined one after another, or a header of several lines); ${repeats.length === 1 ? 'it was' : 'they were'} skipped.`);
    }
    if (extraInHead.length > 0) read = await setAsideExtraDelimiters(engine, read, headerNames, scan.extraDelimiterLines.filter((l) => !endsAt || l.line < endsAt), notes);
  } else if (headerNames && extraInHead.length > 0) {
    read = await setAsideExtraDelimiters(engine, read, headerNames, extraInHead, notes);
  }
  read = await tidyWidenedRead(engine, read, names, notes);
  return { ...read, notes };
}

/** Lines with one delimiter too many: shifted ones set aside, the others named in a note. */
async function setAsideExtraDelimiters(engine: Engine, read: DelimitedRead, names: string[], found: HeadRecord[], notes: string[]): Promise<DelimitedRead> {
  const shifted = found.filter((l) => l.shifted);
  const trailing = found.filter((l) => !l.shifted);
  if (trailing.length > 0) {
    notes.push(`${trailing.length === 1 ? 'Line' : 'Lines'} ${lineList(trailing)} ${trailing.length === 1 ? 'ends' : 'end'} with one delimiter too many (an empty field past the header's columns); read without it.`);
  }
  if (shifted.length > MAX_SET_ASIDE_EXTRA) {
    notes.push(`${(shifted.length - MAX_SET_ASIDE_EXTRA).toLocaleString('en-US')} more lines have one delimiter too many (the first at line ${shifted[MAX_SET_ASIDE_EXTRA]?.line}); they are kept as read, their values after it one column off.`);
  }
  return setAsideExtraDelimiterLines(engine, read, names, shifted.slice(0, MAX_SET_ASIDE_EXTRA));
}

/** The first five line numbers, then how many more. */
function lineList(lines: { line: number }[]): string {
  return lines.slice(0, 5).map((l) => l.line).join(', ') + (lines.length > 5 ? ` and ${lines.length - 5} more` : '');
}

/** True when a row or a set-aside line starts with the header's first two names. */
async function headerLikeRows(engine: Engine, read: DelimitedRead, names: string[]): Promise<boolean> {
  const [a, b] = names as [string, string];
  const [row] = await engine.query<{ n: number }>(headerRowsCountSql(read.table, [a, b]));
  if ((row?.n ?? 0) > 0) return true;
  return read.rejectedExamples.some((r) => {
    const fields = r.text.split(/[,;|\t]/).map((f) => f.trim().replace(/^["']|["']$/g, ''));
    return fields[0] === a && fields[1] === b;
  });
}

interface HeaderLine {
  line: number;
  fields: string[];
  /** The same names as the header (a repeat), or another table's header. */
  repeat: boolean;
  /** Its first byte's offset: the file above it is the bytes before. */
  start: number;
  /** Records from this line to the end of the file, this one included. */
  recordsFrom: number;
}

/**
 * One pass over the whole file, in chunks (never all of it in memory): the lines below the
 * header that repeat it or start another table with many of its names (when `headers`),
 * and the lines with one delimiter too many.
 */
async function scanWholeFile(data: File | Uint8Array, firstLine: FirstLineGuess, names: string[], headers: boolean): Promise<{ headerLines: HeaderLine[]; extraDelimiterLines: HeadRecord[] }> {
  const headerLine = firstLine.blankLinesAbove + firstLine.titleLines + 1;
  const decoder = new TextDecoder();
  const firstName = new TextEncoder().encode(names[0]);
  const found: (Omit<HeaderLine, 'recordsFrom'> & { index: number })[] = [];
  const extra = extraDelimiterCollector(names.length, firstLine.delimiter, firstLine.quote);
  let records = 0;
  const scanner = recordScanner(firstLine.delimiter, firstLine.quote, (record, bytes) => {
    records++;
    if (record.line <= headerLine) return;
    extra.add(record, bytes);
    if (!headers || !includes(bytes, firstName)) return;
    const header = headerLineOf(decoder.decode(bytes), firstLine, names);
    if (header) found.push({ ...header, line: record.line, start: record.start, index: records });
  });
  for await (const chunk of fileChunks(data)) scanner.push(chunk);
  scanner.finish(true);
  return {
    headerLines: found.map(({ index, ...h }) => ({ ...h, recordsFrom: records - index + 1 })),
    extraDelimiterLines: extra.lines(),
  };
}

function includes(bytes: Uint8Array, part: Uint8Array): boolean {
  const first = part[0];
  for (let i = bytes.indexOf(first ?? 0); i >= 0 && i + part.length <= bytes.length; i = bytes.indexOf(first ?? 0, i + 1)) {
    if (part.every((b, k) => bytes[i + k] === b)) return true;
  }
  return false;
}

/** A line that repeats the header, or starts another table with many of its names (and no data). */
function headerLineOf(text: string, firstLine: FirstLineGuess, names: string[]): { fields: string[]; repeat: boolean } | null {
  const fields = (recordFields(text, firstLine.delimiter, firstLine.quote) ?? []).map((f) => f.trim());
  if (fields[0] !== names[0] || fields[1] !== names[1]) return null;
  const named = fields.filter((f) => f !== '');
  const repeat = named.length === names.length && named.every((f, k) => f === names[k]);
  const shared = named.filter((f) => names.includes(f)).length;
  if (!repeat && (shared * 2 < names.length || fields.some((f) => /^\d{4}-\d\d-\d\d|^-?\d+(\.\d+)?$|\d:\d\d/.test(f)))) return null;
  return { fields: named, repeat };
}

/** Deletes the rows matching `where`, keeping the others in file order (row numbers 0…n-1). */
async function deleteRows(engine: Engine, table: string, columns: readonly string[], where: string): Promise<number> {
  const before = await rowCount(engine, table);
  await engine.exec(`${keepRowsSql(table, `${table}_kept`, where, columns)}; ${replaceTableSql(`${table}_kept`, table)}`);
  return before - (await rowCount(engine, table));
}

/**
 * Lines with one field more than the header, that one empty: DuckDB keeps them without
 * their last field, every value from the extra delimiter on one column right. Found in
 * the first bytes (sniffFile), each row is matched by its values and set aside.
 */
async function setAsideExtraDelimiterLines(engine: Engine, read: DelimitedRead, names: string[], lines: HeadRecord[]): Promise<DelimitedRead> {
  const setAside: RejectedLine[] = [];
  const rowids: number[] = [];
  for (const line of lines) {
    // Its row is at most its data row number (lines set aside above it move it up).
    const [row] = await engine.query<{ r: number | null }>(lastMatchingRowSql(read.table, read.columns, names, line.fields, line.row));
    if (row?.r === null || row?.r === undefined) continue;
    rowids.push(row.r);
    setAside.push({ line: line.line, message: `Expected Number of Columns: ${names.length} Found: ${names.length + 1} (one delimiter too many: the values after it would be one column off)`, text: line.text });
  }
  if (setAside.length === 0) return read;
  await deleteRows(engine, read.table, read.columns, rowidInSql(read.columns, rowids));
  const rejectedExamples = [...read.rejectedExamples, ...setAside].sort((a, b) => a.line - b.line).slice(0, EXAMPLES);
  return { ...read, kept: read.kept - setAside.length, rejected: read.rejected + setAside.length, rejectedExamples };
}

/**
 * Drops the extra columns of a widened read that no line fills. For a lenient read, also
 * counts the lines it padded (shorter than the header) and the lines that reached its
 * spare column (their values past it were cut), and turns its empty fields into NULL.
 */
async function tidyWidenedRead(engine: Engine, read: DelimitedRead, names: string[] | null, notes: string[]): Promise<DelimitedRead> {
  if (!names || !read.widened) return read;
  if (read.lenient) {
    const last = names[names.length - 1] as string;
    const [short] = await engine.query<{ n: number }>(nullCountSql(read.table, last));
    await engine.exec(`${emptyToNullSql(read.table, `${read.table}_nulls`, read.columns)}; ${replaceTableSql(`${read.table}_nulls`, read.table)}`);
    const n = short?.n ?? 0;
    if (n > 0) notes.push(`${n === 1 ? '1 line has' : `${n.toLocaleString('en-US')} lines have`} fewer fields than the header: ${n === 1 ? 'its' : 'their'} missing values are left empty.`);
  }
  const extra = read.columns.slice(names.length);
  const [counts] = await engine.query<Record<string, number>>(valueCountsSql(read.table, extra));
  const filled = extra.map((_, i) => (counts?.[`c${i}`] ?? 0) > 0);
  const last = extra.length - 1;
  if (read.lenient && filled[last]) {
    const n = counts?.[`c${last}`] ?? 0;
    const lines = n === 1 ? '1 line has' : `${n.toLocaleString('en-US')} lines have`;
    notes.push(names.length === 1
      ? `${lines} more fields than the one-column header: only ${n === 1 ? 'its' : 'their'} first value was kept.`
      : `${lines} ${read.columns.length} fields or more: any values past field ${read.columns.length} were not kept.`);
    // A one-field header is not widened: the spare column only counted the lines cut.
    if (names.length === 1) filled[last] = false;
  }
  const empty = extra.filter((_, i) => !filled[i]);
  if (empty.length === 0) return read;
  await engine.exec(dropColumnsSql(read.table, empty));
  const columns = read.columns.filter((c) => !empty.includes(c));
  return { ...read, columns, widened: columns.length - names.length };
}

/** Column names from the first line: its fields (or column0… without a header), unique, none empty. */
function columnNames(firstLine: FirstLineGuess): string[] {
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
function widen(names: readonly string[], width: number): string[] {
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
    const [row] = await engine.query<{ delimiter: string; quote: string; escape: string; skipRows: number; header: boolean; comment: string }>(sniffCsvSql(fileName));
    if (!row) return undefined;
    const none = (v: string) => (v === '(empty)' ? '' : v);
    return { delimiter: none(row.delimiter), quote: none(row.quote), escape: none(row.escape), skipRows: row.skipRows, header: row.header, comment: none(row.comment) };
  } catch {
    // No dialect to suggest: the other attempts stand on their own.
    return undefined;
  }
}

export async function profileColumns(engine: Engine, raw: RawTable): Promise<ColumnProfile[]> {
  const columns = profiledColumns(raw.columns);
  const rows = await engine.query<Omit<ColumnProfile, 'column'> & { idx: number }>(columnProfileSql(raw.table, columns));
  return rows.map(({ idx, ...rest }) => ({ ...rest, column: columns[idx] ?? '' }));
}

/** The detected mapping, or a LoadError saying which columns were found and what is missing. */
export async function detectRawMapping(
  engine: Engine,
  raw: RawTable,
): Promise<{ mapping: ColumnMapping; notes: string[]; profiles: ColumnProfile[] }> {
  const shown = listColumns(raw.columns);
  if (raw.columns.length < 2) {
    throw new LoadError(raw.fileName, `found a single column (${shown}); a clickstream needs at least a user id and a timestamp column. If the file has more columns, its delimiter or quoting could not be recognised.`);
  }
  const profiles = await profileColumns(engine, raw);
  const guess = detectMapping(profiles);
  if (!guess) {
    throw new LoadError(raw.fileName, `no column holds readable timestamps (columns: ${shown}). Expected ISO 8601 text such as 2024-05-01T10:00:00Z, day/month or month/day dates, or epoch seconds/milliseconds.`);
  }
  const notes: string[] = [];
  if (!guess.userByName) {
    notes.push(`No column is named like a user id; "${guess.mapping.user}" was picked because its values repeat. Choose the right one under Columns if it is not.`);
  }
  if (guess.timestamp.ambiguous) {
    notes.push(`Dates in "${guess.mapping.timestamp}" could be month/day or day/month (no day above 12 in the first rows); they are read as ${guess.mapping.format === 'mdy' ? 'month/day' : 'day/month'}. Change the format below if that is wrong.`);
  }
  return { mapping: guess.mapping, notes, profiles };
}

export async function buildEvents(engine: Engine, raw: RawTable, mapping: ColumnMapping, table: string): Promise<EventsTable> {
  for (const column of [mapping.user, mapping.timestamp, mapping.time, mapping.url]) {
    if (column !== '' && !raw.columns.includes(column)) {
      throw new LoadError(raw.fileName, `has no column named "${column}".`);
    }
  }
  if (mapping.user === mapping.timestamp) {
    throw new LoadError(raw.fileName, 'the user column and the timestamp column must be different columns.');
  }
  const spec: EventsSpec = { rawTable: raw.table, columns: raw.columns, mapping };
  let counted: Omit<DatasetFiguresRow, 'misordered'>;
  try {
    await engine.exec(createEventsTableSql(spec, table));
    const [row] = await engine.query<DatasetFiguresRow>(datasetFiguresSql(spec, table));
    if (!row) throw new Error('the figures query returned no row');
    const { misordered, ...figures } = row;
    if (misordered > 0) {
      // Not seen with this DuckDB; should its window ever write users interleaved, sort.
      const sorted = `${table}_sorted`;
      await engine.exec(`${sortEventsTableSql(table, sorted)}; ${replaceTableSql(sorted, table)}`);
    }
    counted = figures;
  } catch (error) {
    await engine.exec(`${dropTableSql(`${table}_sorted`)}; ${dropTableSql(table)}`);
    const message = engineMessage(error);
    throw new LoadError(raw.fileName, `could not be sessionized: ${outOfMemoryProblem(message) ?? message}`);
  }
  return summarizeEvents(engine, raw, spec, table, counted);
}

/**
 * Skipped rows by reason, most first (then by reason): the lines the reader set aside, and
 * the raw table's rows that made no event.
 */
function skippedByReason(raw: RawTable, counted: Record<SkipReason, number>): SkippedCount[] {
  const rows = skippedCounts(counted);
  return raw.rejected > 0 ? [{ reason: 'malformed line', count: raw.rejected }, ...rows] : rows;
}

async function summarizeEvents(engine: Engine, raw: RawTable, spec: EventsSpec, table: string, counted: Omit<DatasetFiguresRow, 'misordered'>): Promise<EventsTable> {
  const { mapping } = spec;
  const { events, users, firstEventUs, lastEventUs } = counted;
  const byReason = skippedByReason(raw, counted);
  // Three counts made apart: the reader's rows, the events table's rows, the skipped rows by reason.
  const figures: DatasetFigures = countedFigures({ rowsRead: raw.rowsRead, events, users, firstEventUs, lastEventUs }, byReason);
  const problem = checkRowsAddUp(figures, byReason);
  if (problem) {
    await engine.exec(dropTableSql(table));
    throw new LoadError(raw.fileName, `${problem}. Please report this.`);
  }
  // Only when some rows made no event is the raw table read again, for examples of them.
  const someSkipped = SKIP_REASONS.some((reason) => counted[reason] > 0);
  const examples = someSkipped ? await withFileLines(engine, raw, await engine.query<SkippedRow>(skippedExamplesSql(spec, SKIPPED_EXAMPLES))) : [];
  if (figures.events === 0) {
    await engine.exec(dropTableSql(table));
    const reasons = byReason.map((r) => `${r.count} ${r.reason}`).join(', ');
    const first = examples[0];
    const example = first ? ` First: ${first.line === undefined ? `data row ${first.row}` : `line ${first.line}`}, user ${JSON.stringify(first.user)}, timestamp ${JSON.stringify(first.timestamp)}.` : '';
    throw new LoadError(raw.fileName, `no row has both a user id in "${mapping.user}" and a readable timestamp in "${mapping.timestamp}" (${reasons}).${example}`);
  }
  const notes: string[] = [];
  if (mapping.format === 'iso') {
    const [zoneless] = await engine.query<{ share: number }>(zonelessShareSql(spec));
    if (zoneless && zoneless.share > 0) notes.push(zonelessNote(zoneless.share, figures.events));
  } else if (mapping.format === 'dmy' || mapping.format === 'mdy') {
    notes.push('These dates carry no time zone: they are read as UTC, whatever this browser\'s time zone.');
  }
  return { table, mapping, figures, skippedByReason: byReason, skippedExamples: examples, notes };
}

/** The note for ISO timestamps without a zone: `share` of the first ZONE_SAMPLE_ROWS of `events`. */
export function zonelessNote(share: number, events: number): string {
  const of = events > ZONE_SAMPLE_ROWS ? `of the first ${ZONE_SAMPLE_ROWS.toLocaleString('en-US')}` : 'of them';
  return `Timestamps without a time zone (${formatShare(share)} ${of}) are read as UTC, whatever this browser's time zone.`;
}

function formatShare(share: number): string {
  return share >= 0.995 ? 'all' : `${(share * 100).toFixed(1)}%`;
}
