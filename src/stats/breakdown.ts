import type { BreakdownRow } from '../domain/breakdown';
import type { TextColumn } from './user-mask';

/*
 * The figures broken down by one column's value, from the session starts and the column's
 * codes per event, in one pass: events and users with the value, and the sessions whose
 * first event has it (with their mean duration).
 */

export function breakdownRows(
  gaps: Float64Array,
  times: Float64Array,
  starts: Uint8Array,
  column: TextColumn,
  limit: number,
): { rows: BreakdownRow[]; values: number } {
  const slots = column.labels.length + 1;
  const events = new Float64Array(slots);
  const users = new Float64Array(slots);
  const lastUser = new Int32Array(slots).fill(-1);
  const sessions = new Float64Array(slots);
  const durations = new Float64Array(slots);
  const n = gaps.length;
  let user = -1;
  let sessionSlot = 0;
  let sessionStart = 0;
  const closeSession = (end: number) => {
    durations[sessionSlot] = (durations[sessionSlot] as number) + (times[end] as number) - sessionStart;
  };
  for (let i = 0; i < n; i++) {
    if ((gaps[i] as number) < 0) user++;
    const slot = (column.codes[i] as number) + 1;
    events[slot] = (events[slot] as number) + 1;
    if (lastUser[slot] !== user) {
      lastUser[slot] = user;
      users[slot] = (users[slot] as number) + 1;
    }
    if (starts[i] === 1) {
      if (i > 0) closeSession(i - 1);
      sessionSlot = slot;
      sessionStart = times[i] as number;
      sessions[slot] = (sessions[slot] as number) + 1;
    }
  }
  if (n > 0) closeSession(n - 1);
  const order: number[] = [];
  for (let s = 0; s < slots; s++) if ((events[s] as number) > 0) order.push(s);
  order.sort((a, b) => (events[b] as number) - (events[a] as number) || a - b);
  const rows = order.slice(0, limit).map((s) => {
    const count = sessions[s] as number;
    return {
      value: s === 0 ? null : (column.labels[s - 1] as string),
      events: events[s] as number,
      users: users[s] as number,
      sessionsStarted: count,
      meanDurationSeconds: count > 0 ? (durations[s] as number) / count / 1e6 : 0,
    };
  });
  return { rows, values: order.length };
}
