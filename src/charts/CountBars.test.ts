import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countAxis } from './CountBars';

describe('countAxis', () => {
  it.each([
    [9686, 10_000, [0, 2500, 5000, 7500, 10_000]],
    [4, 4, [0, 1, 2, 3, 4]],
    [1, 1, [0, 1]],
    [6, 6, [0, 2, 4, 6]],
    [10, 10, [0, 5, 10]],
    [0, 1, [0, 1]],
  ])('for a largest count of %d ends at %d', (max, top, ticks) => {
    expect(countAxis(max)).toEqual({ top, ticks });
  });

  it('always reaches the largest count, in at most four round steps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), (max) => {
        const { top, ticks } = countAxis(max);
        expect(top).toBeGreaterThanOrEqual(max);
        expect(ticks.length).toBeLessThanOrEqual(5);
        expect(ticks.at(-1)).toBe(top);
        expect(ticks.every(Number.isInteger)).toBe(true);
      }),
      { seed: 2, numRuns: 500 },
    );
  });
});
