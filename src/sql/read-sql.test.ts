import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { literalQuoteRowsSql, replaceTableSql, rowCountSql } from './read-sql';
import { numberRowsSql, rowsByRowidSql } from './rowid-sql';
import { memoryInUseSql } from './storage-sql';

// The loader's small statements: each checked as text where it has logic, and run in DuckDB.

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

/** A raw table of text columns, rows in the given order (numbered when a column hides rowid). */
async function rawTable(table: string, columns: string[], rows: (string | null)[][]): Promise<void> {
  const cell = (v: string | null) => (v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`);
  await engine.exec(
    [
      `CREATE OR REPLACE TABLE "${table}" (${columns.map((c) => `"${c}" VARCHAR`).join(', ')})`,
      `INSERT INTO "${table}" VALUES ${rows.map((r) => `(${r.map(cell).join(', ')})`).join(', ')}`,
      ...numberRowsSql(table, columns),
    ].join('; '),
  );
}

describe('replaceTableSql', () => {
  it('puts the new table under the old name, whether or not that one exists', async () => {
    await rawTable('r_old', ['a'], [['1']]);
    await rawTable('r_new', ['a'], [['2'], ['3']]);
    await engine.exec(replaceTableSql('r_new', 'r_old'));
    expect(await engine.query('SELECT a FROM r_old')).toEqual([{ a: '2' }, { a: '3' }]);
    expect(await engine.query("SELECT * FROM duckdb_tables() WHERE table_name = 'r_new'")).toEqual([]);
    await engine.exec(replaceTableSql('r_old', 'r_absent'));
    expect(await engine.query(rowCountSql('r_absent'))).toEqual([{ count: 2 }]);
  });

  it('quotes both names', () => {
    expect(replaceTableSql('a"b', 'c')).toBe('DROP TABLE IF EXISTS "c"; ALTER TABLE "a""b" RENAME TO "c"');
  });
});

describe('rowsByRowidSql', () => {
  it.each([
    ['a plain file', ['u', 't']],
    ['a file with a column named rowid', ['u', 'ROWID']],
  ])('finds rows by their 0-based number in %s', async (_, columns) => {
    await rawTable('r_ids', columns, [
      ['a', '0'],
      ['b', '1'],
      ['c', '2'],
      ['d', '3'],
    ]);
    const rows = await engine.query<Record<string, unknown>>(rowsByRowidSql('r_ids', columns, [3, 1]));
    expect(rows.map((r) => [r.u, r.__rowid]).sort()).toEqual([
      ['b', 1],
      ['d', 3],
    ]);
  });
});

describe('literalQuoteRowsSql', () => {
  it('counts the sampled rows with a cell starting with a quote mark, once a row', async () => {
    await rawTable(
      'r_quotes',
      ['u', 'p'],
      [
        ['"a', '"x'],
        ['b', 'y'],
        ['c', 'say "hi"'],
        [null, '"z'],
        ['e', 'f'],
      ],
    );
    expect(await engine.query(literalQuoteRowsSql('r_quotes', ['u', 'p'], 100))).toEqual([{ n: 2, sampled: 5 }]);
    expect(await engine.query(literalQuoteRowsSql('r_quotes', ['u', 'p'], 2))).toEqual([{ n: 1, sampled: 2 }]);
  });

  it('leaves out the row number column of a file with a column named rowid', async () => {
    await rawTable(
      'r_quotes_id',
      ['rowid', 'p'],
      [
        ['"1', 'x'],
        ['2', 'y'],
      ],
    );
    expect(await engine.query(literalQuoteRowsSql('r_quotes_id', ['rowid', 'p'], 100))).toEqual([{ n: 1, sampled: 2 }]);
  });
});

describe('memoryInUseSql', () => {
  it('gives the bytes in use as one plain number', async () => {
    const [row] = await engine.query<{ bytes: unknown }>(memoryInUseSql());
    expect(typeof row?.bytes).toBe('number');
    expect(row?.bytes).toBeGreaterThanOrEqual(0);
  });
});
