import type { SessionFilter, SessionPageQuery } from '../domain/session-list';
import { radixKeysFit, radixOrderSteps } from './radix-order';
import type { SessionTable, UserIds } from './session-table';
import { runSteps, sortSteps, type Steps } from './steps';

/*
 * The users' ids in text order and the session list's order: which sessions a filter
 * leaves, sorted as asked. Each long pass is written in steps (steps.ts) so the stats
 * worker can answer a threshold change in the middle of ordering a big list.
 */

/** The user index of each user's first event's row, from userIdsSql's (row, user_id) rows in row order. */
export function userIdsByIndex(gaps: Float64Array, rows: Float64Array, idRows: Float64Array, ids: readonly (string | null)[]): UserIds {
  return runSteps(userIdsByIndexSteps(gaps, rows, idRows, ids));
}

/** userIdsByIndex in steps (steps.ts). */
export function* userIdsByIndexSteps(gaps: Float64Array, rows: Float64Array, idRows: Float64Array, ids: readonly (string | null)[]): Steps<UserIds> {
  const firsts: number[] = [];
  for (let i = 0; i < gaps.length; i++) if ((gaps[i] as number) < 0) firsts.push(i);
  if (firsts.length !== ids.length) throw new Error(`the events table has ${ids.length} users where the statistics hold ${firsts.length}`);
  // User indexes in the order of their first event's row, to walk beside the query's rows.
  const byRow = yield* sortSteps(
    firsts.map((event, user) => ({ row: rows[event] as number, user })),
    (a, b) => a.row - b.row,
  );
  const out: string[] = new Array(ids.length);
  byRow.forEach(({ row, user }, k) => {
    if (idRows[k] !== row) throw new Error(`the events table's users do not match the statistics' (row ${row})`);
    out[user] = ids[k] ?? '';
  });
  return yield* rankedUserIdsSteps(out);
}

/** The users' ids by user index, with each one's place in text order (for sorting the list). */
export function rankedUserIds(ids: string[]): UserIds {
  return runSteps(rankedUserIdsSteps(ids));
}

/** rankedUserIds in steps (steps.ts). */
export function* rankedUserIdsSteps(ids: string[]): Steps<UserIds> {
  const order = yield* sortSteps(
    ids.map((_, u) => u),
    (a, b) => compareText(ids[a] as string, ids[b] as string) || a - b,
  );
  const rank = new Int32Array(ids.length);
  for (let r = 0; r < order.length; r++) rank[order[r] as number] = r;
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
  return runSteps(sessionOrderSteps(t, users, labels, q));
}

/** sessionOrder in steps (steps.ts). */
export function* sessionOrderSteps(
  t: SessionTable,
  users: UserIds,
  labels: readonly string[],
  q: Pick<SessionPageQuery, 'filter' | 'sort' | 'direction'>,
): Steps<Int32Array> {
  const keep = filterSessions(t, users, labels, q.filter);
  yield;
  const order = (yield* radixSessionOrder(t, users, q.sort, keep)) ?? comparedSessionOrder(t, users, q.sort, keep);
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
function* radixSessionOrder(t: SessionTable, users: UserIds, sort: SessionPageQuery['sort'], keep: Int32Array): Steps<Int32Array | null> {
  const byUser = byUserOrder(t, users, keep);
  yield;
  if (sort === 'user') return byUser;
  let min = Infinity;
  for (let k = 0; k < keep.length; k++) min = Math.min(min, t.start[keep[k] as number] as number);
  // Plain loops: a typed array's map with a callback costs several times as much.
  const fromMin = new Float64Array(t.count);
  for (let s = 0; s < t.count; s++) fromMin[s] = (t.start[s] as number) - min;
  if (!radixKeysFit(byUser, fromMin)) return null;
  const byStart = yield* radixOrderSteps(byUser, fromMin);
  if (sort === 'start') return byStart;
  let keys: ArrayLike<number> = t.events;
  if (sort === 'duration') {
    const durations = new Float64Array(t.count);
    for (let s = 0; s < t.count; s++) durations[s] = (t.end[s] as number) - (t.start[s] as number);
    keys = durations;
  }
  return radixKeysFit(byStart, keys) ? yield* radixOrderSteps(byStart, keys) : null;
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
