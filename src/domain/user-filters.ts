/*
 * Which users the figures, charts, lists and exports leave out (bots, test accounts,
 * outliers). A user is left out as a whole, never some of their events, so every kept
 * user's gaps and sessions are exactly what they were without the filter.
 */

export interface ColumnMatch {
  /** A column of the file (any, not only the mapped ones). */
  column: string;
  /** Text a cell contains (case-insensitive): one such event leaves its user out. */
  contains: string;
}

export interface UserFilters {
  /** Users with more events than this are left out; null: no limit. */
  maxEventsPerUser: number | null;
  columnMatch: ColumnMatch | null;
}

export const NO_USER_FILTERS: UserFilters = { maxEventsPerUser: null, columnMatch: null };

/** The filters with their unusable parts switched off (a blank text, a negative or fractional count). */
export function normalizeUserFilters(f: UserFilters): UserFilters {
  const max = f.maxEventsPerUser;
  const maxEventsPerUser = max !== null && Number.isFinite(max) && max >= 0 ? Math.floor(max) : null;
  const columnMatch = f.columnMatch && f.columnMatch.column !== '' && f.columnMatch.contains !== '' ? f.columnMatch : null;
  return { maxEventsPerUser, columnMatch };
}

export function filtersActive(f: UserFilters): boolean {
  const n = normalizeUserFilters(f);
  return n.maxEventsPerUser !== null || n.columnMatch !== null;
}

/** Equal for filters that leave out the same users; '' when nothing is left out. */
export function userFiltersKey(f: UserFilters): string {
  const n = normalizeUserFilters(f);
  if (!filtersActive(n)) return '';
  return JSON.stringify([n.maxEventsPerUser, n.columnMatch?.column ?? null, n.columnMatch?.contains.toLowerCase() ?? null]);
}

/** What the stats worker found the filters leave out. */
export interface ExclusionSummary {
  excludedUsers: number;
  excludedEvents: number;
  keptUsers: number;
  keptEvents: number;
}

/**
 * Case-insensitive "contains", the same in JavaScript as DuckDB's lower() + contains():
 * both lower-case by Unicode's simple mapping, which agree on the text people filter by.
 */
export function cellContains(cell: string, needle: string): boolean {
  return cell.toLowerCase().includes(needle.toLowerCase());
}

/** A left-out user and their event count (excludedUsersListSql). */
export interface ExcludedUserRow {
  user_id: string;
  events: number;
}
