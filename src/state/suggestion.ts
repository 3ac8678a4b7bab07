import { NO_RULES } from '../domain/rules';
import { candidateMinutes, suggestThreshold, type SessionShape, type ThresholdSuggestion } from '../domain/suggest-threshold';
import { minutesToUs } from '../domain/threshold';
import type { GapHistogramRow, ThresholdCurveRow } from '../domain/types';
import type { StatsEngine } from '../stats/stats-engine';

/**
 * The suggested threshold for an events table: each valley of the gap histogram is weighed
 * by the sessions it makes (one summary pass in the stats worker per valley, a handful at
 * most) and by the flatness of the sessions curve around it.
 */
export async function suggestionFor(
  stats: StatsEngine,
  eventsTable: string,
  gapBins: readonly GapHistogramRow[],
  users: number,
  curve: readonly ThresholdCurveRow[],
): Promise<ThresholdSuggestion> {
  const at = new Map<number, SessionShape>();
  for (const minutes of candidateMinutes(gapBins)) at.set(minutes, await stats.computeSummary(eventsTable, minutesToUs(minutes), NO_RULES));
  return suggestThreshold(gapBins, { users, at, curve });
}
