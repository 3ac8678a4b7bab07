import type { RuleEvent } from './reference-rules';

/*
 * What two cuts of the same events differ in, from the reference sessionizer's session ids
 * (by row), written the obvious way: a session is its set of rows; a session of one cut is
 * in the other when the other has a session with exactly those rows.
 */

export interface ReferenceDiff {
  sessionsA: number;
  sessionsB: number;
  onlyA: number;
  onlyB: number;
  /** Users whose sessions (as sets of rows) differ, sorted. */
  usersChanged: string[];
}

function sessionsByUser(events: readonly RuleEvent[], ids: Map<number, string>): Map<string, Set<string>> {
  const rowsBySession = new Map<string, { user: string; rows: number[] }>();
  for (const e of events) {
    const id = ids.get(e.row);
    if (id === undefined) throw new Error(`row ${e.row} has no session`);
    const entry = rowsBySession.get(id) ?? { user: e.user, rows: [] };
    entry.rows.push(e.row);
    rowsBySession.set(id, entry);
  }
  const byUser = new Map<string, Set<string>>();
  for (const { user, rows } of rowsBySession.values()) {
    const set = byUser.get(user) ?? new Set<string>();
    set.add(`${user}:${rows.sort((x, y) => x - y).join(',')}`);
    byUser.set(user, set);
  }
  return byUser;
}

export function referenceDiff(events: readonly RuleEvent[], idsA: Map<number, string>, idsB: Map<number, string>): ReferenceDiff {
  const a = sessionsByUser(events, idsA);
  const b = sessionsByUser(events, idsB);
  let sessionsA = 0;
  let sessionsB = 0;
  let shared = 0;
  const usersChanged: string[] = [];
  for (const [user, setA] of a) {
    const setB = b.get(user) ?? new Set<string>();
    sessionsA += setA.size;
    sessionsB += setB.size;
    const common = [...setA].filter((s) => setB.has(s)).length;
    shared += common;
    if (common !== setA.size || common !== setB.size) usersChanged.push(user);
  }
  return { sessionsA, sessionsB, onlyA: sessionsA - shared, onlyB: sessionsB - shared, usersChanged: usersChanged.sort() };
}
