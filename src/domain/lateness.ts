import type { LatenessHistogramRow, LatenessScope, LatenessScopeFigures, LatenessSummary } from './types';

/* Figures the lateness panel shows from latenessSummarySql's and latenessHistogramSql's rows (src/sql/lateness-sql.ts). */

/** The bin of the events whose lateness is 0 (lowUs = highUs = 0). */
export const ON_TIME_BIN = -1;

/** The figures of one scope of a summary. */
export function latenessScopeFigures(summary: LatenessSummary, scope: LatenessScope): LatenessScopeFigures {
  const user = scope === 'user';
  return {
    outOfOrderEvents: user ? summary.userOutOfOrderEvents : summary.outOfOrderEvents,
    outOfOrderShare: user ? summary.userOutOfOrderShare : summary.outOfOrderShare,
    maxLatenessUs: user ? summary.userMaxLatenessUs : summary.maxLatenessUs,
    delays: [
      { keep: 0.99, delayUs: user ? summary.userDelay99Us : summary.delay99Us },
      { keep: 0.999, delayUs: user ? summary.userDelay999Us : summary.delay999Us },
      { keep: 1, delayUs: user ? summary.userDelay100Us : summary.delay100Us },
    ],
  };
}

/** Splits latenessHistogramSql's rows into the on-time count and the late bins. */
export function splitLatenessHistogram(rows: readonly LatenessHistogramRow[]): { onTime: number; late: LatenessHistogramRow[] } {
  return {
    onTime: rows.find((r) => r.bin === ON_TIME_BIN)?.count ?? 0,
    late: rows.filter((r) => r.bin !== ON_TIME_BIN),
  };
}
