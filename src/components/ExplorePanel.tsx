import { memo } from 'react';
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
  const explore = dataset.explore;
  const pick = (minutes: number) => store.setGapMinutes(minutes);
  return (
    <section className="explore" aria-label="Explore the threshold">
      <h2>Choose the threshold from the data</h2>
      <SuggestedGap suggestion={explore?.suggestion ?? null} thresholdMinutes={result.gapMinutes} onApply={pick} />
      <div className="chart-grid">
        <GapHistogram bins={explore?.gapBins ?? []} thresholdMinutes={result.gapMinutes} onPick={pick} loading={!explore} />
        <ThresholdCurve
          points={result.curve.points}
          thresholdMinutes={result.gapMinutes}
          currentSessions={result.stats.sessions}
          onPick={pick}
          loading={loading}
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
