import type { Boundary, GapHistogramRow, ThresholdCurveRow } from '../domain/types';
import type { SessionShape } from '../domain/suggest-threshold';
import { gapBins } from '../domain/gap-bins';
import { breakBoundUs } from '../domain/break-bound';
import { durationGapBin } from './session-figures';

/*
 * The threshold-independent views from the stats worker's gap column, once per load instead
 * of two DuckDB queries: the histogram of gaps and the sessions-vs-threshold curve. Each is
 * one pass over the gaps. They must equal gapHistogramSql and thresholdCurveSql exactly; the
 * tests check that.
 */

/** Counts of every gap bin (a user's first event, gap -1, has no gap). */
export function gapHistogram(gaps: Float64Array): GapHistogramRow[] {
  const bins = gapBins();
  const counts = new Float64Array(bins.length);
  for (let i = 0; i < gaps.length; i++) {
    const gap = gaps[i] as number;
    if (gap >= 0) {
      const bin = gap === 0 ? 0 : durationGapBin(gap);
      counts[bin] = (counts[bin] as number) + 1;
    }
  }
  return bins.map((b) => ({
    bin: b.bin,
    lowUs: b.lowUs,
    highUs: b.highUs,
    lowSeconds: b.lowUs / 1e6,
    highSeconds: b.highUs === null ? null : b.highUs / 1e6,
    count: counts[b.bin] as number,
  }));
}

/** Sums whole microseconds exactly: a double until it nears 2^53, then into a BigInt. */
class ExactSum {
  private high = 0n;
  private low = 0;
  /** `us`: a whole number, 0 <= us < 2^53. */
  add(us: number): void {
    if (this.low >= 2 ** 53 - us) {
      this.high += BigInt(this.low);
      this.low = 0;
    }
    this.low += us;
  }
  get value(): bigint {
    return this.high + BigInt(this.low);
  }
}

/**
 * `bounds` (ascending) after a -Infinity and padded with +Infinity to a power of two, for
 * reachedBound's search: a fixed number of halvings, with no end test, about twice as fast
 * as a plain binary search over a million gaps.
 */
function searchableBounds(bounds: readonly number[]): Float64Array {
  let size = 1;
  while (size < bounds.length + 1) size <<= 1;
  const padded = new Float64Array(size).fill(Infinity);
  padded[0] = -Infinity;
  padded.set(bounds, 1);
  return padded;
}

/** The largest i with bounds[i] <= gap, or -1 (`padded` from searchableBounds(bounds)). */
function reachedBound(padded: Float64Array, gap: number): number {
  let i = 0;
  for (let half = padded.length >> 1; half > 0; half >>= 1) if ((padded[i + half] as number) <= gap) i += half;
  return i - 1;
}

/**
 * Sessions and mean session duration for each threshold, by the gap rule alone: sessions(T)
 * = users + #(gap reaching T's bound), and a session's duration is the sum of its
 * within-session gaps, so mean(T) = Σ(gaps not reaching it) / sessions(T). Each gap is
 * counted at the largest bound it reaches; suffix sums then give every point.
 */
export function thresholdCurve(gaps: Float64Array, thresholdsUs: readonly number[], boundary: Boundary): ThresholdCurveRow[] {
  const sorted = [...new Set(thresholdsUs)].sort((a, b) => a - b);
  const bounds = searchableBounds(sorted.map((t) => breakBoundUs(t, boundary)));
  const reached = new Float64Array(sorted.length);
  const reachedUs = sorted.map(() => new ExactSum());
  const total = new ExactSum();
  let users = 0;
  for (let i = 0; i < gaps.length; i++) {
    const gap = gaps[i] as number;
    if (gap < 0) {
      users++;
      continue;
    }
    total.add(gap);
    const at = reachedBound(bounds, gap);
    if (at >= 0) {
      reached[at] = (reached[at] as number) + 1;
      (reachedUs[at] as ExactSum).add(gap);
    }
  }
  const points: ThresholdCurveRow[] = new Array(sorted.length);
  let breaks = 0;
  let breakUs = 0n;
  for (let i = sorted.length - 1; i >= 0; i--) {
    breaks += reached[i] as number;
    breakUs += (reachedUs[i] as ExactSum).value;
    const sessions = users + breaks;
    const t = sorted[i] as number;
    points[i] = {
      thresholdUs: t,
      thresholdMinutes: t / 60e6,
      sessions,
      meanDurationSeconds: sessions === 0 ? 0 : Number(total.value - breakUs) / sessions / 1e6,
    };
  }
  return points;
}

/**
 * Sessions and the share of single-event sessions under the gap rule alone (a gap equal to
 * the threshold starts a session) at each of a few thresholds, in one pass over the gaps
 * (the suggestion weighs each candidate by them: a pass per candidate cost as much again
 * each). An event starts a session at a user's first event (gap -1) or at a gap reaching
 * the threshold; a session is single-event when the next event, if any, starts one too.
 * Equals computeSummary's sessions and singleEventShare with NO_RULES.
 */
export function gapRuleShapes(gaps: Float64Array, thresholdsUs: readonly number[]): SessionShape[] {
  const bounds = Float64Array.from(thresholdsUs, (t) => breakBoundUs(t, 'ge'));
  const k = bounds.length;
  const sessions = new Float64Array(k);
  const singles = new Float64Array(k);
  const n = gaps.length;
  for (let i = 0; i < n; i++) {
    const gap = gaps[i] as number;
    const next = i + 1 < n ? (gaps[i + 1] as number) : -1;
    for (let j = 0; j < k; j++) {
      const bound = bounds[j] as number;
      if (gap >= 0 && gap < bound) continue;
      sessions[j] = (sessions[j] as number) + 1;
      if (next < 0 || next >= bound) singles[j] = (singles[j] as number) + 1;
    }
  }
  return Array.from(bounds, (_, j) => {
    const count = sessions[j] as number;
    return { sessions: count, singleEventShare: count === 0 ? 0 : (singles[j] as number) / count };
  });
}
