import type { Engine } from '../engine/engine';
import { copyToCsvSql, eventsExportSql, onlySessionsSql, sessionsExportSql, sessionsTypedSql, type ExportSpec } from '../sql/export-sql';
import { arrowToParquet, type ParquetColumn } from '../export/arrow-to-parquet';
import { exportedColumnNames } from '../domain/export-columns';
import { minutesToUs } from '../domain/threshold';
import type { Dataset, SessionResult } from './types';

export type ExportTable = 'events' | 'sessions';

export interface ExportFile {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
}

let exportCounter = 0;

/** `clicks.csv` at 30 min -> `clicks.sessions.gap-30m.csv`. */
export function exportFileName(sourceName: string, table: ExportTable | 'changed-sessions', gapMinutes: number, extension: string): string {
  const stem = sourceName.replace(/\.[^.]*$/, '') || 'clickstream';
  return `${stem}.${table}.gap-${gapMinutes}m.${extension}`;
}

/** Writes Parquet from Arrow IPC: in a worker in the page, in-process in tests. */
export type ParquetWriter = (ipc: Uint8Array, columns: ParquetColumn[]) => Promise<Uint8Array>;

export const writeParquetHere: ParquetWriter = async (ipc, columns) => new Uint8Array(arrowToParquet(ipc, columns));

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

/** The result on screen as Parquet: events keep the file's text; sessions are typed. */
export async function exportParquet(
  engine: Engine,
  dataset: Dataset,
  result: SessionResult,
  sessionTable: string | null,
  table: ExportTable,
  write: ParquetWriter,
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
  const ipc = await engine.queryIpc(table === 'sessions' ? sessionsTypedSql(spec) : eventsExportSql(spec));
  const bytes = await write(ipc, columns);
  return { name: exportFileName(dataset.raw.fileName, table, result.gapMinutes, 'parquet'), mimeType: 'application/vnd.apache.parquet', bytes };
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
): Promise<ExportFile> {
  const spec = { ...exportSpec(dataset, result, sessionTable), spreadsheetSafe };
  const all = table === 'events' ? eventsExportSql(spec) : sessionsExportSql(spec);
  const query = onlySessions ? onlySessionsSql(all, onlySessions) : all;
  // A fresh name each time: DuckDB-WASM keeps returning a reused name's first content.
  const scratch = engine.scratchFileName(`export_${++exportCounter}.csv`);
  await engine.exec(copyToCsvSql(query, scratch));
  const bytes = await engine.takeFile(scratch);
  const name = exportFileName(dataset.raw.fileName, onlySessions ? 'changed-sessions' : table, result.gapMinutes, 'csv');
  return { name, mimeType: 'text/csv;charset=utf-8', bytes };
}
