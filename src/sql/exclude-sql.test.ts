import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { createKeptEventsViewSql, dropViewSql, excludedUsersListSql, excludedUsersSql } from './exclude-sql';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
  // A raw table whose column names need quoting, and its events table (row_number = rowid + 1).
  await engine.exec(`CREATE OR REPLACE TABLE "raw x" ("who" VARCHAR, "user ""agent""" VARCHAR);
INSERT INTO "raw x" VALUES ('a', 'Mozilla'), ('a', 'Mozilla'), ('b', 'GoogleBOT'), ('b', 'Mozilla'), ('c', NULL), ('d''s', 'it''s a bot'), ('a', 'Mozilla');
CREATE OR REPLACE TABLE "events x" AS SELECT rowid + 1 AS row_number, who AS user_id, rowid * 1000000 AS ts_us, NULL AS url, NULL AS gap_us FROM "raw x";`);
});
afterAll(() => engine.close());

const spec = (maxEventsPerUser: number | null, contains: string | null) => ({
  eventsTable: 'events x',
  rawTable: 'raw x',
  columns: ['who', 'user "agent"'],
  filters: { maxEventsPerUser, columnMatch: contains === null ? null : { column: 'user "agent"', contains } },
});

describe('exclusion in SQL', () => {
  it('no filter leaves no one out', () => {
    expect(excludedUsersSql(spec(null, null))).toBeNull();
    expect(createKeptEventsViewSql(spec(null, ''), 'v')).toBe('CREATE OR REPLACE VIEW "v" AS\nSELECT * FROM "events x"');
  });

  it.each([
    [2, null, [['a', 3]]],
    [
      null,
      'bot',
      [
        ['b', 2],
        ["d's", 1],
      ],
    ],
    [null, "IT'S", [["d's", 1]]],
    [
      2,
      'BOT',
      [
        ['a', 3],
        ['b', 2],
        ["d's", 1],
      ],
    ],
    [10, 'nothing like it', []],
  ] as [number | null, string | null, [string, number][]][])(
    'more than %s events or a cell containing %s: the users left out, most events first (a NULL cell never matches)',
    async (max, contains, expected) => {
      const sql = excludedUsersListSql(spec(max, contains), 10);
      const rows = sql ? await engine.query<{ user_id: string; events: number }>(sql) : [];
      expect(rows.map((r) => [r.user_id, r.events])).toEqual(expected);
      await engine.exec(createKeptEventsViewSql(spec(max, contains), 'kept "v"'));
      const kept = await engine.query<{ user_id: string }>('SELECT DISTINCT user_id FROM "kept ""v""" ORDER BY user_id');
      expect(kept.map((r) => r.user_id)).toEqual(['a', 'b', 'c', "d's"].filter((u) => !expected.some(([x]) => x === u)));
      await engine.exec(dropViewSql('kept "v"'));
    },
  );
});
