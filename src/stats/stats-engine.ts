import type { Boundary, SessionStats } from '../domain/types';
import type { GapHistogramRow, ThresholdCurveRow } from '../sql/explore-sql';
import { gapHistogram, thresholdCurve } from './gap-views';
import { onlyGapRule, type SessionRules } from '../domain/rules';
import { localDayIndex, localMidnightsUs } from '../domain/midnights';
import { gapColumnsFromIpc, sessionNumbersToIpc, splitCodesFromRawIpc, urlColumnFromIpc, type EventColumns } from './gap-columns';
import { markSessionStarts, sessionNumbers, summaryFromStarts, type RuleInputs, type SessionSummary } from './session-stats';
import { figuresScratch, sessionFigures, type FiguresScratch, type SessionViews, type UrlColumn } from './session-figures';
import { eventsChecksum, quickRead, type QuickRead } from '../ingest/quick-read';

/** What a quick read tells the main thread: everything but the columns, which stay in the engine. */
export type QuickLoad =
  | (Omit<Extract<QuickRead, { ok: true }>, 'events' | 'url' | 'split'> & { checksum: number; splitColumn: string | null })
  | Extract<QuickRead, { ok: false }>;

/**
 * Holds each events table's columns in typed arrays and answers threshold queries on them.
 * The page runs it in a worker (only figures and, on request, session numbers cross to
 * the main thread); tests run it in-process. Keys are events table names.
 */
export interface StatsEngine {
  load(key: string, ipc: Uint8Array, users: number): Promise<void>;
  /**
   * Reads a clean CSV file itself (src/ingest/quick-read.ts) and holds its columns under
   * `key`, so the figures need not wait for DuckDB; declines (ok: false) anything irregular.
   */
  quickLoad(key: string, data: Blob | Uint8Array, dialect: { delimiter: string; quote: string }): Promise<QuickLoad>;
  /** Adds a raw column (rawColumnSql) for the split-on-change rule. */
  loadSplitColumn(key: string, column: string, ipc: Uint8Array): Promise<void>;
  hasSplitColumn(key: string, column: string): Promise<boolean>;
  /** Adds the url column (urlColumnSql) for the entry and exit pages. */
  loadUrlColumn(key: string, ipc: Uint8Array): Promise<void>;
  /** Sessions, mean duration and single-event share only: no medians, no allocation. */
  computeSummary(key: string, thresholdUs: number, rules: SessionRules): Promise<SessionSummary>;
  /** The figures and the threshold-dependent chart data, from one set of session starts. */
  computeWithViews(key: string, thresholdUs: number, rules: SessionRules): Promise<{ stats: SessionStats; views: SessionViews }>;
  /** gapHistogramSql's rows, from the gap column. */
  gapHistogram(key: string): Promise<GapHistogramRow[]>;
  /** thresholdCurveSql's rows, from the gap column. */
  thresholdCurve(key: string, thresholdsUs: readonly number[], boundary: Boundary): Promise<ThresholdCurveRow[]>;
  /** (row_number, session_number) as Arrow IPC for the given threshold and rules. */
  sessionNumbersIpc(key: string, thresholdUs: number, rules: SessionRules): Promise<Uint8Array>;
  release(key: string): Promise<void>;
}

interface Loaded {
  columns: EventColumns;
  /** Buffers of the events' length, reused by every threshold change (allocated on first use). */
  scratch: { starts: Uint8Array; figures: FiguresScratch } | null;
  url: UrlColumn | null;
  splitCodes: Map<string, Int32Array>;
  localDays: Map<string, Int32Array>;
}

function localDays(times: Float64Array, timeZone: string): Int32Array {
  const days = new Int32Array(times.length);
  if (times.length === 0) return days;
  let min = Infinity;
  let max = -Infinity;
  for (const t of times) {
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const midnights = localMidnightsUs(timeZone, min, max);
  for (let i = 0; i < times.length; i++) days[i] = localDayIndex(midnights, times[i] as number);
  return days;
}

/** The in-process engine; also the worker's implementation. */
export function createLocalStatsEngine(): StatsEngine {
  const loaded = new Map<string, Loaded>();
  const get = (key: string): Loaded => {
    const l = loaded.get(key);
    if (!l) throw new Error(`no columns are loaded for ${key}`);
    return l;
  };
  const inputs = (l: Loaded, rules: SessionRules): RuleInputs => {
    let days: Int32Array | null = null;
    if (rules.midnightTimeZone !== null) {
      days = l.localDays.get(rules.midnightTimeZone) ?? localDays(l.columns.times, rules.midnightTimeZone);
      l.localDays.set(rules.midnightTimeZone, days);
    }
    const codes = rules.splitColumn === null ? null : l.splitCodes.get(rules.splitColumn) ?? null;
    if (rules.splitColumn !== null && !codes) throw new Error(`the values of "${rules.splitColumn}" are not loaded`);
    return { localDays: days, splitCodes: codes };
  };
  return {
    async load(key, ipc, users) {
      loaded.set(key, { columns: gapColumnsFromIpc(ipc, users), scratch: null, url: null, splitCodes: new Map(), localDays: new Map() });
    },
    async quickLoad(key, data, dialect) {
      const bytes = data instanceof Uint8Array ? data : new Uint8Array(await data.arrayBuffer());
      const read = quickRead(bytes, dialect);
      if (!read.ok) return read;
      const { events, url, split, ...described } = read;
      const splitCodes = new Map<string, Int32Array>(split ? [[split.column, split.codes]] : []);
      loaded.set(key, { columns: events, scratch: null, url, splitCodes, localDays: new Map() });
      return { ...described, checksum: eventsChecksum(events), splitColumn: split?.column ?? null };
    },
    async loadUrlColumn(key, ipc) {
      get(key).url = urlColumnFromIpc(ipc);
    },
    async loadSplitColumn(key, column, ipc) {
      const l = get(key);
      l.splitCodes.set(column, splitCodesFromRawIpc(ipc, l.columns.rows));
    },
    async hasSplitColumn(key, column) {
      return loaded.get(key)?.splitCodes.has(column) ?? false;
    },
    async computeSummary(key, thresholdUs, rules) {
      const l = get(key);
      return summaryFromStarts(l.columns.times, markSessionStarts(l.columns, thresholdUs, rules, inputs(l, rules), l.scratch?.starts));
    },
    async computeWithViews(key, thresholdUs, rules) {
      const l = get(key);
      const n = l.columns.gaps.length;
      l.scratch ??= { starts: new Uint8Array(n), figures: figuresScratch(n) };
      const cuts = onlyGapRule(rules)
        ? { gaps: l.columns.gaps, thresholdUs, boundary: rules.boundary }
        : markSessionStarts(l.columns, thresholdUs, rules, inputs(l, rules), l.scratch.starts);
      return sessionFigures(l.columns.times, cuts, l.columns.users, l.url, l.scratch.figures);
    },
    async gapHistogram(key) {
      return gapHistogram(get(key).columns.gaps);
    },
    async thresholdCurve(key, thresholdsUs, boundary) {
      return thresholdCurve(get(key).columns.gaps, thresholdsUs, boundary);
    },
    async sessionNumbersIpc(key, thresholdUs, rules) {
      const l = get(key);
      const starts = markSessionStarts(l.columns, thresholdUs, rules, inputs(l, rules));
      return sessionNumbersToIpc(l.columns.rows, sessionNumbers(l.columns.gaps, starts));
    },
    async release(key) {
      loaded.delete(key);
    },
  };
}
