import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { loadThroughApp } from '../test/load-through-app';
import { PACKED_DATABASE, compressedTablesSql } from './storage-sql';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const clicks = (rows: number) => {
  const lines = ['user_id,timestamp,url'];
  for (let i = 0; i < rows; i++) lines.push(`u${i % 5},2024-05-01T10:${String(i % 60).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}Z,/p${i % 3}`);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
};

describe('compressed tables for big files', () => {
  it('a load after the switch gives the same figures, stores its tables compressed, and the tables made before stay usable', async () => {
    const before = await loadThroughApp(engine, 'before.csv', clicks(500), 1);
    await engine.exec(compressedTablesSql());
    await engine.exec(compressedTablesSql()); // a second big file: harmless
    const after = await loadThroughApp(engine, 'after.csv', clicks(500), 2);
    if (!before.ok || !after.ok) throw new Error('both loads should succeed');
    expect(after.events.figures).toEqual(before.events.figures);
    const where = await engine.query<{ db: string; name: string }>('SELECT database_name AS db, table_name AS name FROM duckdb_tables() ORDER BY name');
    expect(where.find((t) => t.name === after.events.table)?.db).toBe(PACKED_DATABASE);
    expect(where.find((t) => t.name === before.events.table)?.db).toBe('memory');
    const [counts] = await engine.query<{ a: number; b: number }>(
      `SELECT (SELECT count(*) FROM "${before.events.table}")::DOUBLE AS a, (SELECT count(*) FROM "${after.events.table}")::DOUBLE AS b`,
    );
    expect(counts).toEqual({ a: 500, b: 500 });
    await engine.exec(`DROP TABLE "${before.events.table}"`);
    expect((await engine.query<{ name: string }>('SELECT table_name AS name FROM duckdb_tables()')).map((t) => t.name)).not.toContain(before.events.table);
  });
});
