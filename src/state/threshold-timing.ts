/*
 * User Timing entries for the phases of a threshold change, so that a DevTools trace or the
 * benchmark shows where its time goes: the stats worker's answer, and the change until its
 * result is committed on screen. Each name keeps only its latest entry (clearing the older
 * ones): a slider drag would otherwise fill the page's timing buffer.
 */

const CHANGED = 'threshold changed';

export const THRESHOLD_MEASURES = {
  worker: 'threshold: figures from the stats worker',
  onScreen: 'threshold: change until its result is on screen',
} as const;

function replaceMeasure(name: string, start: string | number, end?: number): void {
  performance.clearMeasures(name);
  performance.measure(name, { start, ...(end === undefined ? {} : { end }) });
}

/** The person changed the threshold (or the rules): the on-screen measure starts here. */
export function markThresholdChanged(): void {
  performance.clearMarks(CHANGED);
  performance.mark(CHANGED);
}

/** The stats worker answered a request sent at `startedAt` (performance.now()). */
export function measureWorker(startedAt: number): void {
  replaceMeasure(THRESHOLD_MEASURES.worker, startedAt, performance.now());
}

/** A result was committed: closes the measure of the change that asked for it, once. */
export function measureOnScreen(): void {
  if (performance.getEntriesByName(CHANGED, 'mark').length === 0) return;
  replaceMeasure(THRESHOLD_MEASURES.onScreen, CHANGED);
  performance.clearMarks(CHANGED);
}
