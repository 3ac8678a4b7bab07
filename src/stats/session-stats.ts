import type { Boundary, GapColumns, SessionStats } from '../domain/types';
import { NO_RULES, onlyGapRule, type SessionRules } from '../domain/rules';
import { sessionFigures } from './session-figures';

/*
 * The threshold-dependent figures from two columns held in typed arrays, so that a slider
 * step is one tight loop instead of a window query: each event's gap to the same user's
 * previous event (-1 for a user's first event) and its instant, both in microseconds and
 * in the events table's order (user, time). Must agree exactly with sessionStatsSql; the
 * tests check that on random data.
 */

/** Per-event inputs that only some rules need, in the events table's order. */
export interface RuleInputs {
  /** Local calendar day index of each event (midnight rule). */
  localDays: Int32Array | null;
  /** Dictionary code of each event's split-column value, -1 when empty (split rule). */
  splitCodes: Int32Array | null;
}

const NO_INPUTS: RuleInputs = { localDays: null, splitCodes: null };

/**
 * 1 where an event starts a session, in one pass in the events table's order: the rules
 * of src/domain/rules.ts, each cut resetting the session's start, count and last value.
 */
export function markSessionStarts(
  { gaps, times }: GapColumns,
  thresholdUs: number,
  rules: SessionRules,
  inputs: RuleInputs = NO_INPUTS,
  /** A buffer of the events' length to fill instead of allocating one (every entry is written). */
  out?: Uint8Array,
): Uint8Array {
  const n = gaps.length;
  const starts = out && out.length === n ? out : new Uint8Array(n);
  const ge = rules.boundary === 'ge';
  const maxDurationUs = rules.maxDurationMinutes === null ? Infinity : Math.round(rules.maxDurationMinutes * 60_000_000);
  const maxEvents = rules.maxEvents ?? Infinity;
  const days = rules.midnightTimeZone === null ? null : inputs.localDays;
  const codes = rules.splitColumn === null ? null : inputs.splitCodes;
  if (rules.midnightTimeZone !== null && !days) throw new Error('the midnight rule needs local days');
  if (rules.splitColumn !== null && !codes) throw new Error('the split rule needs the column values');
  if (onlyGapRule(rules)) {
    // The common case as a loop without the other rules' bookkeeping.
    for (let i = 0; i < n; i++) {
      const gap = gaps[i] as number;
      starts[i] = gap < 0 || (ge ? gap >= thresholdUs : gap > thresholdUs) ? 1 : 0;
    }
    return starts;
  }
  let sessionStart = 0;
  let count = 0;
  let lastCode = -1;
  for (let i = 0; i < n; i++) {
    const gap = gaps[i] as number;
    const t = times[i] as number;
    const code = codes ? (codes[i] as number) : -1;
    const first = gap < 0;
    const cut =
      first ||
      (ge ? gap >= thresholdUs : gap > thresholdUs) ||
      t - sessionStart >= maxDurationUs ||
      count >= maxEvents ||
      (days !== null && (days[i] as number) > (days[i - 1] as number)) ||
      (code >= 0 && lastCode >= 0 && code !== lastCode);
    if (cut) {
      starts[i] = 1;
      sessionStart = t;
      count = 0;
      lastCode = -1;
    } else {
      starts[i] = 0;
    }
    count++;
    if (code >= 0) lastCode = code;
  }
  return starts;
}

export interface SessionSummary {
  sessions: number;
  meanDurationSeconds: number;
  singleEventShare: number;
}

/** What a summary counts: sessions, single-event sessions and the sum of their durations (µs). */
export interface SummaryCounts {
  sessions: number;
  singles: number;
  durationUs: number;
}

/** The counts of the sessions `starts` marks, in one pass without arrays. */
export function summaryCountsFromStarts(times: Float64Array, starts: Uint8Array): SummaryCounts {
  let sessions = 0;
  let durationUs = 0;
  let singles = 0;
  let start = 0;
  let count = 0;
  for (let i = 0; i < times.length; i++) {
    if (starts[i] === 1) {
      if (count > 0) {
        durationUs += (times[i - 1] as number) - start;
        if (count === 1) singles++;
        sessions++;
      }
      start = times[i] as number;
      count = 0;
    }
    count++;
  }
  if (count > 0) {
    durationUs += (times[times.length - 1] as number) - start;
    if (count === 1) singles++;
    sessions++;
  }
  return { sessions, singles, durationUs };
}

/**
 * The counts of two sets of users' sessions together. Durations are whole µs: their sum is
 * exact in any order below 2^53 µs (285 years), so parts add up to what one pass gives.
 */
export function addSummaryCounts(a: SummaryCounts, b: SummaryCounts): SummaryCounts {
  return { sessions: a.sessions + b.sessions, singles: a.singles + b.singles, durationUs: a.durationUs + b.durationUs };
}

export function summaryOfCounts({ sessions, singles, durationUs }: SummaryCounts): SessionSummary {
  return sessions === 0
    ? { sessions: 0, meanDurationSeconds: 0, singleEventShare: 0 }
    : { sessions, meanDurationSeconds: durationUs / sessions / 1e6, singleEventShare: singles / sessions };
}

/** The figures the product comparison shows, in one pass without arrays. */
export function summaryFromStarts(times: Float64Array, starts: Uint8Array): SessionSummary {
  return summaryOfCounts(summaryCountsFromStarts(times, starts));
}

/** Session numbers (1, 2, ... per user) from the starts; a user's first event is always a start. */
export function sessionNumbers(gaps: Float64Array, starts: Uint8Array): Int32Array {
  const numbers = new Int32Array(gaps.length);
  let current = 0;
  for (let i = 0; i < gaps.length; i++) {
    if ((gaps[i] as number) < 0) current = 0;
    if (starts[i] === 1) current++;
    numbers[i] = current;
  }
  return numbers;
}

export function computeSessionStats(columns: GapColumns, thresholdUs: number, rules: SessionRules | Boundary, inputs: RuleInputs = NO_INPUTS): SessionStats {
  const full = typeof rules === 'string' ? { ...NO_RULES, boundary: rules } : rules;
  return sessionFigures(columns.times, markSessionStarts(columns, thresholdUs, full, inputs), columns.users, null).stats;
}
