import { quickselect } from './select';

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
