import type { Boundary, GapColumns, SessionStats, UrlColumn } from '../domain/types';
import { COUNTED_EVENTS, DURATION_BINS, durationBin, durationRankBin, figuresOfTallies, type SessionTallies, type SessionViews } from './session-figures';
import { quickselect } from './select';

/*
 * The gap rule's figures at a new threshold from those at the last one. Moving the threshold
 * from T1 to T2 changes the cuts only at the gaps between the two, a small share of the
 * events for a slider step: the sessions around those gaps are taken out of the tallies and
 * the sessions they become put back in, instead of a pass over all the events (about 220 ms
 * at 10M events, 500 ms at 30M). The results equal sessionFigures exactly; the tests check
 * it after random sequences of thresholds.
 *
 * Memory beyond the columns: 1 byte per event (each position's session start and duration
 * bin), 4 per event with a gap (the positions by gap key), and 2 MB of key offsets.
 */

/** binAt's value where no session starts. */
const NOT_START = 0xff;

/** Gap keys: a gap's double's high word without its sign and 12 lowest bits: 1/256 of an octave each. */
const KEY_SHIFT = 12;
const KEYS = 1 << (31 - KEY_SHIFT);
const KEY_F64 = new Float64Array(1);
const KEY_U32 = new Uint32Array(KEY_F64.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Monotone in the gap (gap >= 0): equal gaps share a key, a larger gap never has a smaller one. */
function gapKey(gap: number): number {
  KEY_F64[0] = gap;
  return ((KEY_U32[HIGH_WORD] as number) & 0x7fffffff) >>> KEY_SHIFT;
}

/** The positions of the gaps (>= 0) bucketed by gapKey, each bucket in position order (a counting sort). */
interface GapIndex {
  /** Bucket k is positions[offsets[k], offsets[k + 1]). */
  offsets: Uint32Array;
  positions: Uint32Array;
}

function gapIndex(gaps: Float64Array): GapIndex {
  const n = gaps.length;
  const offsets = new Uint32Array(KEYS + 1);
  for (let i = 0; i < n; i++) {
    const gap = gaps[i] as number;
    if (gap >= 0) {
      const slot = gapKey(gap) + 1;
      offsets[slot] = (offsets[slot] as number) + 1;
    }
  }
  for (let k = 1; k <= KEYS; k++) offsets[k] = (offsets[k] as number) + (offsets[k - 1] as number);
  const next = offsets.slice(0, KEYS);
  const positions = new Uint32Array(offsets[KEYS] as number);
  for (let i = 0; i < n; i++) {
    const gap = gaps[i] as number;
    if (gap >= 0) {
      const key = gapKey(gap);
      const at = next[key] as number;
      positions[at] = i;
      next[key] = at + 1;
    }
  }
  return { offsets, positions };
}

/** Whether a gap starts a session at a threshold (a user's first event, gap -1, always does). */
const cuts = (gap: number, thresholdUs: number, ge: boolean) => gap < 0 || (ge ? gap >= thresholdUs : gap > thresholdUs);

/** Above this share of the events with a gap between the two thresholds, a full pass is cheaper. */
const MAX_TOGGLED_SHARE = 1 / 8;

export interface GapRuleFigures {
  /** The figures of the gap rule alone at a threshold (sessionFigures with GapCuts). */
  at(thresholdUs: number, boundary: Boundary, picked: Float64Array): { stats: SessionStats; views: SessionViews };
}

/** The gap rule's figures over `columns` and `url`, each answer updated from the last. */
export function gapRuleFigures(columns: GapColumns, url: UrlColumn | null, maxToggledShare = MAX_TOGGLED_SHARE): GapRuleFigures {
  const { gaps, times, users } = columns;
  const n = gaps.length;
  const codes = url?.codes ?? null;
  // Each position's selection bin (durationBin) when a session starts there, else NOT_START;
  // padded to whole words for the median's scan.
  const binAt = new Uint8Array((n + 3) & ~3);
  const words = new Uint32Array(binAt.buffer);
  let index: GapIndex | null = null;
  let last: { thresholdUs: number; ge: boolean } | null = null;
  const tallies: SessionTallies = {
    sessions: 0,
    binCounts: new Float64Array(DURATION_BINS),
    countHistogram: new Float64Array(COUNTED_EVENTS + 1),
    longerCount: 0,
    durationSum: 0,
    singles: 0,
    entries: new Int32Array(url ? url.labels.length + 1 : 0),
    exits: new Int32Array(url ? url.labels.length + 1 : 0),
  };
  /** Multiplicity of each event count above COUNTED_EVENTS. */
  const longer = new Map<number, number>();

  /** Adds (sign 1) or takes out (-1) the session of events [first, end); returns its selection bin. */
  function tally(first: number, end: number, sign: number): number {
    const count = end - first;
    const duration = (times[end - 1] as number) - (times[first] as number);
    const bin = durationBin(duration);
    tallies.sessions += sign;
    tallies.binCounts[bin] = (tallies.binCounts[bin] as number) + sign;
    tallies.durationSum += sign * duration;
    if (count === 1) tallies.singles += sign;
    if (count <= COUNTED_EVENTS) tallies.countHistogram[count] = (tallies.countHistogram[count] as number) + sign;
    else {
      const multiplicity = (longer.get(count) ?? 0) + sign;
      if (multiplicity === 0) longer.delete(count);
      else longer.set(count, multiplicity);
      tallies.longerCount += sign;
    }
    if (codes) {
      let entry = first;
      while (entry < end && (codes[entry] as number) < 0) entry++;
      let exit = end - 1;
      while (exit > entry && (codes[exit] as number) < 0) exit--;
      const entryCode = entry < end ? (codes[entry] as number) : -1;
      const exitCode = entry < end ? (codes[exit] as number) : -1;
      tallies.entries[entryCode + 1] = (tallies.entries[entryCode + 1] as number) + sign;
      tallies.exits[exitCode + 1] = (tallies.exits[exitCode + 1] as number) + sign;
    }
    return bin;
  }

  /** Every session from scratch (the first answer, and past MAX_TOGGLED_SHARE). */
  function fullPass(thresholdUs: number, ge: boolean): void {
    tallies.sessions = 0;
    tallies.binCounts.fill(0);
    tallies.countHistogram.fill(0);
    tallies.longerCount = 0;
    tallies.durationSum = 0;
    tallies.singles = 0;
    tallies.entries.fill(0);
    tallies.exits.fill(0);
    longer.clear();
    binAt.fill(NOT_START);
    let first = 0;
    for (let end = 1; end <= n; end++) {
      if (end < n && !cuts(gaps[end] as number, thresholdUs, ge)) continue;
      binAt[first] = tally(first, end, 1);
      first = end;
    }
  }

  /**
   * Re-cuts the events between the nearest positions before and after `at` that start a
   * session at both thresholds: takes the old sessions there out, puts the new ones in.
   */
  function recut(at: number, from: { thresholdUs: number; ge: boolean }, thresholdUs: number, ge: boolean): void {
    const stays = (gap: number) => cuts(gap, from.thresholdUs, from.ge) && cuts(gap, thresholdUs, ge);
    let a = at - 1;
    while (a > 0 && !stays(gaps[a] as number)) a--;
    let b = at + 1;
    while (b < n && !stays(gaps[b] as number)) b++;
    let first = a;
    for (let end = a + 1; end <= b; end++) {
      if (end < b && binAt[end] === NOT_START) continue;
      tally(first, end, -1);
      first = end;
    }
    first = a;
    for (let end = a + 1; end <= b; end++) {
      if (end < b && !cuts(gaps[end] as number, thresholdUs, ge)) {
        binAt[end] = NOT_START;
        continue;
      }
      binAt[first] = tally(first, end, 1);
      first = end;
    }
  }

  /** Moves the tallies from the last threshold to this one, or returns false when a full pass is cheaper. */
  function update(thresholdUs: number, ge: boolean): boolean {
    if (!last || Number.isNaN(thresholdUs) || Number.isNaN(last.thresholdUs) || !(tallies.durationSum <= Number.MAX_SAFE_INTEGER)) return false;
    const from = last;
    index ??= gapIndex(gaps);
    const { offsets, positions } = index;
    const low = gapKey(Math.max(0, Math.min(from.thresholdUs, thresholdUs)));
    const high = gapKey(Math.max(0, from.thresholdUs, thresholdUs));
    const begin = offsets[low] as number;
    const stop = offsets[high + 1] as number;
    if (stop - begin > n * maxToggledShare) return false;
    for (let j = begin; j < stop; j++) {
      const at = positions[j] as number;
      const gap = gaps[at] as number;
      const startsNow = cuts(gap, thresholdUs, ge);
      if (startsNow === cuts(gap, from.thresholdUs, from.ge)) continue;
      // Already re-cut with a neighbour's region.
      if ((binAt[at] !== NOT_START) === startsNow) continue;
      recut(at, from, thresholdUs, ge);
    }
    // Whole µs add and subtract exactly below 2^53; past it only a full pass's sum in event order is sessionFigures's.
    return tallies.durationSum <= Number.MAX_SAFE_INTEGER;
  }

  /** The k-th smallest duration (0-based): counted to its bin, selected among the durations of that bin's sessions. */
  function kthDuration(k: number, picked: Float64Array, gathered: { bin: number; count: number }): number {
    const { bin, before } = durationRankBin(tallies.binCounts, k);
    if (bin === 0) return 0;
    if (gathered.bin !== bin) {
      gathered.bin = bin;
      gathered.count = gatherDurations(bin, picked);
    }
    return quickselect(picked.subarray(0, gathered.count), k - before);
  }

  /** Writes the durations of the sessions of selection bin `bin` into `picked`; returns how many. */
  function gatherDurations(bin: number, picked: Float64Array): number {
    // Four positions a word: a word holds a byte equal to `bin` only if the zero-byte test of w ^ pattern passes.
    const pattern = Math.imul(bin, 0x01010101);
    let m = 0;
    for (let w = 0; w < words.length; w++) {
      const x = (words[w] as number) ^ pattern;
      if (((x - 0x01010101) & ~x & 0x80808080) === 0) continue;
      for (let first = w * 4; first < w * 4 + 4; first++) {
        if (binAt[first] !== bin) continue;
        let end = first + 1;
        while (end < n && binAt[end] === NOT_START) end++;
        picked[m++] = (times[end - 1] as number) - (times[first] as number);
      }
    }
    return m;
  }

  function kthLonger(k: number): number {
    const counts = [...longer.keys()].sort((x, y) => x - y);
    let seen = 0;
    for (const count of counts) {
      seen += longer.get(count) as number;
      if (k < seen) return count;
    }
    return 0;
  }

  return {
    at(thresholdUs, boundary, picked) {
      const ge = boundary === 'ge';
      if (!update(thresholdUs, ge)) fullPass(thresholdUs, ge);
      last = { thresholdUs, ge };
      const gathered = { bin: -1, count: 0 };
      return figuresOfTallies(tallies, users, url, (k) => kthDuration(k, picked, gathered), kthLonger);
    },
  };
}
