import { memo } from 'react';
import type { Dataset, SessionResult } from '../state/app-store';
import { formatCount } from '../domain/format';

/**
 * The four figures a threshold change is judged by, kept in the sticky bar beside the
 * slider; each carries its exact value in data-value (the contract's stat-* hooks).
 */
export const KeyFigures = memo(function KeyFigures({ dataset, result }: { dataset: Dataset; result: SessionResult | null }) {
  const f = dataset.events.figures;
  // Under a user filter, events and users are those kept; skipped rows are the file's.
  const kept = result?.exclusion?.kept.summary;
  const figures = [
    { testId: 'stat-events', label: kept ? 'events kept' : 'events', value: kept?.keptEvents ?? f.events },
    { testId: 'stat-users', label: kept ? 'users kept' : 'users', value: kept?.keptUsers ?? f.users },
    ...(result ? [{ testId: 'stat-sessions', label: 'sessions', value: result.stats.sessions }] : []),
    { testId: 'stat-skipped-rows', label: 'skipped', value: f.skipped },
  ];
  return (
    <dl className="key-figures" aria-label="Key figures">
      {figures.map((fig) => (
        <div key={fig.testId} className={fig.testId === 'stat-skipped-rows' && fig.value > 0 ? 'key-figure key-figure-warn' : 'key-figure'}>
          <dt>{fig.label}</dt>
          <dd data-testid={fig.testId} data-value={String(fig.value)} title={String(fig.value)}>
            {formatCount(fig.value)}
          </dd>
        </div>
      ))}
    </dl>
  );
});
