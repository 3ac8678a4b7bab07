import type { GapColumns, UrlColumn } from '../domain/types';
import { countAtMost } from '../domain/sorted-search';
import { localBins } from '../domain/local-bins';
import { radixKeysFit, radixOrder } from './radix-order';
import {
  AUTO_HOUR_SPAN_US,
  MAX_HOUR_SPAN_US,
  type SessionFilter,
  type SessionListRow,
  type SessionPage,
  type SessionPageQuery,
  type SessionsOverTime,
  type TimeBinChoice,
} from '../domain/session-list';

/*
 * Every session at one threshold and rules as columns of typed arrays (one entry a session,
 * in the events table's order: user by user, each user's in time order), and the queries
 * the session list and the sessions-over-time chart ask of it. Built in one pass over the
 * events; a filter and an order are an index array over it, so scrolling is a slice.
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

export function buildSessionTable({ gaps, times }: GapColumns, starts: Uint8Array, url: UrlColumn | null): SessionTable {
  const n = gaps.length;
  let count = 0;
  for (let i = 0; i < n; i++) count += starts[i] as number;
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
  let s = -1;
  let user = -1;
  let number = 0;
  let first = 0;
  // Session by session: its end and event count are written when the next one starts.
  for (let i = 0; i < n; i++) {
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
  if (s >= 0) {
    t.end[s] = times[n - 1] as number;
    t.events[s] = n - first;
  }
  const codes = url?.codes ?? null;
  if (codes) {
    s = -1;
    for (let i = 0; i < n; i++) {
      if (starts[i] === 1) s++;
      const code = codes[i] as number;
      if (code >= 0) {
        if (t.entry[s] === -1) t.entry[s] = code;
        t.exit[s] = code;
      }
    }
  }
  return t;
}

/** The user index of each user's first event's row, from userIdsSql's (row, user_id) rows in row order. */
export function userIdsByIndex(gaps: Float64Array, rows: Float64Array, idRows: Float64Array, ids: readonly (string | null)[]): UserIds {
  const firsts: number[] = [];
  for (let i = 0; i < gaps.length; i++) if ((gaps[i] as number) < 0) firsts.push(i);
  if (firsts.length !== ids.length) throw new Error(`the events table has ${ids.length} users where the statistics hold ${firsts.length}`);
  // User indexes in the order of their first event's row, to walk beside the query's rows.
  const byRow = firsts.map((event, user) => ({ row: rows[event] as number, user })).sort((a, b) => a.row - b.row);
  const out: string[] = new Array(ids.length);
  byRow.forEach(({ row, user }, k) => {
    if (idRows[k] !== row) throw new Error(`the events table's users do not match the statistics' (row ${row})`);
    out[user] = ids[k] ?? '';
  });
  return rankedUserIds(out);
}

/** The users' ids by user index, with each one's place in text order (for sorting the list). */
export function rankedUserIds(ids: string[]): UserIds {
  const order = ids.map((_, u) => u).sort((a, b) => compareText(ids[a] as string, ids[b] as string) || a - b);
  const rank = new Int32Array(ids.length);
  order.forEach((u, r) => {
    rank[u] = r;
  });
  return { ids, rank };
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Which url codes (+1; 0 = no url) contain `text`; null when the filter is off. */
function pagesMatching(text: string, labels: readonly string[]): Uint8Array | null {
  if (text === '') return null;
  const ok = new Uint8Array(labels.length + 1);
  labels.forEach((label, code) => {
    ok[code + 1] = label.includes(text) ? 1 : 0;
  });
  return ok;
}

/**
 * The indexes of the sessions the filter leaves, in the asked order: a total order (start,
 * then user id, then session number break every tie; a duration or event count is tied by
 * start), so 'desc' is 'asc' reversed. Made by stable linear passes (radix-order.ts) from
 * the order by user and number, which the table's layout nearly is; a comparator sort only
 * if a key is not a whole number.
 */
export function sessionOrder(
  t: SessionTable,
  users: UserIds,
  labels: readonly string[],
  q: Pick<SessionPageQuery, 'filter' | 'sort' | 'direction'>,
): Int32Array {
  const keep = filterSessions(t, users, labels, q.filter);
  const order = radixSessionOrder(t, users, q.sort, keep) ?? comparedSessionOrder(t, users, q.sort, keep);
  if (q.direction === 'desc') order.reverse();
  return order;
}

/** The sessions kept, by user id then session number: each user's sessions are together and numbered in the table. */
function byUserOrder(t: SessionTable, users: UserIds, keep: Int32Array): Int32Array {
  const userCount = users.rank.length;
  const firstOf = new Int32Array(userCount + 1);
  for (let k = 0; k < keep.length; k++) {
    const u = t.user[keep[k] as number] as number;
    firstOf[u + 1] = (firstOf[u + 1] as number) + 1;
  }
  for (let u = 0; u < userCount; u++) firstOf[u + 1] = (firstOf[u + 1] as number) + (firstOf[u] as number);
  // Grouped by user index (the kept sessions are in table order: by user, then number) ...
  const grouped = new Int32Array(keep.length);
  const next = firstOf.slice(0, userCount);
  for (let k = 0; k < keep.length; k++) {
    const s = keep[k] as number;
    const u = t.user[s] as number;
    grouped[next[u] as number] = s;
    next[u] = (next[u] as number) + 1;
  }
  // ... then the groups in the users' id order.
  const userOfRank = new Int32Array(userCount);
  for (let u = 0; u < userCount; u++) userOfRank[users.rank[u] as number] = u;
  const out = new Int32Array(keep.length);
  let at = 0;
  for (let r = 0; r < userCount; r++) {
    const u = userOfRank[r] as number;
    for (let k = firstOf[u] as number; k < (firstOf[u + 1] as number); k++) out[at++] = grouped[k] as number;
  }
  return out;
}

/** sessionOrder's ascending order by stable radix passes; null when a key does not fit them. */
function radixSessionOrder(t: SessionTable, users: UserIds, sort: SessionPageQuery['sort'], keep: Int32Array): Int32Array | null {
  const byUser = byUserOrder(t, users, keep);
  if (sort === 'user') return byUser;
  let min = Infinity;
  for (let k = 0; k < keep.length; k++) min = Math.min(min, t.start[keep[k] as number] as number);
  // Plain loops: a typed array's map with a callback costs several times as much.
  const fromMin = new Float64Array(t.count);
  for (let s = 0; s < t.count; s++) fromMin[s] = (t.start[s] as number) - min;
  if (!radixKeysFit(byUser, fromMin)) return null;
  const byStart = radixOrder(byUser, fromMin);
  if (sort === 'start') return byStart;
  let keys: ArrayLike<number> = t.events;
  if (sort === 'duration') {
    const durations = new Float64Array(t.count);
    for (let s = 0; s < t.count; s++) durations[s] = (t.end[s] as number) - (t.start[s] as number);
    keys = durations;
  }
  return radixKeysFit(byStart, keys) ? radixOrder(byStart, keys) : null;
}

/** sessionOrder's ascending order by a comparator sort (any key). */
function comparedSessionOrder(t: SessionTable, users: UserIds, sort: SessionPageQuery['sort'], keep: Int32Array): Int32Array {
  const { start, end, events, user, number } = t;
  const rank = users.rank;
  const byStart = (a: number, b: number) =>
    (start[a] as number) - (start[b] as number) ||
    (rank[user[a] as number] as number) - (rank[user[b] as number] as number) ||
    (number[a] as number) - (number[b] as number);
  const compare: Record<SessionPageQuery['sort'], (a: number, b: number) => number> = {
    start: byStart,
    duration: (a, b) => (end[a] as number) - (start[a] as number) - ((end[b] as number) - (start[b] as number)) || byStart(a, b),
    events: (a, b) => (events[a] as number) - (events[b] as number) || byStart(a, b),
    user: (a, b) => (rank[user[a] as number] as number) - (rank[user[b] as number] as number) || (number[a] as number) - (number[b] as number),
  };
  return Int32Array.from(keep).sort(compare[sort]);
}

function filterSessions(t: SessionTable, users: UserIds, labels: readonly string[], f: SessionFilter): Int32Array {
  const userOk = f.userPrefix === '' ? null : Uint8Array.from(users.ids, (id) => (id.startsWith(f.userPrefix) ? 1 : 0));
  const entryOk = pagesMatching(f.entryPage, labels);
  const exitOk = pagesMatching(f.exitPage, labels);
  const minEvents = f.minEvents ?? -Infinity;
  const maxEvents = f.maxEvents ?? Infinity;
  const minUs = f.minDurationSeconds === null ? -Infinity : f.minDurationSeconds * 1e6;
  const maxUs = f.maxDurationSeconds === null ? Infinity : f.maxDurationSeconds * 1e6;
  const out = new Int32Array(t.count);
  let kept = 0;
  for (let s = 0; s < t.count; s++) {
    const e = t.events[s] as number;
    const d = (t.end[s] as number) - (t.start[s] as number);
    if (e < minEvents || e > maxEvents || d < minUs || d > maxUs) continue;
    if (userOk && userOk[t.user[s] as number] === 0) continue;
    if (entryOk && entryOk[(t.entry[s] as number) + 1] === 0) continue;
    if (exitOk && exitOk[(t.exit[s] as number) + 1] === 0) continue;
    out[kept++] = s;
  }
  return out.slice(0, kept);
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
  for (let s = 0; s < t.count; s++) {
    const bin = countAtMost(edges, t.start[s] as number) - 1;
    counts[bin] = (counts[bin] as number) + 1;
  }
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
