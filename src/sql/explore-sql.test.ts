import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Boundary,
  EventMarkRow,
  GapHistogramRow,
  SessionViewRow,
  ThresholdCurveRow,
  TopPageRow,
  TopUserRow,
  UserEventRow,
  UserSessionRow,
  UserSuggestionRow,
  UserSummaryRow,
} from '../domain/types';
import { gapBinEdges, gapBins } from '../domain/gap-bins';
import { EVENTS_PER_SESSION_BINS } from '../domain/session-bins';
import { curveThresholdsUs } from '../domain/curve-thresholds';
import { suggestThreshold } from '../domain/suggest-threshold';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { referenceSessionize, referenceSessionStats } from '../test/reference-sessionizer';
import { generateVisits, loadClicks, referenceGaps, referenceSessions, type Click, type ReferenceSession } from '../test/clickstream-fixture';
import { gapHistogramSql, sessionViewsSql, splitSessionViews, thresholdCurveSql, topPagesSql } from '../test/sql-oracles';
import { topUsersSql, userEventMarksSql, userEventsSql, userSuggestionsSql, userSummarySql, userTimelineSql } from './explore-sql';

// Each exploration aggregation, run in DuckDB, against plain TypeScript over the same clicks.

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const RAW = 'raw_explore';
const EVENTS = 'events_explore';
const BOUNDARIES: readonly Boundary[] = ['ge', 'gt'];
const MIN = 60_000_000;
const spec = (thresholdUs: number, boundary: Boundary) => ({ eventsTable: EVENTS, thresholdUs, boundary });

/** The bin of a gap by the definition: how many edges are at or below it. */
const referenceBin = (gapUs: number) => gapBinEdges().filter((e) => e <= gapUs).length;

function referenceHistogram(gaps: readonly number[]): number[] {
  const counts = gapBins().map(() => 0);
  for (const g of gaps) counts[referenceBin(g)] = (counts[referenceBin(g)] ?? 0) + 1;
  return counts;
}

const histogram = () => engine.query<GapHistogramRow>(gapHistogramSql(EVENTS));

/** Clicks of one user at the given gaps after a start instant. */
function userAtGaps(user: string, gapsUs: readonly number[], url = '/x'): Click[] {
  const clicks: Click[] = [{ user, tsUs: 1_700_000_000_000_000, url }];
  for (const g of gapsUs) clicks.push({ user, tsUs: (clicks.at(-1)?.tsUs ?? 0) + g, url });
  return clicks;
}

// Gaps on and beside every edge, zero, and beyond the last edge.
const edgeGaps = [0, 1, ...gapBinEdges().flatMap((e) => [e - 1, e, e + 1]), 40 * 86_400e6];
const visits = generateVisits({ users: 300, maxSessions: 5, maxEvents: 12, withinMedianS: 30, betweenMedianS: 86_400, sigma: 1, seed: 7 });
const mixed: Click[] = [...visits, ...userAtGaps('edges', edgeGaps), ...userAtGaps('thirty', [30 * MIN, 30 * MIN - 1, 30 * MIN + 1, 0, 0])];

describe('gap histogram', () => {
  it('counts every gap in the bin its integer edges give, and the bars sum to events - users', async () => {
    await loadClicks(engine, mixed, RAW, EVENTS);
    const rows = await histogram();
    expect(rows.map((r) => r.bin)).toEqual(gapBins().map((b) => b.bin));
    expect(rows.map((r) => [r.lowUs, r.highUs])).toEqual(gapBins().map((b) => [b.lowUs, b.highUs]));
    expect(rows.map((r) => r.count)).toEqual(referenceHistogram(referenceGaps(mixed)));
    const users = new Set(mixed.map((c) => c.user)).size;
    expect(rows.reduce((sum, r) => sum + r.count, 0)).toBe(mixed.length - users);
    expect(rows[0]?.lowSeconds).toBe(0);
    expect(rows.at(-1)?.highSeconds).toBeNull();
  });

  it('has every bin, all zero, when no user has two events', async () => {
    await loadClicks(
      engine,
      [
        { user: 'a', tsUs: 1, url: null },
        { user: 'b', tsUs: 2, url: null },
      ],
      RAW,
      EVENTS,
    );
    const rows = await histogram();
    expect(rows).toHaveLength(gapBins().length);
    expect(rows.every((r) => r.count === 0)).toBe(true);
  });
});

describe('sessions vs threshold curve', () => {
  it('matches the reference sessionizer at slider points and at exact gap values, both boundaries', async () => {
    await loadClicks(engine, mixed, RAW, EVENTS);
    const rows = mixed.map((c, i) => ({ row: i + 1, user: c.user, ts: String(c.tsUs) }));
    const exact = [30 * MIN - 1, 30 * MIN, 30 * MIN + 1, ...gapBinEdges().slice(10, 60)];
    const sampled = curveThresholdsUs(30).filter((_, i) => i % 10 === 0);
    const thresholds = [...new Set([...exact, ...sampled])].sort((a, b) => a - b);
    for (const boundary of BOUNDARIES) {
      const curve = await engine.query<ThresholdCurveRow>(thresholdCurveSql(EVENTS, [...thresholds].reverse(), boundary));
      expect(curve.map((p) => p.thresholdUs)).toEqual(thresholds);
      for (const point of curve) {
        const stats = referenceSessionStats(referenceSessionize(rows, 'epoch-us', point.thresholdUs, boundary).events);
        expect(point.sessions, `${boundary} ${point.thresholdUs}`).toBe(stats.sessions);
        expect(point.meanDurationSeconds).toBeCloseTo(stats.meanDurationSeconds, 6);
        expect(point.thresholdMinutes).toBeCloseTo(point.thresholdUs / MIN, 12);
      }
    }
  });

  it('has a point at the current threshold and 201 slider points', () => {
    expect(curveThresholdsUs()).toHaveLength(201);
    expect(curveThresholdsUs(31.7)).toContain(31.7 * MIN);
    expect(() => thresholdCurveSql(EVENTS, [0])).toThrow(RangeError);
  });
});

describe('suggested threshold', () => {
  it('finds the planted valley between 30 s clicks and 1 day visits, clearly', async () => {
    await loadClicks(engine, visits, RAW, EVENTS);
    const suggestion = suggestThreshold(await histogram());
    expect(suggestion.confidence).toBe('clear');
    expect(suggestion.minutes).toBeGreaterThanOrEqual(5);
    expect(suggestion.minutes).toBeLessThanOrEqual(120);
    expect(suggestion.explanation).toMatch(/valley/);
  });

  it('suggests nothing for unimodal gaps and says so', async () => {
    const unimodal = generateVisits({ users: 300, maxSessions: 1, maxEvents: 30, withinMedianS: 120, betweenMedianS: 1, sigma: 1.2, seed: 3 });
    await loadClicks(engine, unimodal, RAW, EVENTS);
    const suggestion = suggestThreshold(await histogram());
    expect(suggestion).toMatchObject({ confidence: 'none', minutes: null });
    expect(suggestion.explanation).toMatch(/single mode|no clear valley/);
  });
});

const views = (t: number, boundary: Boundary, pages: number) => engine.query<SessionViewRow>(sessionViewsSql(spec(t, boundary), pages)).then(splitSessionViews);

function countBy<T>(items: readonly T[], key: (item: T) => string | number | null): Map<string | number | null, number> {
  const counts = new Map<string | number | null, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe('session distributions and top pages', () => {
  it('match the reference sessions', async () => {
    await loadClicks(engine, mixed, RAW, EVENTS);
    for (const boundary of BOUNDARIES) {
      const reference = referenceSessions(mixed, 30 * MIN, boundary);
      const { distribution, pages } = await views(30 * MIN, boundary, 100);
      const durations = countBy(reference, (s) => referenceBin(s.endUs - s.startUs));
      expect(distribution.filter((d) => d.kind === 'duration').map((d) => d.count)).toEqual(gapBins().map((b) => durations.get(b.bin) ?? 0));
      const eventsBin = (n: number) => EVENTS_PER_SESSION_BINS.findIndex((b) => n >= b.low && (b.high === null || n <= b.high));
      const sizes = countBy(reference, (s) => eventsBin(s.eventCount));
      expect(distribution.filter((d) => d.kind === 'events').map((d) => d.count)).toEqual(EVENTS_PER_SESSION_BINS.map((_, i) => sizes.get(i) ?? 0));
      for (const kind of ['entry', 'exit'] as const) {
        const expected = countBy(reference, (s) => (kind === 'entry' ? s.firstUrl : s.lastUrl));
        const actual = pages.filter((p) => p.kind === kind);
        expect(new Map(actual.map((p) => [p.url, p.sessions]))).toEqual(expected);
        expect(actual.map((p) => p.sessions)).toEqual([...actual.map((p) => p.sessions)].sort((a, b) => b - a));
      }
    }
  });

  it('limits the pages per kind and gives the same pages alone', async () => {
    const { pages } = await views(30 * MIN, 'ge', 2);
    const alone = await engine.query<TopPageRow>(topPagesSql(spec(30 * MIN, 'ge'), 2));
    expect(pages.filter((p) => p.kind === 'entry')).toHaveLength(2);
    expect(alone).toEqual(pages);
    expect((await views(30 * MIN, 'ge', 0)).pages).toEqual([]);
  });
});

describe('per-user queries', () => {
  const T = 30 * MIN;
  const sessionsOf = (user: string, boundary: Boundary) => referenceSessions(mixed, T, boundary).filter((s) => s.user === user);
  const asRow = (s: ReferenceSession, i: number, list: ReferenceSession[]): UserSessionRow => ({
    sessionNumber: s.sessionNumber,
    startUs: s.startUs,
    endUs: s.endUs,
    eventCount: s.eventCount,
    firstUrl: s.firstUrl,
    lastUrl: s.lastUrl,
    gapBeforeUs: i === 0 ? null : s.startUs - (list[i - 1]?.endUs ?? 0),
  });

  it('timeline spans, summary and events match the reference for every kind of user', async () => {
    await loadClicks(engine, mixed, RAW, EVENTS);
    const busiest = [...countBy(mixed, (c) => c.user)].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
    for (const user of [busiest, 'edges', 'thirty', 'u0007']) {
      for (const boundary of BOUNDARIES) {
        const expected = sessionsOf(user, boundary);
        expect(await engine.query<UserSessionRow>(userTimelineSql(spec(T, boundary), user)), user).toEqual(expected.map(asRow));
        const [summary] = await engine.query<UserSummaryRow>(userSummarySql(spec(T, boundary), user));
        const events = expected.flatMap((s) => s.events);
        expect(summary).toEqual({ events: events.length, sessions: expected.length, firstUs: events[0]?.tsUs, lastUs: events.at(-1)?.tsUs });
        const paged: UserEventRow[] = [];
        for (let offset = 0; offset < events.length; offset += 7) {
          paged.push(...(await engine.query<UserEventRow>(userEventsSql(spec(T, boundary), user, offset, 7))));
        }
        expect(paged.map((e) => [e.rowNumber, e.tsUs, e.sessionNumber, e.url])).toEqual(
          events.map((e) => [e.row, e.tsUs, e.sessionNumber, mixed[e.row - 1]?.url ?? null]),
        );
        expect(paged.map((e) => e.gapUs)).toEqual(events.map((e, i) => (i === 0 ? null : e.tsUs - (events[i - 1]?.tsUs ?? 0))));
        const last = expected.at(-1);
        const only = await engine.query<UserEventRow>(userEventsSql(spec(T, boundary), user, 0, 1000, last?.sessionNumber ?? 1));
        expect(only.map((e) => e.rowNumber)).toEqual(last?.events.map((e) => e.row));
      }
    }
    expect(await engine.query(userSummarySql(spec(T, 'ge'), 'nobody'))).toEqual([]);
  });

  it('the timeline can be read in pages of sessions', async () => {
    const all = await engine.query<UserSessionRow>(userTimelineSql(spec(MIN / 10, 'ge'), 'edges'));
    const page = await engine.query<UserSessionRow>(userTimelineSql(spec(MIN / 10, 'ge'), 'edges', 5, 3));
    expect(page).toEqual(all.slice(2, 7));
  });

  it('event marks count every event once, in at most `columns` marks', async () => {
    const [summary] = await engine.query<UserSummaryRow>(userSummarySql(spec(T, 'ge'), 'edges'));
    const marks = await engine.query<EventMarkRow>(userEventMarksSql(EVENTS, 'edges', summary?.firstUs ?? 0, summary?.lastUs ?? 0, 50));
    expect(marks.length).toBeLessThanOrEqual(50);
    expect(marks.reduce((sum, m) => sum + m.events, 0)).toBe(summary?.events);
    expect(marks.every((m) => m.column >= 0 && m.column < 50 && m.firstUs <= m.lastUs)).toBe(true);
  });

  it('top users by events and by sessions match the reference', async () => {
    for (const boundary of BOUNDARIES) {
      const sessions = countBy(referenceSessions(mixed, T, boundary), (s) => s.user);
      const events = countBy(mixed, (c) => c.user);
      const all = [...events.keys()].map((u) => ({ userId: String(u), events: events.get(u) ?? 0, sessions: sessions.get(u) ?? 0 }));
      const byId = (a: TopUserRow, b: TopUserRow) => (a.userId < b.userId ? -1 : 1);
      const byEvents = [...all].sort((a, b) => b.events - a.events || byId(a, b)).slice(0, 8);
      const bySessions = [...all].sort((a, b) => b.sessions - a.sessions || b.events - a.events || byId(a, b)).slice(0, 8);
      expect(await engine.query<TopUserRow>(topUsersSql(spec(T, boundary), 'events', 8))).toEqual(byEvents);
      expect(await engine.query<TopUserRow>(topUsersSql(spec(T, boundary), 'sessions', 8))).toEqual(bySessions);
    }
  });

  it('follow a table of rule-based session numbers when the spec carries one', async () => {
    await loadClicks(engine, mixed, RAW, EVENTS);
    // Every event its own session, as a "1 event at most" rule would cut them.
    await engine.exec(`CREATE OR REPLACE TABLE rule_sessions AS SELECT row_number,
      row_number() OVER (PARTITION BY user_id ORDER BY ts_us, row_number) AS session_number FROM ${EVENTS}`);
    const ruled = { ...spec(T, 'ge'), sessionTable: 'rule_sessions' };
    const { distribution } = splitSessionViews(await engine.query<SessionViewRow>(sessionViewsSql(ruled, 0)));
    expect(distribution.filter((d) => d.kind === 'events').map((d) => d.count)).toEqual(EVENTS_PER_SESSION_BINS.map((_, i) => (i === 0 ? mixed.length : 0)));
    const edges = mixed.filter((c) => c.user === 'edges').length;
    expect(await engine.query<UserSummaryRow>(userSummarySql(ruled, 'edges'))).toMatchObject([{ events: edges, sessions: edges }]);
    expect(await engine.query<UserSessionRow>(userTimelineSql(ruled, 'edges'))).toHaveLength(edges);
    const [top] = await engine.query<TopUserRow>(topUsersSql(ruled, 'sessions', 1));
    expect(top?.sessions).toBe(top?.events);
  });

  it('suggests users by id prefix, in id order, quotes and non-ASCII included', async () => {
    const ids = ['ab', 'abc', "ab'c", 'ab%', 'ab_', 'aB', 'a', 'b', 'aβ', 'aβγ', 'a😀', 'a\u{10FFFF}x', 'ac'];
    await loadClicks(
      engine,
      ids.map((user, i) => ({ user, tsUs: i, url: null })),
      RAW,
      EVENTS,
    );
    const codePointOrder = (a: string, b: string) => {
      const [x, y] = [Array.from(a, (c) => c.codePointAt(0) ?? 0), Array.from(b, (c) => c.codePointAt(0) ?? 0)];
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
      return x.length - y.length;
    };
    for (const prefix of ['', 'a', 'ab', "ab'", 'ab%', 'ab_', 'aβ', 'a😀', 'a\u{10FFFF}', 'zz']) {
      const expected = ids
        .filter((u) => u.startsWith(prefix))
        .sort(codePointOrder)
        .slice(0, 5);
      const rows = await engine.query<UserSuggestionRow>(userSuggestionsSql(EVENTS, prefix, 5));
      expect(
        rows.map((r) => r.userId),
        JSON.stringify(prefix),
      ).toEqual(expected);
      expect(rows.every((r) => r.events === 1)).toBe(true);
    }
  });
});
