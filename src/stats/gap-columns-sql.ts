import { quoteIdent } from '../sql/quote';

/**
 * The events table's gap, time and row columns as doubles, in the table's (user, time)
 * order: the table is written sorted and DuckDB keeps insertion order for a plain scan
 * (preserve_insertion_order, on by default), which saves re-sorting a million rows.
 */
export function gapColumnsSql(eventsTable: string): string {
  return `SELECT coalesce(gap_us, -1)::DOUBLE AS gap, ts_us::DOUBLE AS ts, row_number::DOUBLE AS row
FROM ${quoteIdent(eventsTable)}`;
}

/**
 * A raw column's cells in file order (a plain scan keeps it): the worker turns them into
 * per-event codes through each event's row number, with no join or sort here.
 */
export function rawColumnSql(rawTable: string, column: string): string {
  return `SELECT CAST(${quoteIdent(column)} AS VARCHAR) AS value FROM ${quoteIdent(rawTable)}`;
}

/**
 * The url of each event, in the events table's order (a plain scan keeps it, see above), as
 * an ENUM of the table's distinct urls made for this query: DuckDB writes an ENUM as an Arrow
 * dictionary, so each url crosses once and every event as a small integer code, with no
 * string decoded or hashed in JavaScript. Run dropUrlTypeSql after reading the result.
 */
export function urlColumnSql(eventsTable: string): string {
  const table = quoteIdent(eventsTable);
  const type = quoteIdent(urlTypeName(eventsTable));
  return `DROP TYPE IF EXISTS ${type};
CREATE TYPE ${type} AS ENUM (SELECT DISTINCT url FROM ${table} WHERE url IS NOT NULL);
SELECT CAST(url AS ${type}) AS url FROM ${table}`;
}

export function dropUrlTypeSql(eventsTable: string): string {
  return `DROP TYPE IF EXISTS ${quoteIdent(urlTypeName(eventsTable))}`;
}

function urlTypeName(eventsTable: string): string {
  return `${eventsTable}_url_codes`;
}
