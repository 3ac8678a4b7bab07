// @ts-check
/**
 * Two benchmark runs side by side (before / after a change, on the same machine):
 *
 *   node bench/compare.mjs A.json B.json [--size 1M]
 *
 * A and B are raw results of bench/run.mjs (bench/data/run-<date>[-<label>].json, or the file
 * given to --json). Prints one markdown table of the headline numbers of issues 13 and 17 (exports) with the
 * ratio B / A (below 1: B is faster or smaller). --size picks the size of the load rows
 * (default 1M; 100k for a quick check). Never asserts on timings: people read the numbers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fmtBytes, fmtMs } from './stats.mjs';

const { values: args, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { size: { type: 'string', default: '1M' } },
});
if (positionals.length !== 2) {
  process.stderr.write('usage: node bench/compare.mjs A.json B.json [--size 1M]\n');
  process.exit(2);
}
const SIZE = /** @type {string} */ (args.size);

/** @param {string} file @returns {import('./report.mjs').RunResult} */
const readRun = (file) => JSON.parse(readFileSync(file, 'utf8'));
const [fileA, fileB] = /** @type {[string, string]} */ (positionals);
const A = readRun(fileA);
const B = readRun(fileB);

/** @param {import('./report.mjs').RunResult} r @param {string} file */
const name = (r, file) => r.label ?? path.basename(file, '.json');

/** @param {number | null | undefined} x */
const ok = (x) => typeof x === 'number' && Number.isFinite(x);

/**
 * One row: what, how to read it out of a run, how to print it.
 * @typedef {{ what: string, get: (r: import('./report.mjs').RunResult) => number | null | undefined, fmt: (x: number | null | undefined) => string }} Row
 */
/** @type {Row[]} */
const rows = [
  { what: `**load ${SIZE} cold (headline)**: file chosen → ready, median`, get: (r) => r.app[SIZE]?.cold?.readyMedianMs, fmt: fmtMs },
  { what: `load ${SIZE} cold: file chosen → ready, p95 (the slowest run when fewer than 20)`, get: (r) => r.app[SIZE]?.cold?.readyP95Ms, fmt: fmtMs },
  { what: `load ${SIZE} warm: file chosen → ready, median`, get: (r) => (r.app[SIZE]?.error ? null : r.app[SIZE]?.loadMedianMs), fmt: fmtMs },
  { what: `**SQL features ${SIZE} cold**: file chosen → data-tables=ready, median`, get: (r) => r.app[SIZE]?.cold?.tablesMedianMs, fmt: fmtMs },
  { what: `SQL features ${SIZE} warm: file chosen → data-tables=ready, median`, get: (r) => (r.app[SIZE]?.error ? null : r.app[SIZE]?.tablesMedianMs), fmt: fmtMs },
  { what: `threshold change ${SIZE}, median of 20`, get: (r) => r.app[SIZE]?.thresholdMedianMs, fmt: fmtMs },
];
if (SIZE !== '1M') rows.push({ what: 'threshold change 1M, median of 20', get: (r) => r.app['1M']?.thresholdMedianMs, fmt: fmtMs });
rows.push({ what: 'threshold change 10M, median of 20', get: (r) => r.app['10M']?.thresholdMedianMs, fmt: fmtMs });
const has10M = (/** @type {import('./report.mjs').RunResult} */ r) => Boolean(r.app['10M']);
if (has10M(A) || has10M(B)) {
  rows.push({ what: 'peak memory 10M: chromium renderer peak RSS (warm browser)', get: (r) => r.app['10M']?.rendererPeakRssBytes, fmt: fmtBytes });
}
// Exports at this size, where either run timed them (runs from before issue 17 did not).
for (const id of ['events-csv', 'sessions-csv', 'events-parquet', 'sessions-parquet']) {
  const exported = (/** @type {import('./report.mjs').RunResult} */ r) => r.app[SIZE]?.exports?.find((e) => e.id === id)?.ms;
  if (ok(exported(A)) || ok(exported(B))) rows.push({ what: `export ${id} ${SIZE}: click → file on disk`, get: exported, fmt: fmtMs });
}
// The same machine? Native DuckDB's load is a reference that neither change touches.
rows.push({ what: `reference: native DuckDB load ${SIZE}, median (should not move)`, get: (r) => r.native[SIZE]?.loadMedianMs, fmt: fmtMs });

/** @param {number | null | undefined} a @param {number | null | undefined} b */
const ratio = (a, b) => (ok(a) && ok(b) && /** @type {number} */ (a) > 0 ? `${(/** @type {number} */ (b) / /** @type {number} */ (a)).toFixed(2)}×` : '');

/** @param {import('./report.mjs').RunResult} r */
const busiest = (r) => Math.max(r.idleBusyShare, ...r.phases.map((p) => p.othersShare));
/** @param {import('./report.mjs').RunResult} r */
const source = (r) => (r.dist ? `${r.dist} (prebuilt)` : `built from ${r.machine.gitHead}`);

const line = (/** @type {string[]} */ cells) => `| ${cells.join(' | ')} |`;
const out = [
  line(['measurement', `A: ${name(A, fileA)}`, `B: ${name(B, fileB)}`, 'B / A']),
  line(['---', '---:', '---:', '---:']),
  ...rows.map((row) => {
    const a = row.get(A);
    const b = row.get(B);
    return line([row.what, ok(a) ? row.fmt(a) : 'n/a', ok(b) ? row.fmt(b) : 'n/a', ratio(a, b)]);
  }),
  line(['runs per size (10M: 1)', String(A.runs), String(B.runs), '']),
  line(['app', source(A), source(B), '']),
  line(['date', A.date, B.date, '']),
  line(['machine', `${A.machine.nproc} CPUs, ${A.machine.cpuModel}`, `${B.machine.nproc} CPUs, ${B.machine.cpuModel}`, '']),
  line(['other processes\' CPU share, before the run / busiest phase', `${(A.idleBusyShare * 100).toFixed(0)}% / ${(busiest(A) * 100).toFixed(0)}%`, `${(B.idleBusyShare * 100).toFixed(0)}% / ${(busiest(B) * 100).toFixed(0)}%`, '']),
];
const notes = [];
if (A.machine.cpuModel !== B.machine.cpuModel || A.machine.nproc !== B.machine.nproc) notes.push('**A and B ran on different machines**: the ratios compare machines too.');
if (busiest(A) > 0.1 || busiest(B) > 0.1) notes.push('Other processes took more than 10% of the CPU time in some phase of a run: its numbers are disturbed (see its report).');
for (const [r, f] of /** @type {const} */ ([[A, fileA], [B, fileB]])) {
  for (const [label, a] of Object.entries(r.app)) {
    if (a.cold?.error) notes.push(`${name(r, f)}: the cold ${label} load failed: ${a.cold.error}`);
    if (a.error) notes.push(`${name(r, f)}: the warm ${label} load failed: ${a.error}`);
  }
}
process.stdout.write(`${[...out, ...(notes.length ? ['', ...notes] : [])].join('\n')}\n`);
