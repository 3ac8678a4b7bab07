// @ts-check
/**
 * Drives the built app in headless Debian chromium through the hooks of
 * shared/ui-contract.md only (file input, gap input, slider, app-status attributes), and
 * measures it. One fresh browser per file size, so each size's peak memory is its own.
 *
 * Every duration is measured inside the page, on the page's clock (performance.now()):
 * - start: the `change` event of the control (file input / minutes input), seen by a
 *   capture listener on the document before the app's own listener runs;
 * - end: the first mutation of `[data-testid=app-status]` after it whose attributes say
 *   data-state=ready with the expected data-file / data-gap-minutes, seen by a
 *   MutationObserver (its callback runs right after React's commit, before paint).
 * Playwright's round trips are therefore not in the numbers.
 */
import { readFileSync, statSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { median, percentile, sleep } from './stats.mjs';
import { CHROMIUM_ARGS, findChromium } from '../e2e/find-chromium.mjs';
import { summarizeTrace, TRACE_CATEGORIES } from './trace.mjs';

/**
 * Runs in the page before any of its scripts (page.addInitScript). Keeps a log of
 * app-status changes, control change events and long tasks on `window.__bench`.
 */
export function pageProbe() {
  /** @typedef {{ t: number, state: string | null, file: string | null, gap: string | null, tables: string | null }} StatusRecord */
  /** @type {StatusRecord[]} */
  const states = [];
  /** @type {{ t: number, id: string, type: string }[]} */
  const events = [];
  /** @type {{ start: number, duration: number }[]} */
  const longtasks = [];
  /** @type {{ spec: Record<string, string>, since: number, resolve: (t: number) => void, reject: (e: Error) => void }[]} */
  let waiters = [];
  let frames = { on: false, last: 0, maxGap: 0, count: 0 };

  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // longtask not supported: the list stays empty and the report says so
  }

  // Requests to the page's workers (DuckDB-WASM, stats, ingest) and their replies, matched
  // by message id, so a load's time can be split by query. Observes only: every message
  // is passed on unchanged.
  /** @type {{ w: string, id: unknown, type: string, what: string, t0: number, t1: number | null }[]} */
  const messages = [];
  /** @type {Map<string, (typeof messages)[number]>} */
  const open = new Map();
  /** @param {any} msg */
  const describe = (msg) => {
    const data = msg?.data;
    const text = typeof data === 'string' ? data : Array.isArray(data) ? data.find((x) => typeof x === 'string') : null;
    return typeof text === 'string' ? text.replace(/\s+/g, ' ').slice(0, 200) : '';
  };
  const NativeWorker = globalThis.Worker;
  let workerSeq = 0;
  if (NativeWorker) {
    class ObservedWorker extends NativeWorker {
      /** @param {string | URL} url @param {WorkerOptions} [options] */
      constructor(url, options) {
        super(url, options);
        const w = `${++workerSeq}:${String(url).split('/').pop()?.split('?')[0] ?? ''}`;
        /** @type {string} */
        this.benchName = w;
        this.addEventListener('message', (/** @type {MessageEvent} */ e) => {
          const d = e.data;
          if (!d || typeof d !== 'object' || d.type === 'LOG') return;
          const key = 'requestId' in d ? d.requestId : 'ok' in d ? d.id : undefined;
          if (key === undefined) return;
          const m = open.get(`${w}#${key}`);
          if (!m) return;
          m.t1 = performance.now();
          open.delete(`${w}#${key}`);
        });
      }
      /** @param {any[]} args */
      postMessage(...args) {
        try {
          const msg = args[0];
          const id = msg?.messageId ?? msg?.id;
          if (id !== undefined) {
            const rec = { w: this.benchName, id, type: String(msg.type ?? msg.method ?? ''), what: describe(msg), t0: performance.now(), t1: null };
            messages.push(rec);
            open.set(`${this.benchName}#${id}`, rec);
            if (messages.length > 20_000) messages.splice(0, 10_000);
          }
        } catch {
          // never disturb the page
        }
        return super.postMessage(.../** @type {[any, any]} */ (args));
      }
    }
    globalThis.Worker = ObservedWorker;
  }

  /** @param {Event} e */
  const onEvent = (e) => {
    const target = /** @type {HTMLElement | null} */ (e.target);
    const id = target?.dataset?.testid;
    if (id && (e.type === 'change' || e.type === 'click' || id === 'gap-slider')) events.push({ t: performance.now(), id, type: e.type });
  };
  document.addEventListener('change', onEvent, true);
  document.addEventListener('input', onEvent, true);
  document.addEventListener('click', onEvent, true);

  /** @param {StatusRecord} s @param {Record<string, string>} spec */
  const matches = (s, spec) => Object.entries(spec).every(([k, v]) => /** @type {Record<string, unknown>} */ (s)[k] === v);

  const check = () => {
    const el = document.querySelector('[data-testid=app-status]');
    if (!el) return;
    const s = {
      t: performance.now(), state: el.getAttribute('data-state'), file: el.getAttribute('data-file'), gap: el.getAttribute('data-gap-minutes'),
      tables: el.getAttribute('data-tables'),
    };
    const last = states[states.length - 1];
    if (last && last.state === s.state && last.file === s.file && last.gap === s.gap && last.tables === s.tables) return;
    states.push(s);
    if (states.length > 100_000) states.splice(0, 50_000);
    waiters = waiters.filter((w) => {
      if (s.t >= w.since && matches(s, w.spec)) {
        w.resolve(s.t);
        return false;
      }
      if (s.state === 'error') {
        const message = document.querySelector('[data-testid=error]')?.textContent ?? '(no message)';
        w.reject(new Error(`the page reports an error: ${message}`));
        return false;
      }
      return true;
    });
  };
  new MutationObserver(check).observe(document, {
    subtree: true, attributes: true, attributeFilter: ['data-state', 'data-file', 'data-gap-minutes', 'data-tables'],
  });

  const frame = () => {
    if (!frames.on) return;
    const now = performance.now();
    if (frames.last > 0) frames.maxGap = Math.max(frames.maxGap, now - frames.last);
    frames.last = now;
    frames.count++;
    requestAnimationFrame(frame);
  };

  /** @type {any} */ (window).__bench = {
    messages,
    states,
    events,
    longtasks,
    /** The current status, read directly. */
    now() {
      check();
      return states[states.length - 1] ?? null;
    },
    /**
     * The page-clock time of the first status at or after `since` matching `spec`
     * (waits for it; rejects on data-state=error or after timeoutMs).
     * @param {Record<string, string>} spec @param {number} since @param {number} timeoutMs
     */
    waitFor(spec, since, timeoutMs) {
      check();
      // since < 0: the latest status counts too, whenever it was reached.
      const latest = states[states.length - 1];
      if (since < 0 && latest && matches(latest, spec)) return Promise.resolve(latest.t);
      const found = states.find((s) => s.t >= since && matches(s, spec));
      if (found) return Promise.resolve(found.t);
      if (since >= 0 && states.some((s) => s.t >= since && s.state === 'error')) {
        const message = document.querySelector('[data-testid=error]')?.textContent ?? '(no message)';
        return Promise.reject(new Error(`the page reports an error: ${message}`));
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${JSON.stringify(spec)}; status: ${JSON.stringify(states[states.length - 1])}`)), timeoutMs);
        waiters.push({ spec, since, resolve: (t) => { clearTimeout(timer); resolve(t); }, reject: (e) => { clearTimeout(timer); reject(e); } });
      });
    },
    /** @param {string} id @param {number} since */
    firstEvent(id, since, type = 'change') {
      return events.find((e) => e.id === id && e.type === type && e.t >= since)?.t ?? null;
    },
    startFrames() {
      frames = { on: true, last: 0, maxGap: 0, count: 0 };
      requestAnimationFrame(frame);
    },
    stopFrames() {
      frames.on = false;
      return { maxGap: frames.maxGap, count: frames.count };
    },
  };
}

/** Arrow-key presses on the slider per size (see benchAppSize). */
export const SLIDER_KEY_STEPS = 20;

/**
 * Log-spaced thresholds across the slider's range (6 s to 7 days), 3 significant digits,
 * ends exact; never the default 30.
 * @param {number} n
 */
export function thresholdSweep(n = 20) {
  const lo = 0.1;
  const hi = 10_080;
  /** @type {number[]} */
  const values = [];
  for (let i = 0; i < n; i++) {
    const v = i === 0 ? lo : i === n - 1 ? hi : Number((lo * (hi / lo) ** (i / (n - 1))).toPrecision(3));
    values.push(v === 30 ? 31 : v);
  }
  return values;
}

/**
 * Chromium's renderer processes and their memory, from the browser's own process list
 * (CDP SystemInfo.getProcessInfo) and /proc/<pid>/status.
 * @param {import('playwright-core').CDPSession} browserCdp
 */
export async function rendererMemory(browserCdp) {
  /** @type {{ processInfo: { type: string, id: number }[] }} */
  const info = /** @type {any} */ (await browserCdp.send('SystemInfo.getProcessInfo'));
  return info.processInfo
    .filter((p) => p.type === 'renderer')
    .map((p) => {
      let hwm = 0;
      let rss = 0;
      try {
        const status = readFileSync(`/proc/${p.id}/status`, 'utf8');
        hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
        rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
      } catch {
        // the process is gone
      }
      return { pid: p.id, peakRssBytes: hwm, rssBytes: rss };
    })
    .sort((a, b) => b.peakRssBytes - a.peakRssBytes);
}

/**
 * Node-side handles on the in-page helpers installed by pageProbe (`window.__bench` is
 * untyped here).
 * @param {import('playwright-core').Page} page
 */
export function probeOf(page) {
  return {
    /** @param {Record<string, string>} spec @param {number} since @param {number} timeout @returns {Promise<number>} */
    waitFor: (spec, since, timeout) =>
      page.evaluate((a) => /** @type {any} */ (globalThis).__bench.waitFor(a.spec, a.since, a.timeout), { spec, since, timeout }),
    /** @param {string} id @param {number} since @returns {Promise<number | null>} */
    firstEvent: (id, since, type = 'change') =>
      page.evaluate((a) => /** @type {any} */ (globalThis).__bench.firstEvent(a.id, a.since, a.type), { id, since, type }),
    /** @returns {Promise<number>} */
    now: () => page.evaluate(() => performance.now()),
  };
}

/** The page's export buttons (shared/ui-contract.md), each with the native run's id for it. */
export const EXPORTS = /** @type {const} */ ([
  { id: 'events-csv', testId: 'export-events-csv', label: 'events CSV' },
  { id: 'sessions-csv', testId: 'export-sessions-csv', label: 'sessions CSV' },
  { id: 'events-parquet', testId: 'export-events-parquet', label: 'events Parquet' },
  { id: 'sessions-parquet', testId: 'export-sessions-parquet', label: 'sessions Parquet' },
]);

/** The threshold the exports are made at (also native DuckDB's). */
export const EXPORT_MINUTES = 30;

/**
 * @typedef {object} AppExport
 * @property {string} id events-csv, sessions-csv, events-parquet, sessions-parquet
 * @property {number} ms click → the downloaded file complete on disk, from Node (Playwright's download event, then download.path())
 * @property {number} bytes the downloaded file's size
 * @property {string} fileName the name the page gave it
 * @property {number} longestTaskMs the longest main-thread long task between the click and the file on disk
 * @property {Record<string, number>} [steps] ms spent in each of the page's `export:<step>` measures (src/state/exports.ts), summed over its chunks
 * @property {string} [error] the page's message (or the timeout) when no file came
 */

/**
 * The page's four exports of the loaded file at EXPORT_MINUTES, one after the other, each
 * through its button: time from the click to the downloaded file complete on disk, and its
 * size. The file is deleted at once (a 10M events CSV is most of a GB).
 * @param {import('playwright-core').Page} page
 * @param {import('./data.mjs').DataFile} file
 * @param {(line: string) => void} log
 * @returns {Promise<AppExport[]>}
 */
export async function benchAppExports(page, file, log) {
  const W = probeOf(page);
  const timeout = 120_000 + Math.ceil(file.bytes / 1e6) * 2000;
  // The exports need DuckDB's tables, and are made at the same threshold as native DuckDB's.
  await W.waitFor({ file: file.name, tables: 'ready' }, -1, timeout);
  await page.getByTestId('gap-minutes').fill(String(EXPORT_MINUTES));
  await page.getByTestId('gap-minutes').press('Enter');
  // -1: the status on screen counts too (the threshold may have been 30 already).
  await W.waitFor({ state: 'ready', gap: String(EXPORT_MINUTES) }, -1, timeout);
  /** @type {AppExport[]} */
  const results = [];
  for (const e of EXPORTS) {
    const button = page.getByTestId(e.testId);
    // The buttons are disabled while another export runs or the page loads.
    await page.waitForFunction((id) => !(/** @type {HTMLButtonElement | null} */ (document.querySelector(`[data-testid=${id}]`))?.disabled), e.testId, { timeout });
    const pageFrom = await W.now();
    const started = performance.now();
    try {
      if (await page.getByTestId('error').isVisible()) throw new Error(`an error is on the page before the click: ${await page.getByTestId('error').textContent()}`);
      const downloaded = page.waitForEvent('download', { timeout });
      // An error shown instead of a file ends the wait at once.
      const failed = page.getByTestId('error').waitFor({ state: 'visible', timeout }).then(async () => {
        throw new Error(`the page reports an error: ${await page.getByTestId('error').textContent()}`);
      });
      failed.catch(() => {});
      await button.click();
      const download = await Promise.race([downloaded, failed]);
      const savedAt = await download.path();
      const ms = performance.now() - started;
      const bytes = statSync(savedAt).size;
      const fileName = download.suggestedFilename();
      await download.delete();
      const pageTo = await W.now();
      /** @type {{ start: number, duration: number }[]} */
      const longtasks = await page.evaluate((a) => /** @type {any} */ (globalThis).__bench.longtasks.filter((/** @type {any} */ l) => l.start + l.duration >= a.from && l.start <= a.to), { from: pageFrom, to: pageTo });
      const longestTaskMs = longtasks.reduce((m, l) => Math.max(m, l.duration), 0);
      // The page's own measure of each export step (the ordered events, the sessions table, the chunks, …).
      /** @type {Record<string, number>} */
      const steps = await page.evaluate((a) => {
        /** @type {Record<string, number>} */
        const sums = {};
        for (const m of performance.getEntriesByType('measure'))
          if (m.name.startsWith('export:') && m.startTime >= a.from && m.startTime <= a.to) sums[m.name.slice(7)] = (sums[m.name.slice(7)] ?? 0) + m.duration;
        return sums;
      }, { from: pageFrom, to: pageTo });
      results.push({ id: e.id, ms, bytes, fileName, longestTaskMs, steps });
      const stepText = Object.entries(steps).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ');
      log(`  app ${file.label}: export ${e.label}: ${Math.round(ms)} ms to ${(bytes / 1e6).toFixed(1)} MB on disk (${fileName}); longest main-thread task ${Math.round(longestTaskMs)} ms; steps: ${stepText}`);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
      results.push({ id: e.id, ms: Number.NaN, bytes: 0, fileName: '', longestTaskMs: Number.NaN, error: message });
      log(`  app ${file.label}: export ${e.label} failed: ${message}`);
      // The next export would meet the same error banner: stop here.
      break;
    }
  }
  return results;
}

/**
 * @typedef {object} AppSizeResult
 * @property {string} label
 * @property {{ ms: number, tablesMs: number, nodeMs: number, stats: Record<string, number>, start: number, ready: number, longTaskMs?: number }[]} loads
 * @property {number} loadMedianMs
 * @property {number} tablesMedianMs file chosen -> DuckDB's tables made (data-tables=ready)
 * @property {{ minutes: number, ms: number, start: number, ready: number, longTaskMs?: number }[]} thresholds
 * @property {number} thresholdMedianMs
 * @property {number} thresholdP95Ms
 * @property {{ minutes: number, ms: number, start: number, ready: number, longTaskMs?: number }[]} sliderSteps the slider's arrow-key steps from 30 min
 * @property {number} sliderStepMedianMs
 * @property {number} sliderStepP95Ms
 * @property {object} drag
 * @property {number} peakJsHeapBytes main thread only (CDP Performance.getMetrics JSHeapUsedSize, sampled every 200 ms)
 * @property {{ pid: number, peakRssBytes: number, rssBytes: number }[]} renderers
 * @property {number} rendererPeakRssBytes
 * @property {number} rendererPeakRssAfterWarmupBytes
 * @property {number | null} firstContentfulPaintMs
 * @property {number} warmupReadyMs page-clock time (since navigation) at which the warm-up file was ready
 * @property {number} sampleReadyMs click on the sample button (right after the page opened) -> the sample ready
 * @property {string[]} consoleErrors
 * @property {string} browserVersion
 * @property {string[]} measures performance.measure entries the page recorded (none yet)
 * @property {Record<string, any>} diagnosis traced pass: main-thread and worker busy time
 * @property {Record<string, any>} workerRequests requests to the page's workers during the median load and threshold change
 * @property {string} [error] the page's message when it refused or failed the benchmark file
 * @property {number} [failedAfterMs] file chosen -> data-state=error
 * @property {ColdResult} [cold] the benchmark file as the first file of a freshly opened page (benchAppCold)
 * @property {AppExport[]} exports the four exports at EXPORT_MINUTES (benchAppExports), after the timed loads and changes
 * @property {number} rendererPeakRssAfterExportsBytes the largest renderer's VmHWM after the exports
 */

/**
 * @param {object} o
 * @param {string} o.baseUrl
 * @param {import('./data.mjs').DataFile} o.warmup
 * @param {import('./data.mjs').DataFile} o.file
 * @param {number} o.runs
 * @param {(line: string) => void} o.log
 * @param {(browser: import('playwright-core').Browser | null) => void} o.onBrowser registers the browser for the signal handler
 * @returns {Promise<AppSizeResult>}
 */
export async function benchAppSize({ baseUrl, warmup, file, runs, log, onBrowser }) {
  // Signals are handled by run.mjs (Playwright's own handlers would exit before the
  // preview server is stopped).
  const browser = await chromium.launch({
    executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  onBrowser(browser);
  try {
    const browserCdp = await browser.newBrowserCDPSession();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    /** @type {string[]} */
    const consoleErrors = [];
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 300)); });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message.slice(0, 300)}`));
    await page.addInitScript(pageProbe);

    // Main-thread JS heap, sampled in the background for the whole session.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    let peakJsHeapBytes = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        try {
          /** @type {{ metrics: { name: string, value: number }[] }} */
          const { metrics } = /** @type {any} */ (await cdp.send('Performance.getMetrics'));
          const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
          peakJsHeapBytes = Math.max(peakJsHeapBytes, used);
        } catch {
          // page closing
        }
        await sleep(200);
      }
    })();

    try {
      const loadTimeout = 60_000 + Math.ceil(file.bytes / 1e6) * 1000;
      const W = probeOf(page);

      /**
       * Chooses a file and returns the page-clock duration change event -> ready with that file,
       * and -> DuckDB's tables made too (data-tables=ready: exports and timelines need them; a
       * file shown from its quick read is ready before). Returns once both are.
       * @param {import('./data.mjs').DataFile} f
       */
      const loadFile = async (f) => {
        const since = await W.now();
        const nodeStart = performance.now();
        await page.getByTestId('file-input').setInputFiles(f.path);
        const timeout = f === warmup ? 120_000 : loadTimeout;
        const ready = await W.waitFor({ state: 'ready', file: f.name }, since, timeout);
        const nodeMs = performance.now() - nodeStart;
        const tablesAt = await W.waitFor({ file: f.name, tables: 'ready' }, since, timeout);
        const start = await W.firstEvent('file-input', since);
        if (start === null) throw new Error('no change event on the file input was seen');
        return { ms: ready - start, tablesMs: tablesAt - start, nodeMs, readyAt: ready, start };
      };

      const readStats = async () => {
        /** @type {Record<string, number>} */
        const stats = {};
        for (const name of ['events', 'users', 'sessions', 'skipped-rows']) {
          stats[name] = Number(await page.getByTestId(`stat-${name}`).getAttribute('data-value'));
        }
        return stats;
      };

      // Open the page, click the sample as a newcomer would (the engine still starting), then
      // warm the engine up with a tiny file.
      await page.goto(baseUrl);
      await page.getByTestId('app-status').waitFor({ state: 'attached' });
      const sampleSince = await W.now();
      await page.getByTestId('load-sample').click();
      const sampleReady = await W.waitFor({ state: 'ready', file: 'clicks-sample.csv' }, sampleSince, 120_000);
      const sampleClick = await W.firstEvent('load-sample', sampleSince, 'click');
      if (sampleClick === null) throw new Error('no click on the sample button was seen');
      const sampleReadyMs = sampleReady - sampleClick;
      const warm = await loadFile(warmup);
      const firstContentfulPaintMs = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
      const rendererPeakRssAfterWarmupBytes = (await rendererMemory(browserCdp))[0]?.peakRssBytes ?? 0;
      log(`  app ${file.label}: page open; warm-up file ready ${Math.round(warm.readyAt)} ms after navigation`);

      // Loads: the benchmark file, `runs` times, with the warm-up file in between so that
      // data-file changes each time.
      /** @type {AppSizeResult['loads']} */
      const loads = [];
      for (let r = 0; r < runs; r++) {
        if (r > 0) await loadFile(warmup);
        const loadStart = await W.now();
        try {
          const { ms, tablesMs, nodeMs, start, readyAt } = await loadFile(file);
          const stats = await readStats();
          loads.push({ ms, tablesMs, nodeMs, stats, start, ready: readyAt });
          log(`  app ${file.label}: load ${r + 1}/${runs}: ${Math.round(ms)} ms, DuckDB's tables ${Math.round(tablesMs)} ms (node-side ${Math.round(nodeMs)} ms); sessions ${stats.sessions}`);
        } catch (error) {
          // The page refused or failed the file: report that (and the memory it took) and
          // measure nothing else at this size.
          const message = error instanceof Error ? error.message.replace(/^page\.evaluate: (Error: )?/, '').split('\n')[0] ?? '' : String(error);
          const failedAfterMs = (await W.now()) - ((await W.firstEvent('file-input', loadStart)) ?? loadStart);
          log(`  app ${file.label}: load ${r + 1}/${runs} failed after ${Math.round(failedAfterMs)} ms: ${message}`);
          const renderers = await rendererMemory(browserCdp);
          return {
            label: file.label, error: message, failedAfterMs, loads, loadMedianMs: Number.NaN, tablesMedianMs: Number.NaN, thresholds: [], thresholdMedianMs: Number.NaN,
            thresholdP95Ms: Number.NaN, sliderSteps: [], sliderStepMedianMs: Number.NaN, sliderStepP95Ms: Number.NaN, drag: {}, peakJsHeapBytes, renderers, rendererPeakRssBytes: renderers[0]?.peakRssBytes ?? 0,
            rendererPeakRssAfterWarmupBytes, firstContentfulPaintMs, warmupReadyMs: warm.readyAt, sampleReadyMs, consoleErrors,
            browserVersion: browser.version(), measures: [], diagnosis: {}, workerRequests: {}, exports: [], rendererPeakRssAfterExportsBytes: 0,
          };
        }
      }

      // Threshold changes through the minutes input.
      /** @type {AppSizeResult['thresholds']} */
      const thresholds = [];
      const input = page.getByTestId('gap-minutes');
      const thresholdTimeout = 60_000 + Math.ceil(file.bytes / 1e6) * 200;
      for (const minutes of thresholdSweep(20)) {
        const since = await W.now();
        await input.fill(String(minutes));
        await input.press('Enter');
        const ready = await W.waitFor({ state: 'ready', gap: String(minutes) }, since, thresholdTimeout);
        const start = await W.firstEvent('gap-minutes', since);
        if (start === null) throw new Error('no change event on the minutes input was seen');
        thresholds.push({ minutes, ms: ready - start, start, ready });
      }
      const ts = thresholds.map((t) => t.ms);
      log(`  app ${file.label}: threshold changes median ${median(ts).toFixed(1)} ms, p95 ${percentile(ts, 95).toFixed(1)} ms`);

      // Slider steps: from 30 min, SLIDER_KEY_STEPS presses of the arrow key on the focused
      // slider (a fine step, 1.3% each), each once the previous result is on screen: a person
      // nudging the slider. The sweep above is big jumps (a typed value, a click on a chart).
      /** @type {AppSizeResult['sliderSteps']} */
      const sliderSteps = [];
      {
        await input.fill('30');
        await input.press('Enter');
        await W.waitFor({ state: 'ready', gap: '30' }, -1, thresholdTimeout);
        const slider = page.getByTestId('gap-slider');
        await slider.focus();
        let shownGap = '30';
        for (let i = 0; i < SLIDER_KEY_STEPS; i++) {
          const since = await W.now();
          await page.keyboard.press('ArrowRight');
          const ready = await page.waitForFunction(
            (a) => /** @type {any} */ (globalThis).__bench.states.find((/** @type {any} */ s) => s.t >= a.since && s.state === 'ready' && s.gap !== a.gap) ?? null,
            { since, gap: shownGap },
            { timeout: thresholdTimeout },
          );
          const state = /** @type {{ t: number, gap: string }} */ (await ready.jsonValue());
          const start = await W.firstEvent('gap-slider', since, 'input');
          if (start === null) throw new Error('no input event on the slider was seen');
          sliderSteps.push({ minutes: Number(state.gap), ms: state.t - start, start, ready: state.t });
          shownGap = state.gap;
        }
      }
      const stepMs = sliderSteps.map((t) => t.ms);
      log(`  app ${file.label}: slider steps (${sliderSteps[0]?.minutes} … ${sliderSteps.at(-1)?.minutes} min) median ${median(stepMs).toFixed(1)} ms, p95 ${percentile(stepMs, 95).toFixed(1)} ms`);

      // Slider drag: the mouse pressed on the slider's left end and moved to its right end in
      // steps every ~20 ms for ~3 s, then released.
      const slider = page.getByTestId('gap-slider');
      await slider.scrollIntoViewIfNeeded();
      const box = await slider.boundingBox();
      if (!box) throw new Error('the slider has no box');
      const y = box.y + box.height / 2;
      const steps = 150;
      const dragStart = await W.now();
      await page.evaluate(() => /** @type {any} */ (globalThis).__bench.startFrames());
      await page.mouse.move(box.x + 2, y);
      await page.mouse.down();
      const t0 = performance.now();
      for (let i = 1; i <= steps; i++) {
        await page.mouse.move(box.x + 2 + ((box.width - 4) * i) / steps, y);
        const due = t0 + i * 20;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
      await page.mouse.up();
      const dragNodeMs = performance.now() - t0;
      const releasedAt = await W.now();
      /** @type {string} */
      const finalGap = await page.getByTestId('gap-minutes').inputValue();
      // The result for the final slider value may already be on screen when the mouse is
      // released: then it settled at that status change (settleMs is then <= 0). If the
      // status never changed during the drag, the drag ends at the release.
      const changed = await page.evaluate((from) => /** @type {any} */ (globalThis).__bench.states.some((/** @type {any} */ s) => s.t >= from), dragStart);
      const settledAt = changed ? await W.waitFor({ state: 'ready', gap: finalGap }, dragStart, thresholdTimeout) : releasedAt;
      /** @type {{ maxGap: number, count: number }} */
      const frames = await page.evaluate(() => /** @type {any} */ (globalThis).__bench.stopFrames());
      /** @type {{ longtasks: { start: number, duration: number }[], inputs: number, results: number, shown: number, supported: boolean }} */
      const probe = await page.evaluate((a) => {
        const b = /** @type {any} */ (globalThis).__bench;
        return {
          longtasks: b.longtasks.filter((/** @type {any} */ l) => l.start + l.duration >= a.from && l.start <= a.to),
          inputs: b.events.filter((/** @type {any} */ e) => e.id === 'gap-slider' && e.type === 'input' && e.t >= a.from && e.t <= a.to).length,
          results: b.states.filter((/** @type {any} */ s) => s.state === 'ready' && s.t >= a.from && s.t <= a.to).length,
        // A new data-gap-minutes is a new result on screen, even while data-state stays
        // 'loading' because the slider has moved on again.
        shown: b.states.filter((/** @type {any} */ s, /** @type {number} */ i) => s.t >= a.from && s.t <= a.to && i > 0 && s.gap !== b.states[i - 1].gap).length,
          supported: PerformanceObserver.supportedEntryTypes.includes('longtask'),
        };
      }, { from: dragStart, to: Math.max(settledAt, releasedAt) });
      const longest = probe.longtasks.reduce((m, l) => Math.max(m, l.duration), 0);
      const drag = {
        nodeMs: dragNodeMs,
        pageMs: settledAt - dragStart,
        settleMs: settledAt - releasedAt,
        sliderInputs: probe.inputs,
        readyResults: probe.results,
      resultsShown: probe.shown,
        longTasks: probe.longtasks.length,
        longestTaskMs: longest,
        longtaskSupported: probe.supported,
        maxFrameGapMs: frames.maxGap,
        frames: frames.count,
        finalGap,
        statusChanged: changed,
      };
      log(`  app ${file.label}: drag ${Math.round(dragNodeMs)} ms, ${probe.inputs} slider inputs, ${probe.shown} results shown, ${probe.results} times ready, ` +
        `${probe.longtasks.length} long tasks, longest ${Math.round(longest)} ms, max frame gap ${Math.round(frames.maxGap)} ms`);

      // Main-thread long tasks inside each timed window (from the same probe).
      /** @type {{ start: number, duration: number }[]} */
      const allLongtasks = await page.evaluate(() => /** @type {any} */ (globalThis).__bench.longtasks);
      /** @param {number} from @param {number} to */
      const blocked = (from, to) => allLongtasks
        .filter((l) => l.start < to && l.start + l.duration > from)
        .reduce((sum, l) => sum + Math.min(to, l.start + l.duration) - Math.max(from, l.start), 0);
      for (const l of loads) Object.assign(l, { longTaskMs: blocked(l.start, l.ready) });
      for (const t of [...thresholds, ...sliderSteps]) Object.assign(t, { longTaskMs: blocked(t.start, t.ready) });
    // Worker requests inside the median load and the median threshold change.
    /** @type {{ w: string, type: string, what: string, t0: number, t1: number | null }[]} */
    const allMessages = await page.evaluate(() => /** @type {any} */ (globalThis).__bench.messages);
    /** @param {number} from @param {number} to */
    const requests = (from, to) => allMessages
      .filter((m) => m.t0 >= from && m.t0 <= to)
      .map((m) => ({ worker: m.w, type: m.type, what: m.what, at: m.t0 - from, ms: (m.t1 ?? to) - m.t0 }));
    const byTime = (/** @type {{ ms: number }} */ a, /** @type {{ ms: number }} */ b) => a.ms - b.ms;
    const medianLoad = [...loads].sort(byTime)[loads.length >> 1];
    const medianChange = [...thresholds].sort(byTime)[thresholds.length >> 1];
    const workerRequests = {
      load: medianLoad ? { ms: medianLoad.ms, requests: requests(medianLoad.start, medianLoad.ready) } : null,
      threshold: medianChange ? { ms: medianChange.ms, minutes: medianChange.minutes, requests: requests(medianChange.start, medianChange.ready) } : null,
    };
      /** @type {string[]} */
      const measures = await page.evaluate(() => performance.getEntriesByType('measure').map((m) => `${m.name} ${m.duration.toFixed(1)}`).slice(0, 50));

      const renderers = await rendererMemory(browserCdp);

      // The exports, after the memory above is read (a 10M export holds its file in the page).
      const exports = await benchAppExports(page, file, log);
      const rendererPeakRssAfterExportsBytes = (await rendererMemory(browserCdp))[0]?.peakRssBytes ?? 0;

      // Diagnostic pass, after the timed measurements (tracing slows the page a little):
      // five more threshold changes and, below 10M, one more load, each under a trace.
      /** @type {Record<string, any>} */
      const diagnosis = {};
      try {
        const values = [1, 60, 5, 600, 2];
        /** @type {number[]} */
        const ms = [];
        await browser.startTracing(page, { categories: TRACE_CATEGORIES });
        for (const minutes of values) {
          const since = await W.now();
          await input.fill(String(minutes));
          await input.press('Enter');
          const ready = await W.waitFor({ state: 'ready', gap: String(minutes) }, since, thresholdTimeout);
          const start = await W.firstEvent('gap-minutes', since);
          ms.push(ready - (start ?? since));
        }
        diagnosis.threshold = { ms, ...summarizeTrace(await browser.stopTracing(), values.length) };
        if (file.label !== '10M') {
          await loadFile(warmup);
          await browser.startTracing(page, { categories: TRACE_CATEGORIES });
          const { ms: loadMs } = await loadFile(file);
          diagnosis.load = { ms: loadMs, ...summarizeTrace(await browser.stopTracing(), 1) };
        }
        log(`  app ${file.label}: diagnosis ${JSON.stringify(diagnosis)}`);
      } catch (error) {
        diagnosis.error = error instanceof Error ? error.message : String(error);
        log(`  app ${file.label}: diagnosis failed: ${diagnosis.error}`);
      }
      await context.close();
      const loadsMs = loads.map((l) => l.ms);
      return {
        label: file.label,
        loads,
        loadMedianMs: median(loadsMs),
        tablesMedianMs: median(loads.map((l) => l.tablesMs)),
        thresholds,
        thresholdMedianMs: median(ts),
        thresholdP95Ms: percentile(ts, 95),
        sliderSteps,
        sliderStepMedianMs: median(stepMs),
        sliderStepP95Ms: percentile(stepMs, 95),
        drag,
        peakJsHeapBytes,
        renderers,
        rendererPeakRssBytes: renderers[0]?.peakRssBytes ?? 0,
        rendererPeakRssAfterWarmupBytes,
        firstContentfulPaintMs,
        warmupReadyMs: warm.readyAt,
        sampleReadyMs,
        consoleErrors,
        browserVersion: browser.version(),
        measures,
        diagnosis,
        workerRequests,
        exports,
        rendererPeakRssAfterExportsBytes,
      };
    } finally {
      sampling = false;
      await sampler;
    }
  } finally {
    await browser.close().catch(() => {});
    onBrowser(null);
  }
}

/**
 * How long a person waits, after the page has opened, before dropping a file: the cold
 * measurement chooses its file this long after the page's load event. 3 s is an assumption
 * (look at the page, find the file, drag it over), not a measurement of anyone; the engine
 * keeps starting meanwhile, so a shorter wait makes the cold load slower.
 */
export const COLD_IDLE_MS = 3000;

/**
 * @typedef {object} ColdRun
 * @property {number} ms file chosen -> data-state=ready with the file (page clock)
 * @property {number} tablesMs file chosen -> data-tables=ready (DuckDB's tables: the SQL features)
 * @property {number} nodeMs setInputFiles -> ready seen, from Node
 * @property {number} chosenAt page-clock time (since navigation) of the file input's change event
 * @property {string | null} stateBefore data-state when the file was chosen (normally "empty")
 * @property {number | null} engineInstantiatedAt page-clock time DuckDB-WASM answered INSTANTIATE (null: not seen)
 * @property {number | null} engineOpenedAt page-clock time DuckDB-WASM answered OPEN (null: not seen)
 * @property {number | null} firstContentfulPaintMs
 * @property {number} rendererPeakRssBytes the largest renderer's VmHWM after the run
 * @property {Record<string, number>} stats the page's figures at 30 min
 * @property {LoadStep[]} steps the page's own `load: …` measures (src/state/load-timing.ts), relative to the file being chosen
 */

/**
 * @typedef {object} LoadStep
 * @property {string} name the measure's name without its `load: ` prefix
 * @property {number} startMs when it started, ms after the file input's change event
 * @property {number} ms its duration
 */

/**
 * The page's `load: …` User Timing measures (the latest of each), relative to `since`.
 * @param {import('playwright-core').Page} page
 * @param {number} since page clock
 * @returns {Promise<LoadStep[]>}
 */
async function loadSteps(page, since) {
  /** @type {{ name: string, start: number, ms: number }[]} */
  const measures = await page.evaluate(() =>
    performance.getEntriesByType('measure').filter((m) => m.name.startsWith('load: ')).map((m) => ({ name: m.name, start: m.startTime, ms: m.duration })));
  return measures
    .filter((m) => m.start >= since)
    .map((m) => ({ name: m.name.slice('load: '.length), startMs: m.start - since, ms: m.ms }))
    .sort((a, b) => a.startMs - b.startMs);
}

/**
 * @typedef {object} ColdResult
 * @property {number} idleMs the wait between the page's load event and choosing the file (COLD_IDLE_MS)
 * @property {ColdRun[]} runs
 * @property {number} readyMedianMs
 * @property {number} readyP95Ms nearest rank: with fewer than 20 runs, the slowest run
 * @property {number} tablesMedianMs
 * @property {number} tablesP95Ms
 * @property {string} [error] the page's message when it refused or failed the file
 * @property {number} [failedAfterMs] file chosen -> data-state=error
 */

/**
 * Cold loads: the benchmark file as the FIRST file of a freshly opened page, as a person
 * would drop it: for each run a fresh browser context (no cache, no compiled wasm) and page,
 * open the app, wait COLD_IDLE_MS, choose the file, and time change event -> data-state=ready
 * and -> data-tables=ready. Runs in its own browser, closed before benchAppSize starts, so it
 * does not add to that size's peak memory.
 * @param {object} o
 * @param {string} o.baseUrl
 * @param {import('./data.mjs').DataFile} o.file
 * @param {number} o.runs
 * @param {(line: string) => void} o.log
 * @param {(browser: import('playwright-core').Browser | null) => void} o.onBrowser registers the browser for the signal handler
 * @returns {Promise<ColdResult>}
 */
export async function benchAppCold({ baseUrl, file, runs, log, onBrowser }) {
  const browser = await chromium.launch({
    executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  onBrowser(browser);
  /** @type {ColdRun[]} */
  const coldRuns = [];
  /** @returns {ColdResult} */
  const summary = () => {
    const ms = coldRuns.map((c) => c.ms);
    const tables = coldRuns.map((c) => c.tablesMs);
    return {
      idleMs: COLD_IDLE_MS, runs: coldRuns,
      readyMedianMs: median(ms), readyP95Ms: percentile(ms, 95), tablesMedianMs: median(tables), tablesP95Ms: percentile(tables, 95),
    };
  };
  try {
    const browserCdp = await browser.newBrowserCDPSession();
    const timeout = 60_000 + Math.ceil(file.bytes / 1e6) * 1000;
    for (let r = 0; r < runs; r++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        await page.addInitScript(pageProbe);
        const W = probeOf(page);
        await page.goto(baseUrl);
        await page.getByTestId('app-status').waitFor({ state: 'attached' });
        await sleep(COLD_IDLE_MS);
        /** @type {{ state: string | null } | null} */
        const before = await page.evaluate(() => /** @type {any} */ (globalThis).__bench.now());
        const since = await W.now();
        const nodeStart = performance.now();
        await page.getByTestId('file-input').setInputFiles(file.path);
        try {
          const ready = await W.waitFor({ state: 'ready', file: file.name }, since, timeout);
          const nodeMs = performance.now() - nodeStart;
          const tablesAt = await W.waitFor({ file: file.name, tables: 'ready' }, since, timeout);
          const start = await W.firstEvent('file-input', since);
          if (start === null) throw new Error('no change event on the file input was seen');
          /** @type {Record<string, number>} */
          const stats = {};
          for (const name of ['events', 'users', 'sessions', 'skipped-rows']) {
            stats[name] = Number(await page.getByTestId(`stat-${name}`).getAttribute('data-value'));
          }
          /** @type {{ instantiated: number | null, opened: number | null, fcp: number | null }} */
          const page0 = await page.evaluate(() => {
            /** @type {{ type: string, t1: number | null }[]} */
            const messages = /** @type {any} */ (globalThis).__bench.messages;
            return {
              instantiated: messages.find((m) => m.type === 'INSTANTIATE')?.t1 ?? null,
              opened: messages.find((m) => m.type === 'OPEN')?.t1 ?? null,
              fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
            };
          });
          const rendererPeakRssBytes = (await rendererMemory(browserCdp))[0]?.peakRssBytes ?? 0;
          const steps = await loadSteps(page, start);
          coldRuns.push({
            ms: ready - start, tablesMs: tablesAt - start, nodeMs, chosenAt: start, stateBefore: before?.state ?? null,
            engineInstantiatedAt: page0.instantiated, engineOpenedAt: page0.opened, firstContentfulPaintMs: page0.fcp, rendererPeakRssBytes, stats, steps,
          });
          const engine = page0.opened === null ? 'DuckDB engine open not seen' : `DuckDB engine open at ${Math.round(page0.opened)} ms`;
          log(`  app ${file.label} cold ${r + 1}/${runs}: chosen ${Math.round(start)} ms after navigation (${engine}); ready ${Math.round(ready - start)} ms, SQL features (data-tables=ready) ${Math.round(tablesAt - start)} ms; sessions ${stats.sessions}`);
        } catch (error) {
          const message = error instanceof Error ? error.message.replace(/^page\.evaluate: (Error: )?/, '').split('\n')[0] ?? '' : String(error);
          const failedAfterMs = (await W.now()) - ((await W.firstEvent('file-input', since)) ?? since);
          log(`  app ${file.label} cold ${r + 1}/${runs} failed after ${Math.round(failedAfterMs)} ms: ${message}`);
          return { ...summary(), error: message, failedAfterMs };
        }
      } finally {
        await context.close().catch(() => {});
      }
    }
    return summary();
  } finally {
    await browser.close().catch(() => {});
    onBrowser(null);
  }
}
