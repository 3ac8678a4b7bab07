import type { Boundary, SessionStats } from '../domain/types';

/*
 * The threshold-dependent figures from two columns held in typed arrays, so that a slider
 * step is one tight loop instead of a window query: each event's gap to the same user's
 * previous event (-1 for a user's first event) and its instant, both in microseconds and
 * in the events table's order (user, time). Must agree exactly with sessionStatsSql; the
 * tests check that on random data.
 */

export interface GapColumns {
  /** Microseconds since the user's previous event; -1 marks a user's first event. */
  gaps: Float64Array;
  /** The event's instant in microseconds (exact: below 2^53). */
  times: Float64Array;
  users: number;
}

/** Median as DuckDB computes it (quantile_cont 0.5): the mean of the middle two for an even count. */
export function median(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return 0;
  const upper = quickselect(values, n >> 1);
  if (n % 2 === 1) return upper;
  // After quickselect every value left of n/2 is <= upper: the lower middle is their maximum.
  let lower = -Infinity;
  for (let i = 0; i < n >> 1; i++) if ((values[i] as number) > lower) lower = values[i] as number;
  return (lower + upper) / 2;
}

/** The k-th smallest value (0-based); reorders `a` in place (Hoare selection). */
function quickselect(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    const pivot = a[(left + right) >> 1] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return a[k] as number;
}

export function computeSessionStats({ gaps, times, users }: GapColumns, thresholdUs: number, boundary: Boundary): SessionStats {
  const n = gaps.length;
  const durations = new Float64Array(n);
  const counts = new Float64Array(n);
  let sessions = 0;
  let start = 0;
  let count = 0;
  let durationSum = 0;
  let singles = 0;
  const close = (end: number) => {
    const duration = end - start;
    durations[sessions] = duration;
    counts[sessions] = count;
    durationSum += duration;
    if (count === 1) singles++;
    sessions++;
  };
  for (let i = 0; i < n; i++) {
    const gap = gaps[i] as number;
    const starts = gap < 0 || (boundary === 'ge' ? gap >= thresholdUs : gap > thresholdUs);
    if (starts) {
      if (count > 0) close(times[i - 1] as number);
      start = times[i] as number;
      count = 0;
    }
    count++;
  }
  if (count > 0) close(times[n - 1] as number);
  if (sessions === 0) {
    return { sessions: 0, sessionsPerUser: 0, medianDurationSeconds: 0, meanDurationSeconds: 0, medianEventsPerSession: 0, singleEventShare: 0 };
  }
  return {
    sessions,
    sessionsPerUser: users > 0 ? sessions / users : 0,
    medianDurationSeconds: median(durations.subarray(0, sessions)) / 1e6,
    meanDurationSeconds: durationSum / sessions / 1e6,
    medianEventsPerSession: median(counts.subarray(0, sessions)),
    singleEventShare: singles / sessions,
  };
}
