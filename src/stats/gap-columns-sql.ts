import { quoteIdent } from '../sql/quote';

/**
 * The events table's gap and time columns as doubles, in the table's (user, time) order:
 * the table is written sorted and DuckDB keeps insertion order for a plain scan
 * (preserve_insertion_order, on by default), which saves re-sorting a million rows.
 */
export function gapColumnsSql(eventsTable: string): string {
  return `SELECT coalesce(gap_us, -1)::DOUBLE AS gap, ts_us::DOUBLE AS ts FROM ${quoteIdent(eventsTable)}`;
}
