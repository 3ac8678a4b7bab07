import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Boundary, GapHistogramRow, ThresholdCurveRow } from '../domain/types';
import { gapBinEdges } from '../domain/gap-bins';
import { curveThresholdsUs } from '../domain/curve-thresholds';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { generateVisits, loadClicks, type Click } from '../test/clickstream-fixture';
import { gapHistogramSql, thresholdCurveSql } from '../test/sql-oracles';
import { gapColumnsSql } from '../sql/gap-columns-sql';
import { gapColumnsFromIpc } from './gap-columns';
import { gapHistogram, gapRuleShapes, thresholdCurve } from './gap-views';
import { markSessionStarts, summaryFromStarts } from './session-stats';
import { NO_RULES } from '../domain/rules';

// The worker's histogram and curve against the SQL they replace, on the same events table.

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const MIN = 60_000_000;
let id = 0;

async function both(clicks: Click[], thresholdsUs: readonly number[], boundary: Boundary) {
  const n = ++id;
  await loadClicks(engine, clicks, `raw_g${n}`, `ev_g${n}`);
  const { gaps } = gapColumnsFromIpc(await engine.queryIpc(gapColumnsSql(`ev_g${n}`)), 0);
  return {
    sql: {
      histogram: await engine.query<GapHistogramRow>(gapHistogramSql(`ev_g${n}`)),
      curve: await engine.query<ThresholdCurveRow>(thresholdCurveSql(`ev_g${n}`, thresholdsUs, boundary)),
    },
    worker: { histogram: gapHistogram(gaps), curve: thresholdCurve(gaps, thresholdsUs, boundary) },
  };
}

function expectSameCurve(worker: ThresholdCurveRow[], sql: ThresholdCurveRow[]): void {
  expect(worker.map((p) => [p.thresholdUs, p.thresholdMinutes, p.sessions])).toEqual(sql.map((p) => [p.thresholdUs, p.thresholdMinutes, p.sessions]));
  worker.forEach((p, i) => {
    const expected = sql[i]?.meanDurationSeconds ?? Number.NaN;
    expect(Math.abs(p.meanDurationSeconds - expected), `${p.thresholdUs}`).toBeLessThanOrEqual(Math.abs(expected) * 1e-12);
  });
}

const userAtGaps = (user: string, gapsUs: readonly number[]): Click[] => {
  const clicks: Click[] = [{ user, tsUs: 1_700_000_000_000_000, url: null }];
  for (const g of gapsUs) clicks.push({ user, tsUs: (clicks.at(-1)?.tsUs ?? 0) + g, url: null });
  return clicks;
};

describe('gap histogram and threshold curve from the stats worker equal the SQL', () => {
  it('on generated visits, gaps on every bin edge and thresholds at exact gaps, both boundaries', async () => {
    const edgeGaps = [0, 1, ...gapBinEdges().flatMap((e) => [e - 1, e, e + 1]), 40 * 86_400e6];
    const clicks = [
      ...generateVisits({ users: 200, maxSessions: 5, maxEvents: 12, withinMedianS: 30, betweenMedianS: 86_400, sigma: 1, seed: 3 }),
      ...userAtGaps('edges', edgeGaps),
      ...userAtGaps('thirty', [30 * MIN, 30 * MIN - 1, 30 * MIN + 1, 0]),
    ];
    const thresholds = [...curveThresholdsUs(30), 30 * MIN - 1, 30 * MIN + 1, ...gapBinEdges().slice(10, 40)];
    for (const boundary of ['ge', 'gt'] as const) {
      const { sql, worker } = await both(clicks, thresholds, boundary);
      expect(worker.histogram).toEqual(sql.histogram);
      expectSameCurve(worker.curve, sql.curve);
    }
  });

  it('on random clicks', async () => {
    const click = fc.record({ user: fc.constantFrom('a', 'b', 'c'), tsUs: fc.integer({ min: 0, max: 9_000_000_000 }), url: fc.constant(null) });
    await fc.assert(
      fc.asyncProperty(fc.array(click, { minLength: 1, maxLength: 40 }), fc.constantFrom<Boundary>('ge', 'gt'), async (clicks, boundary) => {
        const { sql, worker } = await both(clicks, [1, 1_000_000, 60_000_000, 600_000_000, 3_000_000_000], boundary);
        expect(worker.histogram).toEqual(sql.histogram);
        expectSameCurve(worker.curve, sql.curve);
      }),
      { seed: 13, numRuns: 25 },
    );
  });
});

describe('thresholdCurve', () => {
  it('sums gaps exactly past 2^53 microseconds in total', () => {
    // Nine users of three gaps near 2^51 µs each (71 years): sums a double could not hold.
    const big = 2 ** 51 + 7;
    const gaps = new Float64Array(Array.from({ length: 9 }, () => [-1, big, big + 2, 3]).flat());
    const [point] = thresholdCurve(gaps, [1e15], 'ge');
    const within = 9n * 3n;
    const total = 9n * (BigInt(big) + BigInt(big + 2) + 3n);
    expect(point?.sessions).toBe(9 + 18);
    // Every gap of 2^51 reaches 1e15 µs: what stays within sessions is the 3 µs gaps.
    expect(point?.meanDurationSeconds).toBe(Number(within) / 27 / 1e6);
    const [all] = thresholdCurve(gaps, [2 ** 52], 'ge');
    expect(all?.meanDurationSeconds).toBe(Number(total) / 9 / 1e6);
  });
});

describe('gapRuleShapes', () => {
  it('gives each threshold the sessions and single-event share computeSummary gives, exact boundaries included', () => {
    const thresholds = [MIN, 5 * MIN, 30 * MIN];
    // Gaps drawn from the thresholds themselves (and one µs either side) as often as from anywhere.
    const gap = fc.oneof(fc.constantFrom(...thresholds.flatMap((t) => [t - 1, t, t + 1])), fc.integer({ min: 0, max: 90 * MIN }));
    const user = fc.array(gap, { maxLength: 12 });
    fc.assert(
      fc.property(fc.array(user, { maxLength: 30 }), fc.subarray(thresholds, { minLength: 1 }), (users, picked) => {
        const gaps = new Float64Array(users.flatMap((g) => [-1, ...g]));
        const times = new Float64Array(gaps.length);
        for (let i = 1; i < gaps.length; i++) times[i] = (gaps[i] as number) < 0 ? 0 : (times[i - 1] as number) + (gaps[i] as number);
        const shapes = gapRuleShapes(gaps, picked);
        picked.forEach((t, k) => {
          const summary = summaryFromStarts(times, markSessionStarts({ gaps, times, users: users.length }, t, NO_RULES));
          expect(shapes[k]).toEqual({ sessions: summary.sessions, singleEventShare: summary.singleEventShare });
        });
      }),
      { numRuns: 300 },
    );
  });
});
