// @ts-check
/**
 * `npm run bench`: the app in headless chromium against native DuckDB, papaparse and (where
 * $PYTHON has it) pandas, on the same generated clickstreams, in one run. See bench/README.md.
 *
 *   npm run bench                      100k and 1M events, 3 runs each
 *   npm run bench -- --10m             also 10M events (1 run; minutes)      (or BENCH_10M=1)
 *   npm run bench -- --30m             also one cold load of 30M events (~1.8 GB; needs 10 GB free
 *                                      disk; tens of minutes; only on a quiet machine). A test
 *                                      option, --30m-events N, makes that file N events instead
 *                                      (to check the flag's code at a small size).
 *   npm run bench -- --no-build        serve dist/ (from `npm run build`) as it is
 *   npm run bench -- --dist DIR        serve an already-built DIR instead of building (an older
 *                                      commit's build, say: before/after on one machine)
 *   npm run bench -- --label NAME      a name for this run, in the JSON, its file name and the
 *                                      report (bench/compare.mjs A.json B.json sets two side by side)
 *   npm run bench -- --json FILE       also write the raw results to FILE
 *   npm run bench -- --runs 5          load runs per size (10M: always 1)
 *   npm run bench -- --skip-app        baselines only (--skip-node: the app only)
 *   PYTHON=/venv/bin/python npm run bench   pandas from that Python
 *   npm run bench -- --sizes 100k      only these sizes (for a quick check; results.md is
 *                                      then not written)
 *
 * Prints one markdown table and writes bench/results.md (plus raw JSON in bench/data/).
 * Never asserts on timings.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COLD_IDLE_MS, EXPORT_MINUTES, benchAppCold, benchAppSize, thresholdSweep } from './app-browser.mjs';
import { benchAppLarge } from './app-large.mjs';
import { DATA_DIR, ROOT, ensureDataFile } from './data.mjs';
import { busyShare, cpuMeter, loadavg, machine } from './machine.mjs';
import { coldStepLines, largeLines, resultsMarkdown, table } from './report.mjs';
import { median, percentile } from './stats.mjs';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    '10m': { type: 'boolean', default: process.env.BENCH_10M === '1' },
    '30m': { type: 'boolean', default: false },
    '30m-events': { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    dist: { type: 'string' },
    label: { type: 'string' },
    runs: { type: 'string', default: '3' },
    'skip-app': { type: 'boolean', default: false },
    'skip-node': { type: 'boolean', default: false },
    sizes: { type: 'string', default: '100k,1M' },
    out: { type: 'string' },
    json: { type: 'string' },
  },
});
const RUNS = Math.max(1, Number(args.runs));
/** The --30m file's events (30M unless the test option --30m-events says otherwise). */
const LARGE_EVENTS = args['30m-events'] ? Math.max(1, Math.round(Number(args['30m-events']))) : 30_000_000;
/** Free disk below which --30m is skipped (the 30M file is ~1.8 GB; the page's reading of it needs room too). */
const LARGE_MIN_FREE_BYTES = 10e9;
/** The Python the pandas baseline runs with. */
const PYTHON = process.env.PYTHON ?? 'python3';
// Each run builds into its own directory (removed at the end), so two runs at once do not
// replace each other's files; --dist DIR serves an already-built directory instead (never
// removed), --no-build the project's dist/.
const PREBUILT = args.dist ? path.resolve(args.dist) : args['no-build'] ? path.join(ROOT, 'dist') : null;
const DIST = PREBUILT ?? path.join(DATA_DIR, `dist-${process.pid}`);

/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);

// ---------------------------------------------------------------------------------------
// Cleanup: the preview server's process group, the browser, a running child.
// ---------------------------------------------------------------------------------------
/** @type {import('node:child_process').ChildProcess | null} */
let preview = null;
/** @type {import('playwright-core').Browser | null} */
let browser = null;
/** @type {import('node:child_process').ChildProcess | null} */
let child = null;

function removeBuild() {
  if (!PREBUILT) rmSync(DIST, { recursive: true, force: true });
}

function stopPreview() {
  if (preview?.pid) {
    try {
      process.kill(-preview.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  preview = null;
}

async function cleanup() {
  stopPreview();
  if (child?.pid) {
    try {
      child.kill('SIGTERM');
    } catch {
      // gone
    }
  }
  // Closing the browser reaps its processes (otherwise chromium children linger).
  if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
  browser = null;
  removeBuild();
}

// Last resort: whatever way Node exits, the preview server's group goes too.
process.on('exit', stopPreview);

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    log(`\n${signal}: stopping the browser, the preview server and any child process…`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/**
 * Runs a bench script in its own Node process and returns its JSON output.
 * @param {string} script
 * @param {string[]} scriptArgs
 */
function runChild(script, scriptArgs) {
  return new Promise((resolve, reject) => {
    // Python baselines run with $PYTHON (a venv with pandas, say), Node ones with this Node.
    const runtime = script.endsWith('.py') ? PYTHON : process.execPath;
    const proc = spawn(runtime, [path.join(ROOT, 'bench', script), ...scriptArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
    child = proc;
    let out = '';
    proc.stdout.on('data', (d) => { out += d; });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      child = null;
      if (code !== 0) return reject(new Error(`${script} ${scriptArgs.join(' ')} exited with ${code ?? signal}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? ''));
      } catch (error) {
        reject(error);
      }
    });
  });
}

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** @param {string} url @param {number} timeoutMs */
async function waitForServer(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not yet
    }
    if (preview && preview.exitCode !== null) throw new Error(`vite preview exited with ${preview.exitCode}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer on ${url} within ${timeoutMs} ms`);
}

/** @type {import('./report.mjs').RunResult['phases']} */
const phases = [];
/**
 * @template T
 * @param {string} name
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
async function phase(name, fn) {
  const loadavgStart = loadavg();
  const stop = cpuMeter();
  const started = performance.now();
  try {
    return await fn();
  } finally {
    phases.push({ name, loadavgStart, loadavgEnd: loadavg(), ...stop(), seconds: (performance.now() - started) / 1000 });
  }
}

/**
 * @param {'native-duckdb.mjs' | 'papaparse-loop.mjs' | 'pandas-baseline.py'} script
 * @param {import('./data.mjs').DataFile} file
 * @param {number} runs
 * @returns {Promise<import('./report.mjs').BaselineSize>}
 */
async function baseline(script, file, runs) {
  /** @type {any[]} */
  const loads = [];
  for (let i = 0; i < runs; i++) {
    const r = /** @type {any} */ (await runChild(script, ['load', file.path]));
    loads.push(r);
    log(`  ${script} ${file.label}: load ${i + 1}/${runs}: ${Math.round(r.ms)} ms, ${r.sessions} sessions, peak RSS ${Math.round(r.peakRssBytes / 1e6)} MB`);
  }
  const t = /** @type {any} */ (await runChild(script, ['thresholds', file.path, thresholdSweep(20).join(',')]));
  const ms = t.changes.map((/** @type {{ ms: number }} */ c) => c.ms);
  log(`  ${script} ${file.label}: threshold median ${median(ms).toFixed(1)} ms, p95 ${percentile(ms, 95).toFixed(1)} ms`);
  return {
    loads,
    loadMedianMs: median(loads.map((l) => l.ms)),
    peakRssBytes: Math.max(...loads.map((l) => l.peakRssBytes)),
    prepareMs: t.prepareMs,
    changes: t.changes,
    thresholdMedianMs: median(ms),
    thresholdP95Ms: percentile(ms, 95),
  };
}

/**
 * The --30m measurement: the file made (when the disk has room) and loaded cold once.
 * @param {string} baseUrl
 * @returns {Promise<NonNullable<import('./report.mjs').RunResult['large']>>}
 */
async function runLarge(baseUrl) {
  const label = LARGE_EVENTS === 30_000_000 ? '30M' : `30M flag at ${LARGE_EVENTS.toLocaleString('en-US')} events (test option)`;
  const { bavail, bsize } = statfsSync(DATA_DIR);
  const freeBytes = bavail * bsize;
  if (freeBytes < LARGE_MIN_FREE_BYTES) {
    const skipped = `skipped: ${(freeBytes / 1e9).toFixed(1)} GB free on the disk of ${path.relative(ROOT, DATA_DIR)}, under the ${LARGE_MIN_FREE_BYTES / 1e9} GB the 30M run needs`;
    log(`app ${label}: ${skipped}`);
    return { label, events: LARGE_EVENTS, bytes: 0, skipped };
  }
  const file = { ...(await ensureDataFile(label, LARGE_EVENTS, log)), label };
  log(`app ${label}: one cold load of ${(file.bytes / 1e6).toFixed(0)} MB, the page asked every second whether it answers…`);
  const result = await benchAppLarge({ baseUrl, file, log, onBrowser: (b) => { browser = b; } });
  return { label, events: file.events, bytes: file.bytes, ...result };
}

// ---------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------

async function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  const flags = [
    args['10m'] ? '--10m' : '',
    args['30m'] ? '--30m' : '',
    args['30m-events'] ? `--30m-events ${LARGE_EVENTS}` : '',
    args.dist ? `--dist ${args.dist}` : args['no-build'] ? '--no-build' : '',
    args.label ? `--label ${args.label}` : '',
  ].filter(Boolean);
  const command = `npm run bench${flags.length ? ` -- ${flags.join(' ')}` : ''}`;
  const info = machine();
  log(`machine: ${info.nproc} CPUs, ${info.cpuModel}, ${info.ramGB.toFixed(1)} GB; load average ${loadavg().join(' ')}`);
  const idleBusyShare = await busyShare(3000);
  log(`other processes used ${(idleBusyShare * 100).toFixed(0)}% of all CPUs over the last 3 s${idleBusyShare > 0.15 ? ': the numbers below will be disturbed' : ''}`);

  const warmup = await ensureDataFile('warm-up', 1000, log);
  const wanted = new Set(/** @type {string} */ (args.sizes).split(',').map((x) => x.trim()));
  if (args['10m']) wanted.add('10M');
  /** @type {import('./data.mjs').DataFile[]} */
  const sizes = [];
  for (const [label, events] of /** @type {const} */ ([['100k', 100_000], ['1M', 1_000_000], ['10M', 10_000_000]])) {
    if (wanted.has(label)) sizes.push(await ensureDataFile(label, events, log));
  }
  const complete = wanted.has('100k') && wanted.has('1M') && !args['skip-app'] && !args['skip-node'] && !args['30m-events'];
  const runsFor = (/** @type {import('./data.mjs').DataFile} */ f) => (f.label === '10M' ? 1 : RUNS);

  const pandasVersion = spawnSync(PYTHON, ['-c', 'import pandas, numpy; print(pandas.__version__, numpy.__version__)'], { encoding: 'utf8' });
  const hasPandas = pandasVersion.status === 0;
  const [pandasVersionText = '', numpyVersionText = ''] = hasPandas ? pandasVersion.stdout.trim().split(' ') : [];
  const pandasNote = hasPandas
    ? `pandas ${pandasVersionText} (NumPy ${numpyVersionText}) on ${PYTHON}, bench/pandas-baseline.py.`
    : `not measured: ${PYTHON} has no pandas (\`pip install pandas\`, or PYTHON=<a python with pandas> npm run bench).`;
  log(`pandas: ${pandasNote}`);

  /** @type {import('./report.mjs').RunResult['native']} */
  const native = {};
  /** @type {import('./report.mjs').RunResult['papaparse']} */
  const papaparse = {};
  /** @type {import('./report.mjs').RunResult['pandas']} */
  const pandas = {};
  /** @type {import('./report.mjs').RunResult['nativeExports']} */
  const nativeExports = {};
  if (!args['skip-node']) {
    for (const f of sizes) {
      native[f.label] = await phase(`native DuckDB ${f.label}`, () => baseline('native-duckdb.mjs', f, runsFor(f)));
      nativeExports[f.label] = await phase(`native DuckDB exports ${f.label}`, async () => {
        const r = /** @type {import('./report.mjs').NativeExports} */ (await runChild('native-duckdb.mjs', ['exports', f.path, String(EXPORT_MINUTES)]));
        log(`  native-duckdb.mjs ${f.label}: exports at ${EXPORT_MINUTES} min (tables made in ${Math.round(r.prepareMs)} ms): ${r.exports.map((e) => `${e.id} ${Math.round(e.ms)} ms, ${(e.bytes / 1e6).toFixed(1)} MB`).join('; ')}`);
        return r;
      });
      papaparse[f.label] = await phase(`papaparse ${f.label}`, () => baseline('papaparse-loop.mjs', f, runsFor(f)));
      if (hasPandas) pandas[f.label] = await phase(`pandas ${f.label}`, () => baseline('pandas-baseline.py', f, runsFor(f)));
    }
  }

  /** @type {import('./report.mjs').RunResult['app']} */
  const app = {};
  /** @type {import('./report.mjs').RunResult['large']} */
  let large = null;
  let browserVersion = 'not run';
  if (!args['skip-app']) {
    if (!PREBUILT) {
      await phase('vite build', async () => {
        log(`app: building into ${path.relative(ROOT, DIST)}…`);
        const built = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', DIST, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
        if (built.status !== 0) throw new Error(`vite build failed (${built.status ?? built.signal})`);
      });
    }
    if (!existsSync(path.join(DIST, 'index.html'))) {
      throw new Error(`${DIST} has no build: ${args.dist ? 'build into it first (npx vite build --outDir DIR)' : 'run npm run build, or drop --no-build'}`);
    }
    if (PREBUILT) log(`app: serving the prebuilt ${DIST} (not built by this run)`);
    const port = await freePort();
    preview = spawn(process.execPath, [
      path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1', '--outDir', DIST,
    ], { cwd: ROOT, detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
    const baseUrl = `http://127.0.0.1:${port}/`;
    try {
      await waitForServer(baseUrl, 60_000);
      log(`app: served on ${baseUrl}`);
      for (const f of sizes) {
        // Cold first (the headline: the first file of a freshly opened page, each run a fresh
        // page), in its own browser; then the warm measurements in a fresh one.
        log(`app ${f.label}: cold loads, each in a fresh page, the file chosen ${COLD_IDLE_MS} ms after the page opened…`);
        const cold = await phase(`app ${f.label} cold`, () => benchAppCold({
          baseUrl, file: f, runs: runsFor(f), log, onBrowser: (b) => { browser = b; },
        }));
        const result = await phase(`app ${f.label}`, () => benchAppSize({
          baseUrl, warmup, file: f, runs: runsFor(f), log, onBrowser: (b) => { browser = b; },
        }));
        app[f.label] = { ...result, cold };
        browserVersion = result.browserVersion ?? browserVersion;
      }
      if (args['30m']) large = await phase('app 30M', () => runLarge(baseUrl));
    } finally {
      stopPreview();
    }
  }

  /** @type {import('./report.mjs').RunResult} */
  const result = {
    date: new Date().toISOString(),
    command,
    label: args.label ?? null,
    dist: PREBUILT,
    machine: info,
    browserVersion,
    sizes: sizes.map((f) => ({ label: f.label, events: f.events, bytes: f.bytes, name: f.name })),
    native,
    papaparse,
    app,
    pandas,
    pandasNote,
    nativeExports,
    large,
    phases,
    idleBusyShare,
    runs: RUNS,
  };
  const raw = path.join(DATA_DIR, `run-${result.date.replaceAll(':', '-')}${args.label ? `-${args.label.replace(/[^\w.-]+/g, '_')}` : ''}.json`);
  writeFileSync(raw, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(DATA_DIR, 'last-run.json'), `${JSON.stringify(result, null, 2)}\n`);
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote the raw results to ${args.json} too`);
  }
  process.stdout.write(`\n${table(result)}\n\n${[...coldStepLines(result), ...largeLines(result)].join('\n')}\n`);
  // bench/results.md only from a complete run; --out writes any run's report anywhere.
  const out = args.out ?? (complete ? path.join(ROOT, 'bench', 'results.md') : null);
  if (out) {
    writeFileSync(out, `${resultsMarkdown(result)}\n`);
    log(`wrote ${path.relative(ROOT, out)} and ${path.relative(ROOT, raw)}`);
  } else {
    log(`partial run: bench/results.md not written (raw results in ${path.relative(ROOT, raw)}; --out FILE writes a report)`);
  }
}

main().then(
  () => cleanup(),
  async (error) => {
    log(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    await cleanup();
    process.exitCode = 1;
  },
);
