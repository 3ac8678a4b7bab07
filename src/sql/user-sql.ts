import type { Boundary } from '../domain/types';
import { quoteIdent, quoteString } from './quote';
import { sessionizedEventsSql, sessionsSql } from './sessionize-sql';
import { breakBoundUs } from './break-bound';

/*
 * Per-user queries for the timeline. The events table is sorted by user_id, so a filter
 * `user_id = …` or a prefix range lets DuckDB skip every row group outside it (zone maps);
 * the sessionization of one user runs over that user's rows only (a CTE named like a
 * table shadows it, so sessionizedEventsSql numbers sessions exactly as everywhere else).
 */

export interface UserSuggestionRow { userId: string; events: number }
export interface TopUserRow { userId: string; events: number; sessions: number }
export interface UserSummaryRow { events: number; sessions: number; firstUs: number; lastUs: number }

export interface UserSessionRow {
  sessionNumber: number;
  startUs: number;
  endUs: number;
  eventCount: number;
  firstUrl: string | null;
  lastUrl: string | null;
  /** The gap from the previous session's last event; null for the first session. */
  gapBeforeUs: number | null;
}

export interface UserEventRow { rowNumber: number; tsUs: number; url: string | null; gapUs: number | null; sessionNumber: number }

/** Events of one user aggregated into `columns` equal time slices (one mark per pixel column). */
export interface EventMarkRow { column: number; firstUs: number; lastUs: number; events: number; firstUrl: string | null }

const ONE_USER = 'one_user_events';
const nonNegativeInt = (n: number) => Math.max(0, Math.floor(n));

/** The smallest string greater than every string that starts with `prefix`, or null. */
export function prefixUpperBound(prefix: string): string | null {
  const points = Array.from(prefix, (c) => c.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = (points.pop() ?? 0) + 1;
    if (last <= 0x10ffff) {
      // UTF-8 byte order is code point order; skip the surrogate range, which is not text.
      return String.fromCodePoint(...points, last >= 0xd800 && last <= 0xdfff ? 0xe000 : last);
    }
  }
  return null;
}

/** Users whose id starts with `prefix`, in id order, with their event counts. */
export function userSuggestionsSql(eventsTable: string, prefix: string, limit: number): string {
  const upper = prefixUpperBound(prefix);
  const range = prefix === '' ? 'TRUE'
    : `user_id >= ${quoteString(prefix)}${upper === null ? '' : ` AND user_id < ${quoteString(upper)}`} AND starts_with(user_id, ${quoteString(prefix)})`;
  return `SELECT user_id AS "userId", count(*)::DOUBLE AS events
FROM ${quoteIdent(eventsTable)} WHERE ${range}
GROUP BY user_id ORDER BY user_id LIMIT ${nonNegativeInt(limit)}`;
}

/** `(gap_us IS NULL OR gap_us >= bound)`: the event starts a session (see sessionize-sql). */
function startsSessionSql(thresholdUs: number, boundary: Boundary): string {
  return `(gap_us IS NULL OR gap_us >= ${breakBoundUs(thresholdUs, boundary)})`;
}

/** The most active users (by events) or those with the most sessions, ties by id. */
export function topUsersSql(eventsTable: string, by: 'events' | 'sessions', thresholdUs: number, boundary: Boundary, limit: number): string {
  const order = by === 'events' ? 'events DESC, sessions DESC' : 'sessions DESC, events DESC';
  return `SELECT user_id AS "userId", count(*)::DOUBLE AS events,
  count(*) FILTER (WHERE ${startsSessionSql(thresholdUs, boundary)})::DOUBLE AS sessions
FROM ${quoteIdent(eventsTable)}
GROUP BY user_id ORDER BY ${order}, user_id LIMIT ${nonNegativeInt(limit)}`;
}

const userRowsSql = (eventsTable: string, userId: string) =>
  `SELECT * FROM ${quoteIdent(eventsTable)} WHERE user_id = ${quoteString(userId)}`;

/** One user's events with session numbers, as a CTE-prefixed query. */
function userSessionizedSql(eventsTable: string, userId: string, thresholdUs: number, boundary: Boundary, body: (events: string) => string): string {
  const sessionized = sessionizedEventsSql({ eventsTable: ONE_USER, thresholdUs, boundary });
  return `WITH ${quoteIdent(ONE_USER)} AS (${userRowsSql(eventsTable, userId)}),
e AS (${sessionized})
${body('e')}`;
}

/** One row: the user's event and session counts and first and last instants (no row: unknown user). */
export function userSummarySql(eventsTable: string, userId: string, thresholdUs: number, boundary: Boundary): string {
  return `SELECT count(*)::DOUBLE AS events,
  count(*) FILTER (WHERE ${startsSessionSql(thresholdUs, boundary)})::DOUBLE AS sessions,
  min(ts_us)::DOUBLE AS "firstUs", max(ts_us)::DOUBLE AS "lastUs"
FROM ${quoteIdent(eventsTable)} WHERE user_id = ${quoteString(userId)}
HAVING count(*) > 0`;
}

/** The user's sessions in order (at most `limit`, from session `fromSession`), as sessionsSql gives them. */
export function userTimelineSql(
  eventsTable: string, userId: string, thresholdUs: number, boundary: Boundary, limit = 5000, fromSession = 1,
): string {
  const sessions = sessionsSql({ eventsTable: ONE_USER, thresholdUs, boundary });
  return `WITH ${quoteIdent(ONE_USER)} AS (${userRowsSql(eventsTable, userId)})
SELECT session_number::DOUBLE AS "sessionNumber", start_us::DOUBLE AS "startUs", end_us::DOUBLE AS "endUs",
  event_count::DOUBLE AS "eventCount", first_url AS "firstUrl", last_url AS "lastUrl",
  (start_us - lag(end_us) OVER (ORDER BY session_number))::DOUBLE AS "gapBeforeUs"
FROM (${sessions})
QUALIFY session_number >= ${nonNegativeInt(fromSession)}
ORDER BY session_number LIMIT ${nonNegativeInt(limit)}`;
}

/** The user's events in time order, paged; only those of one session when `sessionNumber` is given. */
export function userEventsSql(
  eventsTable: string, userId: string, thresholdUs: number, boundary: Boundary,
  offset: number, limit: number, sessionNumber: number | null = null,
): string {
  const only = sessionNumber === null ? '' : `WHERE session_number = ${nonNegativeInt(sessionNumber)}`;
  return userSessionizedSql(eventsTable, userId, thresholdUs, boundary, (e) => `SELECT row_number::DOUBLE AS "rowNumber",
  ts_us::DOUBLE AS "tsUs", url, gap_us::DOUBLE AS "gapUs", session_number::DOUBLE AS "sessionNumber"
FROM ${e} ${only}
ORDER BY ts_us, row_number LIMIT ${nonNegativeInt(limit)} OFFSET ${nonNegativeInt(offset)}`);
}

/**
 * The user's events between fromUs and toUs (inclusive) in `columns` equal slices: one
 * mark per slice however many events fall in it, so a chart never draws more than
 * `columns` marks. Counts are exact; only the position is rounded to a slice.
 */
export function userEventMarksSql(eventsTable: string, userId: string, fromUs: number, toUs: number, columns: number): string {
  const cols = Math.max(1, Math.floor(columns));
  const from = Math.floor(fromUs);
  const span = Math.max(1, Math.floor(toUs) - from + 1);
  return `SELECT "column"::DOUBLE AS "column", min(ts_us)::DOUBLE AS "firstUs", max(ts_us)::DOUBLE AS "lastUs",
  count(*)::DOUBLE AS events, arg_min(url, (ts_us, row_number)) AS "firstUrl"
FROM (
  SELECT ts_us, url, row_number,
    least(${cols - 1}, CAST(floor((ts_us - ${from})::DOUBLE * ${cols} / ${span}) AS INTEGER)) AS column
  FROM ${quoteIdent(eventsTable)}
  WHERE user_id = ${quoteString(userId)} AND ts_us BETWEEN ${from} AND ${Math.floor(toUs)}
)
GROUP BY "column" ORDER BY "column"`;
}
