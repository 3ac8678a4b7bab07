import { quoteIdent } from './quote';
import { fileColumnsSql, numberRowsSql, rowidSql } from './rowid-sql';

/** A raw table and its file columns. */
export interface RawColumns {
  table: string;
  columns: readonly string[];
}

/*
 * Late files: SQL for appending a file's rows to a loaded dataset and for describing how
 * the sessions changed. Session numberings are given as (row_number, session_number)
 * tables, so that the same comparison serves the gap rule and the further rules.
 */

/**
 * The union of the dataset's raw table and an appended file's, by column name, in that order;
 * `columns` are the union's file columns.
 */
export function unionRawSql(target: string, first: RawColumns, second: RawColumns, columns: readonly string[], keepSecond: string | null = null): string {
  const where = keepSecond ? ` WHERE ${keepSecond}` : '';
  return [
    `CREATE OR REPLACE TABLE ${quoteIdent(target)} AS
SELECT ${fileColumnsSql(first.columns)} FROM ${quoteIdent(first.table)}
UNION ALL BY NAME
SELECT ${fileColumnsSql(second.columns)} FROM ${quoteIdent(second.table)}${where}`,
    ...numberRowsSql(target, columns),
  ].join(';\n');
}

/** A file column copied under another name. */
export interface AddedColumn {
  from: string;
  as: string;
}

/**
 * A copy of a raw table with `added` columns (copies of its columns under the dataset's
 * names) after its own, rows in file order.
 */
export function withAddedColumnsSql(target: string, source: RawColumns, added: readonly AddedColumn[]): string {
  const extra = added.map((c) => `, ${quoteIdent(c.from)} AS ${quoteIdent(c.as)}`).join('');
  return [
    `CREATE OR REPLACE TABLE ${quoteIdent(target)} AS SELECT ${fileColumnsSql(source.columns)}${extra} FROM ${quoteIdent(source.table)} ORDER BY ${rowidSql(source.columns)}`,
    ...numberRowsSql(target, [...source.columns, ...added.map((c) => c.as)]),
  ].join('; ');
}

/** A raw table without the rows of one file (row number range, 0-based, inclusive), file order kept. */
export function withoutRowsSql(target: string, source: RawColumns, fromRowid: number, toRowid: number): string {
  const row = rowidSql(source.columns);
  return [
    `CREATE OR REPLACE TABLE ${quoteIdent(target)} AS
SELECT ${fileColumnsSql(source.columns)} FROM ${quoteIdent(source.table)} WHERE ${row} < ${Math.floor(fromRowid)} OR ${row} > ${Math.floor(toRowid)} ORDER BY ${row}`,
    ...numberRowsSql(target, source.columns),
  ].join(';\n');
}

/**
 * How the sessions of the touched users changed, given the numbering before (old rows
 * only) and after (old and new rows). A new session is
 *   created  when it holds no event that was in a session before,
 *   merged   when it holds events of two or more sessions from before,
 *   extended when it holds events of exactly one session from before, and new events,
 * and an old session is split when its events now lie in two or more sessions.
 */
function changesCtes(eventsBefore: string, numbersBefore: string, eventsAfter: string, numbersAfter: string, firstNewRow: number): string {
  return `WITH touched AS (
  SELECT DISTINCT user_id FROM ${quoteIdent(eventsAfter)} WHERE row_number >= ${Math.floor(firstNewRow)}
), before AS (
  SELECT e.row_number, n.session_number AS old_session
  FROM ${quoteIdent(eventsBefore)} AS e JOIN ${quoteIdent(numbersBefore)} AS n ON n.row_number = e.row_number
  WHERE e.user_id IN (SELECT user_id FROM touched)
), after AS (
  SELECT e.row_number, e.user_id, n.session_number AS new_session
  FROM ${quoteIdent(eventsAfter)} AS e JOIN ${quoteIdent(numbersAfter)} AS n ON n.row_number = e.row_number
  WHERE e.user_id IN (SELECT user_id FROM touched)
), joined AS (
  SELECT a.user_id, a.new_session, b.old_session FROM after AS a LEFT JOIN before AS b ON b.row_number = a.row_number
), per_new AS (
  SELECT user_id, new_session, count(DISTINCT old_session) AS olds, count(*) FILTER (WHERE old_session IS NULL) AS added
  FROM joined GROUP BY user_id, new_session
), per_old AS (
  SELECT user_id, old_session, count(DISTINCT new_session) AS news FROM joined WHERE old_session IS NOT NULL GROUP BY user_id, old_session
), split_new AS (
  SELECT DISTINCT j.user_id, j.new_session FROM joined AS j
  JOIN per_old AS o ON o.user_id = j.user_id AND o.old_session = j.old_session WHERE o.news >= 2
)`;
}

/**
 * Creates `target` (user_id, session_number, change) listing every session after the
 * append that changed, with how: 'merged', 'extended', 'created' or 'split' (a session
 * holding part of a session from before that is now cut in two or more).
 */
export function changedSessionsSql(
  target: string,
  eventsBefore: string,
  numbersBefore: string,
  eventsAfter: string,
  numbersAfter: string,
  firstNewRow: number,
): string {
  return `CREATE OR REPLACE TABLE ${quoteIdent(target)} AS
${changesCtes(eventsBefore, numbersBefore, eventsAfter, numbersAfter, firstNewRow)}
SELECT user_id, new_session AS session_number,
  CASE WHEN olds >= 2 THEN 'merged' WHEN olds = 0 THEN 'created' WHEN added > 0 THEN 'extended' ELSE 'split' END AS change
FROM per_new
WHERE olds >= 2 OR olds = 0 OR added > 0 OR (user_id, new_session) IN (SELECT (user_id, new_session) FROM split_new)
ORDER BY user_id, new_session`;
}

/** The first `limit` sessions of a changedSessionsSql table, session numbers as plain numbers. */
export function changedSessionExamplesSql(changedTable: string, limit: number): string {
  return `SELECT user_id, session_number::DOUBLE AS session_number, change FROM ${quoteIdent(changedTable)} LIMIT ${Math.max(0, Math.floor(limit))}`;
}

/**
 * The counts of the contract's append summary. A new session is created when it holds no
 * event that was in a session before, merged when it holds events of two or more sessions
 * from before, extended when it holds events of exactly one session from before and new
 * events; split counts the sessions from before whose events now lie in two or more.
 */
export function sessionChangesSql(eventsBefore: string, numbersBefore: string, eventsAfter: string, numbersAfter: string, firstNewRow: number): string {
  return `${changesCtes(eventsBefore, numbersBefore, eventsAfter, numbersAfter, firstNewRow)}
SELECT
  (SELECT count(*) FROM per_new WHERE olds >= 2)::DOUBLE AS merged,
  (SELECT count(*) FROM per_new WHERE olds = 1 AND added > 0)::DOUBLE AS extended,
  (SELECT count(*) FROM per_old WHERE news >= 2)::DOUBLE AS split,
  (SELECT count(*) FROM per_new WHERE olds = 0)::DOUBLE AS created,
  (SELECT count(*) FROM touched)::DOUBLE AS "touchedUsers"`;
}

function sameRowSql(columns: readonly string[], a: string, b: string): string {
  return columns.map((c) => `CAST(${a}.${quoteIdent(c)} AS VARCHAR) IS NOT DISTINCT FROM CAST(${b}.${quoteIdent(c)} AS VARCHAR)`).join(' AND ');
}

/** How many rows of the appended raw table already occur in the dataset (same text in `columns`). */
export function duplicateRowsSql(existing: string, appended: string, columns: readonly string[]): string {
  return `SELECT count(*)::DOUBLE AS duplicates, (SELECT count(*) FROM ${quoteIdent(appended)})::DOUBLE AS total
FROM ${quoteIdent(appended)} AS a SEMI JOIN ${quoteIdent(existing)} AS e ON ${sameRowSql(columns, 'a', 'e')}`;
}

/** A condition on the appended rows (alias-free) that keeps those not already in the dataset. */
export function notDuplicateSql(existing: string, appended: string, columns: readonly string[]): string {
  return `NOT EXISTS (SELECT 1 FROM ${quoteIdent(existing)} AS e WHERE ${sameRowSql(columns, quoteIdent(appended), 'e')})`;
}
