import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Boundary, LatenessHistogramRow, LatenessScope, LatenessSummary, WatermarkSimulation } from '../domain/types';
import { gapBinEdges, gapBins } from '../domain/gap-bins';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { loadClicks, type Click } from '../test/clickstream-fixture';
import { referenceDelay, referenceLateness, referenceSimulation, type ArrivedEvent } from '../test/reference-lateness';
import { checkAllowedLatenessUs, latenessEventsSql, latenessHistogramSql, latenessSummarySql, watermarkSimulationSql } from './lateness-sql';
import { latenessScopeFigures, ON_TIME_BIN, splitLatenessHistogram } from '../domain/lateness';

// Lateness and the watermark simulation, run in DuckDB on a file whose row order is the
// arrival order, against the plain-TypeScript reference in src/test/reference-lateness.ts.

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const RAW = 'raw_late';
const EVENTS = 'events_late';
const S = 1_000_000;
const MIN = 60 * S;
const T0 = 1_714_521_600_000_000;
const SCOPES: readonly LatenessScope[] = ['overall', 'user'];

/** The clicks as the file's rows (arrival order); rows with an empty user id are skipped rows. */
const arrived = (clicks: readonly Click[]): ArrivedEvent[] => clicks.flatMap((c, i) => (c.user === '' ? [] : [{ row: i + 1, user: c.user, tsUs: c.tsUs }]));

async function summary(): Promise<LatenessSummary> {
  const [row] = await engine.query<LatenessSummary>(latenessSummarySql(EVENTS));
  if (!row) throw new Error('latenessSummarySql returned no row');
  return row;
}

async function simulate(allowedUs: number, thresholdUs: number, boundary: Boundary): Promise<WatermarkSimulation> {
  const [row] = await engine.query<WatermarkSimulation>(watermarkSimulationSql(EVENTS, allowedUs, thresholdUs, boundary));
  if (!row) throw new Error('watermarkSimulationSql returned no row');
  return row;
}

const histogram = (scope: LatenessScope) => engine.query<LatenessHistogramRow>(latenessHistogramSql(EVENTS, scope));

/** Counts per bin as latenessHistogramSql defines them: on time, then each gap bin by its edges. */
function referenceHistogram(lateness: readonly number[]): number[] {
  const counts = [0, ...gapBins().map(() => 0)];
  for (const l of lateness) {
    const index = l === 0 ? 0 : 1 + gapBinEdges().filter((e) => e <= l).length;
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return counts;
}

function expectedSummary(events: readonly ArrivedEvent[]): LatenessSummary {
  const { overall, user } = referenceLateness(events);
  const n = events.length;
  const late = overall.filter((l) => l > 0).length;
  const userLate = user.filter((l) => l > 0).length;
  return {
    events: n,
    outOfOrderEvents: late,
    outOfOrderShare: n ? late / n : 0,
    userOutOfOrderEvents: userLate,
    userOutOfOrderShare: n ? userLate / n : 0,
    maxLatenessUs: Math.max(0, ...overall),
    userMaxLatenessUs: Math.max(0, ...user),
    delay99Us: referenceDelay(overall, 99, 100),
    delay999Us: referenceDelay(overall, 999, 1000),
    delay100Us: referenceDelay(overall, 1, 1),
    userDelay99Us: referenceDelay(user, 99, 100),
    userDelay999Us: referenceDelay(user, 999, 1000),
    userDelay100Us: referenceDelay(user, 1, 1),
  };
}

async function expectMatchesReference(clicks: readonly Click[], allowedUs: readonly number[], thresholdUs: number, boundary: Boundary) {
  await loadClicks(engine, clicks, RAW, EVENTS);
  const events = arrived(clicks);
  const reference = referenceLateness(events);

  const perEvent = await engine.query<{ row: number; overall: number; user: number }>(
    `SELECT row_number::DOUBLE AS "row", lateness_us::DOUBLE AS overall, user_lateness_us::DOUBLE AS "user"
     FROM (${latenessEventsSql(EVENTS)}) ORDER BY row_number`,
  );
  expect(perEvent).toEqual(events.map((e, i) => ({ row: e.row, overall: reference.overall[i], user: reference.user[i] })));

  const sum = await summary();
  const expected = expectedSummary(events);
  for (const key of Object.keys(expected) as (keyof LatenessSummary)[]) {
    if (key.endsWith('Share')) expect(sum[key], key).toBeCloseTo(expected[key], 12);
    else expect(sum[key], key).toBe(expected[key]);
  }

  for (const scope of SCOPES) {
    const rows = await histogram(scope);
    expect(
      rows.map((r) => r.count),
      scope,
    ).toEqual(referenceHistogram(scope === 'user' ? reference.user : reference.overall));
  }

  for (const allowed of allowedUs) {
    const { droppedRows, ...want } = referenceSimulation(events, allowed, thresholdUs, boundary);
    const got = await simulate(allowed, thresholdUs, boundary);
    expect(got, `allowed lateness ${allowed} µs`).toEqual({ events: events.length, ...want });
    // Dropped is exactly "overall lateness above the allowed lateness".
    expect(droppedRows).toEqual(events.filter((_, i) => (reference.overall[i] ?? 0) > allowed).map((e) => e.row));
  }
}

describe('lateness', () => {
  it('measures a late event overall and per user, and the simulation drops or reopens it', async () => {
    // Row order is arrival order. a@20min arrives last: 2 h 40 min behind b@3h (overall),
    // 20 min behind a@40min (per user). In the batch result a has one session: 0, 20, 40 min.
    const clicks: Click[] = [
      { user: 'a', tsUs: T0, url: null },
      { user: 'a', tsUs: T0 + 40 * MIN, url: null },
      { user: 'b', tsUs: T0 + 180 * MIN, url: null },
      { user: 'a', tsUs: T0 + 20 * MIN, url: null },
    ];
    await loadClicks(engine, clicks, RAW, EVENTS);
    expect(await summary()).toEqual({
      events: 4,
      outOfOrderEvents: 1,
      outOfOrderShare: 0.25,
      userOutOfOrderEvents: 1,
      userOutOfOrderShare: 0.25,
      maxLatenessUs: 160 * MIN,
      userMaxLatenessUs: 20 * MIN,
      delay99Us: 160 * MIN,
      delay999Us: 160 * MIN,
      delay100Us: 160 * MIN,
      userDelay99Us: 20 * MIN,
      userDelay999Us: 20 * MIN,
      userDelay100Us: 20 * MIN,
    });
    const overall = splitLatenessHistogram(await histogram('overall'));
    expect(overall.onTime).toBe(3);
    expect(overall.late.filter((r) => r.count > 0).map((r) => [r.lowUs <= 160 * MIN, (r.highUs ?? Infinity) > 160 * MIN, r.count])).toEqual([[true, true, 1]]);
    // Allowed 1 h: a@20min is dropped; a's batch session (0, 20, 40 min) splits in two.
    expect(await simulate(60 * MIN, 30 * MIN, 'ge')).toEqual({
      events: 4,
      dropped: 1,
      reopened: 0,
      batchSessions: 2,
      streamSessions: 3,
      sessionsDiffering: 1,
    });
    // Allowed 2 h 40 min, exactly its lateness: kept, inserted into a's past; same sessions.
    expect(await simulate(160 * MIN, 30 * MIN, 'ge')).toEqual({
      events: 4,
      dropped: 0,
      reopened: 1,
      batchSessions: 2,
      streamSessions: 2,
      sessionsDiffering: 0,
    });
    expect(await simulate(160 * MIN - 1, 30 * MIN, 'ge')).toMatchObject({ dropped: 1 });
  });

  it('counts equal timestamps as on time, and skipped rows as never arrived', async () => {
    const clicks: Click[] = [
      { user: 'a', tsUs: T0 + 10 * S, url: null },
      { user: '', tsUs: T0 + 99 * MIN, url: null }, // skipped: no user id
      { user: 'b', tsUs: T0 + 10 * S, url: null },
      { user: 'a', tsUs: T0 + 10 * S, url: null },
      { user: 'b', tsUs: T0 + 9 * S, url: null },
    ];
    await expectMatchesReference(clicks, [0, 1, S, S - 1], 30 * MIN, 'ge');
    const s = await summary();
    expect([s.events, s.outOfOrderEvents, s.maxLatenessUs]).toEqual([4, 1, S]);
  });

  it('gives zeros and every bin for an empty events table', async () => {
    await loadClicks(engine, [{ user: '', tsUs: T0, url: null }], RAW, EVENTS);
    const s = await summary();
    expect(Object.values(s).every((v) => v === 0)).toBe(true);
    const rows = await histogram('user');
    expect(rows.map((r) => r.bin)).toEqual([ON_TIME_BIN, ...gapBins().map((b) => b.bin)]);
    expect(rows.every((r) => r.count === 0)).toBe(true);
    expect(await simulate(0, 30 * MIN, 'gt')).toEqual({
      events: 0,
      dropped: 0,
      reopened: 0,
      batchSessions: 0,
      streamSessions: 0,
      sessionsDiffering: 0,
    });
  });

  it('refuses a negative or fractional allowed lateness', () => {
    expect(() => checkAllowedLatenessUs(-1)).toThrow(RangeError);
    expect(() => checkAllowedLatenessUs(0.5)).toThrow(RangeError);
    expect(() => watermarkSimulationSql(EVENTS, 0, 0, 'ge')).toThrow(RangeError);
    expect(checkAllowedLatenessUs(0)).toBe(0);
  });

  it('reads the figures of one scope from a summary', async () => {
    const s: LatenessSummary = {
      events: 10,
      outOfOrderEvents: 3,
      outOfOrderShare: 0.3,
      userOutOfOrderEvents: 1,
      userOutOfOrderShare: 0.1,
      maxLatenessUs: 9,
      userMaxLatenessUs: 4,
      delay99Us: 7,
      delay999Us: 8,
      delay100Us: 9,
      userDelay99Us: 2,
      userDelay999Us: 3,
      userDelay100Us: 4,
    };
    expect(latenessScopeFigures(s, 'user')).toEqual({
      outOfOrderEvents: 1,
      outOfOrderShare: 0.1,
      maxLatenessUs: 4,
      delays: [
        { keep: 0.99, delayUs: 2 },
        { keep: 0.999, delayUs: 3 },
        { keep: 1, delayUs: 4 },
      ],
    });
    expect(latenessScopeFigures(s, 'overall').delays.map((d) => d.delayUs)).toEqual([7, 8, 9]);
  });
});

/*
 * Generated clickstreams with planted delays: each user clicks at gaps drawn from values
 * around the threshold; a share of the events reach the file late (delay drawn from
 * 1 µs to days), so the file's rows are sorted by time + delay. Some rows have no user
 * id (skipped). Allowed lateness: fixed values and each event's own lateness ± 1 µs.
 */
const THRESHOLD = 30 * MIN;
const gapArb = fc.oneof(
  fc.constantFrom(0, 1, S, 10 * S, 5 * MIN, THRESHOLD - 1, THRESHOLD, THRESHOLD + 1, 2 * 60 * MIN, 86_400 * S),
  fc.integer({ min: 0, max: 3 * 60 * MIN }),
);
const delayArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.constantFrom(1, S, 2 * MIN, THRESHOLD, 3 * 60 * MIN, 3 * 86_400 * S) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 4 * 60 * MIN }) },
);
const eventArb = fc.record({ gapUs: gapArb, delayUs: delayArb, tie: fc.nat(1000), skipped: fc.nat(19).map((n) => n === 0) });
const datasetArb = fc.record({
  users: fc.array(fc.record({ startUs: fc.integer({ min: 0, max: 6 * 60 * MIN }), events: fc.array(eventArb, { minLength: 1, maxLength: 25 }) }), {
    minLength: 1,
    maxLength: 5,
  }),
  boundary: fc.constantFrom<Boundary>('ge', 'gt'),
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
});

interface PlantedUser {
  startUs: number;
  events: { gapUs: number; delayUs: number; tie: number; skipped: boolean }[];
}

/** The users' clicks as file rows: sorted by arrival (time + delay, then the random tie). */
function plantedClicks(users: readonly PlantedUser[]): Click[] {
  const written: { click: Click; arrivesUs: number; tie: number }[] = [];
  users.forEach((u, k) => {
    let t = T0 + u.startUs;
    for (const e of u.events) {
      t += e.gapUs;
      written.push({ click: { user: e.skipped ? '' : `u${k}`, tsUs: t, url: null }, arrivesUs: t + e.delayUs, tie: e.tie });
    }
  });
  written.sort((a, b) => a.arrivesUs - b.arrivesUs || a.tie - b.tie);
  return written.map((w) => w.click);
}

describe('lateness and watermark simulation against the reference', () => {
  it('agree on generated data with planted delays', async () => {
    await fc.assert(
      fc.asyncProperty(datasetArb, async ({ users, boundary, picks }) => {
        const clicks = plantedClicks(users);
        const { overall } = referenceLateness(arrived(clicks));
        const candidates = [...new Set(overall.flatMap((l) => [l, l - 1, l + 1]))].filter((l) => l >= 0);
        const allowed = [0, 1, 5 * MIN, ...picks.map((p) => candidates[p % candidates.length] ?? 0)];
        await expectMatchesReference(clicks, allowed, THRESHOLD, boundary);
      }),
      { seed: 7, numRuns: 120 },
    );
  });

  it('agree on the 99% and 99.9% delays when a few of up to 2,500 events are late', async () => {
    // Enough events for the 99% and 99.9% delays to differ from the maximum.
    const lateArb = fc.record({ at: fc.nat(), delayUs: fc.integer({ min: 1, max: 6 * 60 * MIN }) });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100, max: 2500 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(lateArb, { maxLength: 30 }),
        async (n, userCount, late) => {
          const delays = new Map(late.map((l) => [l.at % n, l.delayUs]));
          const users: PlantedUser[] = Array.from({ length: userCount }, () => ({ startUs: 0, events: [] }));
          for (let i = 0; i < n; i++) {
            users[i % userCount]?.events.push({ gapUs: i < userCount ? i * S : userCount * S, delayUs: delays.get(i) ?? 0, tie: i, skipped: false });
          }
          await expectMatchesReference(plantedClicks(users), [0, 90 * MIN], THRESHOLD, 'ge');
        },
      ),
      { seed: 3, numRuns: 25 },
    );
  });

  it('finds sessions that differ when a late event bridges two sessions and is dropped', async () => {
    // Planted: user a's 0 and 40 min are one batch session only through the late a@20min.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100 * MIN }), async (lateBy) => {
        const clicks: Click[] = [
          { user: 'a', tsUs: T0, url: null },
          { user: 'a', tsUs: T0 + 40 * MIN, url: null },
          { user: 'b', tsUs: T0 + 40 * MIN + lateBy, url: null },
          { user: 'a', tsUs: T0 + 20 * MIN, url: null },
        ];
        await loadClicks(engine, clicks, RAW, EVENTS);
        const lateness = 20 * MIN + lateBy;
        expect(await simulate(lateness - 1, THRESHOLD, 'ge')).toMatchObject({ dropped: 1, sessionsDiffering: 1, streamSessions: 3 });
        expect(await simulate(lateness, THRESHOLD, 'ge')).toMatchObject({ dropped: 0, reopened: 1, sessionsDiffering: 0, streamSessions: 2 });
      }),
      { seed: 11, numRuns: 15 },
    );
  });
});
