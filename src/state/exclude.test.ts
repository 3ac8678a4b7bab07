import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { referenceSessionize, referenceSessionStats, type ReferenceEvent, type ReferenceRow } from '../test/reference-sessionizer';
import { settled } from '../test/settled';
import { textSource } from '../test/file-source';
import { minutesToUs } from '../domain/threshold';
import { NO_USER_FILTERS, type UserFilters } from '../domain/user-filters';
import { NO_RULES } from '../domain/rules';
import { AppStore } from './app-store';
import type { ExportFile } from './exports';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

interface Line {
  user: string;
  ts: string;
  url: string;
  agent: string;
}

/** People, six scripted bots (hundreds of evenly spaced hits), a crawler whose agent says so now and then, a test account, and unreadable rows. */
function plantedBots(seed: number): Line[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const start = Date.UTC(2024, 4, 1);
  const iso = (ms: number) => new Date(ms).toISOString();
  const lines: Line[] = [];
  for (let u = 0; u < 40; u++) {
    let t = start + Math.floor(random() * 86_400_000);
    const n = 1 + Math.floor(random() * 30);
    for (let i = 0; i < n; i++) {
      t += Math.floor(random() < 0.2 ? random() * 7_200_000 : random() * 600_000);
      lines.push({
        user: `person${u}`,
        ts: iso(t),
        url: `/p${Math.floor(random() * 5)}`,
        agent: random() < 0.5 ? 'Mozilla/5.0 (Windows)' : 'Mozilla/5.0 (iPhone)',
      });
    }
  }
  for (let b = 0; b < 6; b++) {
    const everySeconds = [30, 60, 120, 300, 900, 60][b] ?? 60;
    for (let i = 0; i < 200 + b * 40; i++) lines.push({ user: `bot${b}`, ts: iso(start + i * everySeconds * 1000), url: '/feed', agent: 'curl/8.0' });
  }
  for (let i = 0; i < 12; i++) lines.push({ user: 'crawler', ts: iso(start + i * 3_600_000), url: '/', agent: i === 5 ? 'Googlebot/2.1' : 'Mozilla/5.0' });
  for (let i = 0; i < 5; i++) lines.push({ user: 'qa-test-1', ts: iso(start + i * 60_000), url: '/checkout', agent: 'Mozilla/5.0 (QA)' });
  // Shuffled, so no reader may rely on the file's order.
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const [a, b] = [lines[i], lines[j]];
    if (a && b) [lines[i], lines[j]] = [b, a];
  }
  return lines;
}

const LINES = plantedBots(7);
const SKIPPED_LINES = [',2024-05-01T00:00:00Z,/x,none', 'ghost,not a time,/y,none'];
const FILE = textSource(
  'bots.csv',
  ['user_id,timestamp,url,user_agent', ...LINES.map((l) => [l.user, l.ts, l.url, l.agent].join(',')), ...SKIPPED_LINES].join('\n'),
);
const ROWS: ReferenceRow[] = [
  ...LINES.map((l) => ({ user: l.user, ts: l.ts })),
  { user: null, ts: '2024-05-01T00:00:00Z' },
  { user: 'ghost', ts: 'not a time' },
].map((r, i) => ({ ...r, row: i + 1 }));
const LINE_OF_ROW = new Map(LINES.map((l, i) => [i + 1, l]));
const cellOf = (row: number, column: string): string => {
  const line = LINE_OF_ROW.get(row);
  return (column === 'user_agent' ? line?.agent : column === 'user_id' ? line?.user : line?.url) ?? '';
};

/** The reference's events of the users the filters keep (the definition, written plainly). */
function referenceKept(gapMinutes: number, filters: UserFilters): { events: ReferenceEvent[]; excluded: Set<string> } {
  const { events } = referenceSessionize(ROWS, 'iso', minutesToUs(gapMinutes), 'ge');
  const byUser = new Map<string, ReferenceEvent[]>();
  for (const e of events) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e]);
  const excluded = new Set<string>();
  for (const [user, list] of byUser) {
    const tooMany = filters.maxEventsPerUser !== null && list.length > filters.maxEventsPerUser;
    const match = filters.columnMatch;
    const matches = match !== null && list.some((e) => cellOf(e.row, match.column).toLowerCase().includes(match.contains.toLowerCase()));
    if (tooMany || matches) excluded.add(user);
  }
  return { events: events.filter((e) => !excluded.has(e.user)), excluded };
}

async function parse(file: ExportFile | null): Promise<Record<string, string>[]> {
  if (!file) throw new Error('no export');
  return Papa.parse<Record<string, string>>(new TextDecoder().decode(await file.bytes()), { header: true, skipEmptyLines: true }).data;
}

/** Rows and distinct session ids of a Parquet file. */
async function parquetCounts(bytes: Uint8Array): Promise<{ rows: number; ids: number }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const dir = mkdtempSync(path.join(tmpdir(), 'exclude-'));
  const file = path.join(dir, 'x.parquet');
  writeFileSync(file, bytes);
  try {
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const [row] = (
      await conn.runAndReadAll(`SELECT count(*)::DOUBLE AS rows, count(DISTINCT session_id)::DOUBLE AS ids FROM read_parquet('${file}')`)
    ).getRowObjects();
    return { rows: Number(row?.rows), ids: Number(row?.ids) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function loadedStore(): Promise<AppStore> {
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest }, 30);
  await store.loadFile(FILE);
  await settled(store);
  return store;
}

const FILTERS: [string, UserFilters][] = [
  ['more than 100 events', { maxEventsPerUser: 100, columnMatch: null }],
  ['a user agent containing "BOT" (any case, one event is enough)', { maxEventsPerUser: null, columnMatch: { column: 'user_agent', contains: 'BOT' } }],
  ['a test account id', { maxEventsPerUser: null, columnMatch: { column: 'user_id', contains: 'qa-test' } }],
  ['both an event count and a column match', { maxEventsPerUser: 150, columnMatch: { column: 'user_agent', contains: 'curl' } }],
];

describe('leaving users out', () => {
  it.each(FILTERS)('%s: figures, exports and lists are those of the kept users, as the reference sessionizes them', async (_, filters) => {
    const store = await loadedStore();
    const before = store.getState();
    store.setUserFilters(filters);
    expect(store.getState().status).toBe('loading');
    await settled(store);
    const s = store.getState();
    expect(s.status).toBe('ready');
    const { events, excluded } = referenceKept(30, filters);
    expect(excluded.size).toBeGreaterThan(0);
    const kept = s.result?.exclusion?.kept;
    expect(kept?.summary).toEqual({
      excludedUsers: excluded.size,
      excludedEvents: ROWS.length - SKIPPED_LINES.length - events.length,
      keptUsers: new Set(events.map((e) => e.user)).size,
      keptEvents: events.length,
    });
    const ref = referenceSessionStats(events);
    expect(s.result?.stats.sessions).toBe(ref.sessions);
    expect(s.result?.stats.meanDurationSeconds).toBeCloseTo(ref.meanDurationSeconds, 6);
    expect(s.result?.stats.medianDurationSeconds).toBeCloseTo(ref.medianDurationSeconds, 6);
    expect(s.result?.stats.singleEventShare).toBeCloseTo(ref.singleEventShare, 9);
    // What no filter changes: the rows read and skipped.
    expect(s.dataset?.events.figures).toEqual(before.dataset?.events.figures);
    // The gap histogram is the kept users' gaps.
    const keptGaps = kept?.explore.gapBins.reduce((n, b) => n + b.count, 0);
    expect(keptGaps).toBe(events.length - new Set(events.map((e) => e.user)).size);

    const exportedEvents = await parse(await store.queries.exportFile('events', 'csv'));
    expect(exportedEvents).toHaveLength(events.length);
    expect(exportedEvents.map((r) => r.session_id).sort()).toEqual(events.map((e) => e.sessionId).sort());
    expect(exportedEvents.some((r) => excluded.has(r.user_id ?? ''))).toBe(false);
    const exportedSessions = await parse(await store.queries.exportFile('sessions', 'csv'));
    expect(exportedSessions.map((r) => r.session_id).sort()).toEqual([...new Set(events.map((e) => e.sessionId))].sort());

    // The Parquet exports hold the same rows (read back by native DuckDB).
    for (const table of ['events', 'sessions'] as const) {
      const parquet = await store.queries.exportFile(table, 'parquet');
      if (!parquet) throw new Error('no Parquet export');
      const sessionIds = new Set(events.map((e) => e.sessionId)).size;
      expect(await parquetCounts(await parquet.bytes())).toEqual({ rows: table === 'events' ? events.length : sessionIds, ids: sessionIds });
    }

    const listed = await store.queries.excludedUsers(100);
    expect(listed.rows.map((r) => r.user_id).sort()).toEqual([...excluded].sort());
    const counts = listed.rows.map((r) => r.events);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    // The presets compare the same users.
    const comparison = store.getState().comparison;
    // GA4's preset is the gap rule alone at 30 minutes.
    expect(comparison?.rows.find((r) => r.preset === 'ga4')?.stats.sessions).toBe(ref.sessions);
  });

  it('a threshold change and further rules keep the filter, and the session table numbers only kept users', async () => {
    const store = await loadedStore();
    const filters: UserFilters = { maxEventsPerUser: 100, columnMatch: null };
    store.setUserFilters(filters);
    store.setGapMinutes(10);
    await settled(store);
    const { events } = referenceKept(10, filters);
    expect(store.getState().result?.stats.sessions).toBe(referenceSessionStats(events).sessions);
    // A rule beyond the gap makes the session numbers in the stats worker (a session table).
    store.setRules({ ...NO_RULES, maxEvents: 1_000_000 });
    await settled(store);
    expect(store.getState().result?.stats.sessions).toBe(referenceSessionStats(events).sessions);
    const exported = await parse(await store.queries.exportFile('events', 'csv'));
    expect(exported.map((r) => r.session_id).sort()).toEqual(events.map((e) => e.sessionId).sort());
  });

  it('clearing the filter restores every figure and export', async () => {
    const store = await loadedStore();
    const before = store.getState().result;
    const beforeEvents = await parse(await store.queries.exportFile('events', 'csv'));
    store.setUserFilters({ maxEventsPerUser: 10, columnMatch: null });
    await settled(store);
    expect(store.getState().result?.stats.sessions).not.toBe(before?.stats.sessions);
    store.setUserFilters(NO_USER_FILTERS);
    await settled(store);
    const after = store.getState().result;
    expect(after?.exclusion ?? null).toBeNull();
    expect(after?.stats).toEqual(before?.stats);
    expect(after?.eventsTable).toBe(before?.eventsTable);
    expect(await parse(await store.queries.exportFile('events', 'csv'))).toEqual(beforeEvents);
  });

  it('a filter that leaves everyone out gives zero sessions, not an error', async () => {
    const store = await loadedStore();
    store.setUserFilters({ maxEventsPerUser: 0, columnMatch: null });
    await settled(store);
    const s = store.getState();
    expect(s.error).toBeNull();
    expect(s.result?.stats.sessions).toBe(0);
    expect(s.result?.exclusion?.kept.summary.keptUsers).toBe(0);
    expect(await parse(await store.queries.exportFile('sessions', 'csv'))).toEqual([]);
  });
});

/** The breakdown by a column, from the reference's sessionized events (the definition, written plainly). */
function referenceBreakdown(events: ReferenceEvent[], column: string) {
  const byValue = new Map<string, { events: number; users: Set<string>; sessions: number; durationUs: number }>();
  const entry = (value: string) => {
    const e = byValue.get(value) ?? { events: 0, users: new Set<string>(), sessions: 0, durationUs: 0 };
    byValue.set(value, e);
    return e;
  };
  const sessions = new Map<string, ReferenceEvent[]>();
  for (const e of events) {
    const v = entry(cellOf(e.row, column));
    v.events++;
    v.users.add(e.user);
    sessions.set(e.sessionId, [...(sessions.get(e.sessionId) ?? []), e]);
  }
  for (const list of sessions.values()) {
    list.sort((a, b) => a.tsUs - b.tsUs || a.row - b.row);
    const first = list[0];
    const last = list[list.length - 1];
    if (!first || !last) continue;
    const v = entry(cellOf(first.row, column));
    v.sessions++;
    v.durationUs += last.tsUs - first.tsUs;
  }
  return [...byValue].map(([value, v]) => ({
    value,
    events: v.events,
    users: v.users.size,
    sessionsStarted: v.sessions,
    meanDurationSeconds: v.sessions > 0 ? v.durationUs / v.sessions / 1e6 : 0,
  }));
}

describe('the breakdown by a column', () => {
  it.each([
    ['everyone', NO_USER_FILTERS],
    ['the bots left out', { maxEventsPerUser: 100, columnMatch: null }],
  ] as [string, UserFilters][])('by url and by user agent, %s: events, users, sessions started and their mean duration', async (_, filters) => {
    const store = await loadedStore();
    store.setUserFilters(filters);
    for (const column of ['url', 'user_agent']) {
      store.setBreakdownColumn(column);
      await settled(store);
      const s = store.getState();
      expect(s.breakdown?.column).toBe(column);
      const expected = referenceBreakdown(referenceKept(30, filters).events, column);
      expect(s.breakdown?.values).toBe(expected.length);
      const got = [...(s.breakdown?.rows ?? [])].sort((a, b) => (a.value ?? '').localeCompare(b.value ?? ''));
      const want = expected.sort((a, b) => b.events - a.events).slice(0, got.length);
      expect(got.map((r) => r.value)).toEqual(want.map((r) => r.value).sort((a, b) => a.localeCompare(b)));
      for (const row of got) {
        const w = expected.find((e) => e.value === row.value);
        expect(row).toMatchObject({ events: w?.events, users: w?.users, sessionsStarted: w?.sessionsStarted });
        expect(row.meanDurationSeconds).toBeCloseTo(w?.meanDurationSeconds ?? -1, 6);
      }
    }
    // A threshold change brings a breakdown for it.
    store.setGapMinutes(5);
    await settled(store);
    const expected = referenceBreakdown(referenceKept(5, filters).events, 'user_agent');
    for (const row of store.getState().breakdown?.rows ?? []) {
      expect(row.sessionsStarted).toBe(expected.find((e) => e.value === row.value)?.sessionsStarted);
    }
  });
});
