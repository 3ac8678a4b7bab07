import { describe, expect, it } from 'vitest';
import { gapBins } from './gap-bins';
import { candidateMinutes, findPeaks, flatRange, smoothCounts, suggestThreshold, visitPlausibility, type HistogramBin } from './suggest-threshold';

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

describe('suggested threshold among several valleys', () => {
  // Double-fired clicks (0.7 s), ordinary clicks (20 s), visits a day apart.
  const bursty = bins([
    { centre: binAt(0.7), width: 2, total: 6000 },
    { centre: binAt(20), width: 2.5, total: 8000 },
    { centre: binAt(86_400), width: 3, total: 800 },
  ]);

  it('takes the valley between visits, not the deeper one between two kinds of click', () => {
    const s = suggestThreshold(bursty);
    expect(s.confidence).toBe('clear');
    expect(s.minutes).toBeGreaterThan(5);
    expect(s.minutes).toBeLessThan(240);
    expect(s.details).toMatch(/Passed over: .* s \(between the modes around .* ms and .* s: outside 5 min – 4 h 00 min/);
    expect(s.flatRange?.fromMinutes).toBeLessThanOrEqual(s.minutes ?? 0);
    expect(s.flatRange?.toMinutes).toBeGreaterThanOrEqual(s.minutes ?? 0);
  });

  it('weighs each valley by the sessions it makes: most single-event sessions rule a valley out', () => {
    const [low, high] = candidateMinutes(bursty);
    if (low === undefined || high === undefined) throw new Error('expected two candidates');
    const at = new Map([
      [low, { sessions: 9000, singleEventShare: 0.2 }],
      [high, { sessions: 900, singleEventShare: 0.9 }],
    ]);
    const s = suggestThreshold(bursty, { users: 100, at, curve: [] });
    expect(s.minutes).toBe(low);
    expect(s.confidence).toBe('weak');
    expect(s.explanation).toMatch(/outside 5 min – 4 h 00 min/);
    expect(s.details).toMatch(/^At .*: 9,000 sessions \(90 a user\), 20\.0% of them single-event\./);
  });

  it('has no answer when the only valley would make most sessions single-event', () => {
    const clicksOnly = bins([
      { centre: binAt(0.7), width: 2, total: 6000 },
      { centre: binAt(20), width: 2.5, total: 8000 },
    ]);
    const [only] = candidateMinutes(clicksOnly);
    if (only === undefined) throw new Error('expected a candidate');
    const s = suggestThreshold(clicksOnly, { users: 10, at: new Map([[only, { sessions: 7000, singleEventShare: 0.8 }]]), curve: [] });
    expect(s).toMatchObject({ minutes: null, confidence: 'none', flatRange: null });
    expect(s.explanation).toMatch(/^The data have no clear answer: .* 80\.0% of the sessions single-event/);
  });

  it('prefers the shorter of two valleys in the band: the longer one joins hourly visits', () => {
    const s = suggestThreshold(
      bins([
        { centre: binAt(20), width: 2.5, total: 20_000 },
        { centre: binAt(3600), width: 1.5, total: 3000 },
        { centre: binAt(86_400), width: 2, total: 1000 },
      ]),
    );
    expect(s.minutes).toBeGreaterThan(2);
    expect(s.minutes).toBeLessThan(60);
  });

  it('gives the flat range of the sessions curve around a threshold', () => {
    const curve = [1, 2, 5, 10, 20, 60, 120].map((m, i) => ({ thresholdMinutes: m, sessions: [500, 300, 210, 205, 200, 196, 100][i] ?? 0 }));
    expect(flatRange(curve, 10)).toEqual({ fromMinutes: 5, toMinutes: 60 });
    expect(flatRange([], 10)).toBeNull();
  });

  it('weighs valleys outside 5 min – 4 h down smoothly', () => {
    expect(visitPlausibility(30)).toBe(1);
    expect(visitPlausibility(0.1)).toBeLessThan(0.01);
    expect(visitPlausibility(3)).toBeGreaterThan(0.8);
  });
});
