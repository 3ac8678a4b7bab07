import type { Engine } from '../engine/engine';
import { onlySessionsSql, sessionsExportSql, sessionsTypedSql, type ExportSpec } from '../sql/export-sql';
import { orderedEventsChunkSql, tableChunkSql } from '../sql/ordered-export-sql';
import { dropTableSql } from '../sql/read-sql';
import type { ParquetColumn } from '../export/arrow-to-parquet';
import type { ParquetWriter } from '../export/parquet-sink';
import { exportedColumnNames } from '../domain/export-columns';
import { minutesToUs } from '../domain/threshold';
import type { StatsEngine } from '../stats/stats-engine';
import {
  countOf,
  makeOrderedEvents,
  makeOrderedNumbers,
  makeSessionsTable,
  makeWorkerEvents,
  makeWorkerSessions,
  sqlRows,
  workerEventRows,
  workerSessionRows,
  type ChunkedRows,
  type OrderedEvents,
  type Ordering,
  type RegularFile,
} from './export-tables';
import { EXPORT_CHUNK_ROWS, eachChunk, step, type ChunkOptions } from './export-chunks';
import type { Dataset, SessionResult } from './types';

export { writeParquetHere, type ParquetWriter } from '../export/parquet-sink';
export type { OrderedEvents } from './export-tables';
export { EXPORT_CHUNK_ROWS, ExportCancelledError, type ExportProgress } from './export-chunks';

/*
 * The exports, written in chunks of rows: each chunk is one request, to DuckDB or (for the
 * sessions) to the stats worker, whose bytes (CSV) or Arrow rows (Parquet, encoded in a
 * worker) become part of the file, so the page can say how far it is and stop between two
 * chunks. Each CSV chunk becomes a Blob as it arrives and the file is a Blob of those (the
 * Parquet file is a Blob made in its worker): joining hundreds of megabytes into one Blob at
 * the end copied them all in one main-thread task (4 s for the 10M events CSV).
 */

export type ExportTable = 'events' | 'sessions';

export interface ExportFile {
  name: string;
  mimeType: string;
  /** The file, ready to download. */
  blob: Blob;
  /** The file's bytes in one buffer (for readers that want them; the page downloads the Blob). */
  bytes(): Promise<Uint8Array>;
}

/** `signal` stops an export between two chunks (ExportCancelledError); `onProgress` hears of each chunk. */
export interface ExportOptions extends ChunkOptions {
  /**
   * Runs `use` with the events in export order, in a table `make(name)` makes: the page
   * keeps it for the dataset (it does not depend on the threshold); by default it is made
   * for this export and dropped after.
   */
  withOrderedEvents?: <T>(make: (name: string) => Promise<OrderedEvents>, use: (ordered: OrderedEvents) => Promise<T>) => Promise<T>;
  /**
   * The stats worker, when it holds the result's events (under the result's events table):
   * it places every event in export order and numbers the sessions in that order, so
   * DuckDB sorts the file's rows by one integer instead of joining and sorting by the users'
   * text, and needs no window for the numbers.
   */
  stats?: StatsEngine;
  /**
   * The file of the raw table, when the quick read's dialect reads it line by line
   * (RawTable.regularFile of DuckDB's side): with `stats`, the events CSV is written by the
   * stats worker from the file's bytes (events-export.ts), unless the dataset has more files.
   */
  eventsFile?: RegularFile;
  /** The most of the file's text the stats worker gathers, and reads, at a time for that (tests make them small). */
  eventsWindow?: { windowBytes: number; sliceBytes: number };
}

let exportCounter = 0;

const scratchTable = (what: string) => `export_${what}_${++exportCounter}`;

/** `clicks.csv` at 30 min -> `clicks.sessions.gap-30m.csv`. */
export function exportFileName(sourceName: string, table: ExportTable | 'changed-sessions', gapMinutes: number, extension: string): string {
  const stem = sourceName.replace(/\.[^.]*$/, '') || 'clickstream';
  return `${stem}.${table}.gap-${gapMinutes}m.${extension}`;
}

/** One chunk's bytes as a Blob (a copy of one chunk, made while the export runs). */
function blobOf(bytes: Uint8Array): Blob {
  return new Blob([bytes.buffer instanceof ArrayBuffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : new Uint8Array(bytes)]);
}

/** The file of these parts: a Blob of Blobs refers to them, it copies nothing. */
function exportFile(name: string, mimeType: string, parts: Blob[]): ExportFile {
  const blob = new Blob(parts, { type: mimeType });
  return { name, mimeType, blob, bytes: async () => new Uint8Array(await blob.arrayBuffer()) };
}

function exportSpec(dataset: Dataset, result: SessionResult, sessionTable: string | null): ExportSpec {
  return {
    eventsTable: result.eventsTable,
    thresholdUs: minutesToUs(result.gapMinutes),
    boundary: result.rules.boundary,
    sessionTable,
    rawTable: dataset.raw.table,
    columns: dataset.raw.columns,
  };
}

const orderingOf = (dataset: Dataset, result: SessionResult): Ordering => ({
  userColumn: dataset.events.mapping.user,
  urlColumn: dataset.events.mapping.url,
  rules: result.rules,
});

const SESSION_PARQUET_COLUMNS: ParquetColumn[] = [
  { source: 'session_id', name: 'session_id', type: 'string' },
  { source: 'user_id', name: 'user_id', type: 'string' },
  { source: 'session_number', name: 'session_number', type: 'int64' },
  { source: 'start_us', name: 'start_time', type: 'timestamp-us' },
  { source: 'end_us', name: 'end_time', type: 'timestamp-us' },
  { source: 'duration_seconds', name: 'duration_seconds', type: 'double' },
  { source: 'event_count', name: 'event_count', type: 'int64' },
  { source: 'first_url', name: 'first_url', type: 'string' },
  { source: 'last_url', name: 'last_url', type: 'string' },
];

const madeHere = async <T>(make: (name: string) => Promise<OrderedEvents>, use: (ordered: OrderedEvents) => Promise<T>, engine: Engine): Promise<T> => {
  const table = scratchTable('ordered');
  try {
    const ordered = await step('ordered events', () => make(table));
    return await use(ordered);
  } finally {
    await engine.exec(dropTableSql(table));
  }
};

async function withTable<T>(engine: Engine, what: string, make: (name: string) => Promise<void>, use: (table: string) => Promise<T>): Promise<T> {
  const table = scratchTable('rows');
  try {
    await step(what, () => make(table));
    return await use(table);
  } finally {
    await engine.exec(dropTableSql(table));
  }
}

/**
 * Runs `write` over the export's rows in chunks: the events in export order; the sessions
 * from the stats worker when it holds them, else as a table SQL makes (`sessionsQuery`).
 */
async function withChunkedRows<T>(
  engine: Engine,
  spec: ExportSpec,
  ordering: Ordering,
  table: ExportTable,
  sessionsQuery: string,
  options: ExportOptions,
  write: (rows: ChunkedRows) => Promise<T>,
): Promise<T> {
  const stats = options.stats;
  const file = options.eventsFile;
  if (table === 'events' && stats && file) {
    const total = await step('events by worker', () =>
      makeWorkerEvents(engine, spec, ordering, stats, file, options.chunkRows ?? EXPORT_CHUNK_ROWS, options.eventsWindow),
    );
    if (total !== null) {
      try {
        return await write(workerEventRows(stats, spec.eventsTable, total, spec.spreadsheetSafe ?? false));
      } finally {
        await stats.exportEventsDone(spec.eventsTable);
      }
    }
  }
  if (table === 'sessions') {
    const total = stats ? await step('sessions', () => makeWorkerSessions(engine, spec, ordering, stats)) : null;
    if (stats && total !== null) return write(workerSessionRows(stats, spec.eventsTable, total, spec.spreadsheetSafe ?? false));
    return withTable(
      engine,
      'sessions table',
      (name) => makeSessionsTable(engine, sessionsQuery, name),
      async (rows) => write(sqlRows(engine, await countOf(engine, rows), (from, to) => tableChunkSql(rows, from, to))),
    );
  }
  const withOrdered =
    options.withOrderedEvents ?? (<R>(make: (name: string) => Promise<OrderedEvents>, use: (o: OrderedEvents) => Promise<R>) => madeHere(make, use, engine));
  return withOrdered(
    (name) => makeOrderedEvents(engine, spec, ordering.userColumn, stats, name),
    (ordered) =>
      withTable(
        engine,
        'session numbers',
        (numbers) => makeOrderedNumbers(engine, spec, ordering.rules, stats, ordered, numbers),
        async (numbers) => write(sqlRows(engine, await countOf(engine, numbers), (from, to) => orderedEventsChunkSql(spec, ordered.table, numbers, from, to))),
      ),
  );
}

/**
 * Makes the events in export order before anyone asks for an export: they do not depend on
 * the threshold, and making them is most of a first events export's time (a sort of every
 * row with all its cells). `withOrderedEvents` keeps them for the exports that follow.
 */
export async function prepareEventsExport(
  engine: Engine,
  dataset: Dataset,
  result: SessionResult,
  options: Pick<ExportOptions, 'stats'> & Required<Pick<ExportOptions, 'withOrderedEvents'>>,
): Promise<void> {
  const spec = exportSpec(dataset, result, null);
  await options.withOrderedEvents(
    (name) => makeOrderedEvents(engine, spec, dataset.events.mapping.user, options.stats, name),
    async () => undefined,
  );
}

/** The result on screen as Parquet: events keep the file's text; sessions are typed. */
export async function exportParquet(
  engine: Engine,
  dataset: Dataset,
  result: SessionResult,
  sessionTable: string | null,
  table: ExportTable,
  write: ParquetWriter,
  options: ExportOptions = {},
): Promise<ExportFile> {
  const spec = exportSpec(dataset, result, sessionTable);
  const columns: ParquetColumn[] =
    table === 'sessions'
      ? SESSION_PARQUET_COLUMNS
      : [
          ...exportedColumnNames(dataset.raw.columns).map((c) => ({ source: c, name: c, type: 'string' as const })),
          { source: 'session_id', name: 'session_id', type: 'string' },
          { source: 'session_number', name: 'session_number', type: 'int64' },
        ];
  const sink = write(columns);
  // The stats worker writes the events as CSV only.
  const viaSql = { ...options, eventsFile: undefined };
  try {
    const file = await withChunkedRows(engine, spec, orderingOf(dataset, result), table, sessionsTypedSql(spec), viaSql, async (rows) => {
      await eachChunk(
        rows,
        options,
        (from, to) => rows.arrow(from, to),
        (arrow) => sink.add(arrow),
      );
      return step('parquet finish', () => sink.finish());
    });
    return exportFile(exportFileName(dataset.raw.fileName, table, result.gapMinutes, 'parquet'), 'application/vnd.apache.parquet', [file]);
  } catch (error) {
    sink.cancel();
    throw error;
  }
}

/** The result on screen as CSV bytes; `spreadsheetSafe` neutralises formula-like cells. */
export async function exportCsv(
  engine: Engine,
  dataset: Dataset,
  result: SessionResult,
  sessionTable: string | null,
  table: ExportTable,
  spreadsheetSafe = false,
  /** Only the sessions listed in this (user_id, session_number) table. */
  onlySessions: string | null = null,
  options: ExportOptions = {},
): Promise<ExportFile> {
  const spec = { ...exportSpec(dataset, result, sessionTable), spreadsheetSafe };
  // The changed sessions of a late file are a few: one query, as a sessions export (SQL's own sessions).
  const sessionsQuery = onlySessions ? onlySessionsSql(sessionsExportSql(spec), onlySessions) : sessionsExportSql(spec);
  // The file's bytes are the raw table's only while it is the one file loaded.
  const eventsFile = dataset.files.length === 1 ? options.eventsFile : undefined;
  const ordered = onlySessions ? { ...options, stats: undefined, eventsFile: undefined } : { ...options, eventsFile };
  const parts = await withChunkedRows(engine, spec, orderingOf(dataset, result), onlySessions ? 'sessions' : table, sessionsQuery, ordered, async (rows) => {
    const written: Blob[] = [];
    await eachChunk(
      rows,
      options,
      (from, to, first) => rows.csv(from, to, first),
      (bytes) => {
        written.push(blobOf(bytes));
      },
      true,
    );
    return written;
  });
  const name = exportFileName(dataset.raw.fileName, onlySessions ? 'changed-sessions' : table, result.gapMinutes, 'csv');
  return exportFile(name, 'text/csv;charset=utf-8', parts);
}
