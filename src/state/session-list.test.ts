import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { settled } from '../test/settled';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { clickstreamSource, textSource } from '../test/file-source';
import { NO_SESSION_FILTER } from '../domain/session-list';
import { NO_RULES } from '../domain/rules';
import { AppStore } from './app-store';
import { lanesViewKey, sessionDiffKey } from './views';

// The session list and sessions over time through the store: the same sessions as the figures and the sessions export.

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const newStore = () => new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });
const everything = { filter: NO_SESSION_FILTER, sort: 'start' as const, direction: 'asc' as const, offset: 0, limit: 1e9 };

describe('the session list through the store', () => {
  it('lists the sessions export, at the threshold and rules the controls show', async () => {
    const store = newStore();
    await store.loadFile(clickstreamSource('clicks.csv', 3000, 16));
    store.setRules({ ...NO_RULES, maxEvents: 4 }, 20);
    await settled(store);
    const answer = await store.queries.sessionPage(everything);
    if (!answer?.ok) throw new Error(answer?.ok === false ? answer.message : 'no answer');
    expect(answer.value.total).toBe(store.getState().result?.stats.sessions);
    const file = await store.queries.exportFile('sessions', 'csv');
    const rows = Papa.parse<Record<string, string>>(new TextDecoder().decode(await file?.bytes()), { header: true, skipEmptyLines: true }).data;
    const exported = new Map(rows.map((r) => [r.session_id, [r.start_time, Number(r.event_count), r.first_url || null, r.last_url || null]]));
    expect(exported.size).toBe(answer.value.total);
    for (const r of answer.value.rows)
      expect([new Date(r.startUs / 1000).toISOString(), r.events, r.entryUrl, r.exitUrl], r.sessionId).toEqual(exported.get(r.sessionId));
    const perDay = await store.queries.sessionsOverTime('day');
    if (!perDay?.ok) throw new Error('no sessions over time');
    expect(perDay.value.rows.reduce((sum, r) => sum + r.sessions, 0)).toBe(answer.value.total);
  });

  it('lists only the users a filter keeps, as the figures and the sessions export do', async () => {
    const store = newStore();
    await store.loadFile(clickstreamSource('clicks.csv', 3000, 16));
    await settled(store);
    const everyone = await store.queries.sessionPage(everything);
    if (!everyone?.ok) throw new Error('no answer');
    store.setUserFilters({ maxEventsPerUser: 150, columnMatch: null });
    await settled(store);
    const state = store.getState();
    expect(state.result?.exclusion?.kept.summary.excludedUsers).toBeGreaterThan(0);
    const kept = await store.queries.sessionPage(everything);
    if (!kept?.ok) throw new Error(kept?.ok === false ? kept.message : 'no answer');
    expect(kept.value.total).toBe(state.result?.stats.sessions);
    expect(kept.value.total).toBeLessThan(everyone.value.total);
    const file = await store.queries.exportFile('sessions', 'csv');
    const ids = Papa.parse<Record<string, string>>(new TextDecoder().decode(await file?.bytes()), { header: true, skipEmptyLines: true }).data.map(
      (r) => r.session_id,
    );
    expect(new Set(kept.value.rows.map((r) => r.sessionId))).toEqual(new Set(ids));
    const perDay = await store.queries.sessionsOverTime('day');
    if (!perDay?.ok) throw new Error('no sessions over time');
    expect(perDay.value.rows.reduce((sum, r) => sum + r.sessions, 0)).toBe(kept.value.total);
    // The search box offers the kept users only.
    const offered = await store.queries.suggestUsers('', 100_000);
    expect(new Set(offered.map((u) => u.userId))).toEqual(new Set(kept.value.rows.map((r) => r.userId)));
  });

  it('draws lanes and compares thresholds over the users a filter keeps', async () => {
    const store = newStore();
    await store.loadFile(clickstreamSource('clicks.csv', 3000, 16));
    await settled(store);
    store.setUserFilters({ maxEventsPerUser: 150, columnMatch: null });
    store.setLanes({ mode: 'top', count: 200, seed: 1, prefix: '' });
    store.setCompareGapMinutes(60);
    for (let i = 0; i < 50; i++) {
      await settled(store);
      const s = store.getState();
      if (s.lanesView?.key === lanesViewKey(s) && s.sessionDiff?.key === sessionDiffKey(s)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const s = store.getState();
    const kept = await store.queries.sessionPage(everything);
    if (!kept?.ok) throw new Error('no answer');
    const keptUsers = new Set(kept.value.rows.map((r) => r.userId));
    expect(s.lanesView?.lanes.length).toBe(Math.min(200, keptUsers.size));
    for (const lane of s.lanesView?.lanes ?? []) expect(keptUsers.has(lane.userId), lane.userId).toBe(true);
    expect(s.sessionDiff?.diff.sessionsA).toBe(s.result?.stats.sessions);
  });

  it('answers with the key of the settings it was asked at, so a panel can tell a late answer', async () => {
    const store = newStore();
    await store.loadFile(textSource('a.csv', 'user_id,timestamp\nu1,2024-05-01T10:00:00Z\nu1,2024-05-01T10:20:00Z\nu2,2024-05-01T10:00:00Z\n'));
    await settled(store);
    const at30 = store.queries.sessionPage(everything);
    store.setGapMinutes(10);
    const at10 = store.queries.sessionPage(everything);
    const [a, b] = await Promise.all([at30, at10]);
    expect(a?.ok && a.value.total).toBe(2);
    expect(b?.ok && b.value.total).toBe(3);
    expect(a?.key).not.toBe(b?.key);
  });

  it('shows times in the display zone chosen (UTC by default)', async () => {
    const store = newStore();
    expect(store.getState().displayTimeZone).toBe('UTC');
    store.setDisplayTimeZone('Europe/Berlin');
    expect(store.getState().displayTimeZone).toBe('Europe/Berlin');
    expect(store.queries.sessionPage(everything)).toBeNull();
  });
});
