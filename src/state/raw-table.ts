import type { Engine } from '../engine/engine';
import { columnNamesSql, rowCountSql } from '../sql/read-sql';
import { numberRowsSql, withoutRowidColumn } from '../sql/rowid-sql';
import type { RejectedLine } from '../ingest/row-batches';
import type { RowLineSource } from '../ingest/row-lines';
import type { ColumnMapping } from '../domain/types';

/*
 * Loading a file is two steps, each into freshly named tables, so that a failure leaves
 * whatever was loaded before untouched:
 *   readRawTable   file -> raw table of text columns (+ the lines DuckDB had to reject)
 *                  read-raw-table.ts; delimited files: read-delimited.ts, delimited-checks.ts
 *   buildEvents    raw table + mapping -> events table with gaps, figures, skipped rows
 *                  build-events.ts (the mapping detected in detect-mapping.ts)
 * This module holds the shapes they share and the two facts every read asks of its table.
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
  /**
   * The file as the quick read's dialect reads it, one row per line after the header (set by
   * readRegularRawTable alone): the stats worker may write the events export from its bytes.
   */
  regularFile?: { data: File | Uint8Array; delimiter: string; quote: string };
  /** The mapping the file's format calls for (a web-server log's), preselected over the detected one. */
  suggestedMapping?: ColumnMapping;
}

/**
 * The file's columns of a table just written from a file, which gets its row number column
 * here when a file column hides rowid (see rowid-sql.ts).
 */
export async function fileColumns(engine: Engine, table: string): Promise<string[]> {
  const columns = withoutRowidColumn((await engine.query<{ name: string }>(columnNamesSql(table))).map((r) => r.name));
  const numbering = numberRowsSql(table, columns);
  if (numbering.length > 0) await engine.exec(numbering.join('; '));
  return columns;
}

export async function rowCount(engine: Engine, table: string): Promise<number> {
  const [row] = await engine.query<{ count: number }>(rowCountSql(table));
  return row?.count ?? 0;
}
