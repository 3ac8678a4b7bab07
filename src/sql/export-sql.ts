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

/**
 * Where a sessions export reads its sessions: sessionsSql's columns, and the order to write
 * them in (null: the source's own order).
 */
export interface SessionsSource {
  sql: string;
  orderBy: string | null;
}

const sqlSessions = (spec: SessionizeSpec): SessionsSource => ({ sql: sessionsSql(spec), orderBy: 'user_id, session_number' });

const orderBySql = (from: SessionsSource) => (from.orderBy === null ? '' : `\nORDER BY ${from.orderBy}`);

/** The tables the stats worker's sessions come in (StatsEngine.exportSessionsIpc) and the raw table they name rows of. */
export interface WorkerSessionsSpec {
  rawTable: string;
  userColumn: string;
  /** '' without a url column. */
  urlColumn: string;
  /** One row per session in the export's order: session_number, start_us, end_us, event_count. */
  sessionsTable: string;
  /** One row per raw row (file order): first_seq, last_seq (the session whose first or last url this row holds). */
  urlRowsTable: string;
}

/**
 * sessionsSql's columns from the stats worker's sessions, in the export's order: the user's
 * id and the urls are the raw table's cells at the rows the worker marks, lined up with the
 * raw table by position and sorted by the session's place (the events table's user_id and
 * url are those cells' text). No window, no grouping, no join over every event.
 */
export function workerSessionsSql(spec: WorkerSessionsSpec): SessionsSource {
  const url = spec.urlColumn ? `CAST(r.${quoteIdent(spec.urlColumn)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
  const marked = (seq: string, cells: string) =>
    `SELECT ${cells} FROM ${quoteIdent(spec.rawTable)} AS r POSITIONAL JOIN ${quoteIdent(spec.urlRowsTable)} AS m WHERE m.${seq} IS NOT NULL ORDER BY m.${seq}`;
  return {
    sql: `SELECT f.user_id, s.session_number::BIGINT AS session_number, s.start_us::BIGINT AS start_us, s.end_us::BIGINT AS end_us,
  s.event_count::BIGINT AS event_count, f.url AS first_url, l.url AS last_url
FROM ${quoteIdent(spec.sessionsTable)} AS s
POSITIONAL JOIN (${marked('first_seq', `CAST(r.${quoteIdent(spec.userColumn)} AS VARCHAR) AS user_id, ${url} AS url`)}) AS f
POSITIONAL JOIN (${marked('last_seq', `${url} AS url`)}) AS l`,
    orderBy: null,
  };
}

export function sessionsExportSql(spec: SessionizeSpec & { spreadsheetSafe?: boolean }, from: SessionsSource = sqlSessions(spec)): string {
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
FROM (${from.sql})${orderBySql(from)}`;
}

/** The sessions table with instants as microseconds and durations as DOUBLE, for Parquet. */
export function sessionsTypedSql(spec: SessionizeSpec, from: SessionsSource = sqlSessions(spec)): string {
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
FROM (${from.sql})${orderBySql(from)}`;
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
