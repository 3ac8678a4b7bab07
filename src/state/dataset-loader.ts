import type { Engine } from '../engine/engine';
import { detectMapping } from '../domain/detect-columns';
import { sniffFile, SNIFF_BYTES, type FileSniff } from '../domain/sniff-file';
import type { ColumnMapping, DatasetFigures, SkippedRow, SkipReason } from '../domain/types';
import {
  createEventsTableSql, datasetFiguresSql, skippedCountsSql, skippedExamplesSql, zonelessShareSql,
} from '../sql/events-sql';
import { columnProfileSql, type ColumnProfile } from '../sql/profile-sql';
import {
  columnNamesSql, dropTableSql, readDelimitedSql, rejectedCountSql, rejectedExamplesSql,
} from '../sql/read-sql';
import { engineMessage, LoadError } from './load-errors';
import type { RowIngest } from '../ingest/row-ingest';
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

async function readHead(data: File | Uint8Array): Promise<Uint8Array> {
  if (data instanceof Uint8Array) return data.subarray(0, SNIFF_BYTES);
  return new Uint8Array(await data.slice(0, SNIFF_BYTES).arrayBuffer());
}

export async function sniffSource(source: FileSource): Promise<Extract<FileSniff, { ok: true }>> {
  const sniff = sniffFile(source.name, await readHead(source.data), source.size);
  if (!sniff.ok) throw new LoadError(source.name, `cannot be read as a clickstream: ${sniff.problem}.`);
  return sniff;
}

export async function readRawTable(
  engine: Engine,
  source: FileSource,
  id: number,
  ingestRows: RowIngest,
): Promise<RawTable> {
  const sniff = await sniffSource(source);
  const table = `raw_${id}`;
  const notes = sniff.note ? [sniff.note] : [];
  let rejectsTable: string | null = null;
  let ingested: { rejected: number; rejectedExamples: RejectedLine[] } | null = null;
  if (sniff.kind === 'delimited') {
    const registered = `upload_${id}.csv`;
    rejectsTable = `rejects_${id}`;
    await engine.registerFile(registered, source.data);
    try {
      await engine.exec(readDelimitedSql({
        fileName: registered, rawTable: table, rejectsTable,
        rejectsScanTable: `reject_scans_${id}`, encoding: sniff.encoding,
      }));
    } catch (error) {
      throw new LoadError(source.name, `DuckDB could not read it as CSV/TSV: ${engineMessage(error)}`);
    } finally {
      await engine.dropFile(registered);
    }
  } else {
    try {
      ingested = await ingestRows(engine, source, sniff.kind, table);
    } catch (error) {
      if (error instanceof LoadError) throw error;
      throw new LoadError(source.name, `could not be read as ${sniff.kind === 'ndjson' ? 'NDJSON' : 'Parquet'}: ${engineMessage(error)}`);
    }
  }

  const columns = (await engine.query<{ name: string }>(columnNamesSql(table))).map((r) => r.name);
  const [{ count: kept = 0 } = {}] = await engine.query<{ count: number }>(`SELECT count(*)::DOUBLE AS count FROM "${table}"`);
  let rejected = ingested?.rejected ?? 0;
  let rejectedExamples: RejectedLine[] = ingested?.rejectedExamples ?? [];
  if (rejectsTable) {
    rejected = (await engine.query<{ count: number }>(rejectedCountSql(rejectsTable)))[0]?.count ?? 0;
    rejectedExamples = await engine.query<RejectedLine>(rejectedExamplesSql(rejectsTable, EXAMPLES));
    await engine.exec(`${dropTableSql(rejectsTable)}; ${dropTableSql(`reject_scans_${id}`)}`);
  }
  if (kept + rejected === 0) {
    await engine.exec(dropTableSql(table));
    throw new LoadError(source.name, columns.length > 0
      ? `has a header (${columns.slice(0, 5).join(', ')}) but no data rows.`
      : 'has no data rows.');
  }
  if (kept === 0) {
    await engine.exec(dropTableSql(table));
    const first = rejectedExamples[0];
    throw new LoadError(source.name, `no line could be split into the file's columns${first ? ` (line ${first.line}: ${first.message})` : ''}.`);
  }
  return { id, fileName: source.name, table, columns, rowsRead: kept + rejected, rejected, rejectedExamples, notes };
}

export async function profileColumns(engine: Engine, raw: RawTable): Promise<ColumnProfile[]> {
  const columns = raw.columns.slice(0, MAX_PROFILED_COLUMNS);
  const rows = await engine.query<Omit<ColumnProfile, 'column'> & { idx: number }>(columnProfileSql(raw.table, columns));
  return rows.map(({ idx, ...rest }) => ({ ...rest, column: columns[idx] ?? '' }));
}

/** The detected mapping, or a LoadError saying which columns were found and what is missing. */
export async function detectRawMapping(
  engine: Engine,
  raw: RawTable,
): Promise<{ mapping: ColumnMapping; notes: string[]; profiles: ColumnProfile[] }> {
  const shown = raw.columns.slice(0, 8).map((c) => `"${c}"`).join(', ') + (raw.columns.length > 8 ? ', …' : '');
  if (raw.columns.length < 2) {
    throw new LoadError(raw.fileName, `found a single column (${shown}); a clickstream needs at least a user id and a timestamp column. If the file has more columns, its delimiter or quoting could not be recognised.`);
  }
  const profiles = await profileColumns(engine, raw);
  const guess = detectMapping(profiles);
  if (!guess) {
    throw new LoadError(raw.fileName, `no column holds readable timestamps (columns: ${shown}). Expected ISO 8601 text such as 2024-05-01T10:00:00Z, day/month or month/day dates, or epoch seconds/milliseconds.`);
  }
  const notes: string[] = [];
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
  const spec = { rawTable: raw.table, mapping };
  try {
    await engine.exec(createEventsTableSql(spec, table));
  } catch (error) {
    throw new LoadError(raw.fileName, `could not be sessionized: ${engineMessage(error)}`);
  }
  const [figureRow] = await engine.query<DatasetFigures>(datasetFiguresSql(raw.table, table));
  const byReason = await engine.query<{ reason: SkipReason; count: number }>(skippedCountsSql(spec));
  const skippedByReason: EventsTable['skippedByReason'] = raw.rejected > 0
    ? [{ reason: 'malformed line', count: raw.rejected }, ...byReason]
    : byReason;
  const examples = await engine.query<SkippedRow>(skippedExamplesSql(spec, EXAMPLES));
  if (!figureRow) throw new LoadError(raw.fileName, 'could not be summarised.');
  const figures: DatasetFigures = { ...figureRow, rowsRead: raw.rowsRead, skipped: raw.rowsRead - figureRow.events };
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
      notes.push(`Timestamps without a time zone (${formatShare(zoneless.share)} of them) are read as UTC, whatever this browser's time zone.`);
    }
  } else if (mapping.format === 'dmy' || mapping.format === 'mdy') {
    notes.push('These dates carry no time zone: they are read as UTC, whatever this browser\'s time zone.');
  }
  return { table, mapping, figures, skippedByReason, skippedExamples: examples, notes };
}

function formatShare(share: number): string {
  return share >= 0.995 ? 'all' : `${(share * 100).toFixed(1)}%`;
}
