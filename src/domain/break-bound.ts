import type { Boundary } from './types';

/** Validates a threshold the same way the sessionization SQL (src/sql/sessionize-sql.ts) does. */
export function checkThresholdUs(thresholdUs: number): number {
  if (!(Number.isSafeInteger(thresholdUs) && thresholdUs > 0)) {
    throw new RangeError(`The threshold must be a positive whole number of microseconds, got ${thresholdUs}.`);
  }
  return thresholdUs;
}

/** Gaps are whole µs: `gap > T` is `gap >= T + 1`, so both boundaries become one `>=` bound. */
export function breakBoundUs(thresholdUs: number, boundary: Boundary): number {
  return checkThresholdUs(thresholdUs) + (boundary === 'gt' ? 1 : 0);
}
