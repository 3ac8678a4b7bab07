import { useId } from 'react';
import type { ThresholdSuggestion } from '../domain/suggest-threshold';
import { formatMinutes } from '../domain/format';
import { PALETTE } from './chart-common';

export interface SuggestedGapProps {
  /** suggestThreshold's answer for the gap histogram on screen; null while it is computed. */
  suggestion: ThresholdSuggestion | null;
  thresholdMinutes: number;
  onApply: (minutes: number) => void;
}

const BADGE: Record<ThresholdSuggestion['confidence'], { text: string; color: string }> = {
  clear: { text: 'clear valley', color: PALETTE.second },
  weak: { text: 'weak valley', color: PALETTE.accent },
  none: { text: 'no valley', color: PALETTE.muted },
};

/**
 * The threshold the data suggest, as a button that applies it, with the sentence saying
 * how it was found and how sure it is. `data-value` holds the exact minutes ('' when the
 * data suggest nothing, and then the button is disabled).
 */
export function SuggestedGap({ suggestion, thresholdMinutes, onApply }: SuggestedGapProps) {
  const explanationId = useId();
  const minutes = suggestion?.minutes ?? null;
  const inUse = minutes !== null && Math.abs(minutes - thresholdMinutes) < 1e-9;
  const badge = suggestion ? BADGE[suggestion.confidence] : null;
  return (
    <div className="suggested-gap" style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'center', marginBlock: 8 }}>
      <button
        type="button"
        data-testid="suggested-gap"
        data-value={minutes === null ? '' : String(minutes)}
        data-confidence={suggestion?.confidence ?? 'pending'}
        disabled={minutes === null}
        aria-describedby={explanationId}
        onClick={() => {
          if (minutes !== null) onApply(minutes);
        }}
      >
        {minutes === null ? 'No suggested threshold' : inUse ? `Suggested ${formatMinutes(minutes)} (in use)` : `Use suggested ${formatMinutes(minutes)}`}
      </button>
      {badge && <span style={{ fontSize: 12, padding: '1px 6px', borderRadius: 8, border: `1px solid ${badge.color}`, color: PALETTE.ink }}>{badge.text}</span>}
      <p id={explanationId} style={{ margin: 0, flex: '1 1 320px', fontSize: 14 }}>
        {suggestion ? suggestion.explanation : 'Looking for a valley in the gaps between clicks…'}
      </p>
    </div>
  );
}
