import { quoteIdent } from './quote';
import { rowidSql } from './rowid-sql';

/*
 * A file the stats worker read itself (the quick read) has its events built there, once:
 * each event's row, instant and gap. DuckDB, which reads the same file into its raw table
 * for exports and the SQL panels, takes those events over as Arrow (the "handover" table)
 * instead of reading the timestamps and sessionizing a second time. The user id and url
 * are the raw table's cells of the same rows: text, as in the file.
 * The handover has one row per raw row, in file order (the raw table's order: rowid-sql.ts),
 * so the two are lined up by position (POSITIONAL JOIN): measured in Node at 1M rows, 76 ms
 * to insert and 263 ms to join, against 125 ms and 756 ms for events in their own order
 * joined on the row number. Had the two a different number of rows, the missing side's
 * cells would be NULL, and the counts checked after (handoverCountsSql) would differ.
 */

export interface HandoverSpec {
  rawTable: string;
  /** The raw table's file columns (one named rowid changes how rows are numbered: rowid-sql.ts). */
  columns: readonly string[];
  /** (ts_us, gap_us) as DOUBLE per raw row, as StatsEngine.eventsByRowIpc gives them; ts_us NULL = no event; gap -1 = a user's first event. */
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
SELECT CAST(${rowidSql(spec.columns, 'r')} + 1 AS BIGINT) AS row_number,
  CAST(r.${quoteIdent(spec.userColumn)} AS VARCHAR) AS user_id,
  CAST(h.ts_us AS BIGINT) AS ts_us,
  ${url} AS url,
  CAST(nullif(h.gap_us, -1) AS BIGINT) AS gap_us
FROM ${quoteIdent(spec.rawTable)} AS r
POSITIONAL JOIN ${quoteIdent(spec.handoverTable)} AS h
WHERE h.ts_us IS NOT NULL`;
}

/** One row: the raw table's rows and the events table's events, to check them against the reader's counts. */
export function handoverCountsSql(rawTable: string, eventsTable: string): string {
  return `SELECT (SELECT count(*) FROM ${quoteIdent(rawTable)})::DOUBLE AS "rowsRead",
  (SELECT count(*) FROM ${quoteIdent(eventsTable)})::DOUBLE AS events`;
}
