import type { Engine } from '../engine/engine';
import type { Boundary } from '../domain/types';
import { createEventsTableSql } from '../sql/events-sql';
import { quoteString } from '../sql/quote';
import { Rng } from '../../scripts/clickstream-generator.mjs';
import { referenceSessionize, type ReferenceEvent } from './reference-sessionizer';

/*
 * Generated clickstreams with a known shape for the exploration tests, loaded through the
 * app's own events SQL, and a reference view of them (gaps, sessions with urls) computed
 * with the independent reference sessionizer.
 */

export interface Click {
  user: string;
  tsUs: number;
  url: string | null;
}

export interface VisitShape {
  users: number;
  /** A user has 1 to maxSessions sessions, uniformly. */
  maxSessions: number;
  /** A session has 1 to maxEvents events, uniformly. */
  maxEvents: number;
  withinMedianS: number;
  betweenMedianS: number;
  sigma: number;
  seed: number;
}

const URLS = ['/', '/a', '/b', '/c?q=1', "/it's", '/é', null];

/** Clicks of users who visit a few times; within-visit and between-visit gaps log-normal. */
export function generateVisits(shape: VisitShape): Click[] {
  const rng = new Rng(shape.seed);
  const clicks: Click[] = [];
  for (let u = 0; u < shape.users; u++) {
    let t = 1_714_521_600_000_000 + rng.int(86_400e6);
    const sessions = 1 + rng.int(shape.maxSessions);
    for (let s = 0; s < sessions; s++) {
      if (s > 0) t += Math.max(1, Math.round(rng.logNormal(shape.betweenMedianS, shape.sigma) * 1e6));
      const events = 1 + rng.int(shape.maxEvents);
      for (let e = 0; e < events; e++) {
        if (e > 0) t += Math.round(rng.logNormal(shape.withinMedianS, shape.sigma) * 1e6);
        clicks.push({ user: `u${String(u).padStart(4, '0')}`, tsUs: t, url: rng.pick(URLS) });
      }
    }
  }
  // File order is not time order: the events SQL sorts.
  for (let i = clicks.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [clicks[i], clicks[j]] = [clicks[j] as Click, clicks[i] as Click];
  }
  return clicks;
}

/** Loads clicks as a raw text table (epoch µs) and builds the events table from it. */
export async function loadClicks(engine: Engine, clicks: readonly Click[], rawTable: string, eventsTable: string): Promise<void> {
  await engine.exec(`CREATE OR REPLACE TABLE ${rawTable} (u VARCHAR, t VARCHAR, url VARCHAR)`);
  for (let i = 0; i < clicks.length; i += 5000) {
    const values = clicks
      .slice(i, i + 5000)
      .map((c) => `(${quoteString(c.user)}, '${c.tsUs}', ${c.url === null ? 'NULL' : quoteString(c.url)})`)
      .join(', ');
    await engine.exec(`INSERT INTO ${rawTable} VALUES ${values}`);
  }
  const mapping = { user: 'u', timestamp: 't', time: '', url: 'url', format: 'epoch-us' as const };
  await engine.exec(createEventsTableSql({ rawTable, columns: ['u', 't', 'url'], mapping }, eventsTable));
}

/** Gaps between consecutive clicks of each user (time, then file order). */
export function referenceGaps(clicks: readonly Click[]): number[] {
  const byUser = new Map<string, number[]>();
  for (const c of clicks) {
    const list = byUser.get(c.user) ?? [];
    list.push(c.tsUs);
    byUser.set(c.user, list);
  }
  return [...byUser.values()].flatMap((list) =>
    list
      .sort((a, b) => a - b)
      .slice(1)
      .map((t, i) => t - (list[i] ?? t)),
  );
}

export interface ReferenceSession {
  user: string;
  sessionNumber: number;
  startUs: number;
  endUs: number;
  eventCount: number;
  firstUrl: string | null;
  lastUrl: string | null;
  events: ReferenceEvent[];
}

/** Sessions by the reference sessionizer, per user in order, events in (time, row) order. */
export function referenceSessions(clicks: readonly Click[], thresholdUs: number, boundary: Boundary): ReferenceSession[] {
  const rows = clicks.map((c, i) => ({ row: i + 1, user: c.user, ts: String(c.tsUs) }));
  const { events } = referenceSessionize(rows, 'epoch-us', thresholdUs, boundary);
  const sessions = new Map<string, ReferenceEvent[]>();
  for (const e of events) {
    const key = JSON.stringify([e.user, e.sessionNumber]);
    const list = sessions.get(key) ?? [];
    list.push(e);
    sessions.set(key, list);
  }
  const urlOf = (e: ReferenceEvent) => clicks[e.row - 1]?.url ?? null;
  return [...sessions.values()]
    .map((list) => {
      list.sort((a, b) => a.tsUs - b.tsUs || a.row - b.row);
      const first = list[0];
      const last = list[list.length - 1];
      return {
        user: first?.user ?? '',
        sessionNumber: first?.sessionNumber ?? 0,
        startUs: first?.tsUs ?? 0,
        endUs: last?.tsUs ?? 0,
        eventCount: list.length,
        events: list,
        // As the sessions export: the first and last url that is there (null: none at all).
        firstUrl: list.map(urlOf).find((u) => u !== null) ?? null,
        lastUrl: list.map(urlOf).findLast((u) => u !== null) ?? null,
      };
    })
    .sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : a.sessionNumber - b.sessionNumber));
}
