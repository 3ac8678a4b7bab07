import { describe, expect, it } from 'vitest';
import { nextSnap, SNAP_MINUTES, snapMinutes } from './threshold-snap';
import { MAX_GAP_MINUTES, MIN_GAP_MINUTES, sliderToMinutes, SLIDER_STEPS } from './threshold';

describe('snapMinutes', () => {
  it.each([
    [54.6, 60],
    [71.1, 60],
    [29, 30],
    [36, 30],
    [38, 45],
    [3, 2],
    [3.3, 5],
    [100, 120],
    [1000, 720],
    [1100, 1440],
    [0.12, 0.1],
    [9000, 10080],
  ])('snaps %s min to %s min, the nearest on a log scale', (raw, snapped) => {
    expect(snapMinutes(raw)).toBe(snapped);
  });

  it('leaves every snap value where it is', () => {
    for (const v of SNAP_MINUTES) expect(snapMinutes(v)).toBe(v);
  });

  it('reaches both ends of the slider and every value people report along a full drag', () => {
    const reached = new Set(Array.from({ length: SLIDER_STEPS + 1 }, (_, p) => snapMinutes(sliderToMinutes(p))));
    expect([...reached].sort((a, b) => a - b)).toEqual([...SNAP_MINUTES]);
    expect(reached.has(MIN_GAP_MINUTES) && reached.has(MAX_GAP_MINUTES)).toBe(true);
  });

  it('includes the values people report: 5, 10, 15, 20, 30, 45 min, 1, 2, 4, 8, 12, 24 h, 2 d, 7 d', () => {
    for (const v of [1, 2, 5, 10, 15, 20, 30, 45, 60, 120, 240, 480, 720, 1440, 2880, 10080]) expect(SNAP_MINUTES).toContain(v);
  });
});

describe('nextSnap', () => {
  it.each([
    [30, 1, 45],
    [30, -1, 20],
    [31, -1, 30],
    [31, 1, 45],
    [29.9, 1, 30],
    [10080, 1, 10080],
    [0.1, -1, 0.1],
  ] as const)('from %s min in direction %s goes to %s min', (from, direction, to) => {
    expect(nextSnap(from, direction)).toBe(to);
  });
});
