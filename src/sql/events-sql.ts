import { SKIP_REASONS, type ColumnMapping, type DatasetFigures, type SkipReason } from '../domain/types';
import { quoteIdent, quoteString } from './quote';
import { rowidSql } from './rowid-sql';
import { timestampTextSql, timestampUsSql, trimSql } from './timestamp-sql';

/*
 * A loaded file lives in a raw table: every column as text, exactly as read. From it and a
 * column mapping we build the events table, once per load or mapping change:
 *   row_number  1-based data row of the file (the header is not a row)
 *   user_id     the user id text, unchanged
 *   ts_us       the instant in microseconds since the epoch, UTC
 *   url         the url text, or NULL without a url column
 *   gap_us      microseconds since the same user's previous event (NULL for the first)
 * with each user's events together and in (time, row) order. A threshold change then only
 * compares gap_us with the threshold: the file is never re-read or re-sorted for it.
 */

export interface EventsSpec {
  rawTable: string;
  /** The raw table's file columns (they say how its rows are numbered: see rowid-sql.ts). */
  columns: readonly string[];
  mapping: ColumnMapping;
}

/** A user id cell, NULL when empty or only whitespace; the id itself is kept unchanged. */
function userIdSql(cell: string): string {
  // ascii() of the first character settles almost every row without trimming it.
  return `CASE WHEN ${cell} IS NULL THEN NULL
    WHEN ascii(${cell}) > 32 AND ascii(${cell}) NOT IN (160, 65279) THEN ${cell}
    WHEN ${trimSql(cell)} = '' THEN NULL ELSE ${cell} END`;
}

/** Every raw row read: row number, user id, timestamp text and instant, url. */
function parsedRowsSql({ rawTable, columns, mapping }: EventsSpec): string {
  const user = quoteIdent(mapping.user);
  const text = timestampTextSql(quoteIdent(mapping.timestamp), mapping.time ? quoteIdent(mapping.time) : null);
  const url = mapping.url ? `CAST(${quoteIdent(mapping.url)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)';
  return `SELECT
    CAST(${rowidSql(columns)} + 1 AS BIGINT) AS row_number,
    ${userIdSql(`CAST(${user} AS VARCHAR)`)} AS user_id,
    ${text} AS ts_text,
    ${timestampUsSql(text, mapping.format)} AS ts_us,
    ${url} AS url
  FROM ${quoteIdent(rawTable)}`;
}

/**
 * Creates `eventsTable` from the raw table and mapping in one pass: read, gap, write.
 * There is no ORDER BY: the window already sorts each user's events by (time, row), and
 * writes every user's events together (it partitions by user), which is all the readers
 * of the table need. Sorting by user on top cost a second sort of every event (and its
 * buffers at the memory peak). That grouping is how DuckDB's window works, not a promise
 * of SQL: datasetFiguresSql checks it on every table and sortEventsTableSql restores it.
 */
export function createEventsTableSql(spec: EventsSpec, eventsTable: string): string {
  return `CREATE OR REPLACE TABLE ${quoteIdent(eventsTable)} AS
SELECT row_number, user_id, ts_us, url,
  ts_us - lag(ts_us) OVER (PARTITION BY user_id ORDER BY ts_us, row_number) AS gap_us
FROM (${parsedRowsSql(spec)})
WHERE user_id IS NOT NULL AND ts_us IS NOT NULL`;
}

/** Writes `eventsTable` again as `sortedTable`, sorted by user, time and row. */
export function sortEventsTableSql(eventsTable: string, sortedTable: string): string {
  return `CREATE OR REPLACE TABLE ${quoteIdent(sortedTable)} AS
SELECT * FROM ${quoteIdent(eventsTable)} ORDER BY user_id, ts_us, row_number`;
}

/** Why a row that made no event (user_id or ts_us NULL) was skipped: a SkipReason. */
function skipReasonSql(): string {
  return `CASE
    WHEN user_id IS NULL THEN 'missing user id'
    WHEN ts_text IS NULL OR ${trimSql('ts_text')} = '' THEN 'missing timestamp'
    ELSE 'unreadable timestamp' END`;
}

/** A row of datasetFiguresSql. */
export type DatasetFiguresRow = Omit<DatasetFigures, 'rowsRead' | 'skipped'> & Record<SkipReason, number> & { misordered: number };

/**
 * One row: valid events, distinct users, first and last instant; the raw table's skipped
 * rows, one column per reason (named as SkipReason); and `misordered`, the events out of
 * place in the table's scan order (0 when every user's events stand together in (time,
 * row) order, each with the gap to the one before it), so that figures and order check
 * cost one query. The skipped rows are counted from the raw table, not as rows less
 * events, so that rows read = events + skipped can be checked: that costs reading the
 * timestamps a second time (about a fifth of building the events table).
 */
export function datasetFiguresSql(spec: EventsSpec, eventsTable: string): string {
  // lag() OVER () follows the scan order: the order the stats worker reads.
  const skipped = (reason: SkipReason) => `count(*) FILTER (WHERE reason = ${quoteString(reason)})::DOUBLE AS ${quoteIdent(reason)}`;
  return `WITH skipped AS (
  SELECT ${SKIP_REASONS.map(skipped).join(', ')}
  FROM (SELECT CASE WHEN user_id IS NULL OR ts_us IS NULL THEN ${skipReasonSql()} END AS reason FROM (${parsedRowsSql(spec)}))
), figures AS (SELECT
  count(*)::DOUBLE AS events,
  count(DISTINCT user_id)::DOUBLE AS users,
  min(ts_us)::DOUBLE AS "firstEventUs",
  max(ts_us)::DOUBLE AS "lastEventUs",
  -- The window gives each user one NULL gap; an event after another user's must be it, an
  -- event after the same user's must follow it in (time, row) order at the gap between them.
  count(*) FILTER (WHERE CASE WHEN previous_user IS NOT DISTINCT FROM user_id
    THEN gap_us IS DISTINCT FROM ts_us - previous_ts OR (gap_us = 0 AND row_number < previous_row)
    ELSE gap_us IS NOT NULL END)::DOUBLE AS misordered
FROM (SELECT user_id, ts_us, row_number, gap_us,
    lag(user_id) OVER () AS previous_user, lag(ts_us) OVER () AS previous_ts, lag(row_number) OVER () AS previous_row
  FROM ${quoteIdent(eventsTable)}))
SELECT * FROM figures, skipped`;
}

/** How many skipped rows the page lists as examples. */
export const SKIPPED_EXAMPLES = 20;

/** The first `limit` skipped rows, in file order, with the values that made them skip. */
export function skippedExamplesSql(spec: EventsSpec, limit: number): string {
  return `WITH parsed AS (${parsedRowsSql(spec)})
SELECT row_number::DOUBLE AS "row", ${skipReasonSql()} AS reason,
  user_id AS "user", ts_text AS "timestamp"
FROM parsed WHERE user_id IS NULL OR ts_us IS NULL
ORDER BY row_number LIMIT ${Math.max(0, Math.floor(limit))}`;
}

/** Rows the zone check looks at: enough to say "all" or "some", cheap at any size. */
export const ZONE_SAMPLE_ROWS = 100_000;

/** Share of readable ISO timestamps (among the first rows) that carry no zone, and so are read as UTC. */
export function zonelessShareSql(spec: EventsSpec): string {
  return `WITH parsed AS (SELECT * FROM (${parsedRowsSql(spec)}) WHERE ts_us IS NOT NULL LIMIT ${ZONE_SAMPLE_ROWS})
SELECT coalesce(avg(CASE WHEN regexp_matches(trim(ts_text), '\\d:\\d\\d(:\\d\\d([.,]\\d+)?)?\\s*([Zz]|[+-]\\d\\d(:?\\d\\d)?|UTC)$') THEN 0 ELSE 1 END), 0)::DOUBLE AS share
FROM parsed`;
}

/**
 * One row: each file's valid events (f0, f1, …), from the row ranges its rows have in the
 * raw table (rowids firstRowid .. firstRowid + rows - 1).
 */
export function fileEventCountsSql(eventsTable: string, files: readonly { firstRowid: number; rows: number }[]): string {
  const counts = files.map((f, i) => `count(*) FILTER (WHERE row_number BETWEEN ${f.firstRowid + 1} AND ${f.firstRowid + f.rows})::DOUBLE AS f${i}`);
  return `SELECT ${counts.join(', ')} FROM ${quoteIdent(eventsTable)}`;
}

/**
 * One row: each file's valid events, as fileEventCountsSql (f0, f1, …), and its raw rows that
 * made no event, one column per file and reason ("f0 missing user id", …), counted in one
 * scan of the raw table over each file's row range: rows read = events + skipped per file.
 */
export function fileRowCountsSql(spec: EventsSpec, eventsTable: string, files: readonly { firstRowid: number; rows: number }[]): string {
  const skipped = files.flatMap((f, i) =>
    SKIP_REASONS.map(
      (reason) =>
        `count(*) FILTER (WHERE reason = ${quoteString(reason)} AND row_number BETWEEN ${f.firstRowid + 1} AND ${f.firstRowid + f.rows})::DOUBLE AS ${quoteIdent(`f${i} ${reason}`)}`,
    ),
  );
  return `SELECT * FROM (${fileEventCountsSql(eventsTable, files)}), (SELECT ${skipped.join(',\n  ')}
FROM (SELECT row_number, ${skipReasonSql()} AS reason FROM (${parsedRowsSql(spec)}) WHERE user_id IS NULL OR ts_us IS NULL))`;
}
