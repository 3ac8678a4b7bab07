import type { Engine } from '../engine/engine';
import { copyToCsvSql, eventsExportSql, sessionsExportSql } from '../sql/export-sql';
import { minutesToUs } from '../sql/sessionize-sql';
import type { Dataset, SessionResult } from './app-store';

export type ExportTable = 'events' | 'sessions';

export interface ExportFile {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
}

let exportCounter = 0;

/** `clicks.csv` at 30 min -> `clicks.sessions.gap-30m.csv`. */
export function exportFileName(sourceName: string, table: ExportTable, gapMinutes: number, extension: string): string {
  const stem = sourceName.replace(/\.[^.]*$/, '') || 'clickstream';
  return `${stem}.${table}.gap-${gapMinutes}m.${extension}`;
}

/** The result on screen as CSV bytes. */
export async function exportCsv(engine: Engine, dataset: Dataset, result: SessionResult, table: ExportTable): Promise<ExportFile> {
  const spec = {
    eventsTable: result.eventsTable,
    thresholdUs: minutesToUs(result.gapMinutes),
    boundary: result.boundary,
    rawTable: dataset.raw.table,
    columns: dataset.raw.columns,
  };
  const query = table === 'events' ? eventsExportSql(spec) : sessionsExportSql(spec);
  // A fresh name each time: DuckDB-WASM keeps returning a reused name's first content.
  const scratch = engine.scratchFileName(`export_${++exportCounter}.csv`);
  await engine.exec(copyToCsvSql(query, scratch));
  const bytes = await engine.takeFile(scratch);
  return { name: exportFileName(dataset.raw.fileName, table, result.gapMinutes, 'csv'), mimeType: 'text/csv;charset=utf-8', bytes };
}
