import type { Engine } from '../engine/engine';
import { FIRST_LINE_BYTES, FIRST_LINE_TOO_LONG, sniffFile, SNIFF_BYTES, type FileSniff, type FirstLineGuess } from '../domain/sniff-file';
import { readBytes } from '../domain/csv-records';
import { compressedTablesSql, memoryInUseSql } from '../sql/storage-sql';
import { dropTableSql, renameColumnsSql, replaceTableSql } from '../sql/read-sql';
import { transcodeToUtf8, type Transcoded } from '../ingest/transcode';
import { QUICK_READ_MAX_BYTES } from '../ingest/quick-read';
import type { RowLineSource } from '../ingest/row-lines';
import type { IngestResult, RowIngest } from '../ingest/row-ingest';
import { engineMessage, listColumns, LoadError, outOfMemoryProblem } from './load-errors';
import { fileColumns, rowCount, type FileSource, type RawTable } from './raw-table';
import type { DelimitedRead } from './read-delimited';
import { readDelimitedChecked } from './delimited-checks';
import { WEBLOG_FORMAT_NAMES, weblogMapping, weblogNote } from '../domain/weblog';
import { withVendorColumns } from './vendor-columns';

/*
 * The first step of a load: a file into a raw table of text columns (see raw-table.ts), by
 * DuckDB's read_csv for delimited files (read-delimited.ts, then delimited-checks.ts) and
 * by the row ingest for NDJSON and Parquet; refused before reading when it cannot fit.
 */

export async function sniffSource(source: FileSource): Promise<Extract<FileSniff, { ok: true }>> {
  let sniff = sniffFile(source.name, await readBytes(source.data, 0, SNIFF_BYTES), source.size);
  // A header wider than the first read: read on until the first line ends.
  if (!sniff.ok && sniff.problem === FIRST_LINE_TOO_LONG) sniff = sniffFile(source.name, await readBytes(source.data, 0, FIRST_LINE_BYTES), source.size);
  if (!sniff.ok) throw new LoadError(source.name, `cannot be read as a clickstream: ${sniff.problem}.`);
  return sniff;
}

/**
 * What the page can hold. DuckDB-WASM has 4 GB of address space (about 3.1 GB usable) and
 * cannot spill to disk; reading a file takes several times its size (text columns, the
 * parsed instants, the sorted events): a 1M-event CSV of 55 MB holds 154 MB once loaded and about
 * twice that while loading, so 4x its size is budgeted for CSV and NDJSON, more for
 * compressed Parquet. A file whose estimate does not fit is refused before it is read.
 */
export const MEMORY_BUDGET_BYTES = 3 * 1024 ** 3;
const MEMORY_PER_FILE_BYTE = { delimited: 4, ndjson: 4, parquet: 16, weblog: 4 } as const;

/** From this size on, the file's tables are stored compressed (see storage-sql.ts). */
export const COMPRESS_TABLES_FROM_BYTES = 256 * 1024 ** 2;

/**
 * A file DuckDB cannot hold: refused before it is read. For a file the stats worker read
 * itself (the quick read) only DuckDB's tables are missing, and the page says which features
 * need them (tablesProblem).
 */
export class TooLargeForDuckDb extends LoadError {
  constructor(
    fileName: string,
    readonly neededBytes: number,
    readonly inUseBytes: number,
    /** The file's size when it is a CSV or TSV too big for the page to read by itself (the quick read). */
    pastQuickReadBytes: number | null = null,
  ) {
    const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;
    const quick =
      pastQuickReadBytes === null
        ? ''
        : ` The page reads a clean UTF-8 CSV or TSV by itself up to ${gb(QUICK_READ_MAX_BYTES)}; this file is ${gb(pastQuickReadBytes)}.`;
    super(
      fileName,
      `is too large for this page: reading it needs about ${gb(neededBytes)} of memory${inUseBytes > 0 ? ` besides the ${gb(inUseBytes)} in use` : ''}, and the browser's DuckDB can hold about ${gb(MEMORY_BUDGET_BYTES)}.${quick} Use the SQL panel's query on DuckDB or PostgreSQL for a file this size, or load a part of it.`,
    );
  }
}

/** What the page says of a file the stats worker read, whose tables DuckDB cannot hold. */
export function tooLargeForDuckDbProblem(error: TooLargeForDuckDb): string {
  const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;
  return (
    `${error.fileName} was read by the page alone: DuckDB in the browser holds about ${gb(MEMORY_BUDGET_BYTES)}, and reading this file into it would need about ${gb(error.neededBytes)}` +
    `${error.inUseBytes > 0 ? ` besides the ${gb(error.inUseBytes)} in use` : ''}. The figures, charts, threshold changes and the session list work; ` +
    'what needs DuckDB is off for this file: exports, user timelines and lanes, user lookups and filters, breakdowns and splits by another column, the lateness analysis, changing the columns and adding files. ' +
    "For those, run the SQL panel's query on DuckDB or PostgreSQL, or load a part of the file."
  );
}

export async function checkFits(engine: Engine, source: FileSource, kind: keyof typeof MEMORY_PER_FILE_BYTE): Promise<void> {
  const [row] = await engine.query<{ bytes: number }>(memoryInUseSql());
  const inUse = row?.bytes ?? 0;
  const needed = source.size * MEMORY_PER_FILE_BYTE[kind];
  const pastQuickRead = kind === 'delimited' && source.size > QUICK_READ_MAX_BYTES ? source.size : null;
  if (inUse + needed > MEMORY_BUDGET_BYTES) throw new TooLargeForDuckDb(source.name, needed, inUse, pastQuickRead);
}

/** The file re-encoded to UTF-8 (streamed, see transcode.ts), or a LoadError saying why it could not be. */
async function convertToUtf8(source: FileSource, encoding: string, name: string): Promise<Transcoded> {
  try {
    return await transcodeToUtf8(source.data, encoding, name);
  } catch (error) {
    throw new LoadError(
      source.name,
      `could not be converted from ${encoding} to UTF-8 for reading: ${engineMessage(error)}. Save it as UTF-8 and load it again.`,
    );
  }
}

/** `linesFitHeader`: the quick read found every line as wide as the header, so the scan for too-wide lines is skipped. */
export async function readRawTable(engine: Engine, source: FileSource, id: number, ingestRows: RowIngest, linesFitHeader = false): Promise<RawTable> {
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
      read = await readDelimitedChecked(engine, { fileName: source.name, registered, data, table, id, firstLine: sniff.firstLine, linesFitHeader });
    } catch (error) {
      if (error instanceof LoadError) throw error;
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
      const as = sniff.weblog ? WEBLOG_FORMAT_NAMES[sniff.weblog] : sniff.kind === 'ndjson' ? 'JSON' : 'Parquet';
      throw new LoadError(source.name, `could not be read as ${as}: ${engineMessage(error)}`);
    }
    read = { table, columns: [], kept: 0, skippedLines: 0, literalQuoteRows: 0, ...ingested };
    read.columns = await withVendorColumns(engine, table, await fileColumns(engine, table));
    read.kept = await rowCount(engine, table);
  }

  const { columns, kept, rejected, rejectedExamples, skippedLines } = read;
  if (read.widened) {
    // A file without a header has its columns counted from its first line.
    const longer =
      sniff.firstLine?.header === false
        ? 'The file has no header, and some lines have more fields than its first line'
        : 'Some lines have more fields than the header';
    notes.push(
      `${longer}; their extra values are kept in ${read.widened === 1 ? 'an extra column' : `${read.widened} extra columns`} (${columns.slice(-read.widened).join(', ')}).`,
    );
  }
  if (read.lenient) {
    // Say the cause only where the first bytes show it; otherwise name what a strict read
    // stumbles on.
    const cause = sniff.firstLine?.mixedLineEndings ? 'its lines end in both CR LF and LF' : 'stray quotes or lines that no strict reading splits';
    notes.push(`The file could only be read leniently (${cause}).`);
  }
  notes.push(...(read.notes ?? []));
  if (skippedLines > 0) {
    notes.push(
      `The first ${skippedLines === 1 ? 'line' : `${skippedLines} lines`} of the file, above the header, ${skippedLines === 1 ? 'was' : 'were'} skipped: ${skippedLines === 1 ? 'it is' : 'they are'} not part of the table (a title or comments).`,
    );
  }
  if (kept + rejected === 0) {
    await engine.exec(dropTableSql(table));
    throw new LoadError(source.name, columns.length > 0 ? `has a header (${listColumns(columns)}) but no data rows.` : 'has no data rows.');
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
  const suggestedMapping = sniff.weblog ? weblogMapping(clean) : null;
  if (sniff.weblog) notes.push(weblogNote(sniff.weblog, suggestedMapping, clean));
  const rowLines = sniff.kind === 'delimited' ? rowLineSource(source, sniff.encoding, sniff.firstLine, read) : undefined;
  return {
    id,
    fileName: source.name,
    table,
    columns: clean,
    rowsRead: kept + rejected,
    rejected,
    rejectedExamples,
    notes,
    ...(rowLines ? { rowLines } : {}),
    ...(suggestedMapping ? { suggestedMapping } : {}),
  };
}

/**
 * Where the rows of a delimited read are found in the file, or nothing when that is not
 * certain: a lenient read (its line endings or quotes were not read as the scanner reads
 * them), or more lines set aside than are known by line.
 */
function rowLineSource(source: FileSource, encoding: string, firstLine: FirstLineGuess | undefined, read: DelimitedRead): RowLineSource | undefined {
  if (read.lenient || read.rejected > read.rejectedExamples.length || !firstLine) return undefined;
  return {
    data: source.data,
    encoding,
    delimiter: firstLine.delimiter,
    quote: firstLine.quote,
    // Blank lines are no records, so only title lines matter here.
    skipLines: read.dialect?.skipRows ?? firstLine.blankLinesAbove,
    header: read.dialect?.header ?? firstLine.header,
    notRows: [...read.rejectedExamples.map((r) => r.line), ...(read.removedLines ?? [])],
    rows: read.kept,
  };
}

function cleanColumnName(name: string): string {
  return name.replaceAll('\u0000', '\uFFFD');
}

function delimitedProblem(message: string): string {
  if (/sniffing file/i.test(message)) {
    return `${message}. If the file mixes Windows (CRLF) and Unix (LF) line endings, save it again with one kind; otherwise check that it is a delimited text file.`;
  }
  return message;
}
