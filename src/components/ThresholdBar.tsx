import type { AppState, AppStore } from '../state/app-store';
import { ThresholdControl } from './ThresholdControl';
import { KeyFigures } from './KeyFigures';
import { StatusBar } from './StatusBar';
import { ErrorBanner } from './ErrorBanner';

interface ThresholdBarProps {
  store: AppStore;
  /** The store now (the controls follow input at once). */
  now: AppState;
  /** The state on screen (figures and status describe the result shown). */
  shown: AppState;
}

/**
 * The bar that stays at the top wherever the page is scrolled: the threshold (slider and
 * minutes), the key figures, the status with its progress, and the last error, so a
 * threshold change and what it does, or a failure, are always in sight.
 */
export function ThresholdBar({ store, now, shown }: ThresholdBarProps) {
  return (
    <section className="threshold-bar" id="threshold-bar" aria-label="Threshold and key figures" tabIndex={-1}>
      <ThresholdControl store={store} gapMinutes={now.gapMinutes} />
      <div className="threshold-bar-row">
        {shown.dataset && <KeyFigures dataset={shown.dataset} result={shown.result} />}
        <StatusBar now={now} state={shown} />
      </div>
      <ErrorBanner message={now.error} />
    </section>
  );
}
