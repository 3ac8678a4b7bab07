import { describe, expect, it } from 'vitest';
import { gapAxisPosition, gapAxisToUs, gapBinEdges, gapBinOf, gapBins } from './gap-bins';

describe('gap bins', () => {
  const edges = gapBinEdges();

  it('are whole microseconds, strictly increasing, 10 a decade from 0.1 s to about 4 weeks', () => {
    expect(edges).toHaveLength(75);
    expect(edges[0]).toBe(100_000);
    expect(edges[10]).toBe(1_000_000);
    expect(edges.every((e, i) => Number.isSafeInteger(e) && (i === 0 || e > (edges[i - 1] ?? 0)))).toBe(true);
    const lastDays = (edges.at(-1) ?? 0) / 86_400e6;
    expect(lastDays).toBeGreaterThan(28);
    expect(lastDays).toBeLessThan(30);
  });

  it('cover [0, ∞) without overlap: the first starts at 0, the last is open', () => {
    const bins = gapBins();
    expect(bins).toHaveLength(edges.length + 1);
    expect(bins[0]).toEqual({ bin: 0, lowUs: 0, highUs: 100_000 });
    expect(bins.at(-1)?.highUs).toBeNull();
    for (let i = 1; i < bins.length; i++) expect(bins[i]?.lowUs).toBe(bins[i - 1]?.highUs);
  });

  it('put a gap in the bin whose edges hold it, edges included below', () => {
    const linear = (g: number) => edges.filter((e) => e <= g).length;
    for (const g of [0, 1, 99_999, ...edges.flatMap((e) => [e - 1, e, e + 1]), 1e15]) {
      expect(gapBinOf(g), String(g)).toBe(linear(g));
      const bin = gapBins()[gapBinOf(g)];
      expect(g >= (bin?.lowUs ?? NaN) && (bin?.highUs === null || g < (bin?.highUs ?? NaN))).toBe(true);
    }
  });

  it('place edge j at j + 0.5 on the chart axis, and invert', () => {
    for (const [j, e] of edges.entries()) expect(gapAxisPosition(e)).toBeCloseTo(j + 0.5, 1);
    expect(gapAxisToUs(gapAxisPosition(1_800_000_000))).toBeCloseTo(1_800_000_000, 0);
  });
});
