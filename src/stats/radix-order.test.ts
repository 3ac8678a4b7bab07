import { describe, expect, it } from 'vitest';
import { Rng } from '../../scripts/clickstream-generator.mjs';
import { NO_SESSION_FILTER, type SessionPageQuery, type SessionSortKey } from '../domain/session-list';
import { radixKeysFit, radixOrder } from './radix-order';
import { sessionOrder } from './session-order';
import type { SessionTable, UserIds } from './session-table';

// The radix passes against a comparator sort: the same order, ties included.

describe('radixOrder', () => {
  it('sorts stably by keys of every size up to 2^53 - 1', () => {
    const rng = new Rng(11);
    for (const span of [1, 5, 8192, 2 ** 26, 2 ** 26 + 3, 2 ** 39, Number.MAX_SAFE_INTEGER]) {
      const n = 3000;
      // Few distinct keys, so ties are many; the extremes of the span always among them.
      const distinct = [0, span - 1, ...Array.from({ length: 40 }, () => Math.floor(rng.next() * span))];
      const keys = Float64Array.from({ length: n }, () => distinct[Math.floor(rng.next() * distinct.length)] as number);
      const order = Int32Array.from({ length: n }, (_, i) => i).sort(() => rng.next() - 0.5);
      expect(radixKeysFit(order, keys)).toBe(true);
      const position = new Int32Array(n);
      order.forEach((s, k) => {
        position[s] = k;
      });
      const expected = Array.from(order).sort((a, b) => (keys[a] as number) - (keys[b] as number) || (position[a] as number) - (position[b] as number));
      expect(Array.from(radixOrder(order, keys))).toEqual(expected);
    }
  });

  it('says which keys it cannot sort: fractional, negative, 2^53 and beyond', () => {
    const order = Int32Array.of(0, 1);
    expect(radixKeysFit(order, [1, 2.5])).toBe(false);
    expect(radixKeysFit(order, [1, -1])).toBe(false);
    expect(radixKeysFit(order, [1, 2 ** 53])).toBe(false);
    expect(radixKeysFit(order, [1, Number.NaN])).toBe(false);
    expect(radixKeysFit(Int32Array.of(1), [2.5, 3])).toBe(true);
  });
});

/** A random session table: users with a few sessions each, starts and lengths drawn from few values so ties abound. */
function randomTable(rng: Rng, users: number, fractional: boolean): { table: SessionTable; ids: UserIds } {
  const rows: { user: number; number: number; start: number; end: number; events: number }[] = [];
  for (let u = 0; u < users; u++) {
    const sessions = 1 + Math.floor(rng.next() * 5);
    let t = 1.7e15 + Math.floor(rng.next() * 4) * 3_600e6;
    for (let n = 1; n <= sessions; n++) {
      const length = [0, 0, 60e6, 1_800e6, 7_200e6][Math.floor(rng.next() * 5)] as number;
      rows.push({ user: u, number: n, start: t, end: t + length + (fractional ? 0.5 : 0), events: 1 + Math.floor(rng.next() * 3) });
      t += length + (rng.next() < 0.5 ? 1_800e6 : 3_600e6);
    }
  }
  const table: SessionTable = {
    count: rows.length,
    user: Int32Array.from(rows, (r) => r.user),
    number: Int32Array.from(rows, (r) => r.number),
    start: Float64Array.from(rows, (r) => r.start),
    end: Float64Array.from(rows, (r) => r.end),
    events: Int32Array.from(rows, (r) => r.events),
    entry: new Int32Array(rows.length).fill(-1),
    exit: new Int32Array(rows.length).fill(-1),
  };
  // User ids in an order unrelated to the users' places in the table.
  const ranks = Array.from({ length: users }, (_, u) => u).sort(() => rng.next() - 0.5);
  return { table, ids: { ids: ranks.map((r) => `u${String(r).padStart(4, '0')}`), rank: Int32Array.from(ranks) } };
}

/** The order the list promises, by a plain comparator sort. */
function referenceOrder(t: SessionTable, ids: UserIds, q: Pick<SessionPageQuery, 'filter' | 'sort' | 'direction'>): number[] {
  const kept = Array.from({ length: t.count }, (_, s) => s).filter((s) => (t.events[s] as number) >= (q.filter.minEvents ?? 0));
  const user = (s: number) => ids.rank[t.user[s] as number] as number;
  const byStart = (a: number, b: number) =>
    (t.start[a] as number) - (t.start[b] as number) || user(a) - user(b) || (t.number[a] as number) - (t.number[b] as number);
  const duration = (s: number) => (t.end[s] as number) - (t.start[s] as number);
  const compare = {
    start: byStart,
    duration: (a: number, b: number) => duration(a) - duration(b) || byStart(a, b),
    events: (a: number, b: number) => (t.events[a] as number) - (t.events[b] as number) || byStart(a, b),
    user: (a: number, b: number) => user(a) - user(b) || (t.number[a] as number) - (t.number[b] as number),
  }[q.sort];
  const sorted = kept.sort(compare);
  return q.direction === 'desc' ? sorted.reverse() : sorted;
}

describe('sessionOrder', () => {
  it('orders as the comparator does, every sort and direction, ties and a filter included', () => {
    const rng = new Rng(5);
    for (const fractional of [false, true]) {
      const { table, ids } = randomTable(rng, 300, fractional);
      for (const sort of ['start', 'duration', 'events', 'user'] as SessionSortKey[])
        for (const direction of ['asc', 'desc'] as const)
          for (const minEvents of [null, 2]) {
            const q = { filter: { ...NO_SESSION_FILTER, minEvents }, sort, direction };
            expect(Array.from(sessionOrder(table, ids, [], q)), `${sort} ${direction} ${minEvents} ${fractional}`).toEqual(referenceOrder(table, ids, q));
          }
    }
  });
});
