import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { createEventsTableSql } from '../sql/events-sql';
import { sessionStatsSql } from '../sql/sessionize-sql';
import { quoteString } from '../sql/quote';
import type { Boundary, SessionStats } from '../domain/types';
import { gapColumnsSql } from '../sql/gap-columns-sql';
import { gapColumnsFromIpc } from './gap-columns';
import { computeSessionStats, summaryFromStarts } from './session-stats';
import { sessionFigures } from './session-figures';
import { quickselect } from './select';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

let tableId = 0;
async function eventsTable(rows: [string, number][]): Promise<{ table: string; users: number }> {
  const id = ++tableId;
  const values = rows.map(([u, us]) => `(${quoteString(u)}, ${quoteString(String(us))})`).join(', ');
  await engine.exec(`CREATE TABLE raw_s${id} (u VARCHAR, t VARCHAR); INSERT INTO raw_s${id} VALUES ${values}`);
  await engine.exec(
    createEventsTableSql(
      { rawTable: `raw_s${id}`, columns: ['u', 't'], mapping: { user: 'u', timestamp: 't', time: '', url: '', format: 'epoch-us' } },
      `ev_s${id}`,
    ),
  );
  return { table: `ev_s${id}`, users: new Set(rows.map(([u]) => u)).size };
}

async function both(rows: [string, number][], thresholdUs: number, boundary: Boundary): Promise<[SessionStats, SessionStats]> {
  const { table, users } = await eventsTable(rows);
  const [sql] = await engine.query<SessionStats>(sessionStatsSql({ eventsTable: table, thresholdUs, boundary }));
  const columns = gapColumnsFromIpc(await engine.queryIpc(gapColumnsSql(table)), users);
  if (!sql) throw new Error('no stats row');
  return [sql, computeSessionStats(columns, thresholdUs, boundary)];
}

function expectSame(a: SessionStats, b: SessionStats): void {
  expect(b.sessions).toBe(a.sessions);
  for (const key of ['sessionsPerUser', 'medianDurationSeconds', 'meanDurationSeconds', 'medianEventsPerSession', 'singleEventShare'] as const) {
    expect(b[key], key).toBeCloseTo(a[key], 9);
  }
}

describe('computeSessionStats (typed arrays) agrees with sessionStatsSql', () => {
  it("on the rule's edge cases", async () => {
    const T = 1_800_000_000;
    const rows: [string, number][] = [
      ['a', 0],
      ['a', T - 1],
      ['a', 2 * T - 1],
      ['a', 2 * T],
      ['b', 5],
      ['b', 5],
      ['b', 5 + T],
      ['c', 7],
    ];
    for (const boundary of ['ge', 'gt'] as const) {
      const [sql, typed] = await both(rows, T, boundary);
      expectSame(sql, typed);
    }
  });

  it('on random event sets with exact-boundary gaps, ties and shuffled rows', async () => {
    const T = 1_000;
    const event = fc.tuple(
      fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u-5'),
      fc.oneof(fc.constantFrom(0, T, 2 * T, 3 * T - 1, 3 * T), fc.integer({ min: 0, max: 10 * T })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 60 }),
        fc.constantFrom<Boundary>('ge', 'gt'),
        fc.constantFrom(1, T, T - 1, T + 1),
        async (rows, boundary, threshold) => {
          const [sql, typed] = await both(rows, threshold, boundary);
          expectSame(sql, typed);
        },
      ),
      { seed: 7, numRuns: 60 },
    );
  });
});

describe('quickselect', () => {
  it('finds the k-th smallest value as a sort does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 80 }), fc.nat(), (values, k) => {
        const rank = k % values.length;
        expect(quickselect(new Float64Array(values), rank)).toBe([...values].sort((a, b) => a - b)[rank]);
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});

describe('summaryFromStarts', () => {
  it('agrees with sessionFigures on random starts', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.boolean()), { minLength: 1, maxLength: 200 }), (spec) => {
        const times = new Float64Array(spec.map(([t]) => t).sort((a, b) => a - b));
        const starts = new Uint8Array(spec.map(([, s], i) => (i === 0 || s ? 1 : 0)));
        const full = sessionFigures(times, starts, 1, null).stats;
        const summary = summaryFromStarts(times, starts);
        expect(summary.sessions).toBe(full.sessions);
        expect(summary.meanDurationSeconds).toBeCloseTo(full.meanDurationSeconds, 9);
        expect(summary.singleEventShare).toBeCloseTo(full.singleEventShare, 12);
      }),
      { seed: 5, numRuns: 200 },
    );
  });
});
