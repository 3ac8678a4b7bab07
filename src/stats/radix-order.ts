/*
 * Stable reorderings of index arrays by integer keys in linear passes (least significant
 * digit first radix sort, 16-bit digits, every digit counted in one first pass), for the session list: sorting a million sessions with a
 * comparator took the stats worker hundreds of milliseconds after each threshold change,
 * and the next change's figures waited behind it. A stable pass over an order that is
 * already sorted by the tie-breakers gives the comparator's total order exactly.
 */

import { inBlocks, runSteps, type Steps } from './steps';

const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;
/** Keys split at 2^32: two 16-bit digits below, up to two above (of 21 bits in all), so any key below 2^53 fits. */
const LOW_SPAN = 2 ** 32;

/**
 * Whether every key of `order` is a whole number in [0, 2^53): radixOrder's condition.
 * Checked rather than assumed (a key could be fractional, or negative through a bug).
 */
export function radixKeysFit(order: Int32Array, keys: ArrayLike<number>): boolean {
  for (let i = 0; i < order.length; i++) {
    const k = keys[order[i] as number] as number;
    if (!(k >= 0 && k < Number.MAX_SAFE_INTEGER && Math.floor(k) === k)) return false;
  }
  return true;
}

/**
 * `order` (indexes into `keys`) stably sorted by their keys, ascending, as a new array;
 * keys must satisfy radixKeysFit. Only the digits that some key uses are passed over.
 */
export function radixOrder(order: Int32Array, keys: ArrayLike<number>): Int32Array {
  return runSteps(radixOrderSteps(order, keys));
}

/** radixOrder in steps (steps.ts). */
export function* radixOrderSteps(order: Int32Array, keys: ArrayLike<number>): Steps<Int32Array> {
  const n = order.length;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[order[i] as number] as number;
    if (k > max) max = k;
  }
  let src = Int32Array.from(order);
  if (n < 2 || max === 0) return src;
  const digits = max < 2 ** 16 ? 1 : max < LOW_SPAN ? 2 : max < 2 ** 48 ? 3 : 4;
  // Each key's low and high 32 bits, by index (what `order` holds), and every digit's counts in one pass.
  const size = keys.length;
  const low = new Int32Array(size);
  const high = new Int32Array(size);
  const counts = new Int32Array(digits * (BUCKETS + 1));
  const from0 = src;
  yield* inBlocks(n, (from, to) => {
    for (let i = from; i < to; i++) {
      const s = from0[i] as number;
      const k = keys[s] as number;
      const l = (k % LOW_SPAN) | 0;
      const h = Math.floor(k / LOW_SPAN) | 0;
      low[s] = l;
      high[s] = h;
      counts[(l & 0xffff) + 1] = (counts[(l & 0xffff) + 1] as number) + 1;
      if (digits > 1) counts[BUCKETS + 1 + (l >>> 16) + 1] = (counts[BUCKETS + 1 + (l >>> 16) + 1] as number) + 1;
      if (digits > 2) counts[2 * (BUCKETS + 1) + (h & 0xffff) + 1] = (counts[2 * (BUCKETS + 1) + (h & 0xffff) + 1] as number) + 1;
      if (digits > 3) counts[3 * (BUCKETS + 1) + (h >>> 16) + 1] = (counts[3 * (BUCKETS + 1) + (h >>> 16) + 1] as number) + 1;
    }
  });
  let dst = new Int32Array(n);
  for (let pass = 0; pass < digits; pass++) {
    const base = pass * (BUCKETS + 1);
    for (let d = 1; d <= BUCKETS; d++) counts[base + d] = (counts[base + d] as number) + (counts[base + d - 1] as number);
    const part = pass < 2 ? low : high;
    const shift = pass % 2 === 0 ? 0 : 16;
    const read = src;
    const write = dst;
    yield* inBlocks(n, (from, to) => scatter(read, write, part, shift, counts, base, from, to));
    [src, dst] = [dst, src];
  }
  return src;
}

/** One radix pass over read[from, to): each index to its digit's next place in `write`. */
function scatter(read: Int32Array, write: Int32Array, part: Int32Array, shift: number, counts: Int32Array, base: number, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const s = read[i] as number;
    const at = base + (((part[s] as number) >>> shift) & 0xffff);
    const place = counts[at] as number;
    counts[at] = place + 1;
    write[place] = s;
  }
}
