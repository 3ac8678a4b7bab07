import { gapBinEdges } from '../domain/gap-bins';

/*
 * The aggregations behind the exploration charts, over the events table built by
 * createEventsTableSql (user_id, ts_us, url, gap_us; gap_us NULL for a user's first
 * event). The gap histogram, threshold curve and session distributions are computed by
 * the stats worker (src/stats); their SQL is the tests' oracle (src/test/sql-oracles.ts).
 * Per-user queries are in user-sql.ts (re-exported here).
 */

export * from './user-sql';

/**
 * The gap bin of a BIGINT column, exactly as gapBinOf: a binary search over the integer
 * edges written as nested CASEs (7 comparisons a row, no floating point).
 */
export function gapBinSql(column: string): string {
  const edges = gapBinEdges();
  const search = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = (lo + hi + 1) >> 1;
    return `CASE WHEN ${column} < ${edges[mid - 1]} THEN ${search(lo, mid - 1)} ELSE ${search(mid, hi)} END`;
  };
  return `(${search(0, edges.length)})`;
}
