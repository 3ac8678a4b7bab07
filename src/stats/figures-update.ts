import type { Boundary, GapColumns, SessionStats, UrlColumn } from '../domain/types';
import {
  type FiguresScratch,
  COUNTED_EVENTS,
  DURATION_CARRY,
  DURATION_BINS,
  durationBin,
  durationRankBin,
  figuresOfTallies,
  type SessionTallies,
  type SessionViews,
} from './session-figures';
import { BinDurations, gatherByPosition, gatherInOrder, kthOfMultiset, NOT_START } from './bin-durations';
import { runSteps, type Steps } from './steps';
import { gapIndexSteps, gapKey, inPositionOrder, type GapIndex } from './gap-index';

/*
 * The gap rule's figures at a new threshold from those at the last one. Moving the threshold
 * from T1 to T2 changes the cuts only at the gaps between the two, a small share of the
 * events for a slider step: the sessions around those gaps are taken out of the tallies and
 * the sessions they become put back in, instead of a pass over all the events. A slider
 * step of a minute takes 0.3-12 ms at 10M events and 0.5-28 ms at 30M, against 120 and
 * 400 ms for the pass (bench/figures-update.mjs); a jump re-cutting up to a third of the
 * events is an update too, its gaps visited in position order. The results equal
 * sessionFigures exactly; the tests check it after random sequences of thresholds.
 *
 * Memory beyond the columns: 1 byte per event (each position's session start and duration
 * bin), 4 per event with a gap (gap-index.ts, built in the background after the first
 * answer), 1 bit per event (the position order's bitset), and the durations of the one or two bins the median duration fell in last
 * (BinDurations, 8 bytes a session of those bins) so that the next median needs no scan.
 */

/** Whether a gap starts a session at a threshold (a user's first event, gap -1, always does). */
const cuts = (gap: number, thresholdUs: number, ge: boolean) => gap < 0 || (ge ? gap >= thresholdUs : gap > thresholdUs);

/**
 * Above this share of the events with a gap between the two thresholds, a full pass is
 * cheaper. Visited in position order (inPositionOrder), a gap's re-cut costs tens of ns, not
 * the 0.5-1.5 µs of scattered reads: at 10M events (bench/figures-update.mjs --sweep --share)
 * re-cutting 11% of the events (0.1 → 0.183 min) took half the pass's time, 15-27% about
 * 0.6×, and 81% (10,080 → 0.1 min) 1.1×.
 */
const MAX_TOGGLED_SHARE = 1 / 3;

/**
 * Above this share of the events toggled, the bins a median fell in are dropped rather than
 * kept up to date (each change a value into a list settled later): gathering them again by
 * position (gatherByPosition) is cheaper then.
 */
const KEPT_TOGGLED_SHARE = 1 / 32;

export interface GapRuleFigures {
  /**
   * The figures of the gap rule alone at a threshold (sessionFigures with GapCuts).
   * `scratch` (optional; reused between calls, as sessionFigures's): a full pass writes
   * each session's duration there in order, so its median gathers from 2.4M sessions at
   * 10M events rather than from 10M positions.
   */
  at(thresholdUs: number, boundary: Boundary, scratch?: FiguresScratch): { stats: SessionStats; views: SessionViews };
  /**
   * Builds the index that updates go through, to run in the background after the first
   * answer (until it is built, an update is a full pass; `at` builds it at once if no one
   * asked); null once built or under way. `wanted` false ends it early.
   */
  indexSteps(wanted: () => boolean): Steps<void> | null;
}

/** The gap rule's figures over `columns` and `url`, each answer updated from the last. */
export function gapRuleFigures(columns: GapColumns, url: UrlColumn | null, maxToggledShare = MAX_TOGGLED_SHARE): GapRuleFigures {
  const { gaps, times, users } = columns;
  const n = gaps.length;
  const codes = url?.codes ?? null;
  // Each position's selection bin (durationBin) when a session starts there, else NOT_START;
  // padded with NOT_START to whole words for the median's scan.
  const binAt = new Uint8Array((n + 3) & ~3);
  const words = new Uint32Array(binAt.buffer);
  let index: GapIndex | 'building' | null = null;
  /** One bit per event, for visiting an update's gaps in position order (inPositionOrder). */
  let bits: Int32Array | null = null;
  // The durations of the last two selection bins a median fell in (the middle two of an even count may straddle two).
  let kept: BinDurations[] = [];
  let keptBinA = -1;
  let keptBinB = -1;
  let last: { thresholdUs: number; ge: boolean } | null = null;
  const tallies: SessionTallies = {
    sessions: 0,
    binCounts: new Float64Array(DURATION_BINS),
    countHistogram: new Float64Array(COUNTED_EVENTS + 1),
    longerCount: 0,
    durationSum: 0,
    durationCarries: 0,
    singles: 0,
    entries: new Int32Array(url ? url.labels.length + 1 : 0),
    exits: new Int32Array(url ? url.labels.length + 1 : 0),
  };
  /** Multiplicity of each event count above COUNTED_EVENTS. */
  const longer = new Map<number, number>();

  /**
   * Adds (sign 1) or takes out (-1) the session of events [first, end); returns its selection
   * bin. `knownBin`: that bin when known (a session taken out has it in binAt), else -1.
   */
  function tally(first: number, end: number, sign: number, knownBin: number): number {
    const count = end - first;
    const duration = (times[end - 1] as number) - (times[first] as number);
    const bin = knownBin >= 0 ? knownBin : durationBin(duration);
    tallies.sessions += sign;
    tallies.binCounts[bin] = (tallies.binCounts[bin] as number) + sign;
    let sum = tallies.durationSum + sign * duration;
    if (sum >= DURATION_CARRY) {
      sum -= DURATION_CARRY;
      tallies.durationCarries++;
    } else if (sum < 0) {
      sum += DURATION_CARRY;
      tallies.durationCarries--;
    }
    tallies.durationSum = sum;
    if (bin === keptBinA || bin === keptBinB) keep(bin, duration, sign);
    if (count === 1) tallies.singles += sign;
    if (count <= COUNTED_EVENTS) tallies.countHistogram[count] = (tallies.countHistogram[count] as number) + sign;
    else {
      const multiplicity = (longer.get(count) ?? 0) + sign;
      if (multiplicity === 0) longer.delete(count);
      else longer.set(count, multiplicity);
      tallies.longerCount += sign;
    }
    if (codes) countPages(codes, first, end, sign);
    return bin;
  }

  /** Counts (sign 1) or discounts (-1) the entry and exit url of the session of events [first, end). */
  function countPages(codes: Int32Array, first: number, end: number, sign: number): void {
    let entry = first;
    while (entry < end && (codes[entry] as number) < 0) entry++;
    let exit = end - 1;
    while (exit > entry && (codes[exit] as number) < 0) exit--;
    const entryCode = entry < end ? (codes[entry] as number) : -1;
    const exitCode = entry < end ? (codes[exit] as number) : -1;
    tallies.entries[entryCode + 1] = (tallies.entries[entryCode + 1] as number) + sign;
    tallies.exits[exitCode + 1] = (tallies.exits[exitCode + 1] as number) + sign;
  }

  function keep(bin: number, duration: number, sign: number): void {
    for (const k of kept) if (k.bin === bin) sign > 0 ? k.add(duration) : k.remove(duration);
  }

  function setKept(bins: BinDurations[]): void {
    kept = bins;
    keptBinA = bins[0]?.bin ?? -1;
    keptBinB = bins[1]?.bin ?? -1;
  }

  /** Every session from scratch (the first answer, and past MAX_TOGGLED_SHARE). */
  function fullPass(thresholdUs: number, ge: boolean, scratch: FiguresScratch | null): void {
    setKept([]);
    const { binCounts, countHistogram } = tallies;
    binCounts.fill(0);
    countHistogram.fill(0);
    tallies.entries.fill(0);
    tallies.exits.fill(0);
    longer.clear();
    binAt.fill(NOT_START);
    // tally's work with the sums in locals: as fast as sessionFigures's pass.
    let sessions = 0;
    let longerCount = 0;
    let durationSum = 0;
    let durationCarries = 0;
    let singles = 0;
    let first = 0;
    for (let end = 1; end <= n; end++) {
      if (end < n && !cuts(gaps[end] as number, thresholdUs, ge)) continue;
      const count = end - first;
      const duration = (times[end - 1] as number) - (times[first] as number);
      const bin = durationBin(duration);
      binAt[first] = bin;
      if (scratch) {
        scratch.durations[sessions] = duration;
        scratch.durationBins[sessions] = bin;
      }
      binCounts[bin] = (binCounts[bin] as number) + 1;
      durationSum += duration;
      if (durationSum >= DURATION_CARRY) {
        durationSum -= DURATION_CARRY;
        durationCarries++;
      }
      if (count === 1) singles++;
      if (count <= COUNTED_EVENTS) countHistogram[count] = (countHistogram[count] as number) + 1;
      else {
        longer.set(count, (longer.get(count) ?? 0) + 1);
        longerCount++;
      }
      if (codes) countPages(codes, first, end, 1);
      sessions++;
      first = end;
    }
    Object.assign(tallies, { sessions, longerCount, durationSum, durationCarries, singles });
  }

  /**
   * Re-cuts the events between the nearest positions before and after `at` that start a
   * session at both thresholds (`stayBound`, the stricter one, and its boundary): one session
   * at the stricter threshold, several at the looser. `merge`: the new threshold is the
   * stricter (its one session replaces the old ones), else the old one is (its session is
   * split). Returns where the region ends. A start at the stricter threshold is one at the
   * looser too, so binAt (the old starts) finds the region's ends and the old sessions
   * without reading the gaps in between.
   */
  function recut(at: number, merge: boolean, stayBound: number, stayGe: boolean, thresholdUs: number, ge: boolean): number {
    let a = at - 1;
    while (a > 0 && (binAt[a] === NOT_START || !cuts(gaps[a] as number, stayBound, stayGe))) a--;
    let b = at + 1;
    while (b < n && (binAt[b] === NOT_START || !cuts(gaps[b] as number, stayBound, stayGe))) b++;
    if (merge) {
      let first = a;
      for (let end = a + 1; end <= b; end++) {
        if (end < b && binAt[end] === NOT_START) continue;
        tally(first, end, -1, binAt[first] as number);
        if (first > a) binAt[first] = NOT_START;
        first = end;
      }
      binAt[a] = tally(a, b, 1, -1);
      return b;
    }
    // The old session's positions after its start are NOT_START already; the new starts are marked.
    tally(a, b, -1, binAt[a] as number);
    let first = a;
    for (let end = a + 1; end <= b; end++) {
      if (end < b && !cuts(gaps[end] as number, thresholdUs, ge)) continue;
      binAt[first] = tally(first, end, 1, -1);
      first = end;
    }
    return b;
  }

  /** Moves the tallies from the last threshold to this one, or returns false when a full pass is cheaper. */
  function update(thresholdUs: number, ge: boolean): boolean {
    if (!last || Number.isNaN(thresholdUs) || Number.isNaN(last.thresholdUs)) return false;
    const from = last;
    index ??= runSteps(gapIndexSteps(gaps, () => true));
    if (index === null || index === 'building') return false;
    const { offsets, positions } = index;
    const low = gapKey(Math.max(0, Math.min(from.thresholdUs, thresholdUs)));
    const high = gapKey(Math.max(0, from.thresholdUs, thresholdUs));
    const begin = offsets[low] as number;
    const stop = offsets[high + 1] as number;
    if (stop - begin > n * maxToggledShare) return false;
    if (stop - begin > n * KEPT_TOGGLED_SHARE) setKept([]);
    // A gap starts a session at both thresholds when it does at the stricter one: the larger, or 'gt' at equal ones.
    const fromStricter = from.thresholdUs > thresholdUs || (from.thresholdUs === thresholdUs && !from.ge);
    const stayBound = fromStricter ? from.thresholdUs : thresholdUs;
    const stayGe = fromStricter ? from.ge : ge;
    bits ??= new Int32Array((n + 31) >>> 5);
    inPositionOrder(positions, begin, stop, bits, (at) => {
      const gap = gaps[at] as number;
      const startsNow = cuts(gap, thresholdUs, ge);
      // Not toggled, or already re-cut with a neighbour's region (inPositionOrder's few, unsorted).
      if (startsNow === cuts(gap, from.thresholdUs, from.ge) || (binAt[at] !== NOT_START) === startsNow) return at + 1;
      return recut(at, !fromStricter, stayBound, stayGe, thresholdUs, ge);
    });
    return true;
  }

  /** The k-th smallest duration (0-based): counted to its bin, selected among that bin's sessions' durations. */
  function kthDuration(k: number, inOrder: FiguresScratch | null): number {
    const { bin, before } = durationRankBin(tallies.binCounts, k);
    if (bin === 0) return 0;
    let durations = kept.find((d) => d.bin === bin);
    if (!durations) {
      const values = new Float64Array(tallies.binCounts[bin] as number);
      const count = inOrder ? gatherInOrder(inOrder, tallies.sessions, bin, values) : gatherByPosition(binAt, words, times, bin, values);
      durations = new BinDurations(bin, values, count);
    }
    setKept([durations, ...kept.filter((d) => d !== durations)].slice(0, 2));
    return durations.kth(k - before);
  }

  return {
    at(thresholdUs, boundary, scratch) {
      const ge = boundary === 'ge';
      const updated = update(thresholdUs, ge);
      const inOrder = updated ? null : (scratch ?? null);
      if (!updated) fullPass(thresholdUs, ge, inOrder);
      last = { thresholdUs, ge };
      return figuresOfTallies(
        tallies,
        users,
        url,
        (k) => kthDuration(k, inOrder),
        (k) => kthOfMultiset(longer, k),
      );
    },
    indexSteps(wanted) {
      if (index !== null) return null;
      index = 'building';
      return (function* () {
        index = yield* gapIndexSteps(gaps, wanted);
      })();
    },
  };
}
