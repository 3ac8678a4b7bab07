import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { settled } from '../test/settled';
import { NO_RULES, type SessionRules } from '../domain/rules';
import { generateVisits } from '../test/clickstream-fixture';
import { referenceRuleSessions, type RuleEvent } from '../test/reference-rules';
import { textSource } from '../test/file-source';
import { AppStore } from './app-store';
import type { Lane } from './types';
import { lanesViewKey } from './views';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const MIN = 60_000_000;
const CAMPAIGNS = ['', 'google', 'mail', ''];

/** ISO 8601 UTC to the microsecond. */
const isoUs = (us: number) => `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;

function visits(): RuleEvent[] {
  return generateVisits({ users: 60, maxSessions: 6, maxEvents: 8, withinMedianS: 60, betweenMedianS: 3 * 3600, sigma: 1.2, seed: 7 }).map((c, i) => ({
    row: i + 1,
    user: c.user,
    tsUs: c.tsUs,
    split: CAMPAIGNS[i % CAMPAIGNS.length] as string,
  }));
}

/** Waits until the store is settled and its lanes are for the state shown (they come after the figures). */
async function lanesSettled(store: AppStore): Promise<void> {
  for (;;) {
    await settled(store);
    const s = store.getState();
    if (s.error !== null) throw new Error(s.error);
    if (s.lanesView?.key === lanesViewKey(s)) return;
    await new Promise<void>((resolve) => {
      const unsubscribe = store.subscribe(() => {
        unsubscribe();
        resolve();
      });
    });
  }
}

async function loaded(events: RuleEvent[], gapMinutes: number, rules: SessionRules): Promise<AppStore> {
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest }, gapMinutes);
  const lines = ['user_id,timestamp,utm_source', ...events.map((e) => `${e.user},${isoUs(e.tsUs)},${e.split}`)];
  await store.loadFile(textSource('lanes.csv', lines.join('\n')));
  store.setRules(rules);
  await lanesSettled(store);
  return store;
}

/** Each user's sessions by the reference: (start, end, events) in order. */
function referenceSessions(events: RuleEvent[], gapMinutes: number, rules: SessionRules) {
  const ids = referenceRuleSessions(events, {
    thresholdUs: gapMinutes * MIN,
    boundary: rules.boundary,
    maxDurationUs: rules.maxDurationMinutes === null ? null : rules.maxDurationMinutes * MIN,
    maxEvents: rules.maxEvents,
    timeZone: rules.midnightTimeZone,
    split: rules.splitColumn !== null,
  });
  const sessions = new Map<string, { startUs: number; endUs: number; events: number }>();
  for (const e of events) {
    const id = ids.get(e.row) as string;
    const s = sessions.get(id) ?? { startUs: e.tsUs, endUs: e.tsUs, events: 0 };
    sessions.set(id, { startUs: Math.min(s.startUs, e.tsUs), endUs: Math.max(s.endUs, e.tsUs), events: s.events + 1 });
  }
  const byUser = new Map<string, { sessionNumber: number; startUs: number; endUs: number; events: number }[]>();
  for (const [id, s] of sessions) {
    const cut = id.lastIndexOf('-');
    const user = id.slice(0, cut);
    byUser.set(user, [...(byUser.get(user) ?? []), { sessionNumber: Number(id.slice(cut + 1)), ...s }]);
  }
  for (const list of byUser.values()) list.sort((a, b) => a.sessionNumber - b.sessionNumber);
  return byUser;
}

function expectLanesMatch(lanes: readonly Lane[], events: RuleEvent[], gapMinutes: number, rules: SessionRules) {
  const expected = referenceSessions(events, gapMinutes, rules);
  expect(lanes.length).toBeGreaterThan(0);
  for (const lane of lanes) {
    const sessions = expected.get(lane.userId) ?? [];
    expect(lane.sessions, lane.userId).toBe(sessions.length);
    expect(lane.events, lane.userId).toBe(events.filter((e) => e.user === lane.userId).length);
    expect(lane.bars, lane.userId).toEqual(sessions);
  }
}

/** Users by events (most first), ties by the row of their first event in time order. */
function mostActive(events: RuleEvent[]): string[] {
  const byUser = new Map<string, { events: number; first: RuleEvent }>();
  for (const e of events) {
    const u = byUser.get(e.user);
    const earlier = !u || e.tsUs < u.first.tsUs || (e.tsUs === u.first.tsUs && e.row < u.first.row);
    byUser.set(e.user, { events: (u?.events ?? 0) + 1, first: earlier ? e : (u as { first: RuleEvent }).first });
  }
  return [...byUser].sort(([, a], [, b]) => b.events - a.events || a.first.row - b.first.row).map(([user]) => user);
}

describe('lanes: many users sessions at once, from the stats worker', () => {
  const RULE_CASES: [string, SessionRules][] = [
    ['the gap alone', NO_RULES],
    [
      'max duration, max events, midnight and campaign',
      { boundary: 'gt', maxDurationMinutes: 90, maxEvents: 5, midnightTimeZone: 'America/New_York', splitColumn: 'utm_source' },
    ],
  ];
  for (const [name, rules] of RULE_CASES) {
    it(`the 20 most active users, each lane's sessions as the reference cuts them (${name}), following the threshold`, async () => {
      const events = visits();
      const store = await loaded(events, 30, rules);
      const view = store.getState().lanesView;
      if (!view) throw new Error(store.getState().error ?? 'no lanes');
      expect(view.lanes.map((l) => l.userId)).toEqual(mostActive(events).slice(0, 20));
      expectLanesMatch(view.lanes, events, 30, rules);
      store.setGapMinutes(240);
      await lanesSettled(store);
      expectLanesMatch(store.getState().lanesView?.lanes ?? [], events, 240, rules);
    });
  }

  it('a seeded sample: the same users for the same seed, other users for another, sessions as the reference', async () => {
    const events = visits();
    const store = await loaded(events, 30, NO_RULES);
    store.setLanes({ mode: 'sample', count: 10, seed: 3, prefix: '' });
    await lanesSettled(store);
    const first = store.getState().lanesView?.lanes ?? [];
    expect(first).toHaveLength(10);
    expectLanesMatch(first, events, 30, NO_RULES);
    store.setLanes({ mode: 'sample', count: 10, seed: 4, prefix: '' });
    await lanesSettled(store);
    expect(store.getState().lanesView?.lanes.map((l) => l.userId)).not.toEqual(first.map((l) => l.userId));
    store.setLanes({ mode: 'sample', count: 10, seed: 3, prefix: '' });
    await lanesSettled(store);
    expect(store.getState().lanesView?.lanes.map((l) => l.userId)).toEqual(first.map((l) => l.userId));
  });

  it('users whose id starts with a prefix, most active first', async () => {
    const events = visits();
    const store = await loaded(events, 30, NO_RULES);
    store.setLanes({ mode: 'prefix', count: 5, seed: 1, prefix: 'u001' });
    await lanesSettled(store);
    const lanes = store.getState().lanesView?.lanes ?? [];
    const expected = mostActive(events.filter((e) => e.user.startsWith('u001')));
    // Ties by id in SQL, by first row in mostActive: compare the event counts, then the sets.
    expect(lanes.map((l) => l.events)).toEqual(expected.slice(0, 5).map((u) => events.filter((e) => e.user === u).length));
    expect(lanes.every((l) => l.userId.startsWith('u001'))).toBe(true);
    expectLanesMatch(lanes, events, 30, NO_RULES);
  });
});
