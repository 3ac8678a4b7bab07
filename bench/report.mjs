// @ts-check
/** Turns a benchmark run's raw results into the markdown table and bench/results.md. */
import { EXPORTS } from './app-browser.mjs';
import { fmtBytes, fmtMs, fmtRatio, median } from './stats.mjs';

/**
 * @typedef {object} BaselineSize
 * @property {{ ms: number, peakRssBytes: number, sessions: number, events: number, users: number }[]} loads
 * @property {number} loadMedianMs
 * @property {number} peakRssBytes max over the load runs
 * @property {number} prepareMs
 * @property {{ minutes: number, ms: number, sessions: number }[]} changes
 * @property {number} thresholdMedianMs
 * @property {number} thresholdP95Ms
 */

/**
 * @typedef {object} NativeExports native DuckDB's COPY of the page's four exports (native-duckdb.mjs exports)
 * @property {number} openMs
 * @property {number} prepareMs the raw and events tables made from the file (not in the export times)
 * @property {number} minutes the threshold
 * @property {{ id: string, ms: number, bytes: number, rows: number }[]} exports
 * @property {number} peakRssBytes
 */

/**
 * @typedef {object} LargeRun the --30m measurement (bench/app-large.mjs), or why it was skipped
 * @property {string} label
 * @property {number} events
 * @property {number} bytes
 * @property {string} [skipped]
 */

/**
 * @typedef {object} RunResult
 * @property {string} date
 * @property {string} command
 * @property {string | null} [label] --label: a name for the run (before / after, say)
 * @property {string | null} [dist] --dist / --no-build: the prebuilt directory served; null when this run built the app
 * @property {ReturnType<typeof import('./machine.mjs').machine>} machine
 * @property {string} browserVersion
 * @property {{ label: string, events: number, bytes: number, name: string }[]} sizes
 * @property {Record<string, BaselineSize>} native
 * @property {Record<string, BaselineSize>} papaparse
 * @property {Record<string, import('./app-browser.mjs').AppSizeResult>} app
 * @property {Record<string, BaselineSize>} pandas measured only where $PYTHON has pandas
 * @property {string} [pandasNote] which pandas ran, or why none did
 * @property {Record<string, NativeExports>} [nativeExports] runs from before exports were timed have none
 * @property {(LargeRun & Partial<import('./app-large.mjs').LargeResult>) | null} [large] --30m
 * @property {{ name: string, loadavgStart: number[], loadavgEnd: number[], busyShare: number, othersShare: number, seconds: number }[]} phases
 * @property {number} idleBusyShare CPU share other processes used in a 3 s window before the run
 * @property {number} runs
 */

/**
 * The pandas results of one size; runs from before pandas was measured carry a note string instead.
 * @param {RunResult} r @param {string} label
 */
function pandasOf(r, label) {
  return typeof r.pandas === 'object' ? r.pandas[label] : undefined;
}

/** @param {number | null | undefined} ms @param {number} limit */
const mark = (ms, limit) => (typeof ms === 'number' && Number.isFinite(ms) && Number.isFinite(limit) ? (ms <= limit ? ' ✅' : ' ❌') : '');

/**
 * When the SQL features (DuckDB's tables: exports, timelines) were available, beside the
 * load time so nobody mistakes one for the other: later than ready for a file shown from its
 * quick read.
 * @param {import('./app-browser.mjs').AppSizeResult} a
 */
function tablesNote(a) {
  return Number.isFinite(a.tablesMedianMs) ? `; SQL features (data-tables=ready: exports, timelines) ${fmtMs(a.tablesMedianMs)}` : '';
}

/**
 * Where an export spent its time, by the page's own `export:<step>` measures (runs from before
 * they were read have none).
 * @param {Record<string, number> | undefined} steps
 */
function exportSteps(steps) {
  const entries = Object.entries(steps ?? {});
  return entries.length === 0 ? '' : ` (${entries.map(([k, v]) => `${k} ${fmtMs(v)}`).join(', ')})`;
}

/**
 * The cold cell: ready and SQL features, median / p95 of the cold runs.
 * @param {import('./app-browser.mjs').ColdResult} c
 */
function coldCell(c) {
  const done = `ready ${fmtMs(c.readyMedianMs)} / ${fmtMs(c.readyP95Ms)}; SQL features (data-tables=ready) ${fmtMs(c.tablesMedianMs)} / ${fmtMs(c.tablesP95Ms)}`;
  if (!c.error) return done;
  const refused = `❌ refused after ${fmtMs(c.failedAfterMs)}: "${c.error.slice(0, 160).replaceAll('|', '/')}${c.error.length > 160 ? '…' : ''}"`;
  return c.runs.length ? `${done}; then ${refused}` : refused;
}

/**
 * The one table: rows are measurements, columns the three approaches, the ratio app/native
 * and the targets of issues 5 and 13.
 * @param {RunResult} r
 */
export function table(r) {
  /** @type {string[][]} */
  const rows = [];
  const runsNote = (/** @type {string} */ label) => (label === '10M' ? '1 run' : `median of ${r.runs}`);
  // Cold first: the headline (issue 13). Each run a fresh page; the file is its first.
  for (const s of r.sizes) {
    const c = r.app[s.label]?.cold;
    if (!c) continue;
    const n = r.native[s.label];
    const p = r.papaparse[s.label];
    const pd = pandasOf(r, s.label);
    const count = c.runs.length + (c.error ? 1 : 0);
    const stat = count === 1 ? '1 run' : `median / p95 of ${count} runs${count < 20 ? ` (p95 of ${count} = the slowest)` : ''}`;
    rows.push([
      `**load ${s.label} cold (headline)** (${(s.bytes / 1e6).toFixed(0)} MB CSV): the first file of a freshly opened page, chosen ${fmtMs(c.idleMs)} after it opened → ready / end to end, ${stat}`,
      coldCell(c),
      n ? fmtMs(n.loadMedianMs) : 'n/a',
      p ? fmtMs(p.loadMedianMs) : 'n/a',
      pd ? fmtMs(pd.loadMedianMs) : 'n/a',
      fmtRatio(c.readyMedianMs, n?.loadMedianMs),
      s.label === '1M' ? 'issue 13: ready within 10% of before; SQL features sooner than 1.77 s' : '',
    ]);
  }
  for (const s of r.sizes) {
    const a = r.app[s.label];
    const n = r.native[s.label];
    const p = r.papaparse[s.label];
    const pd = pandasOf(r, s.label);
    const target = s.label === '1M' ? '≤ 2.5 s, and faster than papaparse and pandas' : s.label === '10M' ? '≤ 30 s' : '';
    const limit = s.label === '1M' ? 2500 : s.label === '10M' ? 30_000 : Number.NaN;
    rows.push([
      `load ${s.label} warm (${(s.bytes / 1e6).toFixed(0)} MB CSV; engine started by the sample and a 1,000-event file first): file chosen → ready / end to end, ${runsNote(s.label)}`,
      a?.error
        ? `❌ refused after ${fmtMs(a.failedAfterMs)}: "${a.error.slice(0, 160).replaceAll('|', '/')}${a.error.length > 160 ? '…' : ''}"`
        : a
          ? fmtMs(a.loadMedianMs) + (s.label === '1M' && p
            // The 1M target is three conditions: within 2.5 s, faster than papaparse + loop and than pandas.
            ? `${mark(a.loadMedianMs, limit)} ≤ 2.5 s,${mark(a.loadMedianMs, p.loadMedianMs)} vs papaparse${pd ? `,${mark(a.loadMedianMs, pd.loadMedianMs)} vs pandas` : ''}`
            : mark(a.loadMedianMs, limit)) + tablesNote(a)
          : 'n/a',
      n ? fmtMs(n.loadMedianMs) : 'n/a',
      p ? fmtMs(p.loadMedianMs) : 'n/a',
      pd ? fmtMs(pd.loadMedianMs) : 'n/a',
      fmtRatio(a?.loadMedianMs, n?.loadMedianMs),
      target,
    ]);
  }
  for (const s of r.sizes) {
    const a = r.app[s.label];
    const n = r.native[s.label];
    const p = r.papaparse[s.label];
    const limit = s.label === '1M' ? 50 : s.label === '10M' ? 500 : Number.NaN;
    const both = (/** @type {{ thresholdMedianMs: number, thresholdP95Ms: number } | undefined} */ x) =>
      x ? `${fmtMs(x.thresholdMedianMs)} / ${fmtMs(x.thresholdP95Ms)}` : 'n/a';
    rows.push([
      `threshold change ${s.label}, median / p95 of 20`,
      a?.error ? 'not measured (no data loaded)' : a ? both(a) + mark(a.thresholdMedianMs, limit) : 'n/a',
      both(n),
      both(p),
      both(pandasOf(r, s.label)),
      fmtRatio(a?.thresholdMedianMs, n?.thresholdMedianMs),
      s.label === '1M' ? '≤ 50 ms' : s.label === '10M' ? '≤ 500 ms' : '',
    ]);
  }
  for (const s of r.sizes) {
    const a = r.app[s.label];
    if (!a || a.error || !a.sliderSteps?.length) continue;
    const limit = s.label === '1M' ? 16 : s.label === '10M' ? 100 : Number.NaN;
    const first = a.sliderSteps[0];
    const last = a.sliderSteps.at(-1);
    rows.push([
      `slider steps ${s.label}: the arrow key on the slider, ${a.sliderSteps.length} fine steps (1.3% each) from 30 min (${first?.minutes} … ${last?.minutes} min), median / p95`,
      `${fmtMs(a.sliderStepMedianMs)} / ${fmtMs(a.sliderStepP95Ms)}${mark(a.sliderStepMedianMs, limit)}`,
      '—', '—', '—', '',
      s.label === '1M' ? '≤ 16 ms (issue 17)' : s.label === '10M' ? '≤ 100 ms (issue 17)' : '',
    ]);
  }
  for (const s of r.sizes) {
    const a = r.app[s.label];
    if (!a || a.error) continue;
    const d = /** @type {any} */ (a.drag);
    const block = d.longTasks === 0 ? 'none ≥ 50 ms' : fmtMs(d.longestTaskMs);
    rows.push([
      `longest main-thread block during a slider drag, ${s.label} (150 pointer moves planned over 3 s)`,
      `${block}${mark(d.longestTaskMs, 50)}: ${d.longTasks} long tasks, longest frame gap ${fmtMs(d.maxFrameGapMs)}; the drag took ${fmtMs(d.nodeMs)}; ${d.sliderInputs} slider inputs, ${d.resultsShown ?? '?'} results shown, data-state=ready ${d.readyResults} times`,
      '—', '—', '—', '', 'no block > 50 ms',
    ]);
  }
  for (const s of r.sizes) {
    const a = r.app[s.label];
    const ne = r.nativeExports?.[s.label];
    if (!a?.exports && !ne) continue;
    for (const { id, label } of EXPORTS) {
      const x = a?.exports?.find((e) => e.id === id);
      const y = ne?.exports.find((e) => e.id === id);
      const ratio = x && y && Number.isFinite(x.ms) ? x.ms / y.ms : Number.NaN;
      rows.push([
        `export ${label} ${s.label} at ${ne?.minutes ?? 30} min: click → the downloaded file complete on disk (native: \`COPY … TO\` from its tables), 1 run; file size`,
        x ? (x.error ? `❌ no file: "${x.error.slice(0, 160).replaceAll('|', '/')}"` : `${fmtMs(x.ms)}, ${fmtBytes(x.bytes)}${exportSteps(x.steps)}`) : a?.error ? 'not measured (no data loaded)' : 'n/a',
        y ? `${fmtMs(y.ms)}, ${fmtBytes(y.bytes)}` : 'n/a',
        '—',
        '—',
        Number.isFinite(ratio) ? `${fmtRatio(x?.ms, y?.ms)}${ratio <= 3 ? ' ✅' : ' ❌'}` : '',
        '≤ 3× native (issue 17)',
      ]);
    }
  }
  for (const s of r.sizes) {
    const a = r.app[s.label];
    const n = r.native[s.label];
    const p = r.papaparse[s.label];
    rows.push([
      `peak memory ${s.label}: peak RSS of the process (app: chromium renderer, VmHWM; JS heap = main thread's peak JSHeapUsedSize)`,
      a ? `${fmtBytes(a.rendererPeakRssBytes)} (JS heap ${fmtBytes(a.peakJsHeapBytes)})${a.error ? ', until the refusal' : mark(a.rendererPeakRssBytes, 3e9)}` : 'n/a',
      n ? fmtBytes(n.peakRssBytes) : 'n/a',
      p ? fmtBytes(p.peakRssBytes) : 'n/a',
      pandasOf(r, s.label) ? fmtBytes(pandasOf(r, s.label)?.peakRssBytes ?? 0) : 'n/a',
      fmtRatio(a?.rendererPeakRssBytes, n?.peakRssBytes),
      '< 3 GB (10M)',
    ]);
  }
  const first = r.app[r.sizes[0]?.label ?? ''];
  if (first) {
    rows.push([
      'page start: first contentful paint; the sample (40,000 rows) ready after its button is clicked as the page opens; warm-up file (1,000 events) ready, since navigation',
      `${fmtMs(first.firstContentfulPaintMs)}${mark(first.firstContentfulPaintMs, 1000)}; ${fmtMs(first.sampleReadyMs)}${mark(first.sampleReadyMs, 3000)}; ${fmtMs(first.warmupReadyMs)}`,
      '—', '—', '—', '', 'first paint < 1 s; sample ready < 3 s after the click',
    ]);
  }
  const header = ['measurement', 'app in chromium', 'native DuckDB (2 threads)', 'papaparse + JS loop', 'pandas', 'app / native', 'target (issue 5; issue 13)'];
  const line = (/** @type {string[]} */ cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** @param {RunResult} r */
function machineLines(r) {
  const m = r.machine;
  return [
    `- **Machine:** ${m.nproc} CPUs (\`nproc\`), ${m.cpuModel}, ${m.ramGB.toFixed(1)} GB RAM, ${m.os}, Linux ${m.kernel}`,
    `- **Software:** Chromium ${r.browserVersion} (headless, Debian package), Node ${m.node}, @duckdb/node-api ${m.duckdbNative}, @duckdb/duckdb-wasm ${m.duckdbWasm} in the page`,
    ...(r.label ? [`- **Label:** ${r.label}`] : []),
    r.dist
      ? `- **App served from:** ${r.dist} (prebuilt, not built by this run: its commit is whatever was built into it); the bench code at commit ${m.gitHead}`
      : `- **App built from:** commit ${m.gitHead}${m.srcDirty ? ` plus ${m.srcDirty} uncommitted file(s) under src/ (other people were editing)` : ''}`,
    `- **Date:** ${r.date}`,
  ];
}

/** @param {RunResult} r */
function loadLines(r) {
  const lines = [
    `- Other processes used ${(r.idleBusyShare * 100).toFixed(0)}% of all CPUs in the 3 s before the run started.`,
  ];
  for (const p of r.phases) {
    lines.push(`- ${p.name}: ${p.seconds.toFixed(0)} s; other processes took at least **${(p.othersShare * 100).toFixed(0)}%** of the machine's CPU time (all CPUs ${(p.busyShare * 100).toFixed(0)}% busy, the benchmark included); load average ${p.loadavgStart.join(' ')} → ${p.loadavgEnd.join(' ')}`);
  }
  return lines;
}

/**
 * The traced pass: where a threshold change's and a load's time goes.
 * @param {RunResult} r
 */
function whereLines(r) {
  const header = ['', 'measured (traced run)', 'renderer main thread busy: script / style+layout+paint / GC', 'dedicated workers busy (each)', 'main-thread long-task time inside the timed windows (median)'];
  const line = (/** @type {string[]} */ cells) => `| ${cells.join(' | ')} |`;
  const rows = [];
  for (const s of r.sizes) {
    const a = r.app[s.label];
    const d = a?.diagnosis;
    if (!a || !d || d.error) continue;
    /** @param {any} x */
    const main = (x) => `${fmtMs(x.main.busyMs)}: ${fmtMs(x.main.scriptMs)} / ${fmtMs(x.main.renderingMs)} / ${fmtMs(x.main.gcMs)} (longest task ${fmtMs(x.main.longestTaskMs)})`;
    /** @param {any} x */
    const workers = (x) => x.workers.map((/** @type {any} */ w) => fmtMs(w.busyMs)).join(', ') || 'none';
    const thresholdLong = median(a.thresholds.map((t) => t.longTaskMs ?? 0));
    const loadLong = median(a.loads.map((l) => l.longTaskMs ?? 0));
    if (d.threshold) {
      rows.push(line([`threshold change ${s.label} (per change, mean of 5)`, fmtMs(median(d.threshold.ms)), main(d.threshold), workers(d.threshold), fmtMs(thresholdLong)]));
    }
    if (d.load) rows.push(line([`load ${s.label}`, fmtMs(d.load.ms), main(d.load), workers(d.load), fmtMs(loadLong)]));
  }
  if (rows.length === 0) return [];
  return [
    '## Where the time goes (traced pass)',
    '',
    'After the timed runs, five more threshold changes and one more load ran under a Chromium trace',
    '(`toplevel`, `devtools.timeline`): busy time of the renderer\'s main thread (all tasks, also those',
    'that run after `data-state=ready`, e.g. chart animations) and of each dedicated worker thread',
    '(DuckDB-WASM, the stats worker, the ingest worker; the trace does not name them).',
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows,
    '',
    `performance.measure entries found on the page: ${Object.values(r.app).flatMap((a) => a.measures ?? []).length || 'none'}.`,
    '',
  ];
}

/**
 * Where a cold load spends its time: the page's own `load: …` measures (src/state/load-timing.ts)
 * in each cold run, relative to the file being chosen, with what lies between them.
 * @param {RunResult} r
 */
export function coldStepLines(r) {
  const line = (/** @type {string[]} */ cells) => `| ${cells.join(' | ')} |`;
  const lines = [];
  for (const s of r.sizes) {
    const c = r.app[s.label]?.cold;
    const runs = (c?.runs ?? []).filter((x) => Array.isArray(x.steps) && x.steps.length > 0);
    if (runs.length === 0) continue;
    /** @type {Map<string, { startMs: number[], ms: number[] }>} */
    const byName = new Map();
    for (const run of runs) {
      for (const step of run.steps) {
        const entry = byName.get(step.name) ?? { startMs: [], ms: [] };
        entry.startMs.push(step.startMs);
        entry.ms.push(step.ms);
        byName.set(step.name, entry);
      }
    }
    const ordered = [...byName].sort((a, b) => median(a[1].startMs) - median(b[1].startMs));
    /** Per run: the time before ready in no step, the first render, and the SQL side's tail. */
    const derived = runs.map((run) => {
      const end = (/** @type {string} */ name) => {
        const step = run.steps.find((x) => x.name === name);
        return step ? step.startMs + step.ms : Number.NaN;
      };
      const figuresEnd = end('first figures (stats worker)');
      // Until the first figures are done (or ready, without them) the steps run one after another.
      const until = Number.isFinite(figuresEnd) ? figuresEnd : run.ms;
      const intervals = run.steps.map((x) => [x.startMs, Math.min(until, x.startMs + x.ms)]).filter(([from, to]) => to > from).sort((a, b) => a[0] - b[0]);
      let covered = 0;
      let reach = 0;
      for (const [from, to] of intervals) {
        if (to <= reach) continue;
        covered += to - Math.max(from, reach);
        reach = to;
      }
      const firstRender = run.ms - figuresEnd;
      const lastEnd = Math.max(...run.steps.map((x) => x.startMs + x.ms));
      const engineOpen = run.engineOpenedAt === null || run.engineOpenedAt === undefined ? Number.NaN : run.engineOpenedAt - run.chosenAt;
      return { firstRender, outside: until - covered, tail: run.tablesMs - lastEnd, engineOpen };
    });
    const n = runs.length;
    const stat = n === 1 ? '1 run' : `median of ${n} runs`;
    lines.push(`**${s.label}** (${stat}; ms after the file input's change event; "takes" also gives the slowest run):`, '');
    lines.push(line(['step (the page\'s `load: …` measure)', 'starts at', 'takes', 'slowest']), line(['---', '---:', '---:', '---:']));
    for (const [name, v] of ordered) lines.push(line([name, fmtMs(median(v.startMs)), fmtMs(median(v.ms)), fmtMs(Math.max(...v.ms))]));
    const med = (/** @type {(d: (typeof derived)[number]) => number} */ f) => median(derived.map(f).filter(Number.isFinite));
    const max = (/** @type {(d: (typeof derived)[number]) => number} */ f) => Math.max(...derived.map(f).filter(Number.isFinite));
    lines.push(
      line(['DuckDB-WASM answered OPEN (negative: before the file was chosen; a load waits for the engine)', fmtMs(med((d) => d.engineOpen)), '', '']),
      line(['until the first figures, in no step (the change handler, waiting for the engine, hand-offs between steps)', '', fmtMs(med((d) => d.outside)), fmtMs(max((d) => d.outside))]),
      line(['first render: first figures done → `data-state=ready` (the store\'s commit, React\'s render; the SQL side of a quick-read file starts once it is painted, at most 2 s after the first figures)', '', fmtMs(med((d) => d.firstRender)), fmtMs(max((d) => d.firstRender))]),
      line(['**ready** (the figures on screen)', '', `**${fmtMs(median(runs.map((x) => x.ms)))}**`, fmtMs(Math.max(...runs.map((x) => x.ms)))]),
      line(['last step done → `data-tables=ready` (the store\'s commit)', '', fmtMs(med((d) => d.tail)), fmtMs(max((d) => d.tail))]),
      line(['**SQL features** (`data-tables=ready`)', '', `**${fmtMs(median(runs.map((x) => x.tablesMs)))}**`, fmtMs(Math.max(...runs.map((x) => x.tablesMs)))]),
      '',
    );
  }
  if (!lines.length) return [];
  return [
    '## Where a cold load spends its time',
    '',
    'The page measures each step of a load itself (`performance.measure`, src/state/load-timing.ts); the cold',
    'runs read the entries after `data-tables=ready`. A clean CSV file up to 2 GB is read by the stats worker',
    '(reading and parsing are one pass there, in two halves at once), shown, and then read again by DuckDB',
    '("SQL side"); a bigger or irregular file is read by DuckDB alone (reading and parsing are one `read_csv`',
    'there) and its columns handed to the stats worker. Steps may overlap (the SQL side runs while the page shows the result).',
    '',
    ...lines,
  ];
}

/**
 * The --30m run: loaded or refused (and when), peak memory, responsiveness, a threshold change.
 * @param {RunResult} r
 */
export function largeLines(r) {
  const g = r.large;
  if (!g) return [];
  const head = [`## 30M events in one tab (\`--30m\`): ${g.label}`, ''];
  if (g.skipped) return [...head, `Not run: ${g.skipped}.`, ''];
  const outcome = g.outcome === 'ready'
    ? `loaded: ready after ${fmtMs(g.readyMs)}, ${g.tablesMs === null && g.message ? `SQL features off (\`data-tables=off\`): "${g.message}"` : `SQL features (\`data-tables=ready\`) after ${fmtMs(g.tablesMs)}`}`
    : g.outcome === 'error'
      ? `**refused / failed** after ${fmtMs(g.afterMs)}: "${g.message ?? '(no message)'}"`
      : g.outcome === 'crashed'
        ? `**the tab died** after ${fmtMs(g.afterMs)}: ${g.message ?? ''}`
        : `**still not ready** when the bench stopped waiting, after ${fmtMs(g.afterMs)}`;
  const responsive = `${g.slowProbes ?? 0} of ${g.probes ?? 0} round trips (a \`page.evaluate\` every second during the load) took more than 1 s; the slowest ${fmtMs(g.slowestProbeMs)}`;
  return [
    ...head,
    `- File: ${g.events.toLocaleString('en-US')} events, ${fmtBytes(g.bytes)} CSV, chosen as the first file of a fresh page 3 s after it opened.`,
    `- Outcome: ${outcome}.`,
    `- Responsive: ${(g.slowProbes ?? 0) === 0 ? 'yes ✅' : 'no ❌'}: ${responsive}.`,
    `- Peak memory: the largest renderer's peak RSS ${fmtBytes(g.rendererPeakRssBytes)}.`,
    `- Threshold change after the load (30 → 45 min): ${g.thresholdMs === null || g.thresholdMs === undefined ? (g.thresholdError ? `failed: ${g.thresholdError}` : 'not measured (not loaded)') : `${fmtMs(g.thresholdMs)}${g.thresholdMs <= 500 ? ' ✅' : ' ❌'} (target ≤ 500 ms)`}.`,
    `- What the status said, and when (s after the file was chosen): ${(g.statusChanges ?? []).map((c) => `${(c.atMs / 1000).toFixed(1)} s ${c.state}${c.tables ? `/${c.tables}` : ''} "${c.text.replaceAll('|', '/')}"`).join('; ')}`,
    '',
  ];
}

/**
 * Requests the page sent to its workers during the median load / threshold change: SQL to
 * DuckDB-WASM, calls to the stats worker, and the time no request was outstanding.
 * @param {RunResult} r
 */
function requestLines(r) {
  const lines = [];
  for (const s of r.sizes) {
    const a = r.app[s.label];
    const wr = a?.workerRequests;
    if (!wr) continue;
    for (const kind of /** @type {const} */ (['load', 'threshold'])) {
      const x = wr[kind];
      if (!x) continue;
      /** @type {{ worker: string, type: string, what: string, at: number, ms: number }[]} */
      const reqs = x.requests;
      // Union of the request intervals: the rest of the window no worker was working for the page.
      const iv = reqs.map((q) => [q.at, q.at + q.ms]).sort((p, q) => p[0] - q[0]);
      let covered = 0;
      let end = -Infinity;
      for (const [from, to] of iv) {
        if (to <= end) continue;
        covered += to - Math.max(from, end);
        end = to;
      }
      const engine = (/** @type {string} */ w) => (w.includes('duckdb') ? 'DuckDB' : w.includes('stats') ? 'stats' : w.includes('ingest') ? 'ingest' : w);
      const byWorker = new Map();
      for (const q of reqs) byWorker.set(engine(q.worker), (byWorker.get(engine(q.worker)) ?? 0) + q.ms);
      lines.push(`**${kind === 'load' ? 'Load' : `Threshold change (${x.minutes} min)`} ${s.label}**, the median run (${fmtMs(x.ms)}): ` +
        `${reqs.length} worker requests; ${[...byWorker].map(([w, ms]) => `${w} ${fmtMs(ms)}`).join(', ') || 'none'}; ` +
        `no request outstanding for ${fmtMs(Math.max(0, x.ms - covered))} (main-thread work: reading, React renders, handing data on).`, '');
      const big = reqs.filter((q) => q.ms >= Math.max(5, x.ms * 0.02));
      if (big.length) {
        lines.push('| starts at | takes | worker | request |', '| ---: | ---: | --- | --- |');
        for (const q of big) {
          const what = q.what ? `\`${q.what.slice(0, 110).replaceAll('|', '\\|').replaceAll('`', "'")}…\`` : '';
          lines.push(`| ${fmtMs(q.at)} | ${fmtMs(q.ms)} | ${engine(q.worker)} | ${q.type} ${what} |`);
        }
        lines.push('');
      }
    }
  }
  if (!lines.length) return [];
  return [
    '## What the page asked its workers (median runs)',
    '',
    'Every `postMessage` to a worker and its reply, observed by wrapping `Worker` in an init script',
    '(the page is not changed). Requests taking at least 2% of the window are listed, in order.',
    '',
    ...lines,
  ];
}

/**
 * A warning when other processes took a noticeable share of the CPUs.
 * @param {RunResult} r
 */
function disturbance(r) {
  const busy = r.phases.filter((p) => p.othersShare > 0.1);
  if (r.idleBusyShare <= 0.15 && busy.length === 0) {
    return ['', 'Other processes took at most 10% of the CPU time in every phase: the numbers are not noticeably disturbed.'];
  }
  return ['', `**Disturbed:** other processes (other people work on this machine) took ${busy.map((p) => `${(p.othersShare * 100).toFixed(0)}% during "${p.name}"`).join(', ') || `${(r.idleBusyShare * 100).toFixed(0)}% before the run`}. On 2 CPUs that slows the affected measurements by an unknown factor, and the columns may be disturbed unequally; compare with a run on a quiet machine.`];
}

/** @param {RunResult} r */
function rawLines(r) {
  const lines = [];
  const ms = (/** @type {number[]} */ xs) => xs.map((x) => Math.round(x)).join(', ');
  for (const s of r.sizes) {
    const a = r.app[s.label];
    const n = r.native[s.label];
    const p = r.papaparse[s.label];
    lines.push(`### ${s.label}: \`bench/data/${s.name}\` (${s.events.toLocaleString('en-US')} events, ${(s.bytes / 1e6).toFixed(1)} MB)`, '');
    const c = a?.cold;
    if (c) {
      const ms1 = (/** @type {number | null} */ x) => (x === null ? 'not seen' : `${Math.round(x)} ms`);
      lines.push(
        `- app cold loads (fresh page each, file chosen ${Math.round(c.idleMs)} ms after the page's load event; ms, page clock): ready ${ms(c.runs.map((x) => x.ms))}; SQL features (data-tables=ready) ${ms(c.runs.map((x) => x.tablesMs))}; as seen from Node ${ms(c.runs.map((x) => x.nodeMs))}`,
        `- app cold pages (since navigation): file chosen at ${ms(c.runs.map((x) => x.chosenAt))}; DuckDB-WASM INSTANTIATE answered at ${c.runs.map((x) => ms1(x.engineInstantiatedAt)).join(', ')}, OPEN at ${c.runs.map((x) => ms1(x.engineOpenedAt)).join(', ')}; data-state before: ${c.runs.map((x) => x.stateBefore).join(', ')}; first contentful paint ${c.runs.map((x) => ms1(x.firstContentfulPaintMs)).join(', ')}; largest renderer's peak RSS ${c.runs.map((x) => fmtBytes(x.rendererPeakRssBytes)).join(', ')}; sessions at 30 min ${c.runs.map((x) => x.stats.sessions).join(', ')}`,
      );
      if (c.error) lines.push(`- app cold: the page refused or failed the file after ${fmtMs(c.failedAfterMs)}: ${c.error}`);
    }
    if (a?.error) lines.push(`- app: the page refused or failed the file after ${fmtMs(a.failedAfterMs)}: ${a.error}`);
    if (a && !a.error) {
      const st = a.loads[0]?.stats ?? {};
      lines.push(
        `- app warm loads (ms, page clock): ${ms(a.loads.map((l) => l.ms))}; DuckDB's tables made (data-tables=ready): ${ms(a.loads.map((l) => l.tablesMs))}; as seen from Node (setInputFiles → ready seen): ${ms(a.loads.map((l) => l.nodeMs))}`,
        `- app figures at 30 min: ${st.events} events, ${st.users} users, ${st.sessions} sessions, ${st['skipped-rows']} skipped` +
          (n ? (n.loads[0]?.sessions === st.sessions ? ' (sessions agree with native DuckDB)' : ` (**native DuckDB counts ${n.loads[0]?.sessions} sessions**)`) : ''),
        `- app threshold changes (minutes → ms [main-thread long-task ms inside]): ${a.thresholds.map((t) => `${t.minutes}→${t.ms.toFixed(1)} [${Math.round(t.longTaskMs ?? 0)}]`).join(', ')}`,
        `- app slider steps (minutes → ms [main-thread long-task ms inside]): ${(a.sliderSteps ?? []).map((t) => `${t.minutes}→${t.ms.toFixed(1)} [${Math.round(t.longTaskMs ?? 0)}]`).join(', ')}`,
        `- app loads, main-thread long-task ms inside each: ${ms(a.loads.map((l) => l.longTaskMs ?? 0))}`,
        `- app drag: ${JSON.stringify(a.drag)}`,
        `- app renderer processes (pid, peak RSS, RSS at end): ${a.renderers.map((x) => `${x.pid}: ${fmtBytes(x.peakRssBytes)}, ${fmtBytes(x.rssBytes)}`).join('; ')}; largest renderer's peak after the warm-up file, before the benchmark file: ${fmtBytes(a.rendererPeakRssAfterWarmupBytes)}`,
      );
      if (a.consoleErrors.length) lines.push(`- page console errors: ${a.consoleErrors.slice(0, 5).map((e) => `\`${e.replaceAll('`', "'")}\``).join('; ')}`);
    }
    const ne = r.nativeExports?.[s.label];
    if (a?.exports?.length || ne) {
      lines.push(
        `- app exports at 30 min (click → file on disk; size; longest main-thread task meanwhile): ${(a?.exports ?? []).map((e) => (e.error ? `${e.id}: ${e.error}` : `${e.id} ${Math.round(e.ms)} ms, ${e.bytes} bytes (${e.fileName}), ${Math.round(e.longestTaskMs)} ms`)).join('; ') || 'none'}; largest renderer's peak RSS after them: ${fmtBytes(a?.rendererPeakRssAfterExportsBytes)}`,
        ne ? `- native DuckDB exports at ${ne.minutes} min (raw and events tables made in ${fmtMs(ne.prepareMs)}, not counted): ${ne.exports.map((e) => `${e.id} ${Math.round(e.ms)} ms, ${e.bytes} bytes, ${e.rows} rows`).join('; ')}; peak RSS ${fmtBytes(ne.peakRssBytes)}` : '- native DuckDB exports: not measured',
      );
    }
    if (n) {
      lines.push(
        `- native DuckDB loads (ms): ${ms(n.loads.map((l) => l.ms))}; peak RSS per run: ${n.loads.map((l) => fmtBytes(l.peakRssBytes)).join(', ')}`,
        `- native DuckDB thresholds: gaps table built in ${fmtMs(n.prepareMs)}, then (ms): ${n.changes.map((c) => c.ms.toFixed(1)).join(', ')}`,
      );
    }
    if (p) {
      lines.push(
        `- papaparse loads (ms): ${ms(p.loads.map((l) => l.ms))}; peak RSS per run: ${p.loads.map((l) => fmtBytes(l.peakRssBytes)).join(', ')}`,
        `- papaparse thresholds: gaps array built in ${fmtMs(p.prepareMs)}, then (ms): ${p.changes.map((c) => c.ms.toFixed(1)).join(', ')}`,
      );
    }
    const pd = pandasOf(r, s.label);
    if (pd) {
      lines.push(
        `- pandas loads (ms): ${ms(pd.loads.map((l) => l.ms))}; peak RSS per run: ${pd.loads.map((l) => fmtBytes(l.peakRssBytes)).join(', ')}; sessions at 30 min: ${pd.loads[0]?.sessions}`,
        `- pandas thresholds: gaps array built in ${fmtMs(pd.prepareMs)}, then (ms): ${pd.changes.map((c) => c.ms.toFixed(2)).join(', ')}`,
      );
    }
    lines.push('');
  }
  return lines;
}

/**
 * @param {RunResult} r
 * @param {string[]} notes free text added by hand-off (disturbance, findings)
 */
export function resultsMarkdown(r, notes = []) {
  return [
    `# Benchmark results${r.label ? `: ${r.label}` : ''}`,
    '',
    'Written by `npm run bench` (bench/run.mjs); see [bench/README.md](README.md) for what each number',
    'measures. Reproduce with:',
    '',
    '```sh',
    r.command,
    '```',
    '',
    ...machineLines(r),
    '',
    table(r),
    '',
    '✅/❌: against the targets of issue 5 (only where a target applies). Ratios are app ÷ native DuckDB.',
    '**Cold** (the headline): each run opens the app in a fresh browser context (nothing cached), waits as a',
    'person would before dropping a file, then chooses the benchmark file as the page\'s first file. **Warm**:',
    'the same page has already loaded the sample and a 1,000-event file, so DuckDB-WASM is started and compiled.',
    'The baselines\' load times are the same in both rows (each run is a fresh process).',
    `Pandas: ${r.pandasNote ?? 'not measured.'}`,
    '',
    ...coldStepLines(r),
    ...largeLines(r),
    ...whereLines(r),
    ...requestLines(r),
    '## How busy the machine was',
    '',
    ...loadLines(r),
    ...disturbance(r),
    ...(notes.length ? ['', ...notes] : []),
    '',
    '## Every run',
    '',
    ...rawLines(r),
  ].join('\n');
}
