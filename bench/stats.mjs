// @ts-check
/** Small statistics and formatting helpers shared by the benchmark scripts. */

/**
 * Median (mean of the middle two for an even count).
 * @param {readonly number[]} values
 */
export function median(values) {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? /** @type {number} */ (s[mid]) : (/** @type {number} */ (s[mid - 1]) + /** @type {number} */ (s[mid])) / 2;
}

/**
 * Percentile by the nearest-rank method: the smallest value with at least p% of the values
 * at or below it (p95 of 20 values is the 19th smallest).
 * @param {readonly number[]} values
 * @param {number} p 0-100
 */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return /** @type {number} */ (s[rank - 1]);
}

/**
 * Milliseconds as a short human string: "38 ms", "1.24 s".
 * @param {number | null | undefined} ms
 */
export function fmtMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return 'n/a';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/**
 * Bytes as MB (10^6) or GB.
 * @param {number | null | undefined} bytes
 */
export function fmtBytes(bytes) {
  if (bytes === null || bytes === undefined || Number.isNaN(bytes)) return 'n/a';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  return `${Math.round(bytes / 1e6)} MB`;
}

/**
 * app / native as "3.1×".
 * @param {number | null | undefined} a
 * @param {number | null | undefined} b
 */
export function fmtRatio(a, b) {
  if (a === null || a === undefined || b === null || b === undefined || !(b > 0) || Number.isNaN(a)) return '';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Peak resident set of this process so far, in bytes (getrusage ru_maxrss, = VmHWM).
 */
export function peakRssBytes() {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * The command line of a baseline child process (bench/native-duckdb.mjs,
 * bench/papaparse-loop.mjs): `load <file>` or `thresholds <file> <minutes,...>`, one JSON
 * object printed on stdout.
 * @param {string} script its path, for the usage line
 * @param {{ load: (file: string) => Promise<object>, thresholds: (file: string, minutes: number[]) => Promise<object> }} modes
 */
export async function runBaseline(script, modes) {
  const [mode, file, list] = process.argv.slice(2);
  if (!file || (mode !== 'load' && mode !== 'thresholds')) {
    process.stderr.write(`usage: node ${script} load|thresholds <file.csv> [minutes,...]\n`);
    process.exit(2);
  }
  const result = mode === 'load' ? await modes.load(file) : await modes.thresholds(file, (list ?? '30').split(',').map(Number));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
