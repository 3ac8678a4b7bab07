import type { Boundary, EventColumns, GapHistogramRow, SessionStats, ThresholdCurveRow, UrlColumn } from '../domain/types';
import { gapHistogram, gapRuleShapes, thresholdCurve } from './gap-views';
import { onlyGapRule, rulesKey, type SessionRules } from '../domain/rules';
import { localDayIndex, localMidnightsUs } from '../domain/midnights';
import { readBytes } from '../domain/csv-records';
import {
  eventsByRowToIpc,
  gapColumnsFromIpc,
  sessionNumbersToIpc,
  splitCodesFromRawIpc,
  textColumnFromRawIpc,
  urlColumnFromIpc,
  userIdsFromIpc,
} from './gap-columns';
import { keptColumns, keptEventsMask, type TextColumn } from './user-mask';
import type { ExclusionSummary, UserFilters } from '../domain/user-filters';
import type { BreakdownRow } from '../domain/breakdown';
import type { SessionShape } from '../domain/suggest-threshold';
import { breakdownRows } from './breakdown';
import { sessionListKey, type SessionPage, type SessionPageQuery, type SessionsOverTime, type TimeBinChoice } from '../domain/session-list';
import { buildSessionTableSteps, sessionPage, sessionsOverTimeSteps, type SessionTable, type UserIds } from './session-table';
import { rankedUserIdsSteps, sessionOrderSteps, userIdsByIndexSteps } from './session-order';
import { runAtOnce, type StepsRunner } from './steps';
import { keyTexts, type DictionaryKeys } from '../ingest/byte-dictionary';
import {
  markSessionStarts,
  sessionNumbers,
  summaryCountsFromStarts,
  summaryFromStarts,
  type RuleInputs,
  type SessionSummary,
  type SummaryCounts,
} from './session-stats';
import { figuresScratch, sessionFigures, type FiguresScratch, type SessionViews } from './session-figures';
import { gapRuleFigures, type GapRuleFigures } from './figures-update';
import { sessionDiff, type SessionDiff } from './session-diff';
import { exportOrder, exportUsersFromIpc, numbersInExportOrderToIpc, positionsByRowToIpc, firstRowsFromIpc, type ExportOrder } from './export-order';
import {
  checkExportInstants,
  sessionsArrowChunk,
  sessionsCsvChunk,
  sessionsForExport,
  type SessionsChunkFormat,
  type SessionsForExport,
} from './sessions-export';
import { eventsCsvChunk, eventsForExport, type EventsExportSetup, type EventsForExport } from './events-export';
import { addUserFirsts, laneSessions, pickLaneUsers, type LanePick, type LaneSessions } from './lanes';
import {
  fileHead,
  joinQuickRead,
  partSpecAt,
  planQuickRead,
  QUICK_READ_HEAD_BYTES,
  QUICK_READ_WIDE_HEAD_BYTES,
  QuickRowsReader,
  quickPart,
  quickPartReading,
  splitPoint,
  type QuickPart,
  type QuickPartSpec,
  type QuickPlan,
  type QuickRead,
  type QuickScan,
} from '../ingest/quick-read';
import { readLinePieces } from '../ingest/quick-read-chunks';

/** What a quick read tells the main thread: everything but the columns, which stay in the engine. */
export type QuickLoad =
  | (Omit<Extract<QuickRead, { ok: true }>, 'events' | 'url' | 'split' | 'userIds'> & { splitColumn: string | null })
  | Extract<QuickRead, { ok: false }>;

/**
 * Holds each events table's columns in typed arrays and answers threshold queries on them.
 * The page runs it in a worker (only figures and, on request, session numbers cross to
 * the main thread); tests run it in-process. Keys are events table names.
 */
export interface StatsEngine {
  load(key: string, ipc: Uint8Array, users: number): Promise<void>;
  /**
   * The quick read (src/ingest/quick-read.ts) of a clean CSV file, in steps, so that a
   * second engine can read a big file's second half at the same time: quickPlan reads the
   * header and first rows (and says where a second half may start, and the header's names,
   * for DuckDB to read the file with while the worker sorts), quickScan the rows (the
   * first half only when `firstHalf`), quickPart (on another engine) the second half, and
   * quickJoin makes the columns and holds them under `key`, so the figures need not wait for
   * DuckDB. Each step may decline (ok: false) anything irregular.
   */
  quickPlan(
    key: string,
    data: Blob | Uint8Array,
    dialect: { delimiter: string; quote: string },
    split: boolean,
  ): Promise<{ ok: true; part: QuickPartSpec | null; names: string[] } | { ok: false; reason: string }>;
  quickScan(key: string, firstHalf: boolean): Promise<{ ok: true } | { ok: false; reason: string }>;
  quickPart(data: Blob | Uint8Array, spec: QuickPartSpec): Promise<{ ok: true; part: QuickPart } | { ok: false; reason: string }>;
  quickJoin(key: string, part: QuickPart | null): Promise<QuickLoad>;
  /** Adds a raw column (rawColumnSql) for the split-on-change rule. */
  loadSplitColumn(key: string, column: string, ipc: Uint8Array): Promise<void>;
  hasSplitColumn(key: string, column: string): Promise<boolean>;
  /** Adds a raw column's text (rawColumnSql) for the exclusion's column match. */
  loadTextColumn(key: string, column: string, ipc: Uint8Array): Promise<void>;
  hasTextColumn(key: string, column: string): Promise<boolean>;
  /**
   * Holds the events of the users `filters` keep under `keptKey` (every other method then
   * answers for them) and says how many users and events were left out. The column match
   * needs its column loaded first (loadTextColumn).
   */
  filterUsers(key: string, keptKey: string, filters: UserFilters): Promise<ExclusionSummary>;
  /** The figures by the values of a text column (loadTextColumn first), at a threshold and rules: the top `limit` values by events. */
  breakdown(key: string, column: string, thresholdUs: number, rules: SessionRules, limit: number): Promise<{ rows: BreakdownRow[]; values: number }>;
  /** Adds the url column (urlColumnSql) for the entry and exit pages. */
  loadUrlColumn(key: string, ipc: Uint8Array): Promise<void>;
  /** Sessions, mean duration and single-event share only: no medians, no allocation. */
  computeSummary(key: string, thresholdUs: number, rules: SessionRules): Promise<SessionSummary>;
  /**
   * The summary counts of the users whose events start in [from, to) (both moved on to the
   * next user's first event, so parts never split a user), for computing a summary in short
   * requests that a threshold change can come between. `end`: where the part ended (the next
   * part's `from`); `events`: how many events there are in all.
   */
  summaryCountsPart(
    key: string,
    thresholdUs: number,
    rules: SessionRules,
    from: number,
    to: number,
  ): Promise<{ counts: SummaryCounts; end: number; events: number }>;
  /** The figures and the threshold-dependent chart data, from one set of session starts. */
  computeWithViews(key: string, thresholdUs: number, rules: SessionRules): Promise<{ stats: SessionStats; views: SessionViews }>;
  /** What differs between two cuts of the events, each a threshold and rules (session-diff.ts); lists at most `limit` changed users. */
  compareCuts(key: string, a: SessionCut, b: SessionCut, limit: number): Promise<SessionDiff>;
  /** The first rows of the users to draw lanes for (lanes.ts). */
  laneUserRows(key: string, pick: LanePick): Promise<number[]>;
  /** The sessions of the users whose first rows are given, at a threshold and rules; at most `maxBars` drawn per user. */
  laneSessions(key: string, userRows: readonly number[], cut: SessionCut, maxBars: number): Promise<LaneSessions[]>;
  /** gapHistogramSql's rows, from the gap column. */
  gapHistogram(key: string): Promise<GapHistogramRow[]>;
  /** thresholdCurveSql's rows, from the gap column. */
  thresholdCurve(key: string, thresholdsUs: readonly number[], boundary: Boundary): Promise<ThresholdCurveRow[]>;
  /** Sessions and single-event share by the gap rule alone at each threshold, in one pass (gapRuleShapes). */
  gapRuleShapes(key: string, thresholdsUs: readonly number[]): Promise<SessionShape[]>;
  /** (row_number, session_number) as Arrow IPC for the given threshold and rules. */
  sessionNumbersIpc(key: string, thresholdUs: number, rules: SessionRules): Promise<Uint8Array>;
  /**
   * The events the engine holds (ts_us, gap_us; -1 for a user's first event) as Arrow IPC in
   * file order, one row per data row (`rowsRead`; NULL ts_us where a row was skipped), for
   * DuckDB to make its events table from them instead of reading the file's timestamps a
   * second time (see eventsFromHandoverSql).
   */
  eventsByRowIpc(key: string, rowsRead: number): Promise<Uint8Array>;
  /**
   * Each raw row's place in the events export (export-order.ts), as Arrow IPC in file order
   * (`rawRows` rows; NULL where a row made no event). `firstRowsIpc`: the row ("row") of each
   * user's first event, the users in the export's order. Kept for exportNumbersIpc.
   */
  exportPositionsIpc(key: string, rawRows: number, firstRowsIpc: Uint8Array): Promise<Uint8Array>;
  /** (position, session_number) in the events export's order (exportPositionsIpc first), for the threshold and rules. */
  exportNumbersIpc(key: string, thresholdUs: number, rules: SessionRules): Promise<Uint8Array>;
  /**
   * Makes the sessions export's rows (sessions-export.ts) and keeps them for
   * exportSessionsChunk; returns how many. `usersIpc`: each user's first row and id
   * (exportUsersWithIdsSql), the users in the export's order. `withUrl`: the export has a url
   * column (the worker must then hold it). Throws where SQL must write the export instead.
   */
  exportSessions(key: string, thresholdUs: number, rules: SessionRules, rawRows: number, usersIpc: Uint8Array, withUrl: boolean): Promise<number>;
  /** Sessions [from, to) of the last exportSessions of `key`: CSV (the header first when asked) or Arrow IPC. */
  exportSessionsChunk(key: string, from: number, to: number, format: SessionsChunkFormat): Promise<Uint8Array>;
  /**
   * Prepares the events export of a file the quick read took (events-export.ts), written
   * from the file's own bytes by exportEventsChunk; returns how many events. `usersIpc` as for
   * exportSessions; `setup.header`: the header line as COPY writes it. Throws where the
   * worker cannot write the bytes SQL writes (the file is not as the raw table has it).
   */
  exportEvents(key: string, thresholdUs: number, rules: SessionRules, usersIpc: Uint8Array, setup: EventsExportSetup): Promise<number>;
  /** Events [from, to) of the last exportEvents of `key`, as CSV (the header first when asked). */
  exportEventsChunk(key: string, from: number, to: number, format: { header: boolean; spreadsheetSafe: boolean }): Promise<Uint8Array>;
  /** Lets go of the last exportEvents of `key` (its line starts and window). */
  exportEventsDone(key: string): Promise<void>;
  /**
   * Adds the users' ids (userIdsSql) for the session list. They come from DuckDB's events
   * table, one text per user: the cheapest route, as the worker's columns know users only
   * by their runs of events, and a per-event dictionary (as for urls) would send a code per
   * event for what the list needs once per user.
   */
  loadUserIds(key: string, ipc: Uint8Array): Promise<void>;
  hasUserIds(key: string): Promise<boolean>;
  /**
   * One page of the session list: the sessions at the threshold and rules that the filter
   * leaves, in the asked order. The session table (per threshold and rules) and the order
   * (per filter and sort) are kept for the next page.
   */
  sessionPage(key: string, thresholdUs: number, rules: SessionRules, query: SessionPageQuery): Promise<SessionPage>;
  /** Sessions started per local day or hour of `timeZone`, at the threshold and rules. */
  sessionsOverTime(key: string, thresholdUs: number, rules: SessionRules, timeZone: string, bins: TimeBinChoice): Promise<SessionsOverTime>;
  release(key: string): Promise<void>;
}

/** One way of cutting the events into sessions. */
export interface SessionCut {
  thresholdUs: number;
  rules: SessionRules;
}

interface Loaded {
  columns: EventColumns;
  /** Buffers of the events' length, reused by every threshold change (allocated on first use). */
  scratch: { starts: Uint8Array; figures: FiguresScratch } | null;
  /** The gap rule's figures, updated from one threshold to the next (made on first use; again when the url column comes). */
  gapFigures: { url: UrlColumn | null; figures: GapRuleFigures } | null;
  url: UrlColumn | null;
  splitCodes: Map<string, Int32Array>;
  localDays: Map<string, Int32Array>;
  /** Raw columns' text per event, for the exclusion's column match. */
  text: Map<string, TextColumn>;
  userIds: UserIds | null;
  /** The quick read's user ids, not yet decoded (see QuickRead's userIds): the session list needs no DuckDB then. */
  quickUserIds: { keys: DictionaryKeys; codes: Int32Array } | null;
  /** The last session table and list order made (the slider moves on; one of each is kept). */
  sessions: { key: string; table: SessionTable } | null;
  order: { key: string; order: Int32Array } | null;
  /** The lane users' first events by their rows (addUserFirsts). */
  userFirsts: Map<number, number>;
  /** The two cuts' starts of a comparison, reused by every threshold change (allocated on first use). */
  diffScratch: [Uint8Array, Uint8Array] | null;
}

const fresh = (): Omit<Loaded, 'columns'> => ({
  scratch: null,
  gapFigures: null,
  url: null,
  splitCodes: new Map(),
  localDays: new Map(),
  text: new Map(),
  userIds: null,
  quickUserIds: null,
  sessions: null,
  order: null,
  userFirsts: new Map(),
  diffScratch: null,
});

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

/**
 * The in-process engine; also the worker's implementation. `runLong` runs the session
 * views' long passes (steps.ts): the worker's gives way to queued requests between slices,
 * so a threshold change's figures need not wait for a big session list. Those views run one
 * at a time (the second reuses the first's session table).
 */
/**
 * From this many events the gap index is built before the first figures are answered, not in
 * the background. Built in the background at 30M events it took over a second, shared with the
 * session list's and the preset comparison's work, and a threshold change made meanwhile was a
 * full pass (~400 ms at 30M; 626 ms end to end in the benchmark, against a 500 ms target). Before
 * the answer it costs ~0.8 s once at 30M (~0.25 s at 10M) and every later slider step is an
 * update. Below it a full pass is cheap (~15 ms at 1M) and the first figures do not wait.
 */
export const INDEX_FIRST_EVENTS = 5_000_000;

export function createLocalStatsEngine(runLong: StepsRunner = runAtOnce): StatsEngine {
  const loaded = new Map<string, Loaded>();
  /** The events export's order per key (exportPositionsIpc), for its session numbers. */
  const exportOrders = new Map<string, ExportOrder>();
  /** The last sessions export's rows per key (exportSessions), written chunk by chunk. */
  const sessionExports = new Map<string, SessionsForExport>();
  /** The events export under way per key (exportEvents), written chunk by chunk. */
  const eventExports = new Map<string, EventsForExport>();
  let viewsDone: Promise<unknown> = Promise.resolve();
  const oneViewAtATime = <T>(view: () => Promise<T>): Promise<T> => {
    const run = viewsDone.then(view, view);
    viewsDone = run.catch(() => {});
    return run;
  };
  /** Quick reads under way: the plan, then the rows read. */
  const quick = new Map<string, { plan: QuickPlan; data: Blob | Uint8Array; scan: QuickScan | null }>();
  const pending = (key: string) => {
    const q = quick.get(key);
    if (!q) throw new Error(`no quick read of ${key} is under way`);
    return q;
  };
  const get = (key: string): Loaded => {
    const l = loaded.get(key);
    if (!l) throw new Error(`no columns are loaded for ${key}`);
    return l;
  };
  /** The split rule's column codes (null without the rule); the column must have been loaded. */
  const splitCodesFor = (l: Loaded, rules: SessionRules): Int32Array | null => {
    if (rules.splitColumn === null) return null;
    const codes = l.splitCodes.get(rules.splitColumn);
    if (!codes) throw new Error(`the values of "${rules.splitColumn}" are not loaded`);
    return codes;
  };
  const inputs = (l: Loaded, rules: SessionRules): RuleInputs => {
    let days: Int32Array | null = null;
    if (rules.midnightTimeZone !== null) {
      days = l.localDays.get(rules.midnightTimeZone) ?? localDays(l.columns.times, rules.midnightTimeZone);
      l.localDays.set(rules.midnightTimeZone, days);
    }
    return { localDays: days, splitCodes: splitCodesFor(l, rules) };
  };
  const sessionTable = async (l: Loaded, thresholdUs: number, rules: SessionRules): Promise<{ key: string; table: SessionTable }> => {
    const key = `${thresholdUs}|${rulesKey(rules)}`;
    if (l.sessions?.key === key) return l.sessions;
    const url = l.url;
    const starts = markSessionStarts(l.columns, thresholdUs, rules, inputs(l, rules));
    const made = { key, table: await runLong(buildSessionTableSteps(l.columns, starts, url)) };
    // Kept unless the urls arrived meanwhile (then the next view makes it again, with them).
    if (l.url === url) l.sessions = made;
    return made;
  };
  return {
    async load(key, ipc, users) {
      loaded.set(key, { ...fresh(), columns: gapColumnsFromIpc(ipc, users) });
    },
    async quickPlan(key, data, dialect, split) {
      // The first lines are enough to plan; the rows are read by quickScan (and quickPart).
      const size = data instanceof Uint8Array ? data.length : data.size;
      let planned = planQuickRead(fileHead(await readBytes(data, 0, QUICK_READ_HEAD_BYTES), size), dialect, size);
      // Wide rows: more of the file, but never all of a big one in one buffer (else declined: DuckDB reads it).
      if (!planned.ok && planned.needsWholeFile)
        planned = planQuickRead(fileHead(await readBytes(data, 0, QUICK_READ_WIDE_HEAD_BYTES), size, QUICK_READ_WIDE_HEAD_BYTES), dialect, size);
      if (!planned.ok) return planned;
      const { plan } = planned;
      if (split) {
        const probeAt = Math.max(size >> 1, plan.sampleEnd);
        const from = splitPoint(plan, size, await readBytes(data, probeAt, probeAt + 1024 ** 2), probeAt);
        if (from !== null) plan.part = partSpecAt(plan, from);
      }
      quick.set(key, { plan, data, scan: null });
      return { ok: true, part: plan.part, names: plan.names };
    },
    async quickScan(key, firstHalf) {
      const q = pending(key);
      const size = q.data instanceof Uint8Array ? q.data.length : q.data.size;
      const end = firstHalf && q.plan.part ? q.plan.part.from : size;
      if (firstHalf && end !== q.plan.part?.from) return { ok: false, reason: 'the first half does not end where the second starts' };
      // In slices, never the whole file at once (quick-read-chunks.ts). A first half's columns
      // are sized for the whole file, so that the second half's rows join them in place
      // (joinHalves): pages not yet written cost nothing.
      const reader = new QuickRowsReader(q.plan, false, size - q.plan.headerEnd);
      const problem = await readLinePieces(q.data, q.plan.headerEnd, q.plan.headerEnd, end, (piece) => reader.take(piece));
      if (problem !== null) {
        quick.delete(key);
        return { ok: false, reason: problem };
      }
      q.scan = { ...reader.done(), firstHalf };
      return { ok: true };
    },
    async quickPart(data, spec) {
      // The header line and the second half only, in slices.
      const size = data instanceof Uint8Array ? data.length : data.size;
      const reader = new QuickRowsReader(quickPartReading(spec), true, size - spec.from);
      const problem = await readLinePieces(data, spec.headerEnd, spec.from, size, (piece) => reader.take(piece));
      return problem === null ? { ok: true, part: quickPart(reader.done()) } : { ok: false, reason: `second half: ${problem}` };
    },
    async quickJoin(key, part) {
      const q = pending(key);
      quick.delete(key);
      if (!q.scan) throw new Error(`the rows of ${key} were not read`);
      const read = joinQuickRead(q.plan, q.scan, part);
      if (!read.ok) return read;
      const { events, url, split, userIds, ...described } = read;
      const splitCodes = new Map<string, Int32Array>(split ? [[split.column, split.codes]] : []);
      loaded.set(key, { ...fresh(), columns: events, url, splitCodes, quickUserIds: userIds });
      return { ...described, splitColumn: split?.column ?? null };
    },
    async loadUrlColumn(key, ipc) {
      const l = get(key);
      l.url = urlColumnFromIpc(ipc);
      l.sessions = null;
      l.order = null;
    },
    async loadUserIds(key, ipc) {
      const l = get(key);
      const { rows, ids } = userIdsFromIpc(ipc);
      l.userIds = await oneViewAtATime(() => runLong(userIdsByIndexSteps(l.columns.gaps, l.columns.rows, rows, ids)));
    },
    async hasUserIds(key) {
      const l = loaded.get(key);
      return l?.userIds != null || l?.quickUserIds != null;
    },
    sessionPage: (key, thresholdUs, rules, query) =>
      oneViewAtATime(async () => {
        const l = get(key);
        if (!l.userIds && l.quickUserIds) l.userIds = await runLong(rankedUserIdsSteps(keyTexts(l.quickUserIds.keys, l.quickUserIds.codes)));
        const users = l.userIds;
        if (!users) throw new Error(`the user ids of ${key} are not loaded`);
        const url = l.url;
        const labels = url?.labels ?? [];
        const { key: tableKey, table } = await sessionTable(l, thresholdUs, rules);
        const orderKey = `${tableKey}|${sessionListKey(query)}`;
        let order = l.order?.key === orderKey ? l.order.order : null;
        if (!order) {
          order = await runLong(sessionOrderSteps(table, users, labels, query));
          if (l.url === url) l.order = { key: orderKey, order };
        }
        return sessionPage(table, users, labels, order, query.offset, query.limit);
      }),
    sessionsOverTime: (key, thresholdUs, rules, timeZone, bins) =>
      oneViewAtATime(async () => {
        const l = get(key);
        return runLong(sessionsOverTimeSteps((await sessionTable(l, thresholdUs, rules)).table, timeZone, bins));
      }),
    async loadSplitColumn(key, column, ipc) {
      const l = get(key);
      l.splitCodes.set(column, splitCodesFromRawIpc(ipc, l.columns.rows));
    },
    async loadTextColumn(key, column, ipc) {
      const l = get(key);
      l.text.set(column, textColumnFromRawIpc(ipc, l.columns.rows));
    },
    async hasTextColumn(key, column) {
      return loaded.get(key)?.text.has(column) ?? false;
    },
    async filterUsers(key, keptKey, filters) {
      const l = get(key);
      const column = filters.columnMatch?.column;
      const match = column === undefined ? null : (l.text.get(column) ?? null);
      const { keep, summary } = keptEventsMask(l.columns, filters, match);
      const kept = keptColumns(l.columns, l.url, l.splitCodes, keep, summary);
      loaded.set(keptKey, { ...fresh(), columns: kept.columns, url: kept.url, splitCodes: kept.codes });
      return summary;
    },
    async breakdown(key, column, thresholdUs, rules, limit) {
      const l = get(key);
      const text = l.text.get(column);
      if (!text) throw new Error(`the values of "${column}" are not loaded`);
      const starts = markSessionStarts(l.columns, thresholdUs, rules, inputs(l, rules), l.scratch?.starts);
      return breakdownRows(l.columns.gaps, l.columns.times, starts, text, limit);
    },
    async hasSplitColumn(key, column) {
      return loaded.get(key)?.splitCodes.has(column) ?? false;
    },
    async computeSummary(key, thresholdUs, rules) {
      const l = get(key);
      return summaryFromStarts(l.columns.times, markSessionStarts(l.columns, thresholdUs, rules, inputs(l, rules), l.scratch?.starts));
    },
    async summaryCountsPart(key, thresholdUs, rules, from, to) {
      const l = get(key);
      const { gaps, times, users } = l.columns;
      const n = gaps.length;
      // A user's first event has gap -1: a part starts and ends at one (or at the end).
      const userStart = (i: number) => {
        let k = Math.max(0, Math.min(n, i));
        while (k < n && k > 0 && (gaps[k] as number) >= 0) k++;
        return k;
      };
      const start = userStart(from);
      const end = Math.max(start, userStart(to));
      const part = { gaps: gaps.subarray(start, end), times: times.subarray(start, end), users };
      // The local days of the part only, unless the whole column's are made (a part's request stays short).
      const zone = rules.midnightTimeZone;
      const wholeDays = zone === null ? null : (l.localDays.get(zone) ?? null);
      const partInputs: RuleInputs = {
        localDays: zone === null ? null : (wholeDays?.subarray(start, end) ?? localDays(part.times, zone)),
        splitCodes: splitCodesFor(l, rules)?.subarray(start, end) ?? null,
      };
      return { counts: summaryCountsFromStarts(part.times, markSessionStarts(part, thresholdUs, rules, partInputs)), end, events: n };
    },
    async computeWithViews(key, thresholdUs, rules) {
      const l = get(key);
      const n = l.columns.gaps.length;
      l.scratch ??= { starts: new Uint8Array(n), figures: figuresScratch(n) };
      if (onlyGapRule(rules)) {
        if (l.gapFigures?.url !== l.url) l.gapFigures = { url: l.url, figures: gapRuleFigures(l.columns, l.url) };
        const gapFigures = l.gapFigures;
        const figures = gapFigures.figures.at(thresholdUs, rules.boundary, l.scratch.figures);
        // The index later changes update through: built in the background while this answer is
        // drawn, or before it from INDEX_FIRST_EVENTS on (see there).
        const index = gapFigures.figures.indexSteps(() => loaded.get(key) === l && l.gapFigures === gapFigures);
        if (index && n >= INDEX_FIRST_EVENTS) await runAtOnce(index);
        else if (index) void runLong(index).catch(() => {});
        return figures;
      }
      const starts = markSessionStarts(l.columns, thresholdUs, rules, inputs(l, rules), l.scratch.starts);
      return sessionFigures(l.columns.times, starts, l.columns.users, l.url, l.scratch.figures);
    },
    async compareCuts(key, a, b, limit) {
      const l = get(key);
      const n = l.columns.gaps.length;
      l.diffScratch ??= [new Uint8Array(n), new Uint8Array(n)];
      const startsA = markSessionStarts(l.columns, a.thresholdUs, a.rules, inputs(l, a.rules), l.diffScratch[0]);
      const startsB = markSessionStarts(l.columns, b.thresholdUs, b.rules, inputs(l, b.rules), l.diffScratch[1]);
      return sessionDiff(l.columns.gaps, l.columns.rows, startsA, startsB, limit);
    },
    async laneUserRows(key, pick) {
      const l = get(key);
      return pickLaneUsers(l.columns.gaps, l.columns.rows, pick);
    },
    async laneSessions(key, userRows, cut, maxBars) {
      const l = get(key);
      addUserFirsts(l.columns.gaps, l.columns.rows, userRows, l.userFirsts);
      return laneSessions(l.columns, l.userFirsts, userRows, cut.thresholdUs, cut.rules, inputs(l, cut.rules), maxBars);
    },
    async gapHistogram(key) {
      return gapHistogram(get(key).columns.gaps);
    },
    async thresholdCurve(key, thresholdsUs, boundary) {
      return thresholdCurve(get(key).columns.gaps, thresholdsUs, boundary);
    },
    async gapRuleShapes(key, thresholdsUs) {
      return gapRuleShapes(get(key).columns.gaps, thresholdsUs);
    },
    async sessionNumbersIpc(key, thresholdUs, rules) {
      const l = get(key);
      const starts = markSessionStarts(l.columns, thresholdUs, rules, inputs(l, rules));
      return sessionNumbersToIpc(l.columns.rows, sessionNumbers(l.columns.gaps, starts));
    },
    async eventsByRowIpc(key, rowsRead) {
      return eventsByRowToIpc(get(key).columns, rowsRead);
    },
    async exportPositionsIpc(key, rawRows, firstRowsIpc) {
      const { columns } = get(key);
      const order = exportOrder(columns, rawRows, firstRowsFromIpc(firstRowsIpc));
      exportOrders.set(key, order);
      return positionsByRowToIpc(columns, order, rawRows);
    },
    async exportNumbersIpc(key, thresholdUs, rules) {
      const l = get(key);
      const order = exportOrders.get(key);
      if (!order) throw new Error(`the export order of ${key} was not made`);
      const starts = markSessionStarts(l.columns, thresholdUs, rules, inputs(l, rules));
      return numbersInExportOrderToIpc(order, sessionNumbers(l.columns.gaps, starts));
    },
    async exportSessions(key, thresholdUs, rules, rawRows, usersIpc, withUrl) {
      const l = get(key);
      if (withUrl && !l.url) throw new Error(`the urls of ${key} are not loaded`);
      const { firstRows, ids } = exportUsersFromIpc(usersIpc);
      const order = exportOrder(l.columns, rawRows, firstRows);
      exportOrders.set(key, order);
      const starts = markSessionStarts(l.columns, thresholdUs, rules, inputs(l, rules));
      const sessions = sessionsForExport(l.columns, order, starts, withUrl ? l.url : null, ids);
      checkExportInstants(sessions);
      sessionExports.set(key, sessions);
      return sessions.number.length;
    },
    async exportSessionsChunk(key, from, to, format) {
      const sessions = sessionExports.get(key);
      if (!sessions) throw new Error(`the sessions export of ${key} was not made`);
      return format.type === 'csv' ? sessionsCsvChunk(sessions, from, to, format.header, format.spreadsheetSafe) : sessionsArrowChunk(sessions, from, to);
    },
    async exportEvents(key, thresholdUs, rules, usersIpc, setup) {
      eventExports.delete(key);
      const l = get(key);
      const { firstRows, ids } = exportUsersFromIpc(usersIpc);
      const order = exportOrder(l.columns, setup.rawRows, firstRows);
      const numbers = sessionNumbers(l.columns.gaps, markSessionStarts(l.columns, thresholdUs, rules, inputs(l, rules)));
      const events = await eventsForExport(l.columns, order, numbers, ids, setup);
      eventExports.set(key, events);
      return events.rowAt.length;
    },
    async exportEventsChunk(key, from, to, format) {
      const events = eventExports.get(key);
      if (!events) throw new Error(`the events export of ${key} was not made`);
      return eventsCsvChunk(events, from, to, format.header, format.spreadsheetSafe);
    },
    async exportEventsDone(key) {
      eventExports.delete(key);
    },
    async release(key) {
      loaded.delete(key);
      eventExports.delete(key);
      exportOrders.delete(key);
      sessionExports.delete(key);
      quick.delete(key);
    },
  };
}
