import type { Boundary } from '../domain/types';
import { quoteIdent } from './quote';

/*
 * Sessionization over the events table built by createEventsTableSql. An event starts a
 * session when it is the user's first (gap_us IS NULL) or when its gap reaches the
 * threshold: `>=` by the rule, `>` only where a product's convention asks for it.
 * Equal timestamps have gap 0, which never reaches a positive threshold.
 */

export interface SessionizeSpec {
  eventsTable: string;
  /** The inactivity threshold in whole microseconds; must be positive. */
  thresholdUs: number;
  boundary: Boundary;
  /**
   * A table of (row_number, session_number) computed with further session rules (see
   * src/domain/rules.ts). When given, it replaces the gap-only numbering.
   */
  sessionTable?: string | null;
}

/** True where an event starts a session by the gap rule; `gapColumn` names the event's gap. */
export function startsSessionSql({ thresholdUs, boundary }: Pick<SessionizeSpec, 'thresholdUs' | 'boundary'>, gapColumn = 'gap_us'): string {
  if (!(Number.isSafeInteger(thresholdUs) && thresholdUs > 0)) {
    throw new RangeError(`The threshold must be a positive whole number of microseconds, got ${thresholdUs}.`);
  }
  const op = boundary === 'gt' ? '>' : '>=';
  return `(${gapColumn} IS NULL OR ${gapColumn} ${op} ${thresholdUs})`;
}

/** Every event with its session_number (1, 2, ... per user in time order). */
export function sessionizedEventsSql(spec: SessionizeSpec): string {
  if (spec.sessionTable) {
    return `SELECT e.row_number, e.user_id, e.ts_us, e.url, e.gap_us, CAST(s.session_number AS BIGINT) AS session_number
FROM ${quoteIdent(spec.eventsTable)} AS e JOIN ${quoteIdent(spec.sessionTable)} AS s ON s.row_number = e.row_number`;
  }
  return `SELECT row_number, user_id, ts_us, url, gap_us,
  sum(CASE WHEN ${startsSessionSql(spec)} THEN 1 ELSE 0 END)
    OVER (PARTITION BY user_id ORDER BY ts_us, row_number ROWS UNBOUNDED PRECEDING) AS session_number
FROM ${quoteIdent(spec.eventsTable)}`;
}

/** One row per session: user, number, first and last instant, event count, first and last url. */
export function sessionsSql(spec: SessionizeSpec): string {
  return `SELECT user_id, session_number,
  min(ts_us) AS start_us, max(ts_us) AS end_us, count(*) AS event_count,
  arg_min(url, (ts_us, row_number)) AS first_url, arg_max(url, (ts_us, row_number)) AS last_url
FROM (${sessionizedEventsSql(spec)})
GROUP BY user_id, session_number`;
}

/** The figures that depend on the threshold, in one row. */
export function sessionStatsSql(spec: SessionizeSpec): string {
  return `WITH s AS (
  SELECT user_id, session_number, max(ts_us) - min(ts_us) AS duration_us, count(*) AS event_count
  FROM (${sessionizedEventsSql(spec)})
  GROUP BY user_id, session_number
)
SELECT
  count(*)::DOUBLE AS sessions,
  coalesce(count(*) / nullif(count(DISTINCT user_id), 0), 0)::DOUBLE AS "sessionsPerUser",
  coalesce(median(duration_us) / 1e6, 0)::DOUBLE AS "medianDurationSeconds",
  coalesce(avg(duration_us) / 1e6, 0)::DOUBLE AS "meanDurationSeconds",
  coalesce(median(event_count), 0)::DOUBLE AS "medianEventsPerSession",
  coalesce(avg(CASE WHEN event_count = 1 THEN 1 ELSE 0 END), 0)::DOUBLE AS "singleEventShare"
FROM s`;
}
