import { describe, expect, it } from 'vitest';
import { NO_RULES } from '../domain/rules';
import { addUserFirsts, laneSessions, packLanes, unpackLanes } from './lanes';

// Three users: rows 10 (events 0-2), 7 (3-4) and 12 (5).
const gaps = Float64Array.from([-1, 5, 100, -1, 1, -1]);
const times = Float64Array.from([0, 5, 105, 50, 51, 9]);
const rows = Float64Array.from([10, 11, 13, 7, 8, 12]);

describe('addUserFirsts', () => {
  it("finds the asked users' first events, marks rows that start no user, and keeps what it found", () => {
    const known = new Map<number, number>();
    addUserFirsts(gaps, rows, [12, 7, 11], known);
    expect([...known].sort((a, b) => a[0] - b[0])).toEqual([
      [7, 3],
      [11, -1],
      [12, 5],
    ]);
    addUserFirsts(gaps, rows, [10, 7], known);
    expect(known.get(10)).toBe(0);
    expect(known.size).toBe(4);
  });

  it('gives the lanes of the users asked for, leaving out rows that start no user', () => {
    const known = new Map<number, number>();
    const asked = [7, 11, 10];
    addUserFirsts(gaps, rows, asked, known);
    const lanes = laneSessions({ gaps, times, users: 3 }, known, asked, 50, NO_RULES, { localDays: null, splitCodes: null }, 10);
    expect(lanes.map((l) => [l.row, l.events, l.sessions])).toEqual([
      [7, 2, 1],
      [10, 3, 2],
    ]);
    expect(lanes[1]?.bars).toEqual([
      { sessionNumber: 1, startUs: 0, endUs: 5, events: 2 },
      { sessionNumber: 2, startUs: 105, endUs: 105, events: 1 },
    ]);
  });
});

describe('packLanes', () => {
  it('packs lanes into arrays that unpack to the same lanes', () => {
    const lanes = [
      { row: 7, events: 2, sessions: 1, bars: [{ sessionNumber: 1, startUs: 1.7e15 + 3, endUs: 1.7e15 + 9, events: 2 }] },
      { row: 10, events: 3, sessions: 0, bars: [] },
      {
        row: 12,
        events: 40,
        sessions: 3,
        bars: [
          { sessionNumber: 1, startUs: 0, endUs: 5, events: 2 },
          { sessionNumber: 2, startUs: 105, endUs: 2 ** 52, events: 38 },
        ],
      },
    ];
    const packed = packLanes(lanes);
    expect(packed.lanes.length).toBe(12);
    expect(packed.bars.length).toBe(12);
    expect(unpackLanes(structuredClone(packed))).toEqual(lanes);
    expect(unpackLanes(packLanes([]))).toEqual([]);
  });
});
