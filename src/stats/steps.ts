/*
 * A long computation of the stats worker written as a generator that yields between slices
 * of its work (blocks of STEP_ROWS rows), so the worker can let a threshold change's
 * figures run in the middle of it: the session list's table and order take over a second
 * at 10M events, and a change made meanwhile waited for them. Run at once (runSteps) they
 * are the plain functions they were; run by runStepsPausing they give way every SLICE_MS.
 */

/** A computation of `T` in steps; each `yield` is a point where other work may run. */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once. */
export type StepsRunner = <T>(steps: Steps<T>) => Promise<T>;

/** Rows per block of a loop run in steps (inBlocks). */
export const STEP_ROWS = 1 << 16;

/** How long a computation runs before it gives way. */
const SLICE_MS = 8;

export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export const runAtOnce: StepsRunner = async (steps) => runSteps(steps);

/** A runner that awaits `pause` (e.g. a macrotask, so queued messages are handled) whenever a slice has run SLICE_MS. */
export function runStepsPausing(pause: () => Promise<void>): StepsRunner {
  return async (steps) => {
    let sliceStart = performance.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      if (performance.now() - sliceStart >= SLICE_MS) {
        await pause();
        sliceStart = performance.now();
      }
    }
  };
}

/**
 * Calls `block(from, to)` over [0, n) in blocks of STEP_ROWS, yielding after each. The hot
 * loop belongs in `block`, a plain function: a loop with a `yield` in it ran several
 * times slower than the same loop outside a generator.
 */
export function* inBlocks(n: number, block: (from: number, to: number) => void): Steps<void> {
  for (let from = 0; from < n; from += STEP_ROWS) {
    block(from, Math.min(n, from + STEP_ROWS));
    yield;
  }
}

/**
 * `items` sorted by `compare` (stable), in steps: runs of STEP_ROWS items are sorted with
 * Array.prototype.sort, then merged pairwise, STEP_ROWS items at a time.
 */
export function* sortSteps<T>(items: T[], compare: (a: T, b: T) => number): Steps<T[]> {
  let src = items.slice();
  for (let from = 0; from < src.length; from += STEP_ROWS) {
    const sorted = src.slice(from, from + STEP_ROWS).sort(compare);
    for (let k = 0; k < sorted.length; k++) src[from + k] = sorted[k] as T;
    yield;
  }
  let dst: T[] = new Array(src.length);
  for (let width = STEP_ROWS; width < src.length; width *= 2) {
    for (let left = 0; left < src.length; left += 2 * width) {
      const merge = {
        a: left,
        mid: Math.min(left + width, src.length),
        b: Math.min(left + width, src.length),
        end: Math.min(left + 2 * width, src.length),
        out: left,
      };
      while (merge.out < merge.end) {
        mergeSome(src, dst, merge, compare);
        yield;
      }
    }
    [src, dst] = [dst, src];
  }
  return src;
}

/** Writes up to STEP_ROWS more items of the merge of src[a, mid) and src[b, end) into dst; ties take the left run's first (stable). */
function mergeSome<T>(src: T[], dst: T[], m: { a: number; mid: number; b: number; end: number; out: number }, compare: (a: T, b: T) => number): void {
  let { a, b, out } = m;
  const { mid, end } = m;
  const stop = Math.min(end, out + STEP_ROWS);
  while (out < stop) {
    if (b >= end || (a < mid && compare(src[a] as T, src[b] as T) <= 0)) dst[out++] = src[a++] as T;
    else dst[out++] = src[b++] as T;
  }
  Object.assign(m, { a, b, out });
}
