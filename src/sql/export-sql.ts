import { exportedColumnNames } from '../domain/export-columns';
import { quoteIdent, quoteString } from './quote';
import { rowidSql } from './rowid-sql';
import { sessionizedEventsSql, sessionsSql, type SessionizeSpec } from './sessionize-sql';

/*
 * The two export tables of the contract. Events keep every original cell as the file had
 * it (the raw table is all text) and gain session_id and session_number; sessions carry
 * ISO 8601 UTC times with milliseconds and durations in seconds with milliseconds.
 */

export interface ExportSpec extends SessionizeSpec {
  rawTable: string;
  /** The raw table's columns, in file order. */
  columns: readonly string[];
  /**
   * Prefix text cells that start with = + - @ (or a tab/CR) with an apostrophe, so a
   * spreadsheet shows them instead of running them as formulas. Off: cells stay faithful.
   */
  spreadsheetSafe?: boolean;
}

/** A text cell, neutralised for spreadsheets when asked (OWASP's CSV injection advice). */
export function cellSql(expr: string, safe: boolean | undefined): string {
  if (!safe) return expr;
  return `CASE WHEN regexp_matches(${expr}, '^[=+\\-@\\t\\r]') THEN '''' || ${expr} ELSE ${expr} END`;
}

const isoMillis = (us: string) => `strftime(make_timestamp(${us}), '%Y-%m-%dT%H:%M:%S.%gZ')`;

export function eventsExportSql(spec: ExportSpec): string {
  const safe = spec.spreadsheetSafe;
  // A file column named like a computed one keeps its values under the name the one rule gives.
  const names = exportedColumnNames(spec.columns);
  const original = spec.columns.map((c, i) => `${cellSql(`r.${quoteIdent(c)}`, safe)} AS ${quoteIdent(names[i] ?? c)}`).join(', ');
  return `SELECT ${original},
  ${cellSql(`s.user_id || '-' || CAST(s.session_number AS VARCHAR)`, safe)} AS session_id,
  CAST(s.session_number AS BIGINT) AS session_number
FROM (${sessionizedEventsSql(spec)}) AS s
JOIN ${quoteIdent(spec.rawTable)} AS r ON ${rowidSql(spec.columns, 'r')} + 1 = s.row_number
ORDER BY s.user_id, s.ts_us, s.row_number`;
}

export function sessionsExportSql(spec: SessionizeSpec & { spreadsheetSafe?: boolean }): string {
  const safe = spec.spreadsheetSafe;
  return `SELECT
  ${cellSql(`user_id || '-' || CAST(session_number AS VARCHAR)`, safe)} AS session_id,
  ${cellSql('user_id', safe)} AS user_id,
  CAST(session_number AS BIGINT) AS session_number,
  ${isoMillis('start_us')} AS start_time,
  ${isoMillis('end_us')} AS end_time,
  CAST(round((end_us - start_us) / 1000000, 3) AS DECIMAL(18,3)) AS duration_seconds,
  CAST(event_count AS BIGINT) AS event_count,
  ${cellSql('first_url', safe)} AS first_url,
  ${cellSql('last_url', safe)} AS last_url
FROM (${sessionsSql(spec)})
ORDER BY user_id, session_number`;
}

/** The sessions table with instants as microseconds and durations as DOUBLE, for Parquet. */
export function sessionsTypedSql(spec: SessionizeSpec): string {
  return `SELECT
  user_id || '-' || CAST(session_number AS VARCHAR) AS session_id,
  user_id,
  session_number::DOUBLE AS session_number,
  start_us::DOUBLE AS start_us,
  end_us::DOUBLE AS end_us,
  (end_us - start_us) / 1000000 AS duration_seconds,
  event_count::DOUBLE AS event_count,
  first_url,
  last_url
FROM (${sessionsSql(spec)})
ORDER BY user_id, session_number`;
}

/** The rows of `query` (an export with user_id and session_number) of the sessions listed in `sessionsTable`. */
export function onlySessionsSql(query: string, sessionsTable: string): string {
  return `SELECT * FROM (${query}) WHERE (user_id, session_number) IN (SELECT (user_id, session_number) FROM ${quoteIdent(sessionsTable)})`;
}

/**
 * Writes a query's rows as RFC 4180 CSV (UTF-8, quotes where needed) to `fileName`, with the
 * header line unless `header` is false (the later chunks of one file).
 */
export function copyToCsvSql(query: string, fileName: string, header = true): string {
  return `COPY (${query}) TO ${quoteString(fileName)} (FORMAT CSV, HEADER ${header}, DELIMITER ',', QUOTE '"', ESCAPE '"', NULL '')`;
}
