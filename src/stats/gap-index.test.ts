import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runSteps } from './steps';
import { gapIndexSteps, gapKey, inPositionOrder } from './gap-index';

describe('inPositionOrder', () => {
  it('visits a bucket range in position order (a few as listed), skips what a visit dealt with, and leaves the bits clear', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 5000 })), { maxLength: 2000 }),
        fc.nat({ max: 5000 }),
        fc.nat({ max: 7 }),
        (list, bound, skip) => {
          const gaps = Float64Array.from(list);
          const index = runSteps(gapIndexSteps(gaps, () => true));
          if (!index) throw new Error('no index');
          const low = gapKey(Math.min(bound, 2500));
          const high = gapKey(Math.max(bound, 2500));
          const begin = index.offsets[low] as number;
          const stop = index.offsets[high + 1] as number;
          const bits = new Int32Array((gaps.length + 31) >>> 5);
          const visited: number[] = [];
          inPositionOrder(index.positions, begin, stop, bits, (at) => {
            visited.push(at);
            return at + 1 + skip;
          });
          // Expected: the positions whose key lies in [low, high], in order, each `skip` past the last visited left out.
          const expected: number[] = [];
          let next = 0;
          gaps.forEach((g, i) => {
            if (g < 0 || gapKey(g) < low || gapKey(g) > high || i < next) return;
            expected.push(i);
            next = i + 1 + skip;
          });
          expect(visited).toEqual(expected);
          expect(bits.every((w) => w === 0)).toBe(true);
        },
      ),
      { seed: 31, numRuns: 200 },
    );
  });
});
