// @ts-check
/**
 * `node bench/figures-update.mjs --columns DIR [--runs 3] [--sweep] [--share S]`: the stats worker's figures per
 * threshold change under the gap rule (computeWithViews), before (sessionFigures: a pass
 * over every event) and after (gapRuleFigures: updated from the last threshold), in Node
 * on the columns as the worker holds them, for a slider drag: 30, 31, … 40 minutes, then
 * 30, 5 and 120, then 10, 11, … 20 (`--sweep`: the benchmark's 20 thresholds from 0.1 to
 * 10,080 minutes; `--share`: gapRuleFigures's cut-off instead of its default). Each step runs both, alternately, and checks that they agree exactly.
 *
 * DIR holds times.f64 and gaps.f64 (Float64, events ordered by user then time; gap -1 at a
 * user's first event), codes.i32 (url code, -1 = none) and meta.json ({ users, labels });
 * bench/figures-columns.py writes them from a bench CSV.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isDeepStrictEqual } from 'node:util';
import { build } from 'vite';
import { ROOT } from './data.mjs';
import { fmtMs, median } from './stats.mjs';
import { thresholdSweep } from './app-browser.mjs';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    columns: { type: 'string' },
    runs: { type: 'string', default: '3' },
    sweep: { type: 'boolean', default: false },
    share: { type: 'string' },
  },
});
if (!args.columns) throw new Error('--columns DIR is required (see bench/figures-columns.py)');
const dir = args.columns;

/** @param {string} name */
const bytes = (name) => {
  const b = readFileSync(join(dir, name));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
};
const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
const times = new Float64Array(bytes('times.f64'));
const gaps = new Float64Array(bytes('gaps.f64'));
const url = { codes: new Int32Array(bytes('codes.i32')), labels: meta.labels };
const columns = { times, gaps, users: meta.users };
const n = gaps.length;

// Bundled as the app is (vite's SSR loader reaches every import through a getter, which
// slowed the imported helpers in hot loops by half), into a temporary directory.
const out = mkdtempSync(join(tmpdir(), 'figures-update-'));
await build({
  root: ROOT,
  configFile: false,
  logLevel: 'error',
  build: {
    outDir: out,
    minify: false,
    lib: { entry: { figures: join(ROOT, 'src/stats/session-figures.ts'), update: join(ROOT, 'src/stats/figures-update.ts'), steps: join(ROOT, 'src/stats/steps.ts') }, formats: ['es'] },
  },
});
const figuresModule = await import(join(out, 'figures.js'));
const updateModule = await import(join(out, 'update.js'));
const { runSteps } = await import(join(out, 'steps.js'));
rmSync(out, { recursive: true });
const { sessionFigures, figuresScratch } = figuresModule;
const { gapRuleFigures } = updateModule;
const MIN = 60_000_000;
// The bench files have no gaps from 30 to 40 minutes; 10 to 20 minutes has some at each step.
// --sweep: the benchmark's 20 log-spaced thresholds instead (each step a big jump).
const steps = args.sweep ? thresholdSweep() : [30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 30, 5, 120, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
const scratch = figuresScratch(n);
const updater = args.share ? gapRuleFigures(columns, url, Number(args.share)) : gapRuleFigures(columns, url);
// The worker builds the gap index in the background after the first answer.
updater.at(Number(steps.at(-1)) * MIN, 'ge', scratch);
const indexStart = performance.now();
runSteps(updater.indexSteps(() => true));
const indexMs = performance.now() - indexStart;
/** @type {Map<string, { before: number[], after: number[], sessions: number }>} */
const timings = new Map();
for (let run = 0; run < Number(args.runs); run++) {
  let previous = steps.at(-1);
  for (const minutes of steps) {
    const label = `${previous} → ${minutes}`;
    const t0 = performance.now();
    const before = sessionFigures(times, { gaps, thresholdUs: minutes * MIN, boundary: 'ge' }, columns.users, url, scratch);
    const t1 = performance.now();
    const after = updater.at(minutes * MIN, 'ge', scratch);
    const t2 = performance.now();
    if (!isDeepStrictEqual(before, after)) throw new Error(`figures differ at ${label}`);
    const row = timings.get(label) ?? { before: [], after: [], sessions: before.stats.sessions };
    row.before.push(t1 - t0);
    row.after.push(t2 - t1);
    timings.set(label, row);
    previous = minutes;
  }
}

console.log(`${(n / 1e6).toFixed(1)}M events, ${columns.users} users; median of ${args.runs} runs; the gap index (built once, in the background) took ${fmtMs(indexMs)}`);
console.log('| step (minutes) | sessions | before | after |');
console.log('|---|---|---|---|');
for (const [label, row] of timings) console.log(`| ${label} | ${row.sessions} | ${fmtMs(median(row.before))} | ${fmtMs(median(row.after))} |`);
