import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { NO_RULES, type SessionRules } from '../domain/rules';
import type { Boundary, GapColumns, UrlColumn } from '../domain/types';
import { gapRuleFigures } from './figures-update';
import { figuresScratch, sessionFigures } from './session-figures';
import { markSessionStarts } from './session-stats';
import { createLocalStatsEngine } from './stats-engine';
import type { Steps, StepsRunner } from './steps';

/*
 * The gap rule's figures updated from one threshold to the next must equal sessionFigures
 * from scratch after every step of any sequence: up, down, equal, big jumps, either
 * boundary, thresholds exactly at, just below and just above the gaps.
 */

const MIN = 60_000_000;
/** Gaps that sit on, next to and between a few thresholds, and long sessions' small ones. */
const EDGE_GAPS = [0, 1, 5 * MIN - 1, 5 * MIN, 5 * MIN + 1, 30 * MIN - 1, 30 * MIN, 30 * MIN + 1, 31 * MIN, 120 * MIN];
const gap = fc.oneof(fc.constantFrom(...EDGE_GAPS), fc.integer({ min: 0, max: 3 * 60 * MIN }));
const user = fc.record({
  startUs: fc.integer({ min: 1.7e15, max: 1.7e15 + 1e12 }),
  gaps: fc.oneof(
    { weight: 12, arbitrary: fc.array(gap, { maxLength: 12 }) },
    // Past the exactly counted event counts (1024), and long sessions cut at many gaps.
    { weight: 1, arbitrary: fc.array(fc.constantFrom(1_000, 30 * MIN, 30 * MIN + 1), { minLength: 1030, maxLength: 1300 }) },
  ),
  urls: fc.array(fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }), { minLength: 1, maxLength: 5 }),
});
const threshold = fc.oneof(fc.constantFrom(...EDGE_GAPS, 1, 5 * MIN, 30 * MIN, 600 * MIN), fc.integer({ min: 1, max: 4 * 60 * MIN }));
const step = fc.record({ thresholdUs: threshold, boundary: fc.constantFrom<Boundary>('ge', 'gt') });

type User = { startUs: number; gaps: number[]; urls: (number | null)[] };

function columnsOf(users: User[]): { columns: GapColumns; url: UrlColumn } {
  const gaps: number[] = [];
  const times: number[] = [];
  const codes: number[] = [];
  for (const u of users) {
    let t = u.startUs;
    [-1, ...u.gaps].forEach((g, i) => {
      t += Math.max(0, g);
      gaps.push(g);
      times.push(t);
      codes.push(u.urls[i % u.urls.length] ?? -1);
    });
  }
  // Label order unlike code order, so that the top pages' ties are broken by label.
  const labels = ['/z', '/a', '/m', '/b', '/', '/q', '/c'];
  return {
    columns: { gaps: Float64Array.from(gaps), times: Float64Array.from(times), users: users.length },
    url: { codes: Int32Array.from(codes), labels },
  };
}

describe('gapRuleFigures', () => {
  it('equals sessionFigures from scratch after every step of a random sequence of thresholds', () => {
    fc.assert(
      fc.property(
        fc.array(user, { minLength: 1, maxLength: 30 }),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.constantFrom(1, 1 / 3, 1 / 8, 0.01, undefined),
        fc.boolean(),
        (users, steps, withUrls, share, withScratch) => {
          const { columns, url } = columnsOf(users);
          const pageUrl = withUrls ? url : null;
          const n = columns.gaps.length;
          const figures = share === undefined ? gapRuleFigures(columns, pageUrl) : gapRuleFigures(columns, pageUrl, share);
          // A full pass gathers the median's durations from the scratch when it has one.
          const scratch = withScratch ? figuresScratch(n) : undefined;
          for (const s of steps) {
            const expected = sessionFigures(columns.times, { gaps: columns.gaps, ...s }, columns.users, pageUrl, figuresScratch(n));
            expect(figures.at(s.thresholdUs, s.boundary, scratch), JSON.stringify(s)).toEqual(expected);
          }
        },
      ),
      { seed: 23, numRuns: 150 },
    );
  });

  it('updates over jumps that re-cut most of the events, many regions side by side', () => {
    // Many users, each with gaps from seconds to days, so that a jump toggles most gaps and
    // neighbouring regions touch (each must be re-cut once, in position order).
    const users = Array.from({ length: 400 }, (_, u) => ({
      startUs: 1.7e15 + u,
      gaps: Array.from({ length: 3 + (u % 40) }, (_, i) => Math.round(1e6 * 1.9 ** ((u * 7 + i * 13) % 23))),
      urls: [u % 7, null, (u + 3) % 7],
    }));
    const { columns, url } = columnsOf(users);
    const figures = gapRuleFigures(columns, url, 1);
    for (const t of [1, 6e6, 1e7, 3.6e9, 2e6, 9e11, 1, 9e11, 4e7, 4e7 + 1]) {
      for (const boundary of ['ge', 'gt'] as const) {
        const expected = sessionFigures(columns.times, { gaps: columns.gaps, thresholdUs: t, boundary }, columns.users, url);
        expect(figures.at(t, boundary), `${t} ${boundary}`).toEqual(expected);
      }
    }
  });

  it('moves a slider step by step over one long user with a session per gap', () => {
    const gaps = Array.from({ length: 20_000 }, (_, i) => 60_000_000 + (i % 997) * 1_000);
    const { columns } = columnsOf([{ startUs: 1.7e15, gaps, urls: [null] }]);
    const figures = gapRuleFigures(columns, null, 1);
    for (const t of [60_000_000, 60_500_000, 61_000_000, 60_000_000, 60_000_001, 2e9]) {
      for (const boundary of ['ge', 'gt'] as const) {
        const expected = sessionFigures(columns.times, { gaps: columns.gaps, thresholdUs: t, boundary }, 1, null);
        expect(figures.at(t, boundary)).toEqual(expected);
      }
    }
  });
});

/** Events of users as the engine's load takes them (gapColumnsFromIpc). */
function eventsIpc(columns: GapColumns) {
  const row = Float64Array.from(columns.gaps, (_, i) => i + 1);
  return tableToIPC(tableFromArrays({ gap: columns.gaps, ts: columns.times, row }));
}

const RULES: SessionRules[] = [
  NO_RULES,
  { ...NO_RULES, boundary: 'gt' },
  { ...NO_RULES, maxDurationMinutes: 45, maxEvents: 5 },
  { ...NO_RULES, maxEvents: 3, boundary: 'gt' },
];

/** A runner of long computations that the test moves on a step at a time (the gap index is built in the background). */
function steppedRunner() {
  const running: { steps: Steps<unknown>; resolve: (value: unknown) => void }[] = [];
  const run: StepsRunner = <T>(steps: Steps<T>) => new Promise<T>((resolve) => running.push({ steps, resolve: (v) => resolve(v as T) }));
  const advance = () => {
    for (const r of running.splice(0)) {
      const step = r.steps.next();
      if (step.done) r.resolve(step.value);
      else running.push(r);
    }
  };
  return { run, advance };
}

describe('computeWithViews', () => {
  it('equals sessionFigures from scratch whatever the keys, rules, releases and index building between threshold changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(user, { minLength: 1, maxLength: 15 }),
        fc.array(user, { minLength: 1, maxLength: 15 }),
        fc.array(
          fc.record({
            key: fc.constantFrom('a', 'b'),
            thresholdUs: threshold,
            rules: fc.constantFrom(...RULES),
            release: fc.boolean(),
            advance: fc.nat({ max: 3 }),
          }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        async (usersA, usersB, steps) => {
          const columns = { a: columnsOf(usersA).columns, b: columnsOf(usersB).columns };
          const runner = steppedRunner();
          const engine = createLocalStatsEngine(runner.run);
          const load = (key: 'a' | 'b') => engine.load(key, eventsIpc(columns[key]), columns[key].users);
          await load('a');
          await load('b');
          for (const s of steps) {
            const c = columns[s.key];
            const starts = markSessionStarts(c, s.thresholdUs, s.rules);
            const expected = sessionFigures(c.times, starts, c.users, null);
            expect(await engine.computeWithViews(s.key, s.thresholdUs, s.rules)).toEqual(expected);
            for (let k = 0; k < s.advance; k++) runner.advance();
            if (s.release) {
              await engine.release(s.key);
              await load(s.key);
            }
          }
        },
      ),
      { seed: 29, numRuns: 60 },
    );
  });
});

describe('computeWithViews on a slider drag', () => {
  it('updates through the gap index between other rules and equals sessionFigures at every step', async () => {
    // Gaps spread from 1 to about 150 minutes, so that a small step re-cuts few of them.
    const gaps = Array.from({ length: 20_000 }, (_, i) => Math.round(MIN * 1.001 ** ((i * 7919) % 5000)));
    const { columns } = columnsOf([
      { startUs: 1.7e15, gaps, urls: [null] },
      { startUs: 1.7e15 + 5, gaps: gaps.slice(0, 3000).reverse(), urls: [null] },
    ]);
    const engine = createLocalStatsEngine();
    await engine.load('drag', eventsIpc(columns), columns.users);
    const steps: [number, SessionRules][] = [];
    for (let t = 10 * MIN; t <= 12 * MIN; t += 6_000_000) steps.push([t, NO_RULES], [t + 1, { ...NO_RULES, boundary: 'gt' }]);
    steps.push([11 * MIN, RULES[2] as SessionRules], [11 * MIN, NO_RULES], [10 * MIN, NO_RULES]);
    for (const [t, rules] of steps) {
      const expected = sessionFigures(columns.times, markSessionStarts(columns, t, rules), columns.users, null);
      expect(await engine.computeWithViews('drag', t, rules)).toEqual(expected);
    }
  });
});

describe('the mean duration past 2^53 µs of sessions in all', () => {
  it('is the exact sum over the sessions, whatever the order of updates', () => {
    // 300 users of two gaps of 2^44 µs (about 6 months): their durations add up to about 2^53.3.
    const users = Array.from({ length: 300 }, (_, u) => ({ startUs: 1e12 * u, gaps: [2 ** 44 + u, 2 ** 44], urls: [null] }));
    const { columns } = columnsOf(users);
    const figures = gapRuleFigures(columns, null, 1);
    // From single-event sessions (a sum of 0) up by merges past 2^53, down by splits and up again.
    for (const t of [2 ** 44 - 1, 2 ** 50, 2 ** 44 + 150, 2 ** 50, 2 ** 44 + 1, 2 ** 50]) {
      const expected = sessionFigures(columns.times, { gaps: columns.gaps, thresholdUs: t, boundary: 'gt' }, columns.users, null);
      const got = figures.at(t, 'gt');
      expect(got).toEqual(expected);
      let exact = 0n;
      const starts = markSessionStarts(columns, t, { ...NO_RULES, boundary: 'gt' });
      let first = 0;
      for (let i = 1; i <= columns.times.length; i++) {
        if (i < columns.times.length && starts[i] === 0) continue;
        exact += BigInt((columns.times[i - 1] as number) - (columns.times[first] as number));
        first = i;
      }
      expect(got.stats.meanDurationSeconds).toBe(Number(exact) / got.stats.sessions / 1e6);
    }
  });
});
