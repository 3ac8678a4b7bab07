// @ts-check
/**
 * `node bench/session-list.mjs [--port 4412] [--events 1000000]`: the session list on a
 * generated 1M-event file in headless Chromium, after `npm run build` (serves dist/). Prints
 * how long the first page, a sort and a threshold change took to show, and the main thread's
 * long tasks and longest frame gap while the list is scrolled (wheel steps, then jumps to
 * random places), beside a control (the page itself scrolled as much) on the same machine.
 * `--trace` also logs the main thread's busiest trace events and its long tasks' contents.
 * Never asserts on timings.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../e2e/find-chromium.mjs';
import { ROOT, ensureDataFile } from './data.mjs';

const { values: args } = parseArgs({
  args: process.argv.slice(2),
  options: { port: { type: 'string', default: '4412' }, events: { type: 'string', default: '1000000' }, trace: { type: 'boolean', default: false } },
});
/** @param {string} line */
const log = (line) => process.stderr.write(`${line}\n`);
const base = `http://127.0.0.1:${args.port}`;

const file = await ensureDataFile(`${Number(args.events) / 1e6}M`, Number(args.events), log);
const preview = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--port', args.port, '--strictPort', '--host', '127.0.0.1'], {
  cwd: ROOT,
  stdio: 'ignore',
  detached: true,
});
const stop = () => {
  try {
    if (preview.pid) process.kill(-preview.pid, 'SIGTERM');
  } catch {
    // already gone
  }
};
process.on('exit', stop);

/** Long tasks and frame gaps, recorded from before the page's scripts run. */
function probe() {
  const b = { longtasks: /** @type {{ start: number, duration: number }[]} */ ([]), frames: { on: false, last: 0, maxGap: 0 } };
  /** @type {any} */ (globalThis).__probe = b;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const tick = (/** @type {number} */ t) => {
    if (b.frames.on) {
      if (b.frames.last > 0) b.frames.maxGap = Math.max(b.frames.maxGap, t - b.frames.last);
      b.frames.last = t;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(base)).ok) break;
    } catch {
      if (i > 150) throw new Error(`vite preview did not answer on ${base}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const page = await browser.newPage({ timezoneId: 'America/New_York' });
  await page.addInitScript(probe);
  await page.goto(base);
  const status = page.getByTestId('app-status');
  const list = page.getByTestId('session-list');
  const timeout = { timeout: 600_000 };
  /** Milliseconds until the list is ready for the settings shown, from `t0` (page clock). */
  const untilListReady = async (/** @type {number} */ t0) => {
    await page.waitForFunction(() => document.querySelector('[data-testid=session-list]')?.getAttribute('data-state') === 'ready', null, timeout);
    return (await page.evaluate(() => performance.now())) - t0;
  };

  await page.getByTestId('file-input').setInputFiles(file.path);
  await page.waitForFunction(() => document.querySelector('[data-testid=app-status]')?.getAttribute('data-state') === 'ready', null, timeout);
  const readyAt = await page.evaluate(() => performance.now());
  const firstPageMs = await untilListReady(readyAt);
  const total = Number(await list.getAttribute('data-total'));

  // The same time without scrolling first: long tasks the list does not cause (DuckDB's background reading, say).
  const idleFrom = await page.evaluate(() => performance.now());
  await new Promise((r) => setTimeout(r, 5000));
  const idle = await page.evaluate((t0) => {
    const tasks = /** @type {any} */ (globalThis).__probe.longtasks.filter((/** @type {any} */ l) => l.start + l.duration >= t0);
    return { longTasks: tasks.length, longestTaskMs: tasks.reduce((m, /** @type {any} */ l) => Math.max(m, l.duration), 0) };
  }, idleFrom);

  // A control on this machine: the page itself scrolled by the same wheel steps (no list work).
  const control = await page.evaluate(() => performance.now());
  await page.mouse.move(5, 5);
  for (let i = 0; i < 150; i++) {
    await page.mouse.wheel(0, i < 75 ? 300 : -300);
    await new Promise((r) => setTimeout(r, 16));
  }
  const pageScroll = await page.evaluate((t0) => {
    const tasks = /** @type {any} */ (globalThis).__probe.longtasks.filter((/** @type {any} */ l) => l.start + l.duration >= t0);
    return { longTasks: tasks.length, longestTaskMs: tasks.reduce((m, /** @type {any} */ l) => Math.max(m, l.duration), 0) };
  }, control);

  // Scrolling: 150 wheel steps of 900 px every ~16 ms, then 40 jumps to random rows.
  const body = list.locator('tbody');
  await body.scrollIntoViewIfNeeded();
  const box = await body.boundingBox();
  if (!box) throw new Error('the session list has no box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const before = await metrics();
  if (args.trace) await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  const from = await page.evaluate(() => {
    const b = /** @type {any} */ (globalThis).__probe;
    b.frames = { on: true, last: 0, maxGap: 0 };
    return performance.now();
  });
  for (let i = 0; i < 150; i++) {
    await page.mouse.wheel(0, 900);
    await new Promise((r) => setTimeout(r, 16));
  }
  for (let i = 0; i < 40; i++) {
    await body.evaluate((el, f) => el.scrollTo(0, f * el.scrollHeight), (i * 0.618) % 1);
    await new Promise((r) => setTimeout(r, 50));
  }
  await untilListReady(from);
  const after = await metrics();
  if (args.trace) {
    const events = JSON.parse((await browser.stopTracing()).toString('utf8')).traceEvents;
    const names = new Map();
    for (const e of events) if (e.ph === 'X' && e.dur) names.set(e.name, (names.get(e.name) ?? 0) + e.dur / 1000);
    log(JSON.stringify([...names].sort((a, b) => b[1] - a[1]).slice(0, 25)));
    const mainIds = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
    const main = events.filter((e) => e.ph === 'X' && mainIds.has(`${e.pid}:${e.tid}`));
    const paints = main.filter((e) => e.name === 'Paint').sort((a, b) => b.dur - a.dur).slice(0, 3);
    for (const e of paints) log(`paint ${(e.dur / 1000).toFixed(0)} ms ${JSON.stringify(e.args?.data ?? {})}`);
    const long = main.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur > 50_000).slice(0, 4);
    for (const t of long) {
      const inner = main.filter((e) => e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && e !== t && e.dur > 3000);
      log(`task ${(t.dur / 1000).toFixed(0)} ms: ${inner.map((e) => `${e.name} ${(e.dur / 1000).toFixed(0)}${e.args?.data?.url ? ` ${e.args.data.url.slice(-40)}` : ''}${e.args?.data?.functionName ? ` ${e.args.data.functionName}` : ''}${e.args?.elementCount ? ` elements ${e.args.elementCount}` : ''}`).join(' | ')}`);
    }
  }
  const spent = (/** @type {string} */ k) => ((after[k] - before[k]) * 1000).toFixed(0);
  const scroll = await page.evaluate((t0) => {
    const b = /** @type {any} */ (globalThis).__probe;
    b.frames.on = false;
    const tasks = b.longtasks.filter((/** @type {any} */ l) => l.start + l.duration >= t0);
    return {
      ms: performance.now() - t0,
      longTasks: tasks.length,
      longestTaskMs: tasks.reduce((m, /** @type {any} */ l) => Math.max(m, l.duration), 0),
      maxFrameGapMs: b.frames.maxGap,
      rowsInDom: document.querySelectorAll('[data-testid=session-row]').length,
    };
  }, from);

  const sortAt = await page.evaluate(() => performance.now());
  await page.getByTestId('session-sort-duration').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=session-list]')?.getAttribute('data-sort') === 'duration');
  const sortMs = await untilListReady(sortAt);

  const gapAt = await page.evaluate(() => performance.now());
  await page.getByTestId('gap-minutes').fill('5');
  await page.getByTestId('gap-minutes').press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=app-status]')?.getAttribute('data-gap-minutes') === '5', null, timeout);
  const thresholdMs = await untilListReady(gapAt);
  const lines = [
    `| ${file.label} events, ${total.toLocaleString('en-US')} sessions | ms |`,
    '| --- | --- |',
    `| first page after the figures are ready | ${firstPageMs.toFixed(0)} |`,
    `| sort by duration, until shown | ${sortMs.toFixed(0)} |`,
    `| threshold 30 → 5 min, until the list is ready | ${thresholdMs.toFixed(0)} |`,
    `| scroll (150 wheel steps, 40 jumps): long tasks | ${scroll.longTasks}, longest ${scroll.longestTaskMs.toFixed(0)} |`,
    `| 5 s without scrolling, before: long tasks | ${idle.longTasks}, longest ${idle.longestTaskMs.toFixed(0)} |`,
    `| control, the page scrolled by as many wheel steps: long tasks | ${pageScroll.longTasks}, longest ${pageScroll.longestTaskMs.toFixed(0)} |`,
    `| scroll: longest gap between frames | ${scroll.maxFrameGapMs.toFixed(0)} |`,
    `| scroll: main thread busy (script, layout, style) | ${spent('TaskDuration')} (${spent('ScriptDuration')}, ${spent('LayoutDuration')}, ${spent('RecalcStyleDuration')}) |`,
    `| rows in the DOM | ${scroll.rowsInDom} |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await browser.close();
  stop();
}
