import { useId } from 'react';
import type { ThresholdSuggestion } from '../domain/suggest-threshold';
import { formatMinutes, formatShare } from '../domain/format';
import { PALETTE } from './chart-common';

export interface SuggestedGapProps {
  /** suggestThreshold's answer for the gap histogram on screen; null while it is computed. */
  suggestion: ThresholdSuggestion | null;
  thresholdMinutes: number;
  /** Share of single-event sessions at the threshold on screen (under the rules in force). */
  singleEventShare: number;
  /** Further rules are on: they, not only the threshold, may make the single-event sessions. */
  rulesOn: boolean;
  onApply: (minutes: number) => void;
}

/** Above this share of single-event sessions the page warns that the threshold splits visits. */
export const MOSTLY_SINGLE_EVENT = 0.5;

const BADGE: Record<ThresholdSuggestion['confidence'], { text: string; color: string }> = {
  clear: { text: 'clear valley', color: PALETTE.second },
  weak: { text: 'weak valley', color: PALETTE.accent },
  none: { text: 'no clear answer', color: PALETTE.muted },
};

/**
 * The threshold the data suggest, as a button that applies it, with the sentence saying
 * how it was found and how sure it is, what it does to the sessions and which valleys were
 * passed over. `data-value` holds the exact minutes ('' when the data suggest nothing: then
 * `data-confidence` is `none` and the button is disabled); `data-flat-from`/`data-flat-to`
 * the sessions curve's flat range around it. Below, a warning when the threshold on screen
 * makes most sessions single-event.
 */
export function SuggestedGap({ suggestion, thresholdMinutes, singleEventShare, rulesOn, onApply }: SuggestedGapProps) {
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
        data-flat-from={suggestion?.flatRange ? String(suggestion.flatRange.fromMinutes) : ''}
        data-flat-to={suggestion?.flatRange ? String(suggestion.flatRange.toMinutes) : ''}
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
      {suggestion?.details && (
        <p data-testid="suggestion-details" className="hint" style={{ margin: 0, flexBasis: '100%', fontSize: 13 }}>
          {suggestion.details}
        </p>
      )}
      {singleEventShare > MOSTLY_SINGLE_EVENT && (
        <p
          data-testid="single-event-warning"
          data-value={String(singleEventShare)}
          role="status"
          style={{
            margin: 0,
            flexBasis: '100%',
            padding: '4px 8px',
            borderLeft: `4px solid ${PALETTE.breaks}`,
            background: 'var(--error-bg)',
            color: PALETTE.ink,
          }}
        >
          ⚠ At {formatMinutes(thresholdMinutes)}
          {rulesOn ? ' with the further rules in force' : ''}, {formatShare(singleEventShare)} of the sessions hold a single event: a threshold this short
          {rulesOn ? ' (or a rule this strict)' : ''} most likely splits visits into their clicks.
          {minutes !== null && !inUse ? ` The suggested ${formatMinutes(minutes)} separates visits instead.` : ''}
        </p>
      )}
    </div>
  );
}
