import { normalizeUserFilters, type UserFilters } from '../domain/user-filters';
import { quoteIdent, quoteString } from './quote';
import { rowidSql } from './rowid-sql';

/*
 * Bot and outlier exclusion in DuckDB: the same users the stats worker leaves out
 * (src/stats/user-mask.ts), for everything that reads the events table with SQL (exports,
 * timelines, lists). A user is left out whole: more events than the limit, or any cell of
 * the chosen column containing the text (case-insensitive).
 */

export interface ExcludeSpec {
  eventsTable: string;
  rawTable: string;
  /** The raw table's columns, in file order (to find its row number). */
  columns: readonly string[];
  filters: UserFilters;
}

/** Every left-out user with their event count (user_id, events), or null when the filters leave no one out. */
export function excludedUsersSql(spec: ExcludeSpec): string | null {
  const f = normalizeUserFilters(spec.filters);
  const tests: string[] = [];
  if (f.maxEventsPerUser !== null) tests.push(`count(*) > ${f.maxEventsPerUser}`);
  const match = f.columnMatch;
  if (match) {
    tests.push(`coalesce(bool_or(contains(lower(CAST(r.${quoteIdent(match.column)} AS VARCHAR)), lower(${quoteString(match.contains)}))), false)`);
  }
  if (tests.length === 0) return null;
  const join = match ? `\nJOIN ${quoteIdent(spec.rawTable)} AS r ON ${rowidSql(spec.columns, 'r')} + 1 = e.row_number` : '';
  return `SELECT e.user_id, count(*)::DOUBLE AS events
FROM ${quoteIdent(spec.eventsTable)} AS e${join}
GROUP BY e.user_id
HAVING ${tests.join(' OR ')}`;
}

/** The left-out users with the most events first (ties by id), at most `limit`. */
export function excludedUsersListSql(spec: ExcludeSpec, limit: number): string | null {
  const all = excludedUsersSql(spec);
  return all && `SELECT user_id, events FROM (${all}) ORDER BY events DESC, user_id LIMIT ${Math.max(0, Math.floor(limit))}`;
}

/**
 * Makes the view `keptView`: the events table's rows of the users the filters keep, with
 * the same columns. A view, not a copy: its readers order what they need.
 */
export function createKeptEventsViewSql(spec: ExcludeSpec, keptView: string): string {
  const excluded = excludedUsersSql(spec);
  const where = excluded ? `\nWHERE user_id NOT IN (SELECT user_id FROM (${excluded}))` : '';
  return `CREATE OR REPLACE VIEW ${quoteIdent(keptView)} AS
SELECT * FROM ${quoteIdent(spec.eventsTable)}${where}`;
}

export function dropViewSql(view: string): string {
  return `DROP VIEW IF EXISTS ${quoteIdent(view)}`;
}
