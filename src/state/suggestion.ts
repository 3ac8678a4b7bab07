import { candidateMinutes, suggestThreshold, type SessionShape, type ThresholdSuggestion } from '../domain/suggest-threshold';
import { minutesToUs } from '../domain/threshold';
import type { GapHistogramRow, ThresholdCurveRow } from '../domain/types';
import type { StatsEngine } from '../stats/stats-engine';

/**
 * The suggested threshold for an events table: each valley of the gap histogram is weighed
 * by the sessions it makes (one pass in the stats worker for all the valleys, a handful at
 * most) and by the flatness of the sessions curve around it.
 */
export async function suggestionFor(
  stats: StatsEngine,
  eventsTable: string,
  gapBins: readonly GapHistogramRow[],
  users: number,
  curve: readonly ThresholdCurveRow[],
): Promise<ThresholdSuggestion> {
  const candidates = candidateMinutes(gapBins);
  const shapes = candidates.length === 0 ? [] : await stats.gapRuleShapes(eventsTable, candidates.map(minutesToUs));
  const at = new Map<number, SessionShape>(candidates.map((minutes, k) => [minutes, shapes[k] as SessionShape]));
  return suggestThreshold(gapBins, { users, at, curve });
}
