import type { StatsEngine } from '../stats/stats-engine';
import { addSummaryCounts, summaryOfCounts, type SummaryCounts } from '../stats/session-stats';
import { minutesToUs } from '../domain/threshold';
import type { SessionizeSpec } from '../sql/sessionize-sql';
import { rawColumnSql } from '../sql/gap-columns-sql';
import type { EventMarkRow, UserEventRow, UserSessionRow, UserSummaryRow } from '../domain/types';
import { cellsRowColumn, eventCellsSql, userEventMarksSql, userEventsSql, userSummarySql, userTimelineSql } from '../sql/user-sql';
import type { Engine } from '../engine/engine';
import type { LatenessHistogramRow, LatenessSummary, WatermarkSimulation } from '../domain/types';
import { latenessHistogramSql, latenessSummarySql, watermarkSimulationSql } from '../sql/lateness-sql';
import { TIMELINE_COLUMNS, TIMELINE_EVENTS_PAGE, timelineRange } from '../domain/timeline-range';
import { curveThresholdsUs } from '../domain/curve-thresholds';
import { NO_RULES, onlyGapRule, rulesKey, type SessionRules } from '../domain/rules';
import { PRESETS, presetRules } from '../domain/presets';
import { measureWorker } from './threshold-timing';
import { NO_USER_FILTERS, userFiltersKey, type UserFilters } from '../domain/user-filters';
import { keptEventsFor } from './kept-events';
import { BREAKDOWN_ROWS, type Breakdown } from '../domain/breakdown';
import { dictionaryColumnIpc } from './dictionary-column';
import type { DatasetHandle } from './dataset-handle';
import type { AppState, Dataset, LatenessState, PresetComparison, PresetComparisonRow, SessionResult, UserTimeline } from './types';

/*
 * What the page shows for a dataset and the settings on screen, each view with the key of
 * what it was computed for: a view whose key differs from the state's is stale (and the
 * page says 'loading' until it is not). Figures come from the stats worker; the timeline
 * and the lateness analysis from DuckDB's tables.
 */

export function resultKey(r: SessionResult): string {
  return `${r.eventsTable}|${r.gapMinutes}|${rulesKey(r.rules)}`;
}

export function timelineKey(s: AppState, u: AppState['timelineUser'] = s.timelineUser): string {
  return `${s.result ? resultKey(s.result) : ''}|${u?.userId}|${u?.selected}|${u?.eventsOffset}`;
}

/** The events the lateness analysis reads: the result's (the kept users' under a user filter). */
export function latenessDataKey(s: AppState): string {
  return s.result?.eventsTable ?? s.dataset?.events.table ?? '';
}

export function latenessSimKey(s: AppState): string {
  return `${latenessDataKey(s)}|${s.lateness.allowedMinutes}|${s.gapMinutes}|${s.rules.boundary}`;
}

export function comparisonKey(s: AppState): string {
  return `${s.dataset?.events.table}|${s.presetZone}|${s.presetCampaignColumn}|${userFiltersKey(s.userFilters)}`;
}

export function breakdownKey(s: AppState): string {
  return `${s.result ? resultKey(s.result) : ''}|${s.breakdownColumn}`;
}

/** Whether the breakdown on screen is not for the result and column shown. */
export function breakdownStale(s: AppState): boolean {
  return s.breakdownColumn !== null && s.breakdown?.key !== breakdownKey(s);
}

/** What the comparison with a second threshold or a preset is for; '' when none is asked for. */
export function sessionDiffKey(s: AppState): string {
  if (s.compareGapMinutes === null && s.comparePreset === null) return '';
  const against = s.compareGapMinutes !== null ? `gap:${s.compareGapMinutes}` : `preset:${s.comparePreset}|${s.presetZone}|${s.presetCampaignColumn}`;
  return `${s.dataset?.events.table}|${userFiltersKey(s.userFilters)}|${s.gapMinutes}|${rulesKey(s.rules)}|${against}`;
}

/** Whether a comparison is asked for and the one held is not for the state shown. */
export function sessionDiffIsStale(s: AppState): boolean {
  const key = sessionDiffKey(s);
  return key !== '' && s.sessionDiff?.key !== key;
}

/** What the lanes' users are for: the dataset and the lane settings; '' without lanes. */
export function laneUsersKey(s: AppState): string {
  const l = s.lanes;
  return l
    ? `${s.dataset?.events.table}|${userFiltersKey(s.userFilters)}|${l.mode}|${l.count}|${l.mode === 'sample' ? l.seed : ''}|${l.mode === 'prefix' ? l.prefix : ''}`
    : '';
}

/** What the lanes' sessions are for: their users and the result on screen. */
export function lanesViewKey(s: AppState): string {
  return s.lanes && s.result ? `${laneUsersKey(s)}|${resultKey(s.result)}` : '';
}

/** The lanes to draw: those of the users the settings pick in the dataset shown (maybe at an earlier threshold), else none. */
export function shownLanes(s: AppState): AppState['lanesView'] {
  return s.lanes !== null && s.lanesView?.key.startsWith(`${laneUsersKey(s)}|`) ? s.lanesView : null;
}

/**
 * Whether lanes on screen lag the result (a threshold or rules change): the page waits for
 * them. Lanes not drawn yet (a new dataset, other lane settings) do not hold it back: the
 * panel says they are being computed, and a file's figures are ready without them (a
 * quick-read file's before DuckDB, which names the lanes' users, has read it).
 */
function lanesLag(s: AppState): boolean {
  return shownLanes(s) !== null && s.lanesView?.key !== lanesViewKey(s);
}

/** Whether the result is not yet for the dataset, threshold and rules shown. */
export function resultIsStale(s: AppState): boolean {
  const r = s.result;
  if (!s.dataset) return false;
  if (!r || r.gapMinutes !== s.gapMinutes || r.rules !== s.rules) return true;
  return (r.exclusion?.datasetTable ?? r.eventsTable) !== s.dataset.events.table || (r.exclusion?.kept.key ?? '') !== userFiltersKey(s.userFilters);
}

/** The views that need DuckDB's tables and are not yet for the state shown. */
export function sqlViewsStale(s: AppState): boolean {
  if (!s.dataset || s.sqlProblem !== null) return false;
  return (
    (s.timelineUser !== null && s.timeline?.key !== timelineKey(s)) ||
    breakdownStale(s) ||
    (s.compareUser !== null && s.compareTimeline?.key !== timelineKey(s, s.compareUser)) ||
    lanesLag(s) ||
    (s.lateness.arrivalOrder && (s.lateness.data?.key !== latenessDataKey(s) || s.lateness.simulation?.key !== latenessSimKey(s)))
  );
}

/**
 * Whether anything on screen is not yet for the dataset and settings shown. The preset
 * comparison is not waited for: it is computed after the figures (its panel says
 * "Computing…" meanwhile, as the session views do), since it costs seven passes over the
 * events and no threshold change needs it.
 */
export function viewsStale(s: AppState): boolean {
  if (!s.dataset) return false;
  return resultIsStale(s) || sessionDiffIsStale(s) || sqlViewsStale(s);
}

/** Whether the preset comparison held is not for the dataset, zone, campaign column and filters shown. */
export function comparisonIsStale(s: AppState): boolean {
  return s.dataset !== null && s.comparison?.key !== comparisonKey(s);
}

/** Loads the rules' split column into the stats engine (for the dataset's events, or its kept events) when it is not there yet. */
export async function ensureSplitColumn(stats: StatsEngine, handle: DatasetHandle, rules: SessionRules, key = handle.label.eventsTable): Promise<void> {
  const column = rules.splitColumn;
  if (column === null || (await stats.hasSplitColumn(key, column))) return;
  const ipc = await handle.withSql((engine, side) => dictionaryColumnIpc(engine, rawColumnSql(side.raw.table, column)));
  await stats.loadSplitColumn(key, column, ipc);
}

/** The figures and charts for `handle` at a threshold, rules and user filter; the curve is reused when it can be. */
export async function computeResult(
  stats: StatsEngine,
  handle: DatasetHandle,
  gapMinutes: number,
  rules: SessionRules,
  previous: SessionResult | null,
  filters: UserFilters = NO_USER_FILTERS,
): Promise<SessionResult> {
  // No await unless there is something to wait for: with no user filter and no split column,
  // the stats worker is asked within the store's dispatch, before React renders the change
  // (its render runs in a microtask), so the worker computes while the page draws the slider.
  const keptAsked = keptEventsFor(stats, handle, filters);
  const kept = keptAsked && (await keptAsked);
  const eventsTable = kept ? kept.table : handle.label.eventsTable;
  const exclusion = kept ? { datasetTable: handle.label.eventsTable, filters, kept } : null;
  if (rules.splitColumn !== null) await ensureSplitColumn(stats, handle, rules, eventsTable);
  const askedAt = performance.now();
  const { stats: figures, views } = await stats.computeWithViews(eventsTable, minutesToUs(gapMinutes), rules);
  measureWorker(askedAt);
  let curve = previous?.eventsTable === eventsTable && previous.curve.boundary === rules.boundary ? previous.curve : null;
  curve ??= { boundary: rules.boundary, points: await stats.thresholdCurve(eventsTable, curveThresholdsUs(), rules.boundary) };
  // With further rules, the sessions the gap alone makes, so the page can say which rule started how many.
  const gapOnlySessions = onlyGapRule(rules)
    ? figures.sessions
    : (await stats.computeSummary(eventsTable, minutesToUs(gapMinutes), { ...NO_RULES, boundary: rules.boundary })).sessions;
  return { gapMinutes, rules, eventsTable, stats: figures, views, curve, gapOnlySessions, exclusion };
}

/** Events per request of the preset comparison (about 10-50 ms each in the stats worker, midnight rule included). */
export const COMPARISON_PART_EVENTS = 1_000_000;

/**
 * Every preset's figures (their own thresholds and rules) for the dataset, or null when
 * `superseded` says, between two presets, that something more urgent (a threshold change)
 * is waiting.
 */
export async function comparePresets(
  stats: StatsEngine,
  handle: DatasetHandle,
  s: Pick<AppState, 'presetZone' | 'presetCampaignColumn' | 'userFilters'> & { dataset: Dataset },
  superseded: () => boolean = () => false,
): Promise<PresetComparison | null> {
  const key = comparisonKey(s as AppState);
  const table = (await keptEventsFor(stats, handle, s.userFilters))?.table ?? handle.label.eventsTable;
  const rows: PresetComparisonRow[] = [];
  for (const preset of PRESETS) {
    const rules = presetRules(preset, s.presetZone, s.presetCampaignColumn);
    await ensureSplitColumn(stats, handle, rules, table);
    // In parts of about COMPARISON_PART_EVENTS events: a threshold change waits for one part at most.
    let counts: SummaryCounts = { sessions: 0, singles: 0, durationUs: 0 };
    for (let from = 0, events = 1; from < events; ) {
      if (superseded()) return null;
      const part = await stats.summaryCountsPart(table, minutesToUs(preset.gapMinutes), rules, from, from + COMPARISON_PART_EVENTS);
      counts = addSummaryCounts(counts, part.counts);
      events = part.events;
      from = Math.max(part.end, from + 1);
    }
    rows.push({ preset: preset.id, label: preset.label, gapMinutes: preset.gapMinutes, stats: summaryOfCounts(counts) });
  }
  return { key, rows };
}

/** The figures by the breakdown column's values at the result on screen (the column's text is read from DuckDB once per events). */
export async function breakdownFor(stats: StatsEngine, handle: DatasetHandle, s: AppState): Promise<Breakdown | null> {
  const { result, breakdownColumn: column } = s;
  if (!result || column === null) return null;
  const key = result.eventsTable;
  if (!(await stats.hasTextColumn(key, column))) {
    const ipc = await handle.withSql((engine, side) => dictionaryColumnIpc(engine, rawColumnSql(side.raw.table, column)));
    await stats.loadTextColumn(key, column, ipc);
  }
  const { rows, values } = await stats.breakdown(key, column, minutesToUs(result.gapMinutes), result.rules, BREAKDOWN_ROWS);
  return { key: breakdownKey(s), column, rows, values };
}

/** One user's sessions at the result on screen, for the timeline (the first user, or the one beside it). */
export async function userTimeline(handle: DatasetHandle, s: AppState, timelineUser: AppState['timelineUser'] = s.timelineUser): Promise<UserTimeline | null> {
  const { result } = s;
  if (!result || !timelineUser) return null;
  return handle.withSql((_, side) =>
    handle.withSessionTable(result, async (engine, sessionTable) => {
      const spec: SessionizeSpec = {
        eventsTable: result.eventsTable,
        thresholdUs: minutesToUs(result.gapMinutes),
        boundary: result.rules.boundary,
        sessionTable,
      };
      const { userId, selected, eventsOffset } = timelineUser;
      const [summary = null] = await engine.query<UserSummaryRow>(userSummarySql(spec, userId));
      const base = { key: timelineKey(s, timelineUser), userId, summary, selected, eventsOffset };
      const noCells = { columns: side.raw.columns, values: [] };
      if (!summary) return { ...base, sessions: [], marks: [], range: null, events: [], cells: noCells };
      const sessions = await engine.query<UserSessionRow>(userTimelineSql(spec, userId));
      const zoom = selected !== null && sessions.some((x) => x.sessionNumber === selected) ? selected : null;
      const range = timelineRange(summary, sessions, zoom);
      const marks = await engine.query<EventMarkRow>(userEventMarksSql(result.eventsTable, userId, range.fromUs, range.toUs, TIMELINE_COLUMNS));
      // The events page: the zoomed session's, else the user's whole story, session breaks and all.
      const events = await engine.query<UserEventRow>(userEventsSql(spec, userId, eventsOffset, TIMELINE_EVENTS_PAGE, zoom));
      const cells = await eventCells(engine, side.raw.table, side.raw.columns, events);
      return { ...base, selected: zoom, sessions, marks, range, events, cells };
    }),
  );
}

/** Every file column of these events, aligned with them. */
async function eventCells(engine: Engine, rawTable: string, columns: string[], events: readonly UserEventRow[]): Promise<UserTimeline['cells']> {
  if (events.length === 0) return { columns, values: [] };
  const rows = await engine.query<Record<string, unknown>>(
    eventCellsSql(
      rawTable,
      columns,
      events.map((e) => e.rowNumber),
    ),
  );
  const rowColumn = cellsRowColumn(columns);
  const byRow = new Map(rows.map((r) => [Number(r[rowColumn]), r]));
  const values = events.map((e) => {
    const row = byRow.get(e.rowNumber);
    return columns.map((c) => {
      const cell = row?.[c];
      return cell === null || cell === undefined ? null : String(cell);
    });
  });
  return { columns, values };
}

/** Lateness against arrival order and the watermark simulation, reusing what is still current. */
export async function latenessFor(handle: DatasetHandle, s: AppState): Promise<Pick<LatenessState, 'data' | 'simulation'>> {
  const table = s.result?.eventsTable ?? handle.label.eventsTable;
  return handle.withSql(async (engine) => {
    let data = s.lateness.data;
    if (data?.key !== latenessDataKey(s)) {
      const [summary] = await engine.query<LatenessSummary>(latenessSummarySql(table));
      const overall = await engine.query<LatenessHistogramRow>(latenessHistogramSql(table, 'overall'));
      const user = await engine.query<LatenessHistogramRow>(latenessHistogramSql(table, 'user'));
      if (!summary) throw new Error('the lateness summary returned no row');
      data = { key: latenessDataKey(s), summary, histograms: { overall, user } };
    }
    let simulation = s.lateness.simulation;
    if (simulation?.key !== latenessSimKey(s)) {
      const [value] = await engine.query<WatermarkSimulation>(
        watermarkSimulationSql(table, minutesToUs(s.lateness.allowedMinutes), minutesToUs(s.gapMinutes), s.rules.boundary),
      );
      if (!value) throw new Error('the watermark simulation returned no row');
      simulation = { key: latenessSimKey(s), value };
    }
    return { data, simulation };
  });
}
