import { quoteIdent, quoteString } from './quote';
import { fileColumnsSql, freshName, rowidSql } from './rowid-sql';
import { sessionizedEventsSql, sessionsSql, type SessionizeSpec } from './sessionize-sql';
/*
 * Per-user queries for the timeline. The events table keeps each user's events together
 * but not in user_id order (see createEventsTableSql), so a filter `user_id = …` or a prefix
 * range scans the table (about 10 ms at 1M events) rather than skipping row groups; only
 * the selected users' rows are sessionized, exactly as sessionize-sql.ts numbers
 * the whole table. Queries that depend on the sessions take the same SessionizeSpec as
 * the figures, so they follow whatever session rules it carries.
 */

/** The name under which a subset of the events table is sessionized. */
const SUBSET = 'events_subset';
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
  return `SELECT user_id AS "userId", count(*)::DOUBLE AS events
FROM ${quoteIdent(eventsTable)} WHERE ${userPrefixSql(prefix)}
GROUP BY user_id ORDER BY user_id LIMIT ${nonNegativeInt(limit)}`;
}

/** A condition on user_id: it starts with `prefix` (a range first, so that it can skip row groups). */
function userPrefixSql(prefix: string): string {
  const upper = prefixUpperBound(prefix);
  return prefix === ''
    ? 'TRUE'
    : `user_id >= ${quoteString(prefix)}${upper === null ? '' : ` AND user_id < ${quoteString(upper)}`} AND starts_with(user_id, ${quoteString(prefix)})`;
}

/**
 * The most active users whose id starts with `prefix` (ties by id), each with the row of
 * their first event in (time, row) order: the stats worker's name for the user (lanes).
 */
export function laneUsersByPrefixSql(eventsTable: string, prefix: string, limit: number): string {
  return `SELECT arg_min(row_number, (ts_us, row_number))::DOUBLE AS "row", user_id AS "userId"
FROM ${quoteIdent(eventsTable)} WHERE ${userPrefixSql(prefix)}
GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT ${nonNegativeInt(limit)}`;
}

/**
 * Sessionizes only the rows `rowsSql` selects from the events table: a CTE named like a
 * table shadows it, so sessionizedEventsSql numbers them exactly as it numbers the whole
 * table (whatever the spec carries, e.g. a table of rule-based session numbers).
 */
function sessionizedSubsetSql(spec: SessionizeSpec, rowsSql: string): string {
  return `WITH ${quoteIdent(SUBSET)} AS (${rowsSql}),
sessionized AS (${sessionizedEventsSql({ ...spec, eventsTable: SUBSET })})`;
}

const userRowsSql = (eventsTable: string, userId: string) => `SELECT * FROM ${quoteIdent(eventsTable)} WHERE user_id = ${quoteString(userId)}`;

/**
 * The most active users (by events) or those with the most sessions, ties by id. By events
 * only the top users are sessionized; by sessions every user is.
 */
export function topUsersSql(spec: SessionizeSpec, by: 'events' | 'sessions', limit: number): string {
  const n = nonNegativeInt(limit);
  const events = quoteIdent(spec.eventsTable);
  const perUser = 'SELECT user_id, count(*) AS events, count(DISTINCT session_number) AS sessions FROM sessionized GROUP BY user_id';
  const select = (order: string) => `SELECT user_id AS "userId", events::DOUBLE AS events, sessions::DOUBLE AS sessions
FROM (${perUser}) ORDER BY ${order}, user_id LIMIT ${n}`;
  if (by === 'sessions') return `${sessionizedSubsetSql(spec, `SELECT * FROM ${events}`)}\n${select('sessions DESC, events DESC')}`;
  const top = `SELECT user_id FROM ${events} GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT ${n}`;
  return `${sessionizedSubsetSql(spec, `SELECT * FROM ${events} WHERE user_id IN (${top})`)}\n${select('events DESC')}`;
}

/** One row: the user's event and session counts and first and last instants (no row: unknown user). */
export function userSummarySql(spec: SessionizeSpec, userId: string): string {
  return `${sessionizedSubsetSql(spec, userRowsSql(spec.eventsTable, userId))}
SELECT count(*)::DOUBLE AS events, count(DISTINCT session_number)::DOUBLE AS sessions,
  min(ts_us)::DOUBLE AS "firstUs", max(ts_us)::DOUBLE AS "lastUs"
FROM sessionized HAVING count(*) > 0`;
}

/** The user's sessions in order (at most `limit`, from session `fromSession`), as sessionsSql gives them. */
export function userTimelineSql(spec: SessionizeSpec, userId: string, limit = 5000, fromSession = 1): string {
  return `WITH ${quoteIdent(SUBSET)} AS (${userRowsSql(spec.eventsTable, userId)})
SELECT session_number::DOUBLE AS "sessionNumber", start_us::DOUBLE AS "startUs", end_us::DOUBLE AS "endUs",
  event_count::DOUBLE AS "eventCount", first_url AS "firstUrl", last_url AS "lastUrl",
  (start_us - lag(end_us) OVER (ORDER BY session_number))::DOUBLE AS "gapBeforeUs"
FROM (${sessionsSql({ ...spec, eventsTable: SUBSET })})
QUALIFY session_number >= ${nonNegativeInt(fromSession)}
ORDER BY session_number LIMIT ${nonNegativeInt(limit)}`;
}

/** The user's events in time order, paged; only those of one session when `sessionNumber` is given. */
export function userEventsSql(spec: SessionizeSpec, userId: string, offset: number, limit: number, sessionNumber: number | null = null): string {
  const only = sessionNumber === null ? '' : `WHERE session_number = ${nonNegativeInt(sessionNumber)}`;
  return `${sessionizedSubsetSql(spec, userRowsSql(spec.eventsTable, userId))}
SELECT row_number::DOUBLE AS "rowNumber", ts_us::DOUBLE AS "tsUs", url, gap_us::DOUBLE AS "gapUs",
  session_number::DOUBLE AS "sessionNumber"
FROM sessionized ${only}
ORDER BY ts_us, row_number LIMIT ${nonNegativeInt(limit)} OFFSET ${nonNegativeInt(offset)}`;
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

/** The user id of each of the given rows (row_number) of the events table. */
export function userIdsOfRowsSql(eventsTable: string, rows: readonly number[]): string {
  const list = rows.map(nonNegativeInt).join(', ');
  return `SELECT row_number::DOUBLE AS "row", user_id AS "userId" FROM ${quoteIdent(eventsTable)}
WHERE row_number IN (${list === '' ? 'NULL' : list}) ORDER BY row_number`;
}

/** The name under which eventCellsSql returns each row's number: one no file column has. */
export const cellsRowColumn = (columns: readonly string[]): string => freshName('__row_number', columns);

/**
 * Every file column of the raw table's rows with these row numbers (the events table's
 * row_number: 1-based), each cell's text as read, with the number under cellsRowColumn.
 */
export function eventCellsSql(rawTable: string, columns: readonly string[], rowNumbers: readonly number[]): string {
  const list = rowNumbers.map((r) => nonNegativeInt(r) - 1).join(', ');
  return `SELECT (${rowidSql(columns)} + 1)::DOUBLE AS ${quoteIdent(cellsRowColumn(columns))}, ${fileColumnsSql(columns)}
FROM ${quoteIdent(rawTable)} WHERE ${rowidSql(columns)} IN (${list === '' ? 'NULL' : list})`;
}
