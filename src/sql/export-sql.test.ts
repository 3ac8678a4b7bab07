import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { onlySessionsSql } from './export-sql';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

describe('onlySessionsSql', () => {
  it('keeps only the rows of an export whose (user, session) is listed', async () => {
    await engine.exec(
      `CREATE OR REPLACE TABLE "listed ""1""" (user_id VARCHAR, session_number BIGINT); INSERT INTO "listed ""1""" VALUES ('u0', 0), ('u1', 1), ('u2', 5)`,
    );
    const all = "SELECT * FROM (VALUES ('u0', 0, 'a'), ('u0', 1, 'b'), ('u1', 1, 'c'), ('u2', 99, 'd')) AS t(user_id, session_number, x)";
    const rows = await engine.query<{ x: string }>(`${onlySessionsSql(all, 'listed "1"')} ORDER BY x`);
    expect(rows.map((r) => r.x)).toEqual(['a', 'c']);
  });
});
