import type { UserSessionRow, UserSummaryRow } from './types';

/*
 * The time range a user's timeline shows: all of the user's activity, or one session when
 * zoomed, with a margin so that a single-instant session still has a width. The caller
 * asks userEventMarksSql for exactly this range, so marks and axis always agree.
 */

/** Event marks per timeline: one per slice of the axis, about one per pixel column. */
export const TIMELINE_COLUMNS = 600;
/** Rows per page of the zoomed session's event table. */
export const TIMELINE_EVENTS_PAGE = 100;

export interface TimeRange {
  fromUs: number;
  toUs: number;
}

export function timelineRange(summary: UserSummaryRow, sessions: readonly UserSessionRow[], selected: number | null): TimeRange {
  const session = selected === null ? undefined : sessions.find((s) => s.sessionNumber === selected);
  const [from, to] = session ? [session.startUs, session.endUs] : [summary.firstUs, summary.lastUs];
  const margin = Math.max(1_000_000, Math.round((to - from) * 0.03));
  return { fromUs: Math.floor(from - margin), toUs: Math.ceil(to + margin) };
}
