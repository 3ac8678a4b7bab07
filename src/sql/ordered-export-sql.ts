import { exportedColumnNames } from '../domain/export-columns';
import { cellSql, type ExportSpec } from './export-sql';
import { quoteIdent } from './quote';
import { freshName, rowidSql } from './rowid-sql';
import { startsSessionSql, type SessionizeSpec } from './sessionize-sql';

/*
 * The events export in chunks, without sorting the file's text at every export. The sort
 * of every row with all its cells (and the join that gathers them) is what an events
 * export spent most of its time on, and it does not depend on the threshold: the ordered
 * table holds the file's cells in export order (user, time, row) once per events table.
 * Each export then numbers the sessions over the ordered table's narrow key columns (a
 * narrow sort) into a numbers table in the same order, and writes ranges of positions of
 * both side by side (POSITIONAL JOIN): no wide sort, no join, and a range is a chunk the
 * page can count and stop between.
 */

/** The ordered table's own columns, under names no file column has. */
export interface OrderedColumns {
  position: string;
  user: string;
  gap: string;
  row: string;
}

export function orderedColumns(fileColumns: readonly string[]): OrderedColumns {
  const taken = [...fileColumns];
  const fresh = (base: string) => {
    const name = freshName(base, taken);
    taken.push(name);
    return name;
  };
  return { position: fresh('__export_position'), user: fresh('__export_user'), gap: fresh('__export_gap'), row: fresh('__export_row') };
}

/** Creates `table`: the file's cells of every event in export order, its user, gap, row number and position (0, 1, …). */
export function createOrderedEventsSql(spec: Pick<ExportSpec, 'eventsTable' | 'rawTable' | 'columns'>, table: string): string {
  const k = orderedColumns(spec.columns);
  const cells = spec.columns.map((c) => `r.${quoteIdent(c)}`).join(', ');
  // row_number() OVER () numbers the rows as the sorted subquery hands them over.
  return `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS
SELECT *, (row_number() OVER () - 1)::BIGINT AS ${quoteIdent(k.position)} FROM (
  SELECT ${cells}, e.user_id AS ${quoteIdent(k.user)}, e.gap_us AS ${quoteIdent(k.gap)}, e.row_number AS ${quoteIdent(k.row)}
  FROM ${quoteIdent(spec.eventsTable)} AS e
  JOIN ${quoteIdent(spec.rawTable)} AS r ON ${rowidSql(spec.columns, 'r')} + 1 = e.row_number
  ORDER BY e.user_id, e.ts_us, e.row_number
)`;
}

/** The row of each user's first event ("row"), the users sorted as the events export sorts them (by id). */
export function exportUsersSql(eventsTable: string): string {
  return `SELECT row_number::DOUBLE AS row FROM ${quoteIdent(eventsTable)} WHERE gap_us IS NULL ORDER BY user_id`;
}

/** exportUsersSql with each user's id (the sessions export's user_id and session_id). */
export function exportUsersWithIdsSql(eventsTable: string): string {
  return `SELECT row_number::DOUBLE AS row, user_id FROM ${quoteIdent(eventsTable)} WHERE gap_us IS NULL ORDER BY user_id`;
}

/**
 * Creates `table` as createOrderedEventsSql does (the file's cells, user and position;
 * no gap or row: the stats worker numbers the sessions), from `positions`: each raw row's
 * export position in file order (StatsEngine.exportPositionsIpc), NULL where it made no
 * event. Lined up with the raw table by position and sorted by one integer: no join, and no
 * sort by the users' text.
 */
export function createOrderedByPositionSql(spec: Pick<ExportSpec, 'rawTable' | 'columns'>, userColumn: string, positions: string, table: string): string {
  const k = orderedColumns(spec.columns);
  const cells = spec.columns.map((c) => `r.${quoteIdent(c)}`).join(', ');
  return `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS
SELECT ${cells}, CAST(r.${quoteIdent(userColumn)} AS VARCHAR) AS ${quoteIdent(k.user)}, p.position AS ${quoteIdent(k.position)}
FROM ${quoteIdent(spec.rawTable)} AS r
POSITIONAL JOIN ${quoteIdent(positions)} AS p
WHERE p.position IS NOT NULL
ORDER BY p.position`;
}

/**
 * Creates `numbers` (position, session_number) in the ordered table's order: by the gap
 * rule over the ordered table's keys, or from `sessionTable` (the other rules' numbering).
 */
export function createOrderedNumbersSql(spec: SessionizeSpec, columns: readonly string[], ordered: string, numbers: string): string {
  const k = orderedColumns(columns);
  const [pos, user, gap, row] = [k.position, k.user, k.gap, k.row].map(quoteIdent);
  const select = spec.sessionTable
    ? `SELECT o.${pos} AS position, CAST(s.session_number AS BIGINT) AS session_number
FROM ${quoteIdent(ordered)} AS o JOIN ${quoteIdent(spec.sessionTable)} AS s ON s.row_number = o.${row}`
    : `SELECT ${pos} AS position,
  sum(CASE WHEN ${startsSessionSql(spec, gap as string)} THEN 1 ELSE 0 END) OVER (PARTITION BY ${user} ORDER BY ${pos} ROWS UNBOUNDED PRECEDING)::BIGINT AS session_number
FROM ${quoteIdent(ordered)}`;
  return `CREATE OR REPLACE TABLE ${quoteIdent(numbers)} AS ${select} ORDER BY position`;
}

/** The events export's rows at positions [from, to): the same columns and text as eventsExportSql. */
export function orderedEventsChunkSql(
  spec: Pick<ExportSpec, 'columns' | 'spreadsheetSafe'>,
  ordered: string,
  numbers: string,
  from: number,
  to: number,
): string {
  const safe = spec.spreadsheetSafe;
  const k = orderedColumns(spec.columns);
  const names = exportedColumnNames(spec.columns);
  const cells = spec.columns.map((c, i) => `${cellSql(`o.${quoteIdent(c)}`, safe)} AS ${quoteIdent(names[i] ?? c)}`).join(', ');
  const range = (column: string) => `${column} >= ${Math.floor(from)} AND ${column} < ${Math.floor(to)}`;
  return `SELECT ${cells},
  ${cellSql(`o.${quoteIdent(k.user)} || '-' || CAST(n.session_number AS VARCHAR)`, safe)} AS session_id,
  CAST(n.session_number AS BIGINT) AS session_number
FROM (SELECT * FROM ${quoteIdent(ordered)} WHERE ${range(quoteIdent(k.position))}) AS o
POSITIONAL JOIN (SELECT session_number FROM ${quoteIdent(numbers)} WHERE ${range('position')}) AS n`;
}

/** No rows, with the events export's columns (orderedEventsChunkSql's): COPY writes its header line alone. */
export function eventsHeaderSql(spec: Pick<ExportSpec, 'rawTable' | 'columns'>): string {
  const names = exportedColumnNames(spec.columns);
  const cells = spec.columns.map((c, i) => `${quoteIdent(c)} AS ${quoteIdent(names[i] ?? c)}`).join(', ');
  return `SELECT ${cells}, NULL::VARCHAR AS session_id, NULL::BIGINT AS session_number FROM ${quoteIdent(spec.rawTable)} LIMIT 0`;
}

/** Rows [from, to) of a table written in order (a plain scan hands rows over in insertion order). */
export function tableChunkSql(table: string, from: number, to: number): string {
  return `SELECT * FROM ${quoteIdent(table)} LIMIT ${Math.max(0, Math.floor(to - from))} OFFSET ${Math.floor(from)}`;
}

/** The number of rows of `table` (a chunked export's total). */
export function rowCountSql(table: string): string {
  return `SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(table)}`;
}

/** The sessions export's rows written to `table`, so that it can be read in chunks. */
export function createSessionsTableSql(table: string, sessionsQuery: string): string {
  return `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS ${sessionsQuery}`;
}
