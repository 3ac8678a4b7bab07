import type { Engine } from '../engine/engine';
import { detectMapping, isRoleName } from '../domain/detect-columns';
import { FIRST_LINE_BYTES, FIRST_LINE_TOO_LONG, sniffFile, SNIFF_BYTES, type FileSniff, type FirstLineGuess } from '../domain/sniff-file';
import type { ColumnMapping, DatasetFigures, SkippedRow, SkipReason } from '../domain/types';
import {
  createEventsTableSql, datasetFiguresSql, skippedCountsSql, skippedExamplesSql, sortEventsTableSql,
  zonelessShareSql, ZONE_SAMPLE_ROWS, type EventsSpec,
} from '../sql/events-sql';
import { columnProfileSql, type ColumnProfile } from '../sql/profile-sql';
import {
  columnNamesSql, dropTableSql, readDelimitedSql, rejectedCountSql, rejectedExamplesSql, renameColumnsSql,
  sniffCsvSql, widestRejectedSql, type CsvDialect,
} from '../sql/read-sql';
import { transcodeToUtf8 } from '../ingest/transcode';
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
  /** Data rows read, including rejected lines. */
  rowsRead: number;
  rejected: number;
  rejectedExamples: RejectedLine[];
  notes: string[];
}

export interface EventsTable {
  table: string;
  mapping: ColumnMapping;
  figures: DatasetFigures;
  skippedByReason: { reason: SkipReason | 'malformed line'; count: number }[];
  skippedExamples: SkippedRow[];
  notes: string[];
}

const EXAMPLES = 20;
/** Past this many columns only the first ones are profiled for detection. */
const MAX_PROFILED_COLUMNS = 300;

async function readHead(data: File | Uint8Array, bytes = SNIFF_BYTES): Promise<Uint8Array> {
  if (data instanceof Uint8Array) return data.subarray(0, bytes);
  return new Uint8Array(await data.slice(0, bytes).arrayBuffer());
}

export async function sniffSource(source: FileSource): Promise<Extract<FileSniff, { ok: true }>> {
  let sniff = sniffFile(source.name, await readHead(source.data), source.size);
  // A header wider than the first read: read on until the first line ends.
  if (!sniff.ok && sniff.problem === FIRST_LINE_TOO_LONG) sniff = sniffFile(source.name, await readHead(source.data, FIRST_LINE_BYTES), source.size);
  if (!sniff.ok) throw new LoadError(source.name, `cannot be read as a clickstream: ${sniff.problem}.`);
  return sniff;
}

/** Largest file re-encoded to UTF-8 in memory (Windows-1252, UTF-16): twice its size is held. */
const MAX_TRANSCODED_BYTES = 512 << 20;

interface DelimitedRead {
  table: string;
  columns: string[];
  kept: number;
  rejected: number;
  rejectedExamples: RejectedLine[];
  /** Lines above the header that the chosen dialect skipped (titles, comments). */
  skippedLines: number;
  /** Read with strict_mode off (see CsvDialect.lenient). */
  lenient?: boolean;
  /** Columns added for the extra values of lines longer than the header. */
  widened?: number;
  /** Rows whose cells still carry quote marks (estimated): a sign quoting was misread. */
  literalQuoteRows: number;
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

async function checkFits(engine: Engine, source: FileSource, kind: keyof typeof MEMORY_PER_FILE_BYTE): Promise<void> {
  const [row] = await engine.query<{ bytes: number }>('SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE AS bytes FROM duckdb_memory()');
  const inUse = row?.bytes ?? 0;
  const needed = source.size * MEMORY_PER_FILE_BYTE[kind];
  if (inUse + needed > MEMORY_BUDGET_BYTES) {
    const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;
    throw new LoadError(source.name, `is too large for this page: reading it needs about ${gb(needed)} of memory${inUse > 0 ? ` besides the ${gb(inUse)} in use` : ''}, and the browser's DuckDB can hold about ${gb(MEMORY_BUDGET_BYTES)}. Use the SQL panel's query on DuckDB or PostgreSQL for a file this size, or load a part of it.`);
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
  const table = `raw_${id}`;
  const notes = sniff.note ? [sniff.note] : [];
  let read: DelimitedRead;
  if (sniff.kind === 'delimited') {
    let data: File | Uint8Array = source.data;
    if (sniff.encoding !== 'utf-8') {
      if (source.size > MAX_TRANSCODED_BYTES) {
        throw new LoadError(source.name, `is ${sniff.encoding}, and files over ${MAX_TRANSCODED_BYTES >> 20} MB in that encoding cannot be converted in the browser: save it as UTF-8 and load it again.`);
      }
      data = await transcodeToUtf8(source.data, sniff.encoding);
    }
    const registered = `upload_${id}.csv`;
    await engine.registerFile(registered, data);
    try {
      read = await readDelimited(engine, registered, table, id, sniff.firstLine);
    } catch (error) {
      const message = engineMessage(error).replaceAll(registered, source.name);
      throw new LoadError(source.name, outOfMemoryProblem(message) ?? `DuckDB could not read it as CSV/TSV: ${delimitedProblem(message)}`);
    } finally {
      await engine.dropFile(registered);
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
    read.columns = (await engine.query<{ name: string }>(columnNamesSql(table))).map((r) => r.name);
    read.kept = await rowCount(engine, table);
  }

  const { columns, kept, rejected, rejectedExamples, skippedLines } = read;
  if (read.widened) {
    notes.push(`Some lines have more fields than the header; their extra values are kept in ${read.widened === 1 ? 'an extra column' : `${read.widened} extra columns`} (${columns.slice(-read.widened).join(', ')}).`);
  }
  if (read.lenient) {
    notes.push('The file could only be read leniently (mixed line endings or stray quotes): a line with more fields than the header would have lost its extra values.');
  }
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
    await engine.exec(`${renameColumnsSql(table, `${table}_named`, clean)}; ${dropTableSql(table)}; ALTER TABLE "${table}_named" RENAME TO "${table}"`);
    notes.push('Some column names held control characters; they are shown with � in their place.');
  }
  return { id, fileName: source.name, table, columns: clean, rowsRead: kept + rejected, rejected, rejectedExamples, notes };
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

async function rowCount(engine: Engine, table: string): Promise<number> {
  const [row] = await engine.query<{ count: number }>(`SELECT count(*)::DOUBLE AS count FROM "${table}"`);
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
    async () => null,
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
    // The last resort, only when nothing so far gave a usable table with rows.
    async () => (best && best.columns.length >= 2 && best.kept > 0 ? undefined : rfc({ lenient: true })),
  ];
  const rfc = (extra: Partial<CsvDialect>): CsvDialect => ({
    delimiter: firstLine?.delimiter ?? ',', quote: firstLine?.quote ?? '"', escape: firstLine?.quote ?? '"',
    skipRows: extra.columns ? (firstLine?.blankLinesAbove ?? 0) : sniffed?.header && sniffed.skipRows <= MAX_TITLE_LINES ? sniffed.skipRows : 0,
    header: firstLine?.header ?? true, comment: '', ...extra,
  });
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
        columns: (await engine.query<{ name: string }>(columnNamesSql(candidate))).map((r) => r.name),
        kept: await rowCount(engine, candidate),
        rejected: (await engine.query<{ count: number }>(rejectedCountSql(rejectsTable)))[0]?.count ?? 0,
        rejectedExamples: await engine.query<RejectedLine>(rejectedExamplesSql(rejectsTable, EXAMPLES)),
        skippedLines: dialect?.columns ? 0 : (dialect?.skipRows ?? 0),
        lenient: dialect?.lenient ?? false,
        widened: dialect?.columns && names ? dialect.columns.length - names.length : 0,
        literalQuoteRows: 0,
      };
      read.literalQuoteRows = await literalQuoteRows(engine, candidate, read.kept);
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
  await engine.exec(`${dropTableSql(table)}; ALTER TABLE "${best.table}" RENAME TO "${table}"`);
  return { ...best, table };
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
  const usable = (r: DelimitedRead) => (r.columns.length >= 2 ? 1 : 0);
  if (usable(a) !== usable(b)) return usable(a) > usable(b);
  const score = (r: DelimitedRead) => r.kept - r.skippedLines - r.literalQuoteRows;
  return score(a) > score(b);
}

const QUOTE_SAMPLE_ROWS = 5000;

/** Rows (estimated from the first ones) with a cell that starts with a double quote mark. */
async function literalQuoteRows(engine: Engine, table: string, kept: number): Promise<number> {
  if (kept === 0) return 0;
  const [row] = await engine.query<{ n: number; sampled: number }>(`WITH sample AS (SELECT rowid AS __rid, * FROM "${table}" LIMIT ${QUOTE_SAMPLE_ROWS})
SELECT count(DISTINCT __rid)::DOUBLE AS n, (SELECT count(*) FROM sample)::DOUBLE AS sampled
FROM (UNPIVOT (SELECT __rid, COLUMNS(* EXCLUDE (__rid))::VARCHAR FROM sample) ON COLUMNS(* EXCLUDE (__rid)) INTO NAME c VALUE v)
WHERE starts_with(v, '"')`);
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
  // Wide files: the first columns, plus any later one whose name says what it is.
  const columns = raw.columns.filter((c, i) => i < MAX_PROFILED_COLUMNS || isRoleName(c));
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
  const spec: EventsSpec = { rawTable: raw.table, mapping };
  let counted: Omit<DatasetFigures, 'skipped'>;
  try {
    await engine.exec(createEventsTableSql(spec, table));
    const [row] = await engine.query<Omit<DatasetFigures, 'skipped'> & { misordered: number }>(datasetFiguresSql(raw.table, table));
    if (!row) throw new Error('the figures query returned no row');
    const { misordered, ...figures } = row;
    if (misordered > 0) {
      // Not seen with this DuckDB; should its window ever write users interleaved, sort.
      const sorted = `${table}_sorted`;
      await engine.exec(`${sortEventsTableSql(table, sorted)}; ${dropTableSql(table)}; ALTER TABLE "${sorted}" RENAME TO "${table}"`);
    }
    counted = figures;
  } catch (error) {
    await engine.exec(`${dropTableSql(`${table}_sorted`)}; ${dropTableSql(table)}`);
    const message = engineMessage(error);
    throw new LoadError(raw.fileName, `could not be sessionized: ${outOfMemoryProblem(message) ?? message}`);
  }
  return summarizeEvents(engine, raw, spec, table, counted);
}

async function summarizeEvents(engine: Engine, raw: RawTable, spec: EventsSpec, table: string, counted: Omit<DatasetFigures, 'skipped'>): Promise<EventsTable> {
  const { mapping } = spec;
  // counted.rowsRead: rows of the raw table. Only when some were left out is it read again
  // to say why (the events table keeps no trace of them).
  const someSkipped = counted.events < counted.rowsRead;
  const byReason = someSkipped ? await engine.query<{ reason: SkipReason; count: number }>(skippedCountsSql(spec)) : [];
  const skippedByReason: EventsTable['skippedByReason'] = raw.rejected > 0
    ? [{ reason: 'malformed line', count: raw.rejected }, ...byReason]
    : byReason;
  const examples = someSkipped ? await engine.query<SkippedRow>(skippedExamplesSql(spec, EXAMPLES)) : [];
  const figures: DatasetFigures = { ...counted, rowsRead: raw.rowsRead, skipped: raw.rowsRead - counted.events };
  if (figures.events === 0) {
    await engine.exec(dropTableSql(table));
    const reasons = skippedByReason.map((r) => `${r.count} ${r.reason}`).join(', ');
    const first = examples[0];
    const example = first ? ` First: data row ${first.row}, user ${JSON.stringify(first.user)}, timestamp ${JSON.stringify(first.timestamp)}.` : '';
    throw new LoadError(raw.fileName, `no row has both a user id in "${mapping.user}" and a readable timestamp in "${mapping.timestamp}" (${reasons}).${example}`);
  }
  const notes: string[] = [];
  if (mapping.format === 'iso') {
    const [zoneless] = await engine.query<{ share: number }>(zonelessShareSql(spec));
    if (zoneless && zoneless.share > 0) {
      const of = figures.events > ZONE_SAMPLE_ROWS ? `of the first ${ZONE_SAMPLE_ROWS.toLocaleString('en-US')}` : 'of them';
      notes.push(`Timestamps without a time zone (${formatShare(zoneless.share)} ${of}) are read as UTC, whatever this browser's time zone.`);
    }
  } else if (mapping.format === 'dmy' || mapping.format === 'mdy') {
    notes.push('These dates carry no time zone: they are read as UTC, whatever this browser\'s time zone.');
  }
  return { table, mapping, figures, skippedByReason, skippedExamples: examples, notes };
}

function formatShare(share: number): string {
  return share >= 0.995 ? 'all' : `${(share * 100).toFixed(1)}%`;
}
