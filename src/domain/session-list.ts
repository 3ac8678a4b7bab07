/*
 * The session list and sessions-over-time views: what the page asks the stats worker for
 * and what it gets back. Plain data, so it crosses to the worker by structured clone.
 */

export type SessionSortKey = 'start' | 'duration' | 'events' | 'user';
export type SortDirection = 'asc' | 'desc';

export interface SessionFilter {
  /** Sessions of users whose id starts with this ('' = every user). */
  userPrefix: string;
  /** Sessions whose entry (exit) page contains this text ('' = any, even none). */
  entryPage: string;
  exitPage: string;
  /** Inclusive bounds; null = no bound. */
  minEvents: number | null;
  maxEvents: number | null;
  minDurationSeconds: number | null;
  maxDurationSeconds: number | null;
}

export const NO_SESSION_FILTER: SessionFilter = {
  userPrefix: '',
  entryPage: '',
  exitPage: '',
  minEvents: null,
  maxEvents: null,
  minDurationSeconds: null,
  maxDurationSeconds: null,
};

export interface SessionPageQuery {
  filter: SessionFilter;
  sort: SessionSortKey;
  direction: SortDirection;
  /** The first row wanted (0-based, in the sorted, filtered list) and how many. */
  offset: number;
  limit: number;
}

export interface SessionListRow {
  /** `<user_id>-<n>`, as the exports name it. */
  sessionId: string;
  userId: string;
  sessionNumber: number;
  startUs: number;
  endUs: number;
  events: number;
  /** The first and last url of the session that is there; null without one. */
  entryUrl: string | null;
  exitUrl: string | null;
}

export interface SessionPage {
  /** Sessions the filter leaves (all of them with no filter). */
  total: number;
  offset: number;
  rows: SessionListRow[];
}

/** Stable text of a filter and order, for cache keys and for telling stale pages apart. */
export function sessionListKey(q: Pick<SessionPageQuery, 'filter' | 'sort' | 'direction'>): string {
  const f = q.filter;
  return JSON.stringify([f.userPrefix, f.entryPage, f.exitPage, f.minEvents, f.maxEvents, f.minDurationSeconds, f.maxDurationSeconds, q.sort, q.direction]);
}

/** Per day, per hour, or hours when the sessions span less than AUTO_HOUR_SPAN_US. */
export type TimeBinChoice = 'auto' | 'day' | 'hour';
export type TimeBinUnit = 'day' | 'hour';

/** Below this span of session starts, 'auto' bins by hour. */
export const AUTO_HOUR_SPAN_US = 3 * 86_400e6;
/** Hour bins over a longer span would be thousands of bars: day bins are used, and the page says so. */
export const MAX_HOUR_SPAN_US = 31 * 86_400e6;

export interface SessionsOverTimeRow {
  /** `YYYY-MM-DD` or `YYYY-MM-DDTHH`, local to the zone. */
  bin: string;
  sessions: number;
}

export interface SessionsOverTime {
  timeZone: string;
  unit: TimeBinUnit;
  /** Hours were asked for but the span is too long for them. */
  hoursRefused: boolean;
  /** Every bin from the first session start's to the last's, empty ones included. */
  rows: SessionsOverTimeRow[];
}
