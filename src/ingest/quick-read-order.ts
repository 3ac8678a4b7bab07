/*
 * The order of the events table: each user's events together (users in order of first
 * appearance), in (time, row) order within a user. A counting sort by user keeps file order
 * within each user; an insertion sort then mends the few events out of time order, falling
 * back to a full sort of the user's events when they are far out of order.
 */

/**
 * Row indexes (0-based) of the events in event order, their times in that order, where each
 * user's events start there (by user code, then the end), and how many users have events:
 * rows without a user (code -1) or a time (NaN) are no events. The times are gathered while
 * the rows are placed and sorted beside them, so that nothing after reads the file-order
 * times at random (at 10M events those reads were most of the time).
 */
export function eventOrder(
  userCodes: Int32Array,
  users: number,
  times: Float64Array,
  n: number,
  carried: Int32Array[] = [],
): { order: Int32Array; times: Float64Array; carried: Int32Array[]; users: number; starts: Int32Array } {
  const starts = new Int32Array(users + 1);
  let events = 0;
  for (let r = 0; r < n; r++) {
    const u = (userCodes[r] as number) + 1;
    const t = times[r] as number;
    if (u === 0 || Number.isNaN(t)) continue;
    starts[u] = (starts[u] as number) + 1;
    events++;
  }
  let withEvents = 0;
  for (let u = 1; u <= users; u++) if (starts[u] !== 0) withEvents++;
  for (let u = 0; u < users; u++) starts[u + 1] = (starts[u + 1] as number) + (starts[u] as number);
  const next = starts.slice(0, users);
  const order = new Int32Array(events);
  const sorted = new Float64Array(events);
  // Code columns (url, split) go along the same way: placed with their row, moved with it.
  const columns = carried.map(() => new Int32Array(events));
  const [from0, from1] = carried;
  const [to0, to1] = columns;
  for (let r = 0; r < n; r++) {
    const u = userCodes[r] as number;
    const t = times[r] as number;
    if (u < 0 || Number.isNaN(t)) continue;
    const at = next[u] as number;
    order[at] = r;
    sorted[at] = t;
    if (to0 && from0) to0[at] = from0[r] as number;
    if (to1 && from1) to1[at] = from1[r] as number;
    for (let c = 2; c < columns.length; c++) (columns[c] as Int32Array)[at] = (carried[c] as Int32Array)[r] as number;
    next[u] = at + 1;
  }
  const moved = { order, sorted, columns, carried, times };
  for (let u = 0; u < users; u++) sortByTime(moved, starts[u] as number, starts[u + 1] as number);
  return { order, times: sorted, carried: columns, users: withEvents, starts };
}

/** The event-order arrays sortByTime moves together, and the file-order ones they came from. */
interface Moved {
  order: Int32Array;
  sorted: Float64Array;
  columns: Int32Array[];
  carried: Int32Array[];
  times: Float64Array;
}

/**
 * Sorts order[from, to) by (time, row), and sorted[from, to) (their times) and the carried
 * columns with it; rows are ascending there to begin with.
 */
function sortByTime({ order, sorted, columns, carried, times }: Moved, from: number, to: number): void {
  // Past this many moves the insertion sort would cost more than a full sort.
  let budget = 8 * (to - from) + 64;
  for (let k = from + 1; k < to; k++) {
    const t = sorted[k] as number;
    if ((sorted[k - 1] as number) <= t) continue;
    const r = order[k] as number;
    const values = columns.map((c) => c[k] as number);
    let j = k - 1;
    while (j >= from && (sorted[j] as number) > t) {
      order[j + 1] = order[j] as number;
      sorted[j + 1] = sorted[j] as number;
      for (const c of columns) c[j + 1] = c[j] as number;
      j--;
      if (--budget === 0) {
        order[j + 1] = r;
        const range = order.subarray(from, to);
        range.sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
        for (let m = from; m < to; m++) {
          const row = order[m] as number;
          sorted[m] = times[row] as number;
          columns.forEach((c, i) => {
            c[m] = (carried[i] as Int32Array)[row] as number;
          });
        }
        return;
      }
    }
    order[j + 1] = r;
    sorted[j + 1] = t;
    columns.forEach((c, i) => {
      c[j + 1] = values[i] as number;
    });
  }
}
