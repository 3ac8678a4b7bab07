// @ts-check
/**
 * `node bench/render-profile.mjs --dist DIR [--sizes 100k,1M] [--port 4401] [--changes 20] [--rest MS] [--drag | --keys | --load] [--top 30]`:
 * where the page's main thread spends a threshold change, for finding what to cut. For each
 * size: load the file (after the warm-up file), wait for DuckDB's tables and a rest, then run
 * the benchmark's sweep of thresholds, each change right after the previous one's result as
 * the benchmark does (`--rest MS`: a pause after each, so that the session views, which wait
 * for 150 ms of rest, update too; `--drag`: a slider drag instead; `--keys`: the benchmark's slider steps, the arrow key from 30 min; `--load`: the cold load
 * itself, file chosen → ready, with no warm-up file) under a CPU profile
 * (CDP Profiler, 100 µs samples) and a Chromium trace, and count the React components that
 * rendered in each commit (the page's React calls a `__REACT_DEVTOOLS_GLOBAL_HOOK__` that an
 * init script installs; production React does so too). Prints, per change: the main
 * thread's busy time (script, style/layout/paint, GC: bench/trace.mjs), the functions with
 * the most self time, the components with the most inclusive time (a build with
 * `vite build --minify false` keeps their names) and how often each rendered. Asserts
 * nothing; a diagnostic, not a benchmark (profiling slows the page).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../e2e/find-chromium.mjs';
import { pageProbe, probeOf, thresholdSweep } from './app-browser.mjs';
import { ensureDataFile } from './data.mjs';
import { sleep } from './stats.mjs';
import { summarizeTrace, TRACE_CATEGORIES } from './trace.mjs';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: {
    dist: { type: 'string' },
    sizes: { type: 'string', default: '100k,1M' },
    port: { type: 'string', default: '4401' },
    changes: { type: 'string', default: '20' },
    drag: { type: 'boolean', default: false },
    keys: { type: 'boolean', default: false },
    load: { type: 'boolean', default: false },
    top: { type: 'string', default: '30' },
    rest: { type: 'string', default: '0' },
    css: { type: 'string' },
    // The call stacks (3 frames up) of the samples in functions whose name is this.
    callers: { type: 'string' },
    all: { type: 'boolean', default: false },
    // Only the trace (lighter: for comparing builds by main-thread thread time).
    'no-profile': { type: 'boolean', default: false },
  },
});
/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);
const SIZES = { '100k': 100_000, '1M': 1_000_000, '10M': 10_000_000 };
if (!args.dist) throw new Error('--dist DIR: a build to serve (vite build --minify false keeps component names)');
const dist = path.resolve(args.dist);
const TOP = Number(args.top);

/**
 * Runs in the page: a minimal React DevTools hook that counts, per commit, the function
 * components that rendered (a fiber cloned for this render whose PerformedWork flag is set).
 */
function renderCounter() {
  /** @type {Map<string, number>} */
  const counts = new Map();
  let commits = 0;
  const PERFORMED_WORK = 1;
  const COMPONENT_TAGS = new Set([0, 1, 11, 14, 15]); // function, class, forwardRef, memo, simple memo
  /** @param {any} fiber */
  const nameOf = (fiber) => {
    const t = fiber.type;
    const name = t?.displayName || t?.name || t?.type?.displayName || t?.type?.name || t?.render?.name;
    if (name) return name;
    const fn = typeof t === 'function' ? t : (t?.type ?? t?.render);
    return `(anonymous: ${String(fn).slice(0, 60).replace(/\s+/g, ' ')})`;
  };
  /** @param {any} fiber */
  const walk = (fiber) => {
    // Children not cloned in this render (the same fibers as the previous tree's) did not render.
    if (fiber.alternate !== null && fiber.alternate.child === fiber.child) return;
    for (let child = fiber.child; child; child = child.sibling) {
      if (COMPONENT_TAGS.has(child.tag) && (child.alternate === null || (child.flags & PERFORMED_WORK) !== 0)) {
        const n = nameOf(child);
        counts.set(n, (counts.get(n) ?? 0) + 1);
      }
      walk(child);
    }
  };
  /** @type {any} */ (window).__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject() {
      return 1;
    },
    onCommitFiberRoot(/** @type {number} */ _id, /** @type {any} */ root) {
      commits++;
      try {
        walk(root.current);
      } catch {
        // never disturb the page
      }
    },
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    checkDCE() {},
  };
  /** @type {any} */ (window).__renders = {
    reset() {
      counts.clear();
      commits = 0;
    },
    read() {
      return { commits, counts: [...counts.entries()].sort((a, b) => b[1] - a[1]) };
    },
  };
}

/**
 * Self and inclusive time per function of a CPU profile (a function counted once per sample
 * however deep it recurses).
 * @param {any} profile
 */
function profileTable(profile) {
  /** @type {Map<number, any>} */
  const nodes = new Map(profile.nodes.map((/** @type {any} */ n) => [n.id, n]));
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** @param {any} n */
  const key = (n) => {
    const f = n.callFrame;
    const file = f.url ? f.url.split('/').pop()?.replace(/-[\w-]{8}\.js$/, '.js') : '';
    return `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
  };
  /** @type {Map<string, number>} */
  const self = new Map();
  /** @type {Map<string, number>} */
  const inclusive = new Map();
  /** @type {Map<number, string[]>} */
  const stacks = new Map();
  const stackOf = (/** @type {number} */ id) => {
    let s = stacks.get(id);
    if (s) return s;
    const keys = new Set();
    for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parent.get(at)) keys.add(key(nodes.get(at)));
    s = [...keys];
    stacks.set(id, s);
    return s;
  };
  /** @type {Map<string, number>} */
  const callers = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((/** @type {number} */ id, /** @type {number} */ i) => {
    const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000;
    const k = key(nodes.get(id));
    self.set(k, (self.get(k) ?? 0) + dt);
    for (const f of stackOf(id)) inclusive.set(f, (inclusive.get(f) ?? 0) + dt);
    if (args.callers && nodes.get(id).callFrame.functionName === args.callers) {
      const chain = [];
      for (let at = parent.get(id); at !== undefined && chain.length < 3; at = parent.get(at)) chain.push(key(nodes.get(at)));
      const c = chain.join(' < ');
      callers.set(c, (callers.get(c) ?? 0) + dt);
    }
  });
  return { self, inclusive, callers };
}

/**
 * The renderer main thread's trace events by name (total ms per change, nested events
 * counted in their own line too), and what the longest tasks held.
 * @param {Buffer} buffer @param {number} changes
 */
function traceBreakdown(buffer, changes) {
  /** @type {any[]} */
  const events = JSON.parse(buffer.toString('utf8')).traceEvents ?? [];
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return ['(no renderer main thread in the trace)'];
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && typeof e.dur === 'number');
  // Thread time (tdur) where the trace has it: on a busy machine a task's wall time includes
  // the time its thread waited for a core.
  const cpu = (/** @type {any} */ e) => (typeof e.tdur === 'number' ? e.tdur : e.dur) / 1000;
  /** @type {Map<string, number>} */
  const byName = new Map();
  for (const e of mine) byName.set(e.name, (byName.get(e.name) ?? 0) + cpu(e));
  let end = -Infinity;
  let threadMs = 0;
  for (const t of mine.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask').sort((a, b) => a.ts - b.ts)) {
    if (t.ts < end) continue;
    threadMs += cpu(t);
    end = t.ts + t.dur;
  }
  const lines = [
    `main thread CPU (thread clock) ${(threadMs / changes).toFixed(1)} ms per change`,
    'main-thread trace events (thread ms per change, nested ones included in their parents too):',
  ];
  lines.push(
    `  ${[...byName.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([n, ms]) => `${n} ${(ms / changes).toFixed(1)}`)
      .join(', ')}`,
  );
  const tasks = mine.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask').sort((a, b) => b.dur - a.dur);
  for (const t of tasks.slice(0, 5)) {
    /** @type {Map<string, number>} */
    const inside = new Map();
    for (const e of mine) {
      if (e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur) inside.set(e.name, (inside.get(e.name) ?? 0) + e.dur / 1000);
    }
    const what = [...inside.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([n, ms]) => `${n} ${ms.toFixed(1)}`)
      .join(', ');
    lines.push(`  task of ${(t.dur / 1000).toFixed(1)} ms: ${what}`);
  }
  return lines;
}

const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--outDir', dist, '--port', args.port, '--strictPort', '--host', '127.0.0.1'], {
  stdio: 'ignore',
  detached: true,
});
const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
try {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${args.port}/`)).ok) break;
    } catch {
      await sleep(100);
    }
  }
  const warmup = await ensureDataFile('warm-up', 1000, log);
  for (const size of args.sizes.split(',').map((s) => /** @type {keyof typeof SIZES} */ (s.trim()))) {
    const file = await ensureDataFile(size, SIZES[size], log);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(pageProbe);
    await page.addInitScript(renderCounter);
    // --css RULES: style rules added to the page, to try a rendering change without a build.
    if (args.css)
      await page.addInitScript((css) => {
        document.addEventListener('DOMContentLoaded', () => document.head.append(Object.assign(document.createElement('style'), { textContent: css })));
      }, args.css);
    const W = probeOf(page);
    const timeout = 120_000 + Math.ceil(file.bytes / 1e6) * 1000;
    await page.goto(`http://127.0.0.1:${args.port}/`);
    await page.getByTestId('app-status').waitFor({ state: 'attached' });
    // --load profiles the first file after the page opened, as a person sees it (cold).
    for (const f of args.load ? [] : [warmup, file]) {
      const since = await W.now();
      await page.getByTestId('file-input').setInputFiles(f.path);
      await W.waitFor({ state: 'ready', file: f.name }, since, timeout);
    }
    if (!args.load) await W.waitFor({ file: file.name, tables: 'ready' }, -1, timeout);
    await sleep(2000);
    const input = page.getByTestId('gap-minutes');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await page.evaluate(() => /** @type {any} */ (window).__renders.reset());
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    if (!args['no-profile']) await cdp.send('Profiler.start');
    const sinceAll = await W.now();
    let changes = 0;
    if (args.load) {
      await page.getByTestId('file-input').setInputFiles(file.path);
      await W.waitFor({ state: 'ready', file: file.name }, sinceAll, timeout);
      changes = 1;
    } else if (args.keys) {
      // The benchmark's slider steps: from 30 min, the arrow key on the focused slider, each
      // step once the previous result is on screen.
      await input.fill('30');
      await input.press('Enter');
      await W.waitFor({ state: 'ready', gap: '30' }, -1, timeout);
      await page.getByTestId('gap-slider').focus();
      for (let i = 0; i < Number(args.changes); i++) {
        const shown = await page.getByTestId('app-status').getAttribute('data-gap-minutes');
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction(
          (gap) => {
            const status = document.querySelector('[data-testid=app-status]');
            return status?.getAttribute('data-state') === 'ready' && status.getAttribute('data-gap-minutes') !== gap;
          },
          shown,
          { timeout },
        );
        await sleep(Number(args.rest));
        changes++;
      }
    } else if (args.drag) {
      const slider = page.getByTestId('gap-slider');
      const box = await slider.boundingBox();
      if (!box) throw new Error('the slider has no box');
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + 2, y);
      await page.mouse.down();
      const t0 = performance.now();
      for (let i = 1; i <= 150; i++) {
        await page.mouse.move(box.x + 2 + ((box.width - 4) * i) / 150, y);
        const wait = t0 + i * 20 - performance.now();
        if (wait > 0) await sleep(wait);
      }
      await page.mouse.up();
      await W.waitFor({ state: 'ready', gap: await input.inputValue() }, -1, timeout);
      changes = 1;
    } else {
      for (const minutes of thresholdSweep(Number(args.changes))) {
        const since = await W.now();
        await input.fill(String(minutes));
        await input.press('Enter');
        await W.waitFor({ state: 'ready', gap: String(minutes) }, since, timeout);
        await sleep(Number(args.rest));
        changes++;
      }
    }
    const { profile } = args['no-profile'] ? { profile: null } : /** @type {any} */ (await cdp.send('Profiler.stop'));
    const trace = await browser.stopTracing();
    const renders = await page.evaluate(() => /** @type {any} */ (window).__renders.read());
    const longtasks = await page.evaluate(
      (from) => /** @type {any} */ (window).__bench.longtasks.filter((/** @type {any} */ l) => l.start >= from).map((/** @type {any} */ l) => Math.round(l.duration)),
      sinceAll,
    );
    await context.close();

    const summary = summarizeTrace(trace, changes);
    const per = (/** @type {number} */ ms) => (ms / changes).toFixed(2);
    const what = args.load ? 'load' : args.drag ? 'drag' : args.keys ? 'step' : 'change';
    console.log(`\n## ${size}: ${args.load ? 'one cold load, file chosen → ready' : args.drag ? 'one slider drag' : args.keys ? `${changes} slider steps (arrow key)` : `${changes} threshold changes`}, figures per ${what}`);
    const m = summary.main;
    console.log(
      `main thread busy ${m.busyMs.toFixed(1)} ms: script ${m.scriptMs.toFixed(1)}, style/layout/paint ${m.renderingMs.toFixed(1)}, GC ${m.gcMs.toFixed(1)}; longest task ${m.longestTaskMs.toFixed(1)} ms; long tasks (page) ${JSON.stringify(longtasks)}`,
    );
    console.log(`React commits: ${renders.commits}; renders per ${what}:`);
    console.log(renders.counts.map((/** @type {[string, number]} */ [n, c]) => `${n} ${(c / changes).toFixed(1)}`).join(' | '));
    for (const line of traceBreakdown(trace, changes)) console.log(line);
    if (!profile) continue;
    const { self, inclusive, callers } = profileTable(profile);
    const sorted = (/** @type {Map<string, number>} */ m) => [...m.entries()].sort((a, b) => b[1] - a[1]);
    console.log(`\nself time (ms per ${what}):`);
    for (const [k, v] of sorted(self).slice(0, TOP)) console.log(`  ${per(v)}  ${k}`);
    if (args.callers) {
      console.log(`\ncallers of ${args.callers} (ms per ${what}):`);
      for (const [k, v] of sorted(callers).slice(0, TOP)) console.log(`  ${per(v)}  ${k}`);
    }
    console.log(`\ninclusive time of ${args.all ? 'every function' : 'components (capitalised names)'}:`);
    for (const [k, v] of sorted(inclusive)
      .filter(([k]) => (args.all ? !/^\((program|idle|root)\)/.test(k) : /^[A-Z]/.test(k)))
      .slice(0, TOP))
      console.log(`  ${per(v)}  ${k}`);
  }
} finally {
  await browser.close();
  try {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
