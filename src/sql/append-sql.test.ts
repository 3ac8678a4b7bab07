import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { changedSessionExamplesSql, withAddedColumnsSql } from './append-sql';
import { numberRowsSql, rowidSql } from './rowid-sql';

// The appended file's columns under the dataset's names, and the changed sessions' rows.

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

describe('withAddedColumnsSql', () => {
  it.each([
    ['a plain file', ['who', 'when'], 'rowid'],
    ['a file with a column named rowid', ['who', 'RowId'], '"__row_index"'],
  ])('copies %s with the added columns after its own, rows in file order and numbered', async (_, columns, rowid) => {
    await engine.exec(
      [
        `CREATE OR REPLACE TABLE a_src ("${columns[0]}" VARCHAR, "${columns[1]}" VARCHAR)`,
        "INSERT INTO a_src VALUES ('u1', 't1'), ('u2', 't2'), ('u3', 't3')",
        ...numberRowsSql('a_src', columns),
      ].join('; '),
    );
    const sql = withAddedColumnsSql('a_aligned', { table: 'a_src', columns }, [
      { from: 'who', as: 'user_id' },
      { from: columns[1] as string, as: 'timestamp' },
    ]);
    expect(sql).toContain(`ORDER BY ${rowidSql(columns)}`);
    await engine.exec(sql);
    const wide = [...columns, 'user_id', 'timestamp'];
    expect(rowidSql(wide)).toBe(rowid);
    const rows = await engine.query<Record<string, unknown>>(`SELECT ${rowidSql(wide)}::DOUBLE AS n, user_id, "timestamp" FROM a_aligned ORDER BY n`);
    expect(rows).toEqual([
      { n: 0, user_id: 'u1', timestamp: 't1' },
      { n: 1, user_id: 'u2', timestamp: 't2' },
      { n: 2, user_id: 'u3', timestamp: 't3' },
    ]);
  });
});

describe('the changed sessions', () => {
  beforeAll(async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `('u${i % 3}', ${i}, '${i % 2 ? 'merged' : 'created'}')`);
    await engine.exec(
      `CREATE OR REPLACE TABLE "changed ""1""" (user_id VARCHAR, session_number BIGINT, change VARCHAR); INSERT INTO "changed ""1""" VALUES ${rows.join(', ')}`,
    );
  });

  it('lists at most `limit` examples, session numbers as plain numbers', async () => {
    const rows = await engine.query<{ session_number: unknown }>(changedSessionExamplesSql('changed "1"', 10));
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => typeof r.session_number === 'number')).toBe(true);
  });
});
