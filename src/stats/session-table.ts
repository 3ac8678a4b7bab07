import type { GapColumns, UrlColumn } from '../domain/types';
import { countAtMost } from '../domain/sorted-search';
import { localBins } from '../domain/local-bins';
import { inBlocks, runSteps, type Steps } from './steps';
import { AUTO_HOUR_SPAN_US, MAX_HOUR_SPAN_US, type SessionListRow, type SessionPage, type SessionsOverTime, type TimeBinChoice } from '../domain/session-list';

/*
 * Every session at one threshold and rules as columns of typed arrays (one entry a session,
 * in the events table's order: user by user, each user's in time order), and the queries
 * the session list and the sessions-over-time chart ask of it. Built in one pass over the
 * events; a filter and an order (session-order.ts) are an index array over it, so
 * scrolling is a slice.
 */

export interface SessionTable {
  count: number;
  /** The user's index (its run in the events table: 0 for the first user's events, …). */
  user: Int32Array;
  /** 1, 2, … within the user. */
  number: Int32Array;
  start: Float64Array;
  end: Float64Array;
  events: Int32Array;
  /** The first and last url code of the session that is there; -1 = none. */
  entry: Int32Array;
  exit: Int32Array;
}

/** The users' ids by user index, and each one's place in id order (for sorting by user). */
export interface UserIds {
  ids: string[];
  rank: Int32Array;
}

export function buildSessionTable(columns: GapColumns, starts: Uint8Array, url: UrlColumn | null): SessionTable {
  return runSteps(buildSessionTableSteps(columns, starts, url));
}

/** buildSessionTable in steps (steps.ts). */
export function* buildSessionTableSteps({ gaps, times }: GapColumns, starts: Uint8Array, url: UrlColumn | null): Steps<SessionTable> {
  const n = gaps.length;
  let count = 0;
  for (let i = 0; i < n; i++) count += starts[i] as number;
  yield;
  const t: SessionTable = {
    count,
    user: new Int32Array(count),
    number: new Int32Array(count),
    start: new Float64Array(count),
    end: new Float64Array(count),
    events: new Int32Array(count),
    entry: new Int32Array(count).fill(-1),
    exit: new Int32Array(count).fill(-1),
  };
  // Where the walk is: the session (-1 before the first), its user, number and first event.
  const at = { s: -1, user: -1, number: 0, first: 0 };
  yield* inBlocks(n, (from, to) => sessionsOf(gaps, times, starts, t, at, from, to));
  if (at.s >= 0) {
    t.end[at.s] = times[n - 1] as number;
    t.events[at.s] = n - at.first;
  }
  const codes = url?.codes ?? null;
  if (codes) {
    const session = { s: -1 };
    yield* inBlocks(n, (from, to) => {
      let s = session.s;
      for (let i = from; i < to; i++) {
        if (starts[i] === 1) s++;
        const code = codes[i] as number;
        if (code >= 0) {
          if (t.entry[s] === -1) t.entry[s] = code;
          t.exit[s] = code;
        }
      }
      session.s = s;
    });
  }
  return t;
}

/** Events [from, to) into the table, session by session: a session's end and event count are written when the next one starts. */
function sessionsOf(
  gaps: Float64Array,
  times: Float64Array,
  starts: Uint8Array,
  t: SessionTable,
  at: { s: number; user: number; number: number; first: number },
  from: number,
  to: number,
): void {
  let { s, user, number, first } = at;
  for (let i = from; i < to; i++) {
    if ((gaps[i] as number) < 0) {
      user++;
      number = 0;
    }
    if (starts[i] !== 1) continue;
    if (s >= 0) {
      t.end[s] = times[i - 1] as number;
      t.events[s] = i - first;
    }
    s++;
    number++;
    first = i;
    t.user[s] = user;
    t.number[s] = number;
    t.start[s] = times[i] as number;
  }
  Object.assign(at, { s, user, number, first });
}

/** The rows offset .. offset + limit of an order. */
export function sessionPage(t: SessionTable, users: UserIds, labels: readonly string[], order: Int32Array, offset: number, limit: number): SessionPage {
  const from = Math.max(0, Math.min(Math.floor(offset), order.length));
  const to = Math.min(order.length, from + Math.max(0, Math.floor(limit)));
  const rows: SessionListRow[] = [];
  for (let k = from; k < to; k++) {
    const s = order[k] as number;
    const userId = users.ids[t.user[s] as number] ?? '';
    const number = t.number[s] as number;
    const entry = t.entry[s] as number;
    const exit = t.exit[s] as number;
    rows.push({
      sessionId: `${userId}-${number}`,
      userId,
      sessionNumber: number,
      startUs: t.start[s] as number,
      endUs: t.end[s] as number,
      events: t.events[s] as number,
      entryUrl: entry < 0 ? null : (labels[entry] ?? null),
      exitUrl: exit < 0 ? null : (labels[exit] ?? null),
    });
  }
  return { total: order.length, offset: from, rows };
}

/** Sessions started in each local day or hour of the zone, every bin from the first start's to the last's. */
export function sessionsOverTime(t: SessionTable, timeZone: string, choice: TimeBinChoice): SessionsOverTime {
  return runSteps(sessionsOverTimeSteps(t, timeZone, choice));
}

/** sessionsOverTime in steps (steps.ts). */
export function* sessionsOverTimeSteps(t: SessionTable, timeZone: string, choice: TimeBinChoice): Steps<SessionsOverTime> {
  let min = Infinity;
  let max = -Infinity;
  for (let s = 0; s < t.count; s++) {
    const v = t.start[s] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (t.count === 0) return { timeZone, unit: 'day', hoursRefused: false, rows: [] };
  const span = max - min;
  const hoursRefused = choice === 'hour' && span > MAX_HOUR_SPAN_US;
  const unit = (choice === 'auto' && span < AUTO_HOUR_SPAN_US) || (choice === 'hour' && !hoursRefused) ? 'hour' : 'day';
  const { edges, labels } = localBins(timeZone, unit, min, max);
  const counts = new Float64Array(edges.length);
  yield* inBlocks(t.count, (from, to) => {
    for (let s = from; s < to; s++) {
      const bin = countAtMost(edges, t.start[s] as number) - 1;
      counts[bin] = (counts[bin] as number) + 1;
    }
  });
  // A repeated local hour has two edges under one label: one bin.
  const rows: SessionsOverTime['rows'] = [];
  const at = new Map<string, number>();
  labels.forEach((bin, i) => {
    const k = at.get(bin);
    const row = k === undefined ? undefined : rows[k];
    if (row) row.sessions += counts[i] as number;
    else {
      at.set(bin, rows.length);
      rows.push({ bin, sessions: counts[i] as number });
    }
  });
  return { timeZone, unit, hoursRefused, rows };
}
