import { quoteIdent } from './quote';
import { rowidSql } from './rowid-sql';

/*
 * A file the stats worker read itself (the quick read) has its events built there, once:
 * each event's row, instant and gap. DuckDB, which reads the same file into its raw table
 * for exports and the SQL panels, takes those events over as Arrow (the "handover" table)
 * instead of reading the timestamps and sessionizing a second time. The user id and url
 * are the raw table's cells of the same rows: text, as in the file.
 */

export interface HandoverSpec {
  rawTable: string;
  /** The raw table's file columns (one named rowid changes how rows are numbered: rowid-sql.ts). */
  columns: readonly string[];
  /** (row_number, ts_us, gap_us) as DOUBLE, as StatsEngine.eventsIpc gives them; gap -1 = a user's first event. */
  handoverTable: string;
  eventsTable: string;
  userColumn: string;
  /** '' without a url column. */
  urlColumn: string;
}

/** The events table (events-sql.ts's columns) from the handed-over events and the raw table's cells. */
export function eventsFromHandoverSql(spec: HandoverSpec): string {
  const url = spec.urlColumn ? `CAST(r.${quoteIdent(spec.urlColumn)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
  return `CREATE OR REPLACE TABLE ${quoteIdent(spec.eventsTable)} AS
SELECT CAST(h.row_number AS BIGINT) AS row_number,
  CAST(r.${quoteIdent(spec.userColumn)} AS VARCHAR) AS user_id,
  CAST(h.ts_us AS BIGINT) AS ts_us,
  ${url} AS url,
  CAST(nullif(h.gap_us, -1) AS BIGINT) AS gap_us
FROM ${quoteIdent(spec.handoverTable)} AS h
JOIN ${quoteIdent(spec.rawTable)} AS r ON ${rowidSql(spec.columns, 'r')} + 1 = h.row_number`;
}

/** One row: the raw table's rows and the events table's events, to check them against the reader's counts. */
export function handoverCountsSql(rawTable: string, eventsTable: string): string {
  return `SELECT (SELECT count(*) FROM ${quoteIdent(rawTable)})::DOUBLE AS "rowsRead",
  (SELECT count(*) FROM ${quoteIdent(eventsTable)})::DOUBLE AS events`;
}
