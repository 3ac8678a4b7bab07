import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { createEventsTableSql, datasetFiguresSql, fileRowCountsSql, sortEventsTableSql } from './events-sql';

// The order check of datasetFiguresSql, and the sort that repairs what it finds; each file's counts.

const SPEC = { rawTable: 'raw_o', columns: ['u', 't', 'p'], mapping: { user: 'u', timestamp: 't', time: '', url: 'p', format: 'iso' as const } };

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
  const rows = ['a', 'b', 'c'].flatMap((user, u) => [3, 1, 2, 2].map((minute, i) => `('${user}', '2024-05-01T10:0${minute}:0${u}Z', '${i}')`));
  await engine.exec(`CREATE TABLE raw_o (u VARCHAR, t VARCHAR, p VARCHAR); INSERT INTO raw_o VALUES ${rows.join(', ')}`);
  await engine.exec(createEventsTableSql(SPEC, 'events_o'));
});
afterAll(() => engine.close());

const misordered = async (table: string) => (await engine.query<{ misordered: number }>(datasetFiguresSql(SPEC, table)))[0]?.misordered;

describe('the events order check', () => {
  it('finds none in the table as built', async () => {
    expect(await misordered('events_o')).toBe(0);
  });

  it.each([
    ['users interleaved', 'ORDER BY ts_us, row_number'],
    ['a user in reverse time order', 'ORDER BY user_id, ts_us DESC'],
    ['equal instants out of row order', 'ORDER BY user_id, ts_us, row_number DESC'],
  ])('finds %s, and the sorted copy has none', async (_, order) => {
    await engine.exec(`CREATE OR REPLACE TABLE shuffled AS SELECT * FROM events_o ${order}`);
    expect(await misordered('shuffled')).toBeGreaterThan(0);
    await engine.exec(sortEventsTableSql('shuffled', 'repaired'));
    expect(await misordered('repaired')).toBe(0);
    expect(await engine.query('SELECT * FROM repaired')).toEqual(await engine.query('SELECT * FROM events_o ORDER BY user_id, ts_us, row_number'));
  });
});

describe("each file's counts", () => {
  it('counts events and skipped rows by reason over each row range, the skipped rows at the ends of a range included', async () => {
    const spec = { ...SPEC, rawTable: 'raw_f' };
    // File 0: rows 1-3, file 1: rows 4-7 (a skipped row on each side of the boundary).
    const rows = [
      ['a', '2024-05-01T10:00:00Z'],
      ['b', 'noon'],
      [' ', '2024-05-01T10:00:00Z'],
      ['', '2024-05-01T10:00:00Z'],
      ['c', ''],
      ['c', '2024-05-01T10:05:00Z'],
      ['d', null],
    ];
    await engine.exec(
      `CREATE TABLE raw_f (u VARCHAR, t VARCHAR, p VARCHAR); INSERT INTO raw_f VALUES ${rows.map(([u, t]) => `('${u}', ${t === null ? 'NULL' : `'${t}'`}, '/')`).join(', ')}`,
    );
    await engine.exec(createEventsTableSql(spec, 'events_f'));
    const [counts] = await engine.query(
      fileRowCountsSql(spec, 'events_f', [
        { firstRowid: 0, rows: 3 },
        { firstRowid: 3, rows: 4 },
      ]),
    );
    expect(counts).toEqual({
      f0: 1,
      'f0 missing user id': 1,
      'f0 missing timestamp': 0,
      'f0 unreadable timestamp': 1,
      f1: 1,
      'f1 missing user id': 1,
      'f1 missing timestamp': 2,
      'f1 unreadable timestamp': 0,
    });
  });
});
