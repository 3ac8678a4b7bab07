import { memo, useLayoutEffect } from 'react';
import type { AppState } from '../state/app-store';
import { measureOnScreen } from '../state/threshold-timing';

const LABELS = { empty: 'No file loaded', loading: 'Working…', ready: 'Ready', error: 'Last action failed' } as const;

/**
 * The contract's status element: state, threshold and file of the result on screen. The
 * page draws results a moment after the store has them (useShownState); while it has not
 * caught up, the status says 'loading' at once, from the store (`now`), so that 'ready' is
 * only ever committed together with everything it describes.
 */
export const StatusBar = memo(function StatusBar({ now, state }: { now: AppState; state: AppState }) {
  const catchingUp = now !== state && (now.status === 'loading' || now.status === 'ready');
  const { result, dataset, background } = state;
  const status = catchingUp ? 'loading' : state.status;
  const activity = catchingUp ? now.activity : state.activity;
  // Layout effects run right after the commit that shows the result, before the paint.
  useLayoutEffect(() => {
    if (result) measureOnScreen();
  }, [result]);
  return (
    <div
      className={`status status-${status}`}
      data-testid="app-status"
      data-state={status}
      data-gap-minutes={result ? String(result.gapMinutes) : ''}
      data-file={dataset?.raw.fileName ?? ''}
      // Beyond the contract: "pending" while DuckDB still makes the tables of a file shown from its
      // quick read; "off" when it could not (a file too large for it: the tables problem says why).
      data-tables={dataset ? (background ? 'pending' : state.sqlProblem !== null ? 'off' : 'ready') : ''}
      // While the page asks which columns of a file to use (the question panel is open, until
      // the answer's dataset is shown or the question is cancelled).
      data-question={state.question ? 'mapping' : undefined}
      role="status"
      aria-live="polite"
    >
      <span className="status-dot" aria-hidden="true" />
      <span>{status === 'loading' && activity ? activity : LABELS[status]}</span>
      {status === 'loading' && <progress className="delayed-busy" aria-label="Working" />}
      {status === 'ready' && background && <span className="status-background">{background}</span>}
      {dataset && (
        <span className="status-file">
          {dataset.raw.fileName}
          {result && ` · ${result.gapMinutes} min threshold`}
        </span>
      )}
    </div>
  );
});
