import type { Boundary } from './types';

/*
 * Session rules beyond the inactivity gap, as analytics products apply them. All are
 * optional; with every rule off the result is the plain rule (gap >= threshold).
 *
 * Applied in one pass per user, in time order. An event starts a new session when ANY of:
 *   1. it is the user's first event;
 *   2. its gap to the user's previous event reaches the threshold (>= by default, > with
 *      the `gt` boundary);
 *   3. maxDurationMinutes: it lies at or past the current session's start + the limit;
 *   4. maxEvents: the current session already holds that many events;
 *   5. midnight: its local calendar day (in `timeZone`) is later than the previous
 *      event's;
 *   6. splitColumn: its value in that column is non-empty and differs from the last
 *      non-empty value of that column in the current session.
 * Rules 3, 4 and 6 look at the session as cut so far, so they are evaluated after the
 * event before has been placed: a cut by any rule resets the start, the count and the
 * last value.
 */
export interface SessionRules {
  boundary: Boundary;
  maxDurationMinutes: number | null;
  maxEvents: number | null;
  /** IANA time zone for the midnight split, or null when off. */
  midnightTimeZone: string | null;
  /** Column whose change splits sessions, or null when off. */
  splitColumn: string | null;
}

export const NO_RULES: SessionRules = {
  boundary: 'ge',
  maxDurationMinutes: null,
  maxEvents: null,
  midnightTimeZone: null,
  splitColumn: null,
};

/** True when only the gap rule applies (the SQL window path serves it). */
export function onlyGapRule(rules: SessionRules): boolean {
  return rules.maxDurationMinutes === null && rules.maxEvents === null && rules.midnightTimeZone === null && rules.splitColumn === null;
}

/** Rules as compact text for cache keys and file names. */
export function rulesKey(rules: SessionRules): string {
  return JSON.stringify([rules.boundary, rules.maxDurationMinutes, rules.maxEvents, rules.midnightTimeZone, rules.splitColumn]);
}
