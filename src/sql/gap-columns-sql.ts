import { quoteIdent } from './quote';

/**
 * The events table's gap, time and row columns as doubles, in the table's order (each
 * user's events together, in time order): DuckDB keeps insertion order for a plain scan
 * (preserve_insertion_order, on by default), which saves re-sorting a million rows.
 */
export function gapColumnsSql(eventsTable: string): string {
  return `SELECT coalesce(gap_us, -1)::DOUBLE AS gap, ts_us::DOUBLE AS ts, row_number::DOUBLE AS row
FROM ${quoteIdent(eventsTable)}`;
}

/**
 * A column's values in the table's order (a plain scan keeps it) as an ENUM of its
 * distinct values, made for this query: DuckDB writes an ENUM as an Arrow dictionary, so
 * each value crosses once and every row as a small integer code, with no string decoded
 * or hashed in JavaScript (at 10M rows that was seconds and gigabytes of strings). `query`
 * makes the type and reads the column (as "value"); run `drop` after reading the result.
 */
export function dictionaryColumnSql(table: string, column: string, typeName: string): { query: string; drop: string } {
  const cell = `CAST(${quoteIdent(column)} AS VARCHAR)`;
  const type = quoteIdent(typeName);
  const drop = `DROP TYPE IF EXISTS ${type}`;
  return {
    query: `${drop};
CREATE TYPE ${type} AS ENUM (SELECT DISTINCT ${cell} FROM ${quoteIdent(table)} WHERE ${cell} IS NOT NULL);
SELECT CAST(${cell} AS ${type}) AS value FROM ${quoteIdent(table)}`,
    drop,
  };
}

/** A raw column's cells in file order: the worker maps them to events by row number, with no join or sort here. */
export function rawColumnSql(rawTable: string, column: string): { query: string; drop: string } {
  return dictionaryColumnSql(rawTable, column, `${rawTable}_split_codes`);
}

/** The url of each event, in the events table's order. */
export function urlColumnSql(eventsTable: string): { query: string; drop: string } {
  return dictionaryColumnSql(eventsTable, 'url', `${eventsTable}_url_codes`);
}

/**
 * Each user's id once, with the row number of the user's first event (gap_us is NULL
 * there only), in row order: the stats worker knows users by index (its runs of events),
 * and matches them to ids by that row. One text per user, not per event.
 */
export function userIdsSql(eventsTable: string): string {
  return `SELECT row_number::DOUBLE AS row, user_id FROM ${quoteIdent(eventsTable)} WHERE gap_us IS NULL ORDER BY row_number`;
}
