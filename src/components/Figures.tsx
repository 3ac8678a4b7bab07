import { memo } from 'react';
import type { Dataset, SessionResult } from '../state/app-store';
import { formatCount, formatDuration, formatShare } from '../domain/format';

interface Figure {
  testId?: string;
  label: string;
  value: number;
  text: string;
}

/**
 * The session figures beyond the key ones (events, users, sessions and skipped rows are in
 * the threshold bar: KeyFigures.tsx); each carries its exact value in data-value.
 */
export const Figures = memo(function Figures({ dataset, result }: { dataset: Dataset; result: SessionResult | null }) {
  const f = dataset.events.figures;
  // Under a user filter the note says how many events and users are left out.
  const kept = result?.exclusion?.kept.summary;
  const figures: Figure[] = [];
  if (result) {
    const s = result.stats;
    figures.push(
      { testId: 'stat-sessions-per-user', label: 'Sessions per user', value: s.sessionsPerUser, text: s.sessionsPerUser.toFixed(2) },
      { testId: 'stat-median-duration', label: 'Median session', value: s.medianDurationSeconds, text: formatDuration(s.medianDurationSeconds) },
      { testId: 'stat-mean-duration', label: 'Mean session', value: s.meanDurationSeconds, text: formatDuration(s.meanDurationSeconds) },
      { testId: 'stat-median-events', label: 'Median events per session', value: s.medianEventsPerSession, text: formatCount(s.medianEventsPerSession) },
      { testId: 'stat-single-event-share', label: 'Single-event sessions', value: s.singleEventShare, text: formatShare(s.singleEventShare) },
    );
  }
  return (
    <section className="figures" aria-label="Figures">
      {figures.map((fig) => (
        <div className="figure" key={fig.label}>
          <div className="figure-value" data-testid={fig.testId} data-value={String(fig.value)} title={String(fig.value)}>
            {fig.text}
          </div>
          <div className="figure-label">{fig.label}</div>
        </div>
      ))}
      <p className="figure-note">
        <span data-testid="stat-rows-read" data-value={String(f.rowsRead)}>
          {formatCount(f.rowsRead)}
        </span>{' '}
        rows read = {formatCount(f.events)} events + {formatCount(f.skipped)} skipped.
        {kept && ` ${formatCount(kept.excludedEvents)} events of ${formatCount(kept.excludedUsers)} users are left out.`}
      </p>
    </section>
  );
});
