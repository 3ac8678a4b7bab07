import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { generateVisits, loadClicks, referenceSessions, type Click } from '../test/clickstream-fixture';
import { referenceRuleSessions } from '../test/reference-rules';
import { Rng } from '../../scripts/clickstream-generator.mjs';
import { gapColumnsSql, urlColumnSql, userIdsSql } from '../sql/gap-columns-sql';
import { dictionaryColumnIpc } from '../state/dictionary-column';
import { NO_RULES, type SessionRules } from '../domain/rules';
import { NO_SESSION_FILTER, type SessionFilter, type SessionListRow, type SessionSortKey, type TimeBinChoice } from '../domain/session-list';
import { createLocalStatsEngine, type StatsEngine } from './stats-engine';

// The worker's session list and sessions over time against the reference sessionizer.

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const MIN = 60_000_000;
let id = 0;

/** The clicks' events table (the app's SQL) held by a stats engine with its urls and user ids, as the page loads them. */
async function loaded(clicks: Click[]): Promise<{ stats: StatsEngine; key: string }> {
  const key = `ev_s${++id}`;
  await loadClicks(engine, clicks, `raw_s${id}`, key);
  const stats = createLocalStatsEngine();
  await stats.load(key, await engine.queryIpc(gapColumnsSql(key)), new Set(clicks.map((c) => c.user)).size);
  await stats.loadUrlColumn(key, await dictionaryColumnIpc(engine, urlColumnSql(key)));
  await stats.loadUserIds(key, await engine.queryIpc(userIdsSql(key)));
  return { stats, key };
}

/** The reference's sessions as list rows. */
function referenceRows(clicks: Click[], thresholdUs: number): SessionListRow[] {
  return referenceSessions(clicks, thresholdUs, 'ge').map((s) => ({
    sessionId: `${s.user}-${s.sessionNumber}`,
    userId: s.user,
    sessionNumber: s.sessionNumber,
    startUs: s.startUs,
    endUs: s.endUs,
    events: s.eventCount,
    entryUrl: s.firstUrl,
    exitUrl: s.lastUrl,
  }));
}

async function allRows(
  stats: StatsEngine,
  key: string,
  thresholdUs: number,
  sort: SessionSortKey,
  direction: 'asc' | 'desc',
  filter: SessionFilter = NO_SESSION_FILTER,
  rules: SessionRules = NO_RULES,
) {
  return stats.sessionPage(key, thresholdUs, rules, { filter, sort, direction, offset: 0, limit: 1e9 });
}

const byId = (rows: SessionListRow[]) => [...rows].sort((a, b) => (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0));

const sortValue: Record<SessionSortKey, (r: SessionListRow) => number | string> = {
  start: (r) => r.startUs,
  duration: (r) => r.endUs - r.startUs,
  events: (r) => r.events,
  user: (r) => r.userId,
};

const clicks = generateVisits({ users: 60, maxSessions: 6, maxEvents: 9, withinMedianS: 40, betweenMedianS: 4 * 3600, sigma: 1.6, seed: 16 });

describe('the session list', () => {
  it('lists every session of the reference, with its user, start, end, events, entry and exit page', async () => {
    const { stats, key } = await loaded(clicks);
    for (const minutes of [1, 30, 240]) {
      const page = await allRows(stats, key, minutes * MIN, 'start', 'asc');
      const expected = referenceRows(clicks, minutes * MIN);
      expect(page.total, `${minutes} min`).toBe(expected.length);
      expect(byId(page.rows)).toEqual(byId(expected));
    }
  });

  it.each(['start', 'duration', 'events', 'user'] as const)('sorts by %s both ways; descending is ascending reversed', async (sort) => {
    const { stats, key } = await loaded(clicks);
    const asc = (await allRows(stats, key, 30 * MIN, sort, 'asc')).rows;
    const desc = (await allRows(stats, key, 30 * MIN, sort, 'desc')).rows;
    const values = asc.map(sortValue[sort]);
    values.forEach((v, i) => {
      if (i > 0) expect(v >= (values[i - 1] as number | string), `row ${i}`).toBe(true);
    });
    expect(desc).toEqual([...asc].reverse());
    expect(byId(asc)).toEqual(byId(referenceRows(clicks, 30 * MIN)));
  });

  it('breaks ties by start, user and session number, so the order is the same every time', async () => {
    const { stats, key } = await loaded(clicks);
    const rows = (await allRows(stats, key, 30 * MIN, 'events', 'asc')).rows;
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1] as SessionListRow;
      const b = rows[i] as SessionListRow;
      if (a.events === b.events) expect(a.startUs < b.startUs || (a.startUs === b.startUs && a.sessionId < b.sessionId), `row ${i}`).toBe(true);
    }
  });

  const filters: [string, Partial<SessionFilter>, (r: SessionListRow) => boolean][] = [
    ['a user id prefix', { userPrefix: 'u001' }, (r) => r.userId.startsWith('u001')],
    ['an entry page', { entryPage: '/a' }, (r) => r.entryUrl?.includes('/a') === true],
    ['an exit page with a quote', { exitPage: "it's" }, (r) => r.exitUrl?.includes("it's") === true],
    ['at least 3 and at most 5 events', { minEvents: 3, maxEvents: 5 }, (r) => r.events >= 3 && r.events <= 5],
    ['a duration of 1 to 10 minutes', { minDurationSeconds: 60, maxDurationSeconds: 600 }, (r) => r.endUs - r.startUs >= 60e6 && r.endUs - r.startUs <= 600e6],
    ['everything at once', { userPrefix: 'u00', entryPage: '/', minEvents: 2 }, (r) => r.userId.startsWith('u00') && r.entryUrl !== null && r.events >= 2],
  ];
  it.each(filters)('filters by %s, and counts what it leaves', async (_, filter, keep) => {
    const { stats, key } = await loaded(clicks);
    const expected = referenceRows(clicks, 30 * MIN).filter(keep);
    expect(expected.length).toBeGreaterThan(0);
    const page = await allRows(stats, key, 30 * MIN, 'start', 'asc', { ...NO_SESSION_FILTER, ...filter });
    expect(page.total).toBe(expected.length);
    expect(byId(page.rows)).toEqual(byId(expected));
  });

  it('pages are slices of the whole order, whatever the offset', async () => {
    const { stats, key } = await loaded(clicks);
    const all = (await allRows(stats, key, 30 * MIN, 'duration', 'desc')).rows;
    for (const offset of [0, 7, all.length - 3, all.length + 5]) {
      const page = await stats.sessionPage(key, 30 * MIN, NO_RULES, { filter: NO_SESSION_FILTER, sort: 'duration', direction: 'desc', offset, limit: 10 });
      expect(page.total).toBe(all.length);
      expect(page.rows).toEqual(all.slice(offset, offset + 10));
    }
  });

  it('follows the further rules (max events, midnight in New York)', async () => {
    const { stats, key } = await loaded(clicks);
    const rules: SessionRules = { ...NO_RULES, maxEvents: 3, midnightTimeZone: 'America/New_York' };
    const ids = referenceRuleSessions(
      clicks.map((c, i) => ({ row: i + 1, user: c.user, tsUs: c.tsUs, split: '' })),
      { thresholdUs: 30 * MIN, boundary: 'ge', maxDurationUs: null, maxEvents: 3, timeZone: 'America/New_York', split: false },
    );
    const expected = new Map<string, { start: number; end: number; events: number }>();
    clicks.forEach((c, i) => {
      const sid = ids.get(i + 1) ?? '';
      const s = expected.get(sid);
      if (!s) expected.set(sid, { start: c.tsUs, end: c.tsUs, events: 1 });
      else expected.set(sid, { start: Math.min(s.start, c.tsUs), end: Math.max(s.end, c.tsUs), events: s.events + 1 });
    });
    const page = await allRows(stats, key, 30 * MIN, 'start', 'asc', NO_SESSION_FILTER, rules);
    expect(page.total).toBe(expected.size);
    for (const r of page.rows) expect({ start: r.startUs, end: r.endUs, events: r.events }, r.sessionId).toEqual(expected.get(r.sessionId));
  });

  it('refuses a page before the user ids are loaded, saying so', async () => {
    const key = `ev_s${++id}`;
    await loadClicks(engine, clicks.slice(0, 50), `raw_s${id}`, key);
    const stats = createLocalStatsEngine();
    await stats.load(key, await engine.queryIpc(gapColumnsSql(key)), 1);
    await expect(stats.sessionPage(key, MIN, NO_RULES, { filter: NO_SESSION_FILTER, sort: 'start', direction: 'asc', offset: 0, limit: 5 })).rejects.toThrow(
      /user ids/,
    );
  });
});

/** Clicks of 40 users around a DST change: every 1 to 7 hours (a session each at 30 minutes) for `days` days. */
function clicksAround(centreMs: number, days: number, seed: number): Click[] {
  const rng = new Rng(seed);
  const clicks: Click[] = [];
  for (let u = 0; u < 40; u++) {
    let t = (centreMs - (days / 2) * 86_400_000) * 1000 + rng.int(3_600e6);
    const end = (centreMs + (days / 2) * 86_400_000) * 1000;
    while (t < end) {
      const events = 1 + rng.int(4);
      for (let e = 0; e < events; e++) clicks.push({ user: `u${u}`, tsUs: t + e * 60e6, url: null });
      t += (1 + rng.int(6)) * 3_600e6 + rng.int(3_600e6);
    }
  }
  return clicks;
}

/** Sessions per local day (or hour) by Intl's own formatting of each reference session's start. */
function referencePerBin(clicks: Click[], timeZone: string, unit: 'day' | 'hour'): Map<string, number> {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
  const counts = new Map<string, number>();
  for (const s of referenceSessions(clicks, 30 * MIN, 'ge')) {
    const p = Object.fromEntries(format.formatToParts(new Date(s.startUs / 1000)).map((x) => [x.type, x.value]));
    const bin = unit === 'day' ? `${p.year}-${p.month}-${p.day}` : `${p.year}-${p.month}-${p.day}T${p.hour}`;
    counts.set(bin, (counts.get(bin) ?? 0) + 1);
  }
  return counts;
}

describe('sessions over time', () => {
  const cases: [string, string, number, TimeBinChoice, 'day' | 'hour'][] = [
    ['New York, spring forward (a 23-hour day)', 'America/New_York', Date.UTC(2024, 2, 10, 7), 'day', 'day'],
    ['New York, fall back (a 25-hour day)', 'America/New_York', Date.UTC(2024, 10, 3, 6), 'day', 'day'],
    ['Berlin, spring forward', 'Europe/Berlin', Date.UTC(2024, 2, 31, 1), 'day', 'day'],
    ['Berlin, fall back', 'Europe/Berlin', Date.UTC(2024, 9, 27, 1), 'day', 'day'],
    ['New York by the hour, fall back (01 twice)', 'America/New_York', Date.UTC(2024, 10, 3, 6), 'hour', 'hour'],
    ['Berlin by the hour, spring forward (no 02)', 'Europe/Berlin', Date.UTC(2024, 2, 31, 1), 'auto', 'hour'],
    ['Kolkata by the hour (a half-hour offset)', 'Asia/Kolkata', Date.UTC(2024, 2, 31, 1), 'hour', 'hour'],
  ];
  it.each(cases)('counts session starts per local bin: %s', async (_, zone, centre, choice, unit) => {
    const data = clicksAround(centre, unit === 'day' ? 8 : 2, centre % 1000);
    const { stats, key } = await loaded(data);
    const result = await stats.sessionsOverTime(key, 30 * MIN, NO_RULES, zone, choice);
    expect(result.unit).toBe(unit);
    const expected = referencePerBin(data, zone, unit);
    const nonEmpty = new Map(result.rows.filter((r) => r.sessions > 0).map((r) => [r.bin, r.sessions]));
    expect(nonEmpty).toEqual(expected);
    // Every bin once, in order, none missing between the first and the last.
    const bins = result.rows.map((r) => r.bin);
    expect(bins).toEqual([...new Set(bins)].sort());
    expect(result.rows.reduce((sum, r) => sum + r.sessions, 0)).toBe(referenceSessions(data, 30 * MIN, 'ge').length);
  });

  it('bins by the hour when asked, by the day for a long span (and says hours were refused)', async () => {
    const { stats, key } = await loaded(clicksAround(Date.UTC(2024, 5, 1), 40, 3));
    const auto = await stats.sessionsOverTime(key, 30 * MIN, NO_RULES, 'UTC', 'auto');
    expect([auto.unit, auto.hoursRefused]).toEqual(['day', false]);
    expect(auto.rows.length).toBeGreaterThanOrEqual(40);
    const hours = await stats.sessionsOverTime(key, 30 * MIN, NO_RULES, 'UTC', 'hour');
    expect([hours.unit, hours.hoursRefused]).toEqual(['day', true]);
  });
});
