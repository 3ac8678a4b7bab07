import type { GapColumns } from '../domain/types';
import type { SessionRules } from '../domain/rules';
import { markSessionStarts, type RuleInputs } from './session-stats';

/*
 * Many users' sessions at once (the lanes): which users, and each one's sessions at a
 * threshold and rules, from the typed arrays in the events table's order (each user's
 * events together, in time order). A user is named by the file row of their first event
 * (the events table's row_number), which DuckDB turns into the id; only the chosen users'
 * sessions leave the worker.
 */

/** Which users get a lane. */
export type LanePick = { kind: 'top'; count: number } | { kind: 'sample'; count: number; seed: number };

export interface LaneBar {
  sessionNumber: number;
  startUs: number;
  endUs: number;
  events: number;
}

export interface LaneSessions {
  /** The file row of the user's first event. */
  row: number;
  events: number;
  /** The user's sessions, all counted. */
  sessions: number;
  /** The first sessions in time order (at most the limit asked for). */
  bars: LaneBar[];
}

/** Lane users' first events kept at most (the lanes ask for 200 at most; older picks are forgotten past this). */
const KNOWN_FIRSTS = 4096;

/**
 * Adds to `known` the first event index of each user whose first row is in `wanted` (-1 for a
 * row that starts no user), in one pass over the events when some are not known yet. Only
 * the lane users are kept: a map of every user (770K at 10M events) took 0.7 s to make on the
 * first lanes, and every major garbage collection of the worker walked it afterwards.
 */
export function addUserFirsts(gaps: Float64Array, rows: Float64Array, wanted: readonly number[], known: Map<number, number>): void {
  const missing = new Set(wanted.filter((row) => !known.has(row)));
  if (missing.size === 0) return;
  if (known.size + missing.size > KNOWN_FIRSTS) known.clear();
  for (let i = 0; i < gaps.length && missing.size > 0; i++) {
    if ((gaps[i] as number) >= 0) continue;
    const row = rows[i] as number;
    if (missing.delete(row)) known.set(row, i);
  }
  for (const row of missing) known.set(row, -1);
}

/** The index after the last event of the user whose first event is `first`. */
function userEnd(gaps: Float64Array, first: number): number {
  let end = first + 1;
  while (end < gaps.length && (gaps[end] as number) >= 0) end++;
  return end;
}

/** A 32-bit hash of (row, seed): the sample's order, the same whichever way the file was read. */
function mix(row: number, seed: number): number {
  let h = Math.imul(row ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seed, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The first rows of the users to show: the most active (most events; ties: the user whose
 * first event comes first in the file), or a sample fixed by the seed (the users with the
 * smallest hash of their first row and the seed), in that order.
 */
export function pickLaneUsers(gaps: Float64Array, rows: Float64Array, pick: LanePick): number[] {
  const count = Math.max(0, Math.floor(pick.count));
  if (count === 0) return [];
  // The best `count` users so far, worst last: an insertion into a short list per user.
  const best: { score: number; row: number }[] = [];
  const better = (a: { score: number; row: number }, b: { score: number; row: number }) => a.score > b.score || (a.score === b.score && a.row < b.row);
  const offer = (score: number, row: number) => {
    const entry = { score, row };
    const worst = best[best.length - 1];
    if (best.length === count && worst && !better(entry, worst)) return;
    let at = best.length;
    while (at > 0 && better(entry, best[at - 1] as { score: number; row: number })) at--;
    best.splice(at, 0, entry);
    if (best.length > count) best.pop();
  };
  let first = -1;
  for (let i = 0; i <= gaps.length; i++) {
    if (i < gaps.length && (gaps[i] as number) >= 0) continue;
    if (first >= 0) {
      const row = rows[first] as number;
      offer(pick.kind === 'top' ? i - first : -mix(row, pick.seed), row);
    }
    first = i;
  }
  return best.map((b) => b.row);
}

/** The sessions of the users whose first rows are given (unknown rows, and -1 in `firstIndexByRow`, are left out), in that order. */
export function laneSessions(
  columns: GapColumns,
  firstIndexByRow: Map<number, number>,
  userRows: readonly number[],
  thresholdUs: number,
  rules: SessionRules,
  inputs: RuleInputs,
  maxBars: number,
): LaneSessions[] {
  const lanes: LaneSessions[] = [];
  for (const row of userRows) {
    const first = firstIndexByRow.get(row) ?? -1;
    if (first < 0) continue;
    const end = userEnd(columns.gaps, first);
    const times = columns.times.subarray(first, end);
    const starts = markSessionStarts({ gaps: columns.gaps.subarray(first, end), times, users: 1 }, thresholdUs, rules, {
      localDays: inputs.localDays?.subarray(first, end) ?? null,
      splitCodes: inputs.splitCodes?.subarray(first, end) ?? null,
    });
    const bars: LaneBar[] = [];
    let sessions = 0;
    let start = 0;
    for (let i = 0; i <= times.length; i++) {
      if (i < times.length && starts[i] !== 1) continue;
      if (i > 0 && bars.length < maxBars)
        bars.push({ sessionNumber: sessions, startUs: times[start] as number, endUs: times[i - 1] as number, events: i - start });
      if (i < times.length) sessions++;
      start = i;
    }
    lanes.push({ row, events: times.length, sessions, bars });
  }
  return lanes;
}

/**
 * Lanes as two arrays, to cross from the worker to the page: a structured clone of bar
 * objects took 35-60 ms for the 6,215 bars of the 20 most active users at 2.07 minutes of
 * 10M events, and 200-240 ms for 31,112 at 0.1 minutes (Node); the arrays are handed over.
 */
export interface PackedLanes {
  /** Four numbers a lane: row, events, sessions, bars. */
  lanes: Float64Array;
  /** Four numbers a bar: sessionNumber, startUs, endUs, events (µs are below 2^53: exact). */
  bars: Float64Array;
}

export function packLanes(lanes: readonly LaneSessions[]): PackedLanes {
  const packed = { lanes: new Float64Array(lanes.length * 4), bars: new Float64Array(lanes.reduce((sum, l) => sum + l.bars.length, 0) * 4) };
  let at = 0;
  lanes.forEach((lane, i) => {
    packed.lanes.set([lane.row, lane.events, lane.sessions, lane.bars.length], i * 4);
    for (const bar of lane.bars) {
      packed.bars[at++] = bar.sessionNumber;
      packed.bars[at++] = bar.startUs;
      packed.bars[at++] = bar.endUs;
      packed.bars[at++] = bar.events;
    }
  });
  return packed;
}

export function unpackLanes({ lanes, bars }: PackedLanes): LaneSessions[] {
  const unpacked: LaneSessions[] = [];
  let at = 0;
  for (let i = 0; i < lanes.length; i += 4) {
    const laneBars: LaneBar[] = [];
    for (let b = 0; b < (lanes[i + 3] as number); b++, at += 4)
      laneBars.push({ sessionNumber: bars[at] as number, startUs: bars[at + 1] as number, endUs: bars[at + 2] as number, events: bars[at + 3] as number });
    unpacked.push({ row: lanes[i] as number, events: lanes[i + 1] as number, sessions: lanes[i + 2] as number, bars: laneBars });
  }
  return unpacked;
}
