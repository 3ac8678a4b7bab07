/*
 * User Timing entries for the steps of a load, so that a DevTools trace or the benchmark
 * (bench/app-browser.mjs reads them) shows where a load spends its time: reading and parsing
 * the file, building the events, the first figures, and DuckDB's side. Each name keeps only
 * its latest entry, as threshold-timing.ts does: a session of many loads never fills the
 * page's timing buffer, and the entries on the page describe the latest load.
 */

export const LOAD_MEASURES = {
  open: 'load: open the file (is it compressed? only a compressed one asks DuckDB its memory in use)',
  sniff: 'load: sniff the file',
  quickRead: 'load: read and parse the rows (stats worker)',
  quickJoin: 'load: sort by user and time, build the events (stats worker)',
  duckdbRead: 'load: read and parse the file into the raw table (DuckDB)',
  detect: 'load: find the user and timestamp columns (DuckDB)',
  duckdbEvents: 'load: sort by user and time, build the events (DuckDB)',
  toWorker: 'load: hand the event columns to the stats worker',
  firstFigures: 'load: first figures (stats worker)',
  sqlRaw: 'load: SQL side: read the file into the raw table (DuckDB)',
  sqlHandover: 'load: SQL side: hand the events over to DuckDB',
  sqlCheck: 'load: SQL side: check the counts',
  sqlProfile: 'load: SQL side: profile the columns (once the tables are ready)',
} as const;

export type LoadMeasure = (typeof LOAD_MEASURES)[keyof typeof LOAD_MEASURES];

/** Records the span from `start` (performance.now()) until now under `name`. */
export function measureLoadStep(name: LoadMeasure, start: number): void {
  performance.clearMeasures(name);
  performance.measure(name, { start, end: performance.now() });
}

/** Runs `step` and records its span under `name` (also when it fails: the time was spent). */
export async function timeLoadStep<T>(name: LoadMeasure, step: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await step();
  } finally {
    measureLoadStep(name, start);
  }
}
