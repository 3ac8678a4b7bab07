import { memo } from 'react';
import type { PresetComparison } from '../state/app-store';
import { formatCount, formatDuration, formatShare } from '../domain/format';

/** Every product's session count for the loaded file, side by side. */
export const PresetCompare = memo(function PresetCompare({
  comparison,
  zone,
  campaignColumn,
}: {
  comparison: PresetComparison | null;
  zone: string;
  campaignColumn: string | null;
}) {
  return (
    <section className="preset-compare" aria-label="How each product would count">
      <h2>How each product would count these sessions</h2>
      {!comparison ? (
        <p className="hint">Computing…</p>
      ) : (
        <table className="data-table" data-testid="preset-compare">
          <caption>
            Each product's documented defaults; midnight in {zone}; campaign column: {campaignColumn ?? 'none found'}.
          </caption>
          <thead>
            <tr>
              <th>Product</th>
              <th>Threshold</th>
              <th>Sessions</th>
              <th>Mean session</th>
              <th>Single-event sessions</th>
            </tr>
          </thead>
          <tbody>
            {comparison.rows.map((r) => (
              <tr key={r.preset} data-preset={r.preset}>
                <td>{r.label}</td>
                <td>{r.gapMinutes} min</td>
                <td data-value={String(r.stats.sessions)}>{formatCount(r.stats.sessions)}</td>
                <td data-value={String(r.stats.meanDurationSeconds)}>{formatDuration(r.stats.meanDurationSeconds)}</td>
                <td data-value={String(r.stats.singleEventShare)}>{formatShare(r.stats.singleEventShare)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
});
