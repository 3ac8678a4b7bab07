import { describe, expect, it } from 'vitest';
import { markThresholdChanged, measureOnScreen, measureWorker, THRESHOLD_MEASURES } from './threshold-timing';

const entries = (name: string) => performance.getEntriesByName(name, 'measure');

describe('threshold timing', () => {
  it('measures a change until its result is on screen once, and keeps only the latest of each measure', () => {
    markThresholdChanged();
    measureOnScreen();
    measureOnScreen();
    expect(entries(THRESHOLD_MEASURES.onScreen)).toHaveLength(1);
    markThresholdChanged();
    measureOnScreen();
    expect(entries(THRESHOLD_MEASURES.onScreen)).toHaveLength(1);
    measureWorker(performance.now() - 5);
    measureWorker(performance.now() - 5);
    expect(entries(THRESHOLD_MEASURES.worker)).toHaveLength(1);
    expect(entries(THRESHOLD_MEASURES.worker)[0]?.duration).toBeGreaterThanOrEqual(5);
  });
});
