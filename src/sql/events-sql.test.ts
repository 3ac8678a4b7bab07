import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { createEventsTableSql, datasetFiguresSql, sortEventsTableSql } from './events-sql';

// The order check of datasetFiguresSql, and the sort that repairs what it finds.

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
