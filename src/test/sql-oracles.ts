import type { Boundary, EventColumns, SessionDistributionRow, SessionViewRow, TopPageRow } from '../domain/types';
import { gapBins } from '../domain/gap-bins';
import { EVENTS_PER_SESSION_BINS } from '../domain/session-bins';
import { breakBoundUs, checkThresholdUs } from '../domain/break-bound';
import { gapBinSql } from '../sql/explore-sql';
import { quoteIdent } from '../sql/quote';
import { sessionsSql, type SessionizeSpec } from '../sql/sessionize-sql';

/*
 * Oracles: SQL the app no longer sends. The stats worker computes the gap histogram, the
 * threshold curve and the session distributions from typed arrays (src/stats/gap-views.ts,
 * session-figures.ts); the tests check it against these queries over the same events
 * table, and check these queries against the reference sessionizer (src/sql/explore-sql.test.ts).
 */

const table = quoteIdent;

const nonNegativeInt = (n: number) => Math.max(0, Math.floor(n));

/** VALUES rows (bin, low_us, high_us) of every gap bin. */
function gapBinValuesSql(): string {
  return gapBins()
    .map((b) => `(${b.bin}, ${b.lowUs}, ${b.highUs ?? 'NULL'})`)
    .join(', ');
}

/** Counts of non-null gaps in every gap bin (zeros included); they sum to events − users. */
export function gapHistogramSql(eventsTable: string): string {
  return `WITH counts AS (
  SELECT bin, count(*) AS n FROM (SELECT ${gapBinSql('gap_us')} AS bin FROM ${table(eventsTable)} WHERE gap_us IS NOT NULL)
  GROUP BY bin
)
SELECT b.bin::DOUBLE AS bin, b.low_us::DOUBLE AS "lowUs", b.high_us::DOUBLE AS "highUs",
  (b.low_us / 1e6)::DOUBLE AS "lowSeconds", (b.high_us / 1e6)::DOUBLE AS "highSeconds",
  coalesce(c.n, 0)::DOUBLE AS count
FROM (VALUES ${gapBinValuesSql()}) AS b(bin, low_us, high_us)
LEFT JOIN counts AS c ON c.bin = b.bin
ORDER BY b.bin`;
}

/**
 * Sessions and mean session duration for each threshold, in one pass over the gaps:
 * sessions(T) = users + #(gap ≥ T), and a session's duration is the sum of its
 * within-session gaps, so mean(T) = Σ(gap < T) / sessions(T). Each gap is assigned (ASOF
 * join) to the largest threshold it reaches; suffix sums over the thresholds then give
 * every point at once. Thresholds are whole µs; duplicates are dropped.
 */
export function thresholdCurveSql(eventsTable: string, thresholdsUs: readonly number[], boundary: Boundary = 'ge'): string {
  const sorted = [...new Set(thresholdsUs.map(checkThresholdUs))].sort((a, b) => a - b);
  if (sorted.length === 0) throw new RangeError('The threshold curve needs at least one threshold.');
  const values = sorted.map((t, i) => `(${i}, ${t}::BIGINT, ${breakBoundUs(t, boundary)}::BIGINT)`).join(', ');
  return `WITH t(i, t_us, bound_us) AS (VALUES ${values}),
reached AS (
  SELECT t.i, count(*) AS n, sum(g.gap_us) AS total_us
  FROM (SELECT gap_us FROM ${table(eventsTable)} WHERE gap_us IS NOT NULL) AS g
  ASOF JOIN t ON g.gap_us >= t.bound_us
  GROUP BY t.i
),
totals AS (
  SELECT count(*) FILTER (WHERE gap_us IS NULL) AS users, coalesce(sum(gap_us), 0) AS gap_total_us
  FROM ${table(eventsTable)}
),
points AS (
  SELECT t.i, t.t_us, totals.users, totals.gap_total_us,
    coalesce(sum(r.n) OVER (ORDER BY t.i DESC ROWS UNBOUNDED PRECEDING), 0) AS breaks,
    coalesce(sum(r.total_us) OVER (ORDER BY t.i DESC ROWS UNBOUNDED PRECEDING), 0) AS break_total_us
  FROM t LEFT JOIN reached AS r ON r.i = t.i CROSS JOIN totals
)
SELECT t_us::DOUBLE AS "thresholdUs", (t_us / 60e6)::DOUBLE AS "thresholdMinutes",
  (users + breaks)::DOUBLE AS sessions,
  coalesce((gap_total_us - break_total_us) / nullif(users + breaks, 0) / 1e6, 0)::DOUBLE AS "meanDurationSeconds"
FROM points ORDER BY i`;
}

/**
 * The session distributions (duration in gap bins, seconds; events per session; every bin
 * with its count) and, when pagesLimit > 0, the pagesLimit most frequent entry and exit
 * urls, from one sessionization pass. Entry and exit are sessionsSql's first_url and
 * last_url (first and last non-NULL url, as in the sessions export); NULL: no url at all.
 */
export function sessionViewsSql(spec: SessionizeSpec, pagesLimit: number): string {
  const pages = nonNegativeInt(pagesLimit);
  const eventsBin = EVENTS_PER_SESSION_BINS.map((b, i) => (b.high === null ? `ELSE ${i}` : `WHEN n <= ${b.high} THEN ${i}`)).join(' ');
  const bins = [
    ...gapBins().map((b) => `('duration', ${b.bin}, ${b.lowUs / 1e6}, ${b.highUs === null ? 'NULL' : b.highUs / 1e6})`),
    ...EVENTS_PER_SESSION_BINS.map((b, i) => `('events', ${i}, ${b.low}, ${b.high ?? 'NULL'})`),
  ];
  const pageRows =
    pages > 0
      ? `
UNION ALL
SELECT kind, -1, NULL, NULL, url, sessions FROM (${rankedPagesSql(pages)})`
      : '';
  return `WITH s AS MATERIALIZED (
  SELECT end_us - start_us AS d, event_count AS n${pages > 0 ? ', first_url AS entry_url, last_url AS exit_url' : ''}
  FROM (${sessionsSql(spec)})
),
counts AS (
  SELECT 'duration' AS kind, bin, count(*) AS c FROM (SELECT ${gapBinSql('d')} AS bin FROM s) GROUP BY bin
  UNION ALL
  SELECT 'events', bin, count(*) FROM (SELECT CASE ${eventsBin} END AS bin FROM s) GROUP BY bin
)
SELECT * FROM (
SELECT b.kind, b.bin::DOUBLE AS bin, b.low::DOUBLE AS low, b.high::DOUBLE AS high, CAST(NULL AS VARCHAR) AS url,
  coalesce(c.c, 0)::DOUBLE AS count
FROM (VALUES ${bins.join(', ')}) AS b(kind, bin, low, high)
LEFT JOIN counts AS c ON c.kind = b.kind AND c.bin = b.bin${pageRows}
) ORDER BY kind, bin, count DESC, url NULLS LAST`;
}

/** The `limit` most frequent entry and exit urls of the sessions in CTE `s` (kind, url, sessions, rank). */
function rankedPagesSql(limit: number): string {
  return `SELECT kind, url, n::DOUBLE AS sessions, rank FROM (
  SELECT *, row_number() OVER (PARTITION BY kind ORDER BY n DESC, url NULLS LAST) AS rank FROM (
    SELECT 'entry' AS kind, entry_url AS url, count(*) AS n FROM s GROUP BY entry_url
    UNION ALL
    SELECT 'exit', exit_url, count(*) FROM s GROUP BY exit_url
  )
) WHERE rank <= ${nonNegativeInt(limit)}`;
}

/** Splits sessionViewsSql's rows into the distributions and the top pages. */
export function splitSessionViews(rows: readonly SessionViewRow[]): { distribution: SessionDistributionRow[]; pages: TopPageRow[] } {
  const distribution: SessionDistributionRow[] = [];
  const pages: TopPageRow[] = [];
  for (const r of rows) {
    if (r.kind === 'entry' || r.kind === 'exit') pages.push({ kind: r.kind, url: r.url, sessions: r.count });
    else distribution.push({ kind: r.kind, bin: r.bin, low: r.low ?? 0, high: r.high, count: r.count });
  }
  return { distribution, pages };
}

/** The `limit` most frequent entry and exit urls alone (sessionViewsSql gives them with the distributions). */
export function topPagesSql(spec: SessionizeSpec, limit: number): string {
  return `WITH s AS MATERIALIZED (SELECT first_url AS entry_url, last_url AS exit_url FROM (${sessionsSql(spec)}))
SELECT kind, url, sessions FROM (${rankedPagesSql(limit)}) ORDER BY kind, rank`;
}

/**
 * One row, { checksum }: a sum over the events of (gap % 100003) * (row % 1009) +
 * (ts % 100003) * (row % 1013), with a user's first gap (NULL) as -1; eventsChecksum
 * computes the same number from the stats worker's columns, so the tests compare the quick
 * read's events with DuckDB's. Exact as a DOUBLE up to 10M events (each term is below
 * 2.1e8); % truncates toward zero here as in JavaScript.
 */
export function eventsChecksumSql(eventsTable: string): string {
  return `SELECT coalesce(sum((coalesce(gap_us, -1) % 100003) * (row_number % 1009) + (ts_us % 100003) * (row_number % 1013)), 0)::DOUBLE AS checksum
FROM ${quoteIdent(eventsTable)}`;
}

/** eventsChecksumSql's number from the stats worker's columns. */
export function eventsChecksum(events: EventColumns): number {
  const { gaps, times, rows } = events;
  let sum = 0;
  for (let i = 0; i < gaps.length; i++) {
    const row = rows[i] as number;
    sum += ((gaps[i] as number) % 100003) * (row % 1009) + ((times[i] as number) % 100003) * (row % 1013);
  }
  return sum;
}
