import type { Boundary } from '../domain/types';

/*
 * An independent reference for src/sql/lateness-sql.ts, written from the definitions the
 * obvious (quadratic) way and sharing no code with src/sql. Events are given in ARRIVAL
 * order: index i arrived before index i + 1, and `row` is the event's file row.
 */

export interface ArrivedEvent {
  row: number;
  user: string;
  tsUs: number;
}

export interface ReferenceLateness {
  /** Per event, in arrival order. */
  overall: number[];
  user: number[];
}

/** max(0, latest timestamp among earlier arrivals (of the same user) − ts), 0 for none. */
export function referenceLateness(events: readonly ArrivedEvent[]): ReferenceLateness {
  const overall: number[] = [];
  const user: number[] = [];
  events.forEach((e, i) => {
    let latest = -Infinity;
    let latestOfUser = -Infinity;
    for (let j = 0; j < i; j++) {
      const f = events[j] as ArrivedEvent;
      latest = Math.max(latest, f.tsUs);
      if (f.user === e.user) latestOfUser = Math.max(latestOfUser, f.tsUs);
    }
    overall.push(Math.max(0, latest - e.tsUs));
    user.push(Math.max(0, latestOfUser - e.tsUs));
  });
  return { overall, user };
}

/**
 * The smallest delay D such that at least keep·n of the values are ≤ D, with keep given as
 * a fraction num/den so the count is exact integer arithmetic. 0 for no values.
 */
export function referenceDelay(values: readonly number[], num: number, den: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const needed = Math.max(1, Math.ceil((num * values.length) / den));
  for (const d of sorted) {
    if (sorted.filter((v) => v <= d).length >= needed) return d;
  }
  throw new Error('unreachable');
}

export interface ReferenceSimulation {
  dropped: number;
  reopened: number;
  batchSessions: number;
  streamSessions: number;
  sessionsDiffering: number;
  /** Rows of the dropped events, in arrival order. */
  droppedRows: number[];
}

/** Sessions of some events as sets of rows, each written as its sorted rows joined. */
function sessionSets(events: readonly ArrivedEvent[], thresholdUs: number, boundary: Boundary): string[] {
  const byUser = new Map<string, ArrivedEvent[]>();
  for (const e of events) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e]);
  const sets: string[] = [];
  for (const list of byUser.values()) {
    list.sort((a, b) => a.tsUs - b.tsUs || a.row - b.row);
    let current: number[] = [];
    list.forEach((e, i) => {
      const previous = list[i - 1];
      const gap = previous === undefined ? null : e.tsUs - previous.tsUs;
      const starts = gap === null || (boundary === 'ge' ? gap >= thresholdUs : gap > thresholdUs);
      if (starts && current.length > 0) {
        sets.push([...current].sort((a, b) => a - b).join(','));
        current = [];
      }
      current.push(e.row);
    });
    if (current.length > 0) sets.push([...current].sort((a, b) => a - b).join(','));
  }
  return sets;
}

/**
 * A streaming sessionizer with a global watermark, event by event in arrival order: the
 * watermark is the latest timestamp seen before the event minus the allowed lateness; an
 * event below it is dropped. A kept event counts as reopened when a kept event of its user
 * seen before it has a later timestamp. Sessions: batch over every event, stream over the
 * kept ones; a batch session differs when no stream session has exactly its rows.
 */
export function referenceSimulation(events: readonly ArrivedEvent[], allowedLatenessUs: number, thresholdUs: number, boundary: Boundary): ReferenceSimulation {
  let latestSeen = -Infinity;
  const kept: ArrivedEvent[] = [];
  const droppedRows: number[] = [];
  let reopened = 0;
  for (const e of events) {
    const watermark = latestSeen - allowedLatenessUs;
    latestSeen = Math.max(latestSeen, e.tsUs);
    if (e.tsUs < watermark) {
      droppedRows.push(e.row);
      continue;
    }
    if (kept.some((k) => k.user === e.user && k.tsUs > e.tsUs)) reopened++;
    kept.push(e);
  }
  const batch = sessionSets(events, thresholdUs, boundary);
  const stream = new Set(sessionSets(kept, thresholdUs, boundary));
  return {
    dropped: droppedRows.length,
    reopened,
    batchSessions: batch.length,
    streamSessions: stream.size,
    sessionsDiffering: batch.filter((s) => !stream.has(s)).length,
    droppedRows,
  };
}
