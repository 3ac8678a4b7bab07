import type { StatsEngine } from '../stats/stats-engine';
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
import { rulesKey, type SessionRules } from '../domain/rules';
import { PRESETS, presetRules } from '../domain/presets';
import { measureWorker } from './threshold-timing';
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

export function latenessDataKey(s: AppState): string {
  return s.dataset?.events.table ?? '';
}

export function latenessSimKey(s: AppState): string {
  return `${latenessDataKey(s)}|${s.lateness.allowedMinutes}|${s.gapMinutes}|${s.rules.boundary}`;
}

export function comparisonKey(s: AppState): string {
  return `${s.dataset?.events.table}|${s.presetZone}|${s.presetCampaignColumn}`;
}

/** What the comparison with a second threshold or a preset is for; '' when none is asked for. */
export function sessionDiffKey(s: AppState): string {
  if (s.compareGapMinutes === null && s.comparePreset === null) return '';
  const against = s.compareGapMinutes !== null ? `gap:${s.compareGapMinutes}` : `preset:${s.comparePreset}|${s.presetZone}|${s.presetCampaignColumn}`;
  return `${s.dataset?.events.table}|${s.gapMinutes}|${rulesKey(s.rules)}|${against}`;
}

/** Whether a comparison is asked for and the one held is not for the state shown. */
export function sessionDiffIsStale(s: AppState): boolean {
  const key = sessionDiffKey(s);
  return key !== '' && s.sessionDiff?.key !== key;
}

/** What the lanes' users are for: the dataset and the lane settings; '' without lanes. */
export function laneUsersKey(s: AppState): string {
  const l = s.lanes;
  return l ? `${s.dataset?.events.table}|${l.mode}|${l.count}|${l.mode === 'sample' ? l.seed : ''}|${l.mode === 'prefix' ? l.prefix : ''}` : '';
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
  return !!s.dataset && (!r || r.gapMinutes !== s.gapMinutes || r.rules !== s.rules || r.eventsTable !== s.dataset.events.table);
}

/** The views that need DuckDB's tables and are not yet for the state shown. */
export function sqlViewsStale(s: AppState): boolean {
  if (!s.dataset || s.sqlProblem !== null) return false;
  return (
    (s.timelineUser !== null && s.timeline?.key !== timelineKey(s)) ||
    (s.compareUser !== null && s.compareTimeline?.key !== timelineKey(s, s.compareUser)) ||
    lanesLag(s) ||
    (s.lateness.arrivalOrder && (s.lateness.data?.key !== latenessDataKey(s) || s.lateness.simulation?.key !== latenessSimKey(s)))
  );
}

/** Whether anything on screen is not yet for the dataset and settings shown. */
export function viewsStale(s: AppState): boolean {
  if (!s.dataset) return false;
  return resultIsStale(s) || s.comparison?.key !== comparisonKey(s) || sessionDiffIsStale(s) || sqlViewsStale(s);
}

/** Loads the rules' split column into the stats engine (for the dataset's events) when it is not there yet. */
export async function ensureSplitColumn(stats: StatsEngine, handle: DatasetHandle, rules: SessionRules): Promise<void> {
  const column = rules.splitColumn;
  const key = handle.label.eventsTable;
  if (column === null || (await stats.hasSplitColumn(key, column))) return;
  const ipc = await handle.withSql((engine, side) => dictionaryColumnIpc(engine, rawColumnSql(side.raw.table, column)));
  await stats.loadSplitColumn(key, column, ipc);
}

/** The figures and charts for `handle` at a threshold and rules; the curve is reused when it can be. */
export async function computeResult(
  stats: StatsEngine,
  handle: DatasetHandle,
  gapMinutes: number,
  rules: SessionRules,
  previous: SessionResult | null,
): Promise<SessionResult> {
  const eventsTable = handle.label.eventsTable;
  await ensureSplitColumn(stats, handle, rules);
  const askedAt = performance.now();
  const { stats: figures, views } = await stats.computeWithViews(eventsTable, minutesToUs(gapMinutes), rules);
  measureWorker(askedAt);
  let curve = previous?.eventsTable === eventsTable && previous.curve.boundary === rules.boundary ? previous.curve : null;
  curve ??= { boundary: rules.boundary, points: await stats.thresholdCurve(eventsTable, curveThresholdsUs(), rules.boundary) };
  return { gapMinutes, rules, eventsTable, stats: figures, views, curve };
}

/** Every preset's figures (their own thresholds and rules) for the dataset. */
export async function comparePresets(
  stats: StatsEngine,
  handle: DatasetHandle,
  s: Pick<AppState, 'presetZone' | 'presetCampaignColumn'> & { dataset: Dataset },
): Promise<PresetComparison> {
  const key = comparisonKey(s as AppState);
  const rows: PresetComparisonRow[] = [];
  for (const preset of PRESETS) {
    const rules = presetRules(preset, s.presetZone, s.presetCampaignColumn);
    await ensureSplitColumn(stats, handle, rules);
    rows.push({
      preset: preset.id,
      label: preset.label,
      gapMinutes: preset.gapMinutes,
      stats: await stats.computeSummary(handle.label.eventsTable, minutesToUs(preset.gapMinutes), rules),
    });
  }
  return { key, rows };
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
  const table = handle.label.eventsTable;
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
