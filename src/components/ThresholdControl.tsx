import { memo, useEffect, useRef, type KeyboardEvent, type PointerEvent } from 'react';
import type { AppStore } from '../state/app-store';
import { minutesToSlider, parseGapMinutes, sliderToMinutes, SLIDER_STEPS } from '../domain/threshold';
import { nextSnap, snapMinutes } from '../domain/threshold-snap';
import { formatMinutes } from '../domain/format';
import { CommitNumberInput } from './CommitNumberInput';

/**
 * The inactivity threshold: a wide log-scale slider and a minutes input that always agree.
 * A pointer drag snaps to the values people report (threshold-snap.ts) unless Shift or Alt
 * is held; the arrow keys step finely (1.3% a step), Page Up/Down jump to the next value
 * people report; the minutes field takes any exact value. A value set by script (no pointer
 * down) is taken as it is. Memoised: it renders when the threshold changes, not with every
 * store change the page renders for.
 */
export const ThresholdControl = memo(function ThresholdControl({ store, gapMinutes }: { store: AppStore; gapMinutes: number }) {
  const commit = (value: string) => {
    const parsed = parseGapMinutes(value);
    if (parsed.ok) store.setGapMinutes(parsed.minutes);
    else store.reportError(`Threshold not changed: ${parsed.problem}. Enter minutes greater than zero, e.g. 30 or 0.5.`);
  };
  // Whether a pointer is dragging the slider, and whether it asks for fine steps.
  const drag = useRef({ active: false, fine: false });
  useEffect(() => {
    const end = () => {
      drag.current.active = false;
    };
    window.addEventListener('pointerup', end);
    window.addEventListener('pointercancel', end);
    return () => {
      window.removeEventListener('pointerup', end);
      window.removeEventListener('pointercancel', end);
    };
  }, []);
  const track = (e: PointerEvent<HTMLInputElement>) => {
    drag.current.fine = e.shiftKey || e.altKey;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'PageUp' && e.key !== 'PageDown') return;
    e.preventDefault();
    store.setGapMinutes(nextSnap(gapMinutes, e.key === 'PageUp' ? 1 : -1));
  };
  return (
    <fieldset className="threshold">
      <legend className="threshold-label">Inactivity threshold</legend>
      <input
        type="range"
        data-testid="gap-slider"
        aria-label="Inactivity threshold (log scale)"
        aria-describedby="threshold-hint"
        aria-valuetext={formatMinutes(gapMinutes)}
        min={0}
        max={SLIDER_STEPS}
        step={1}
        value={minutesToSlider(gapMinutes)}
        onPointerDown={(e) => {
          drag.current.active = true;
          track(e);
        }}
        onPointerMove={track}
        onKeyDown={onKeyDown}
        onChange={(e) => {
          const exact = sliderToMinutes(Number(e.currentTarget.value));
          store.setGapMinutes(drag.current.active && !drag.current.fine ? snapMinutes(exact) : exact);
        }}
      />
      <div className="minutes">
        <CommitNumberInput testId="gap-minutes" label="Minutes" value={gapMinutes} min={0} onCommit={commit} />
      </div>
      <p className="hint threshold-hint" id="threshold-hint">
        6 s to 7 days, log scale; a drag snaps to common values (hold Shift or Alt for fine steps), arrow keys step finely, Page Up/Down jump.
      </p>
    </fieldset>
  );
});
