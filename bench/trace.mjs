// @ts-check
/**
 * Where a page's time goes, from a Chromium trace (browser.startTracing with the
 * `toplevel` and `devtools.timeline` categories): how long the renderer's main thread was
 * busy, split into script, style/layout/paint and garbage collection, and how long each
 * dedicated worker thread (DuckDB-WASM, the stats worker, the ingest worker) was busy.
 * Used only for the diagnostic pass, after the timed measurements (tracing costs time).
 */

export const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'];

const TASK = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'ThreadPool_RunTask']);
const RENDERING = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'UpdateLayer', 'CompositeLayers', 'HitTest', 'ParseHTML', 'ParseAuthorStyleSheet', 'Commit', 'IntersectionObserverController::computeIntersections']);
const GC_TOP = new Set(['MinorGC', 'MajorGC', 'V8.GCScavenger', 'V8.GCFinalizeMC', 'V8.GCFinalizeMCReduceMemory', 'V8.GCCompactor']);

/**
 * @typedef {{ name: string, ph: string, ts: number, dur?: number, pid: number, tid: number, cat?: string, args?: any }} TraceEvent
 */

/**
 * @param {Buffer} buffer the JSON trace from browser.stopTracing()
 * @param {number} divideBy report per-operation figures (e.g. per threshold change)
 */
export function summarizeTrace(buffer, divideBy = 1) {
  /** @type {{ traceEvents: TraceEvent[] }} */
  const trace = JSON.parse(buffer.toString('utf8'));
  const events = trace.traceEvents ?? [];
  /** @type {Map<string, string>} */
  const threadNames = new Map();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  }
  /** @type {Map<string, TraceEvent[]>} */
  const byThread = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || typeof e.dur !== 'number') continue;
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key);
    if (list) list.push(e);
    else byThread.set(key, [e]);
  }

  /** @param {TraceEvent[]} list */
  const busy = (list) => {
    // Top-level tasks only (a task nested in another is not counted twice).
    const tasks = list.filter((e) => TASK.has(e.name)).sort((a, b) => a.ts - b.ts);
    let total = 0;
    let longest = 0;
    let end = -Infinity;
    for (const t of tasks) {
      const dur = /** @type {number} */ (t.dur);
      if (t.ts >= end) {
        total += dur;
        longest = Math.max(longest, dur);
        end = t.ts + dur;
      }
    }
    return { total: total / 1000, longest: longest / 1000 };
  };

  /** @type {{ thread: string, busyMs: number, scriptMs: number, renderingMs: number, gcMs: number, longestTaskMs: number }[]} */
  const mains = [];
  /** @type {{ thread: string, busyMs: number, longestTaskMs: number }[]} */
  const workers = [];
  /** @type {{ name: string, ms: number }[]} */
  const userTiming = [];
  for (const [key, list] of byThread) {
    const name = threadNames.get(key) ?? '';
    if (name === 'CrRendererMain') {
      const { total, longest } = busy(list);
      const rendering = list.filter((e) => RENDERING.has(e.name)).reduce((s, e) => s + /** @type {number} */ (e.dur), 0) / 1000;
      const gc = list.filter((e) => GC_TOP.has(e.name)).reduce((s, e) => s + /** @type {number} */ (e.dur), 0) / 1000;
      mains.push({ thread: name, busyMs: total, scriptMs: Math.max(0, total - rendering - gc), renderingMs: rendering, gcMs: gc, longestTaskMs: longest });
    } else if (/DedicatedWorker/i.test(name)) {
      const { total, longest } = busy(list);
      workers.push({ thread: `${name} ${key}`, busyMs: total, longestTaskMs: longest });
    }
  }
  for (const e of events) {
    if (e.cat?.includes('blink.user_timing') && (e.ph === 'X' || e.ph === 'b' || e.ph === 'R' || e.ph === 'I')) {
      userTiming.push({ name: e.name, ms: (e.dur ?? 0) / 1000 });
    }
  }
  mains.sort((a, b) => b.busyMs - a.busyMs);
  workers.sort((a, b) => b.busyMs - a.busyMs);
  const main = mains[0] ?? { thread: 'none', busyMs: 0, scriptMs: 0, renderingMs: 0, gcMs: 0, longestTaskMs: 0 };
  const per = (/** @type {number} */ x) => x / divideBy;
  return {
    per: divideBy,
    main: { busyMs: per(main.busyMs), scriptMs: per(main.scriptMs), renderingMs: per(main.renderingMs), gcMs: per(main.gcMs), longestTaskMs: main.longestTaskMs },
    workers: workers.filter((w) => w.busyMs > 0.5).map((w) => ({ busyMs: per(w.busyMs), longestTaskMs: w.longestTaskMs })),
    userTiming: userTiming.slice(0, 50),
  };
}
