/** Events-per-session bins, inclusive: 1, 2, 3, 4, 5, 6–10, 11–20, 21–50, 51–100, > 100. */
export const EVENTS_PER_SESSION_BINS: readonly { low: number; high: number | null }[] = [
  { low: 1, high: 1 },
  { low: 2, high: 2 },
  { low: 3, high: 3 },
  { low: 4, high: 4 },
  { low: 5, high: 5 },
  { low: 6, high: 10 },
  { low: 11, high: 20 },
  { low: 21, high: 50 },
  { low: 51, high: 100 },
  { low: 101, high: null },
];
