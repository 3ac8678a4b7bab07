import type { FiguresScratch } from './session-figures';
import { quickselect } from './select';

/** A position's byte where no session starts (gatherByPosition's `binAt`). */
export const NOT_START = 0xff;

/** Writes the durations of the full pass's sessions (in order, in `scratch`) of selection bin `bin` into `out`; returns how many. */
export function gatherInOrder({ durations, durationBins }: FiguresScratch, sessions: number, bin: number, out: Float64Array): number {
  let m = 0;
  for (let s = 0; s < sessions; s++) if (durationBins[s] === bin) out[m++] = durations[s] as number;
  return m;
}

/**
 * Writes the durations of the sessions of selection bin `bin` into `out`; returns how many.
 * `binAt`: each position's selection bin where a session starts, else NOT_START, padded
 * with NOT_START to whole words (`words`, its Uint32Array view).
 */
export function gatherByPosition(binAt: Uint8Array, words: Uint32Array, times: Float64Array, bin: number, out: Float64Array): number {
  const n = times.length;
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
      out[m++] = (times[end - 1] as number) - (times[first] as number);
    }
  }
  return m;
}

/** The k-th smallest (0-based) of a multiset of values given as value → multiplicity; 0 past the end. */
export function kthOfMultiset(multiplicities: Map<number, number>, k: number): number {
  const values = [...multiplicities.keys()].sort((x, y) => x - y);
  let seen = 0;
  for (const value of values) {
    seen += multiplicities.get(value) as number;
    if (k < seen) return value;
  }
  return 0;
}

/**
 * The durations of the sessions in one selection bin, kept as sessions come and go (a
 * multiset), so that a median in the same bin as the last one needs no scan of the events
 * to gather them again. Taken-out values are settled (filtered out) at the next selection.
 */
export class BinDurations {
  private values: Float64Array;
  private count: number;
  private removed: number[] = [];

  constructor(
    readonly bin: number,
    values: Float64Array,
    count: number,
  ) {
    this.values = values;
    this.count = count;
  }

  add(us: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(Math.max(16, Math.ceil(this.values.length * 1.5)));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = us;
  }

  /** `us` must be one of the values. */
  remove(us: number): void {
    this.removed.push(us);
  }

  /** The k-th smallest value (0-based). */
  kth(k: number): number {
    this.settle();
    return quickselect(this.values.subarray(0, this.count), k);
  }

  private settle(): void {
    if (this.removed.length === 0) return;
    const gone = new Map<number, number>();
    for (const us of this.removed) gone.set(us, (gone.get(us) ?? 0) + 1);
    const { values } = this;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const us = values[i] as number;
      const times = gone.get(us);
      if (times !== undefined) {
        if (times === 1) gone.delete(us);
        else gone.set(us, times - 1);
        continue;
      }
      values[kept++] = us;
    }
    this.count = kept;
    this.removed = [];
  }
}
