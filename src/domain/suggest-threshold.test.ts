import { describe, expect, it } from 'vitest';
import { gapBins } from './gap-bins';
import { findPeaks, smoothCounts, suggestThreshold, type HistogramBin } from './suggest-threshold';

/** Histogram bins whose counts are a mixture of bumps centred on bins (log-normal gaps). */
function bins(bumps: { centre: number; width: number; total: number }[]): HistogramBin[] {
  return gapBins().map((b) => ({
    ...b,
    count:
      b.highUs === null || b.bin === 0
        ? 0
        : Math.round(
            bumps.reduce(
              (sum, { centre, width, total }) => sum + (total / (width * Math.sqrt(2 * Math.PI))) * Math.exp(-((b.bin - centre) ** 2) / (2 * width * width)),
              0,
            ),
          ),
  }));
}

/** Bin whose centre is nearest `seconds`. */
const binAt = (seconds: number) => Math.round(Math.log10((seconds * 1e6) / 1e5) * 10 + 0.5);

describe('suggested threshold', () => {
  it('finds the valley between a 30 s mode and a 1 day mode, clearly', () => {
    const s = suggestThreshold(
      bins([
        { centre: binAt(30), width: 4, total: 9000 },
        { centre: binAt(86_400), width: 4, total: 1000 },
      ]),
    );
    expect(s.confidence).toBe('clear');
    expect(s.minutes).toBeGreaterThan(5);
    expect(s.minutes).toBeLessThan(120);
    expect(s.explanation).toMatch(/^\d.* is the deepest point of the valley .* clear separation\.$/);
  });

  it('is symmetric when the two modes are alike: the valley sits at the geometric middle', () => {
    const s = suggestThreshold(
      bins([
        { centre: 20, width: 3, total: 5000 },
        { centre: 50, width: 3, total: 5000 },
      ]),
    );
    const middleMinutes = Math.sqrt((gapBins()[35]?.lowUs ?? 0) * (gapBins()[35]?.highUs ?? 0)) / 60e6;
    expect(s.minutes).toBeCloseTo(middleMinutes, 1);
  });

  it('says there is no valley for a single mode', () => {
    const s = suggestThreshold(bins([{ centre: binAt(60), width: 6, total: 10_000 }]));
    expect(s).toMatchObject({ minutes: null, confidence: 'none' });
    expect(s.explanation).toMatch(/single mode .* do not suggest a threshold/);
  });

  it('calls a shallow valley weak and a barely visible one none', () => {
    const shallow = suggestThreshold(
      bins([
        { centre: 25, width: 3, total: 5000 },
        { centre: 35, width: 3, total: 5000 },
      ]),
    );
    expect(shallow.confidence).toBe('weak');
    expect(shallow.minutes).not.toBeNull();
    expect(shallow.explanation).toMatch(/shallow/);
    const flat = suggestThreshold(
      bins([
        { centre: 25, width: 3, total: 5000 },
        { centre: 33, width: 3, total: 5000 },
      ]),
    );
    expect(flat.confidence).toBe('none');
  });

  it('calls a separation weak when one side holds very few gaps', () => {
    const s = suggestThreshold(
      bins([
        { centre: 20, width: 4, total: 10_000 },
        { centre: 55, width: 4, total: 150 },
      ]),
    );
    expect(s.confidence).toBe('weak');
    expect(s.explanation).toMatch(/only .* of the gaps lie on one side/);
  });

  it('keeps a suggestion in the slider range and says so', () => {
    const s = suggestThreshold(
      bins([
        { centre: binAt(0.5), width: 2, total: 5000 },
        { centre: binAt(5), width: 2, total: 5000 },
      ]),
    );
    expect(s.minutes).toBe(0.1);
    expect(s.explanation).toMatch(/outside the slider's range/);
  });

  it('needs enough gaps', () => {
    expect(
      suggestThreshold(
        bins([
          { centre: 20, width: 1, total: 10 },
          { centre: 50, width: 1, total: 10 },
        ]),
      ),
    ).toMatchObject({ confidence: 'none', minutes: null });
    expect(suggestThreshold([]).explanation).toMatch(/too few/);
  });

  it('finds peaks with their prominence and smooths without losing mass in the middle', () => {
    expect(findPeaks([0, 3, 1, 5, 0, 2, 2, 0])).toEqual([
      { index: 1, height: 3, prominence: 2 },
      { index: 3, height: 5, prominence: 5 },
      { index: 5, height: 2, prominence: 2 },
    ]);
    const smooth = smoothCounts([...Array(8).fill(0), 10, ...Array(8).fill(0)]);
    expect(smooth.reduce((a, b) => a + b, 0)).toBeCloseTo(10, 2);
    expect(findPeaks(smooth).map((p) => p.index)).toEqual([8]);
  });
});
