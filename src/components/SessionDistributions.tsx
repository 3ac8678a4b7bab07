import { memo } from 'react';
import type { Dataset, SessionResult } from '../state/app-store';
import { DistributionCharts } from '../charts/DistributionCharts';

/** Session durations, events per session and the entry and exit pages at the threshold on screen. */
export const SessionDistributions = memo(function SessionDistributions({
  dataset,
  result,
  loading,
}: {
  dataset: Dataset;
  result: SessionResult;
  loading: boolean;
}) {
  return (
    <section className="section" aria-label="Session distributions">
      <DistributionCharts
        distribution={result.views.distribution}
        pages={dataset.events.mapping.url ? result.views.pages : null}
        sessions={result.stats.sessions}
        loading={loading}
      />
    </section>
  );
});
