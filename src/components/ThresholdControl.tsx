import type { AppStore } from '../state/app-store';
import { MAX_GAP_MINUTES, MIN_GAP_MINUTES, minutesToSlider, parseGapMinutes, sliderToMinutes, SLIDER_STEPS } from '../domain/threshold';
import { formatMinutes } from '../domain/format';
import { CommitNumberInput } from './CommitNumberInput';

/** The inactivity threshold: a log-scale slider and a minutes input that always agree. */
export function ThresholdControl({ store, gapMinutes }: { store: AppStore; gapMinutes: number }) {
  const commit = (value: string) => {
    const parsed = parseGapMinutes(value);
    if (parsed.ok) store.setGapMinutes(parsed.minutes);
    else store.reportError(`Threshold not changed: ${parsed.problem}. Enter minutes greater than zero, e.g. 30 or 0.5.`);
  };
  return (
    <fieldset className="threshold">
      <legend>Inactivity threshold</legend>
      <div className="threshold-row">
        <input
          type="range"
          data-testid="gap-slider"
          aria-label="Inactivity threshold (log scale)"
          aria-valuetext={formatMinutes(gapMinutes)}
          min={0}
          max={SLIDER_STEPS}
          step={1}
          value={minutesToSlider(gapMinutes)}
          onChange={(e) => store.setGapMinutes(sliderToMinutes(Number(e.currentTarget.value)))}
        />
        <div className="minutes">
          <CommitNumberInput testId="gap-minutes" label="Minutes" value={gapMinutes} min={0} onCommit={commit} />
        </div>
      </div>
      <p className="hint">
        A gap of {formatMinutes(gapMinutes)} or more between two events of a user starts a new session. Slider: {formatMinutes(MIN_GAP_MINUTES)} to{' '}
        {formatMinutes(MAX_GAP_MINUTES)}, logarithmic.
      </p>
    </fieldset>
  );
}
