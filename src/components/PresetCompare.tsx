import { memo } from 'react';
import type { PresetComparison } from '../state/app-store';
import type { PresetId } from '../domain/presets';
import { formatChange, formatDuration, formatExact, formatShare } from '../domain/format';

/**
 * Every product's session count for the loaded file, side by side, exact, with the change
 * against the sessions under the settings in force; a product's name is a button that
 * applies its preset.
 */
export const PresetCompare = memo(function PresetCompare({
  comparison,
  zone,
  campaignColumn,
  currentSessions,
  chosen,
  onApply,
}: {
  comparison: PresetComparison | null;
  zone: string;
  campaignColumn: string | null;
  /** Sessions under the settings in force (the result on screen), or null while there is none. */
  currentSessions: number | null;
  chosen: PresetId;
  onApply: (preset: PresetId) => void;
}) {
  return (
    <section className="preset-compare" aria-label="How each product would count">
      <h2>How each product would count these sessions</h2>
      {!comparison ? (
        <p className="hint">Computing…</p>
      ) : (
        <table className="data-table" data-testid="preset-compare">
          <caption>
            Each product's documented defaults; midnight in {zone}; campaign column: {campaignColumn ?? 'none found'}. Change against the settings in force
            {currentSessions === null ? '' : ` (${formatExact(currentSessions)} sessions)`}. Choose a product to use its settings.
          </caption>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">Threshold</th>
              <th scope="col">Sessions</th>
              <th scope="col">Change</th>
              <th scope="col">Mean session</th>
              <th scope="col">Single-event sessions</th>
            </tr>
          </thead>
          <tbody>
            {comparison.rows.map((r) => {
              const change = currentSessions ? (r.stats.sessions - currentSessions) / currentSessions : null;
              const isChosen = r.preset === chosen;
              return (
                <tr key={r.preset} data-preset={r.preset} data-chosen={isChosen ? 'true' : 'false'} aria-current={isChosen ? 'true' : undefined}>
                  <td>
                    <button
                      type="button"
                      data-testid="apply-preset"
                      aria-pressed={isChosen}
                      aria-label={`Count sessions like ${r.label}`}
                      onClick={() => onApply(r.preset)}
                    >
                      {r.label}
                    </button>
                  </td>
                  <td>{r.gapMinutes} min</td>
                  <td data-value={String(r.stats.sessions)}>{formatExact(r.stats.sessions)}</td>
                  <td data-testid="preset-change" data-value={change === null ? '' : String(change)}>
                    {change === null ? '–' : formatChange(change)}
                  </td>
                  <td data-value={String(r.stats.meanDurationSeconds)}>{formatDuration(r.stats.meanDurationSeconds)}</td>
                  <td data-value={String(r.stats.singleEventShare)}>{formatShare(r.stats.singleEventShare)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
});
