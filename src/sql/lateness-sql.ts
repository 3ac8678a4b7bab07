import { LATENESS_KEEP_SHARES, type Boundary, type LatenessScope } from '../domain/types';
import { gapBins } from '../domain/gap-bins';
import { breakBoundUs } from '../domain/break-bound';
import { ON_TIME_BIN } from '../domain/lateness';
import { gapBinSql } from './explore-sql';
import { quoteIdent } from './quote';

/*
 * Late and out-of-order events, over the events table built by createEventsTableSql, when
 * the file's row order is its ARRIVAL order (row_number 1 arrived first). Only valid
 * events count: a skipped row never arrived as an event.
 *
 * Lateness of an event e (µs, ≥ 0):
 *   overall   max(0, max{ts of every event that arrived before e} − ts(e))
 *   per user  max(0, max{ts of the same user's events that arrived before e} − ts(e))
 * (0 for the first arrival). Both are a running maximum in arrival order minus ts: the
 * running maximum that includes e itself is max(earlier max, ts(e)), so subtracting ts(e)
 * gives exactly the max(0, …) above, with no special case for the first event.
 *
 * An event is "out of order" when its lateness is above 0. Equal timestamps are on time.
 * A watermark delay D (watermark = latest time seen − D) keeps e on time iff
 * lateness(e) ≤ D, so the smallest D keeping a share q of the events on time is the
 * discrete q-quantile of lateness (quantile_disc: the value at rank ceil(q·n) in sorted
 * order, checked against that definition in the tests).
 */

/**
 * Every event with its lateness: row_number, user_id, ts_us, lateness_us (overall),
 * user_lateness_us (per user), all BIGINT.
 */
export function latenessEventsSql(eventsTable: string): string {
  return `SELECT row_number, user_id, ts_us,
  max(ts_us) OVER (ORDER BY row_number ROWS UNBOUNDED PRECEDING) - ts_us AS lateness_us,
  max(ts_us) OVER (PARTITION BY user_id ORDER BY row_number ROWS UNBOUNDED PRECEDING) - ts_us AS user_lateness_us
FROM ${quoteIdent(eventsTable)}`;
}

const scopeColumn = (scope: LatenessScope) => (scope === 'user' ? 'user_lateness_us' : 'lateness_us');

/** One row (LatenessSummary); with no events every figure is 0. */
export function latenessSummarySql(eventsTable: string): string {
  const quantiles = `[${LATENESS_KEEP_SHARES.join(', ')}]`;
  return `WITH q AS (
  SELECT count(*) AS n,
    count(*) FILTER (WHERE lateness_us > 0) AS late,
    count(*) FILTER (WHERE user_lateness_us > 0) AS user_late,
    max(lateness_us) AS max_late, max(user_lateness_us) AS user_max_late,
    quantile_disc(lateness_us, ${quantiles}) AS d, quantile_disc(user_lateness_us, ${quantiles}) AS ud
  FROM (${latenessEventsSql(eventsTable)})
)
SELECT n::DOUBLE AS events,
  late::DOUBLE AS "outOfOrderEvents", coalesce(late / nullif(n, 0), 0)::DOUBLE AS "outOfOrderShare",
  user_late::DOUBLE AS "userOutOfOrderEvents", coalesce(user_late / nullif(n, 0), 0)::DOUBLE AS "userOutOfOrderShare",
  coalesce(max_late, 0)::DOUBLE AS "maxLatenessUs", coalesce(user_max_late, 0)::DOUBLE AS "userMaxLatenessUs",
  coalesce(d[1], 0)::DOUBLE AS "delay99Us", coalesce(d[2], 0)::DOUBLE AS "delay999Us", coalesce(d[3], 0)::DOUBLE AS "delay100Us",
  coalesce(ud[1], 0)::DOUBLE AS "userDelay99Us", coalesce(ud[2], 0)::DOUBLE AS "userDelay999Us", coalesce(ud[3], 0)::DOUBLE AS "userDelay100Us"
FROM q`;
}

/**
 * Events by lateness in the given scope: one row for the events on time (bin −1, lateness
 * 0), then every gap bin (src/domain/gap-bins.ts, counted exactly as gapHistogramSql
 * counts gaps) with the late events (lateness > 0) in it, zeros included. The counts
 * sum to the events.
 */
export function latenessHistogramSql(eventsTable: string, scope: LatenessScope): string {
  const column = scopeColumn(scope);
  const bins = [`(${ON_TIME_BIN}, 0, 0)`, ...gapBins().map((b) => `(${b.bin}, ${b.lowUs}, ${b.highUs ?? 'NULL'})`)].join(', ');
  return `WITH counts AS (
  SELECT bin, count(*) AS n FROM (
    SELECT CASE WHEN ${column} = 0 THEN ${ON_TIME_BIN} ELSE ${gapBinSql(column)} END AS bin
    FROM (${latenessEventsSql(eventsTable)})
  ) GROUP BY bin
)
SELECT b.bin::DOUBLE AS bin, b.low_us::DOUBLE AS "lowUs", b.high_us::DOUBLE AS "highUs",
  (b.low_us / 1e6)::DOUBLE AS "lowSeconds", (b.high_us / 1e6)::DOUBLE AS "highSeconds",
  coalesce(c.n, 0)::DOUBLE AS count
FROM (VALUES ${bins}) AS b(bin, low_us, high_us)
LEFT JOIN counts AS c ON c.bin = b.bin
ORDER BY b.bin`;
}

/** Validates an allowed lateness: a whole, non-negative number of microseconds. */
export function checkAllowedLatenessUs(allowedLatenessUs: number): number {
  if (!(Number.isSafeInteger(allowedLatenessUs) && allowedLatenessUs >= 0)) {
    throw new RangeError(`The allowed lateness must be a whole number of microseconds, 0 or more, got ${allowedLatenessUs}.`);
  }
  return allowedLatenessUs;
}

/**
 * A streaming sessionizer fed the events in arrival order, with a global watermark: when
 * an event arrives, watermark = (latest timestamp that arrived before it) − allowed
 * lateness. An event whose timestamp is below the watermark is DROPPED; that is exactly
 * overall lateness > allowed lateness (a dropped event never raises the latest time seen,
 * since it lies below it).
 *
 * reopened: kept events that arrive after a kept event of the same user with a strictly
 * later timestamp: the stream must insert them into that user's past (reopen, extend or
 * merge a session it may already have emitted) instead of appending.
 *
 * Sessions. Batch: every event, sorted, sessionized by the app's gap rule (as
 * sessionizedEventsSql; further session rules are not applied here). Stream: the kept
 * events alone, sessionized by the same rule with gaps between consecutive KEPT events of
 * a user, i.e. what an exact stream that handles every kept late event emits.
 *
 * A batch session DIFFERS when its set of events is not exactly the set of one streaming
 * session (it lost a dropped event, or was split, or is gone). Computed as: a batch
 * session differs iff it holds a dropped event. Proof of the "if all its events are kept,
 * it is a streaming session" half (the other half is plain: streaming sessions hold kept
 * events only). Per user in (ts_us, row_number) order, let B = b1 … bk be a batch session
 * with every event kept:
 *  - inside B consecutive events are consecutive kept events, so the streaming gaps are
 *    the batch gaps, below the threshold: no streaming session starts inside B;
 *  - b1 starts a streaming session: either no event precedes it, or the batch gap to the
 *    previous event p reaches the threshold, and the previous kept event is p or earlier,
 *    so the streaming gap is at least as long;
 *  - the next kept event after bk (if any) lies in a later batch session, at or after its
 *    first event c1, so its streaming gap from bk is at least ts(c1) − ts(bk), which
 *    reaches the threshold: it starts a new streaming session.
 * So the streaming session starting at b1 is exactly B. (Equivalently: compare the
 * (user, first row, last row, count) tuples of both results; the tests check the set
 * definition against a reference that compares the sets themselves.)
 */
export function watermarkSimulationSql(eventsTable: string, allowedLatenessUs: number, thresholdUs: number, boundary: Boundary): string {
  const allowed = checkAllowedLatenessUs(allowedLatenessUs);
  const bound = breakBoundUs(thresholdUs, boundary);
  const keptTs = 'CASE WHEN kept THEN ts_us END';
  const byTime = 'PARTITION BY user_id ORDER BY ts_us, row_number';
  return `SELECT count(*)::DOUBLE AS events,
  count(*) FILTER (WHERE NOT kept)::DOUBLE AS dropped,
  count(*) FILTER (WHERE reopens)::DOUBLE AS reopened,
  count(*) FILTER (WHERE batch_start)::DOUBLE AS "batchSessions",
  count(*) FILTER (WHERE stream_start)::DOUBLE AS "streamSessions",
  count(DISTINCT (user_id, batch_session)) FILTER (WHERE NOT kept)::DOUBLE AS "sessionsDiffering"
FROM (
  SELECT user_id, kept,
    kept AND max(${keptTs}) OVER (PARTITION BY user_id ORDER BY row_number ROWS UNBOUNDED PRECEDING) > ts_us AS reopens,
    kept AND coalesce(ts_us - max(${keptTs}) OVER (${byTime} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) >= ${bound}, true) AS stream_start,
    gap_us IS NULL OR gap_us >= ${bound} AS batch_start,
    sum(CASE WHEN gap_us IS NULL OR gap_us >= ${bound} THEN 1 ELSE 0 END) OVER (${byTime} ROWS UNBOUNDED PRECEDING) AS batch_session
  FROM (
    SELECT row_number, user_id, ts_us, gap_us,
      max(ts_us) OVER (ORDER BY row_number ROWS UNBOUNDED PRECEDING) - ts_us <= ${allowed} AS kept
    FROM ${quoteIdent(eventsTable)}
  )
)`;
}
