import { inBlocks, type Steps } from './steps';

/*
 * The events' positions bucketed by gap (a counting sort in two passes), so that the gaps
 * between two thresholds, the only places where their sessions differ, are found without a
 * pass over the events. 4 bytes per event with a gap, and 128 KB of bucket offsets.
 */

/** Gap keys: a gap's double's high word without its sign and 16 lowest bits: 1/16 of an octave each. */
const KEY_SHIFT = 16;
const KEYS = 1 << (31 - KEY_SHIFT);
const KEY_F64 = new Float64Array(1);
const KEY_U32 = new Uint32Array(KEY_F64.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Monotone in the gap (gap >= 0): equal gaps share a key, a larger gap never has a smaller one. */
export function gapKey(gap: number): number {
  KEY_F64[0] = gap;
  return ((KEY_U32[HIGH_WORD] as number) & 0x7fffffff) >>> KEY_SHIFT;
}

/** The positions of the gaps (>= 0) bucketed by gapKey, each bucket in position order (a counting sort). */
export interface GapIndex {
  /** Bucket k is positions[offsets[k], offsets[k + 1]). */
  offsets: Uint32Array;
  positions: Uint32Array;
}

/** The gap index in steps (steps.ts); `wanted` false ends it early with null. */
export function* gapIndexSteps(gaps: Float64Array, wanted: () => boolean): Steps<GapIndex | null> {
  const n = gaps.length;
  const offsets = new Uint32Array(KEYS + 1);
  yield* inBlocks(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const gap = gaps[i] as number;
      if (gap >= 0) {
        const slot = gapKey(gap) + 1;
        offsets[slot] = (offsets[slot] as number) + 1;
      }
    }
  });
  if (!wanted()) return null;
  for (let k = 1; k <= KEYS; k++) offsets[k] = (offsets[k] as number) + (offsets[k - 1] as number);
  const next = offsets.slice(0, KEYS);
  const positions = new Uint32Array(offsets[KEYS] as number);
  yield* inBlocks(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const gap = gaps[i] as number;
      if (gap >= 0) {
        const key = gapKey(gap);
        const at = next[key] as number;
        positions[at] = i;
        next[key] = at + 1;
      }
    }
  });
  return wanted() ? { offsets, positions } : null;
}

/**
 * Calls `visit` with positions[begin, stop) of the index in position order, skipping those
 * before the position `visit` last returned (the first it has not dealt with). A bucket
 * range is in bucket order, so the events around its positions would be read at scattered
 * places, a cache miss or more each: marked in `bits` (one bit per event, all 0, left so)
 * and read back in order, they are read as a pass reads them. A position's regional re-cut
 * then costs tens of ns, not 0.5-1.5 µs. Fewer than one in 64 events (a slider step) are
 * visited as listed, with no skips: a scan of the bits would cost more than the misses
 * (`visit` must then tell a position it already dealt with itself).
 */
export function inPositionOrder(positions: Uint32Array, begin: number, stop: number, bits: Int32Array, visit: (at: number) => number): void {
  if ((stop - begin) * 2 < bits.length) {
    for (let j = begin; j < stop; j++) visit(positions[j] as number);
    return;
  }
  let firstWord = bits.length;
  let lastWord = -1;
  for (let j = begin; j < stop; j++) {
    const at = positions[j] as number;
    const w = at >>> 5;
    bits[w] = (bits[w] as number) | (1 << (at & 31));
    if (w < firstWord) firstWord = w;
    if (w > lastWord) lastWord = w;
  }
  let skipTo = 0;
  for (let w = firstWord; w <= lastWord; w++) {
    let word = bits[w] as number;
    if (word === 0) continue;
    bits[w] = 0;
    while (word !== 0) {
      const lowest = word & -word;
      word ^= lowest;
      const at = (w << 5) | (31 - Math.clz32(lowest));
      if (at >= skipTo) skipTo = visit(at);
    }
  }
}
