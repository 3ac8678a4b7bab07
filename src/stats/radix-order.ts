/*
 * Stable reorderings of index arrays by integer keys in linear passes (least significant
 * digit first radix sort), for the session list: sorting a million sessions with a
 * comparator took the stats worker hundreds of milliseconds after each threshold change,
 * and the next change's figures waited behind it. A stable pass over an order that is
 * already sorted by the tie-breakers gives the comparator's total order exactly.
 */

const DIGIT_BITS = 13;
const DIGIT_MASK = (1 << DIGIT_BITS) - 1;
/** Keys split at 2^26: two digits below, up to two (of at most 14 bits) above, so any key below 2^53 fits. */
const LOW_SPAN = 2 ** (2 * DIGIT_BITS);

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
  const n = order.length;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[order[i] as number] as number;
    if (k > max) max = k;
  }
  let src = Int32Array.from(order);
  if (n < 2 || max === 0) return src;
  // Each key's low and high parts, by index (what `order` holds).
  const size = keys.length;
  const low = new Int32Array(size);
  const high = new Int32Array(size);
  for (let i = 0; i < n; i++) {
    const s = src[i] as number;
    const k = keys[s] as number;
    low[s] = k % LOW_SPAN;
    high[s] = Math.floor(k / LOW_SPAN);
  }
  let dst = new Int32Array(n);
  const counts = new Int32Array((DIGIT_MASK + 1) * 2 + 1);
  const highMax = Math.floor(max / LOW_SPAN);
  const passes: { high: boolean; shift: number }[] = [{ high: false, shift: 0 }];
  if (max >= 2 ** DIGIT_BITS) passes.push({ high: false, shift: DIGIT_BITS });
  if (highMax > 0) passes.push({ high: true, shift: 0 });
  if (highMax > DIGIT_MASK) passes.push({ high: true, shift: DIGIT_BITS });
  for (const pass of passes) {
    const part = pass.high ? high : low;
    // The top digit of the high part may use 14 bits (keys up to 2^53).
    const mask = pass.high && pass.shift > 0 ? 2 * DIGIT_MASK + 1 : DIGIT_MASK;
    const shift = pass.shift;
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const d = ((part[src[i] as number] as number) >>> shift) & mask;
      counts[d + 1] = (counts[d + 1] as number) + 1;
    }
    for (let d = 1; d <= mask + 1; d++) counts[d] = (counts[d] as number) + (counts[d - 1] as number);
    for (let i = 0; i < n; i++) {
      const s = src[i] as number;
      const d = ((part[s] as number) >>> shift) & mask;
      const at = counts[d] as number;
      counts[d] = at + 1;
      dst[at] = s;
    }
    [src, dst] = [dst, src];
  }
  return src;
}
