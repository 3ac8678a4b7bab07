import { minutesToUs } from '../domain/threshold';
import { PRESETS, presetRules } from '../domain/presets';
import type { SessionRules } from '../domain/rules';
import type { SessionCut, StatsEngine } from '../stats/stats-engine';
import type { SessionDiff } from '../stats/session-diff';
import type { DatasetHandle } from './dataset-handle';
import type { AppState, SessionDiffView } from './types';
import { ensureSplitColumn, sessionDiffKey } from './views';
import { keptEventsFor } from './kept-events';

/*
 * The result on screen (cut A: the threshold and rules shown) against a second threshold
 * with the same rules, or against a preset's threshold and rules (cut B). Both cuts are
 * made in the stats worker from the same events; only the counts and the first changed
 * users cross to the page.
 */

/** Changed users listed (the count is exact; the list opens their timelines). */
export const CHANGED_USERS_LISTED = 200;

/** Sessions at the lower threshold not at the higher (equal thresholds: of the finer cut). */
export function mergedSessions(diff: SessionDiff, gapA: number, gapB: number): number {
  if (gapA !== gapB) return gapA < gapB ? diff.onlyA : diff.onlyB;
  return diff.sessionsA >= diff.sessionsB ? diff.onlyA : diff.onlyB;
}

export async function computeSessionDiff(stats: StatsEngine, handle: DatasetHandle, s: AppState): Promise<SessionDiffView> {
  const key = sessionDiffKey(s);
  let against: SessionDiffView['against'];
  let rulesB: SessionRules;
  if (s.compareGapMinutes !== null) {
    against = { kind: 'gap', gapMinutes: s.compareGapMinutes };
    rulesB = s.rules;
  } else {
    const preset = PRESETS.find((p) => p.id === s.comparePreset);
    if (!preset) throw new Error(`there is no preset "${s.comparePreset}" to compare with`);
    against = { kind: 'preset', preset: preset.id, label: preset.label, gapMinutes: preset.gapMinutes };
    rulesB = presetRules(preset, s.presetZone, s.presetCampaignColumn);
  }
  // Both cuts of the users a filter keeps, as the figures count them.
  const table = (await keptEventsFor(stats, handle, s.userFilters))?.table ?? handle.label.eventsTable;
  await ensureSplitColumn(stats, handle, s.rules, table);
  await ensureSplitColumn(stats, handle, rulesB, table);
  const a: SessionCut = { thresholdUs: minutesToUs(s.gapMinutes), rules: s.rules };
  const b: SessionCut = { thresholdUs: minutesToUs(against.gapMinutes), rules: rulesB };
  const diff = await stats.compareCuts(table, a, b, CHANGED_USERS_LISTED);
  return { key, against, diff, merged: mergedSessions(diff, s.gapMinutes, against.gapMinutes) };
}
