import { quoteIdent } from '../sql/quote';
import { trimSql } from '../sql/timestamp-sql';

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
 * A dictionary code for each event's value in `column` (-1 when empty or blank), in the
 * events table's order, for the split-on-change rule.
 */
export function splitCodesSql(eventsTable: string, rawTable: string, column: string): string {
  const cell = `CAST(r.${quoteIdent(column)} AS VARCHAR)`;
  return `WITH v AS (
  SELECT e.user_id, e.ts_us, e.row_number, CASE WHEN ${trimSql(cell)} = '' THEN NULL ELSE ${cell} END AS value
  FROM ${quoteIdent(eventsTable)} AS e JOIN ${quoteIdent(rawTable)} AS r ON r.rowid + 1 = e.row_number
), codes AS (
  SELECT value, (row_number() OVER (ORDER BY value) - 1)::INTEGER AS code FROM (SELECT DISTINCT value FROM v WHERE value IS NOT NULL)
)
SELECT coalesce(codes.code, -1)::INTEGER AS code
FROM v LEFT JOIN codes USING (value)
ORDER BY v.user_id, v.ts_us, v.row_number`;
}

/** The url of each event, in the events table's order (a plain scan keeps it, see above). */
export function urlColumnSql(eventsTable: string): string {
  return `SELECT url FROM ${quoteIdent(eventsTable)}`;
}
