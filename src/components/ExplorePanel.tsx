import { memo, useCallback, useMemo } from 'react';
import type { AppStore, Dataset, SessionResult } from '../state/app-store';
import { GapHistogram } from '../charts/GapHistogram';
import { ThresholdCurve } from '../charts/ThresholdCurve';
import { SuggestedGap } from '../charts/SuggestedGap';
import { onlyGapRule } from '../domain/rules';

/**
 * The evidence for a threshold: the gap histogram, the sessions-vs-threshold curve and the
 * suggested threshold, side by side under the threshold bar. All data arrive with the
 * result, so no chart is ever older than the figures beside it; the session distributions
 * are a section of their own (App.tsx).
 */
export const ExplorePanel = memo(function ExplorePanel({
  store,
  dataset,
  result,
  loading,
}: {
  store: AppStore;
  dataset: Dataset;
  result: SessionResult;
  loading: boolean;
}) {
  // Under a user filter, the gaps (and the suggestion) are the kept users'.
  const explore = result.exclusion?.kept.explore ?? dataset.explore;
  // Stable, so the histogram's and the curve's memo hold when only `loading` changes.
  const pick = useCallback((minutes: number) => store.setGapMinutes(minutes), [store]);
  const suggested = explore?.suggestion;
  const marked = useMemo(() => (suggested && suggested.minutes !== null ? { minutes: suggested.minutes, flatRange: suggested.flatRange } : null), [suggested]);
  const users = dataset.events.figures.users;
  const startsByCause = useMemo(
    () =>
      onlyGapRule(result.rules) ? null : { firstEvents: users, gaps: result.gapOnlySessions - users, rules: result.stats.sessions - result.gapOnlySessions },
    [result, users],
  );
  return (
    <section className="explore" aria-label="Explore the threshold">
      <h2>Choose the threshold from the data</h2>
      <SuggestedGap
        suggestion={explore?.suggestion ?? null}
        thresholdMinutes={result.gapMinutes}
        singleEventShare={result.stats.singleEventShare}
        rulesOn={!onlyGapRule(result.rules)}
        onApply={pick}
      />
      <div className="chart-grid">
        <GapHistogram
          bins={explore?.gapBins ?? []}
          thresholdMinutes={result.gapMinutes}
          onPick={pick}
          loading={!explore}
          suggestion={marked}
          startsByCause={startsByCause}
        />
        <ThresholdCurve
          points={result.curve.points}
          thresholdMinutes={result.gapMinutes}
          currentSessions={result.stats.sessions}
          onPick={pick}
          loading={loading}
          suggestion={marked}
        />
      </div>
      {!onlyGapRule(result.rules) && (
        <p className="hint">
          The curve counts sessions by the gap alone; the further rules in use change the count at the current threshold (
          {result.stats.sessions.toLocaleString('en-US')}).
        </p>
      )}
    </section>
  );
});
