import type { DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnMapping } from '../domain/types';
import {
  byFirstCell,
  CASE_COLUMNS,
  caseRows,
  expectedSessionIds,
  expectedSessionRows,
  ruleCaseArb,
  sessionRowOf,
  SINGLE_RULES,
  TEXT_MAPPING,
  type RuleCase,
} from '../test/rules-sql-cases';
import { sessionizationQuery, sessionsQuery, type DialectQuerySpec, type SqlInput } from './dialect-sql';
import { quoteString } from './quote';

/*
 * The DuckDB text of the SQL panel, text and typed input, run on native DuckDB (with ICU, as
 * people run it; DuckDB-WASM in the page may lack time zones) with every rule alone and in
 * random combinations: every event's session_id, and every session's times and counts, must
 * be the independent reference's (src/test/reference-rules.ts, which the page is tested
 * against). The session time zone is set far from UTC: no query may depend on it.
 */

/** How the typed table holds the instant. */
type TypedKind = 'timestamp' | 'timestamptz' | 'epoch-us';

let conn: DuckDBConnection;

beforeAll(async () => {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run("SET TimeZone = 'Pacific/Kiritimati'");
});

afterAll(() => {
  conn?.closeSync();
});

async function rows(sql: string): Promise<{ header: string[]; rows: unknown[][] }> {
  const reader = await conn.runAndReadAll(sql);
  return { header: reader.columnNames(), rows: reader.getRowsJson() as unknown[][] };
}

async function createTables(c: RuleCase, kind: TypedKind): Promise<void> {
  const values = caseRows(c)
    .map((r) => `(${r.map(quoteString).join(', ')})`)
    .join(',\n');
  await conn.run('DROP TABLE IF EXISTS clicks_text; DROP TABLE IF EXISTS clicks_typed');
  await conn.run(`CREATE TABLE clicks_text (${CASE_COLUMNS.map((n) => `${n} VARCHAR`).join(', ')})`);
  await conn.run(`INSERT INTO clicks_text VALUES ${values}`);
  const us = c.events.map((e, row) => `(${row}, ${e.tsUs})`).join(', ');
  const instant = { timestamp: 'make_timestamp(us)', timestamptz: "make_timestamp(us) AT TIME ZONE 'UTC'", 'epoch-us': 'us' }[kind];
  // The same rows in the same order, the timestamp as an instant.
  await conn.run(
    `CREATE TABLE clicks_typed AS SELECT t.row_id, t.user_id, ${instant} AS ts, t.url, t.campaign
     FROM clicks_text AS t JOIN (VALUES ${us}) AS u(row_no, us) ON CAST(t.row_id AS INTEGER) = u.row_no ORDER BY u.row_no`,
  );
}

function spec(c: RuleCase, input: SqlInput, kind: TypedKind): DialectQuerySpec {
  const mapping: ColumnMapping = input === 'typed' && kind === 'epoch-us' ? { ...TEXT_MAPPING, format: 'epoch-us' } : TEXT_MAPPING;
  return {
    dialect: 'duckdb',
    table: input === 'text' ? 'clicks_text' : 'clicks_typed',
    mapping,
    thresholdMinutes: c.thresholdMinutes,
    boundary: c.boundary,
    rules: c.rules,
    excludeUsersOverEvents: c.excludeUsersOverEvents,
    columns: [...CASE_COLUMNS],
    input,
  };
}

async function expectReference(c: RuleCase, kind: TypedKind): Promise<void> {
  await createTables(c, kind);
  const expected = expectedSessionIds(c);
  for (const input of ['text', 'typed'] as const) {
    const s = spec(c, input, kind);
    const events = await rows(sessionizationQuery(s));
    expect(events.header).toEqual([...CASE_COLUMNS, 'session_id', 'session_number']);
    const got = new Map(events.rows.map((r) => [Number(r[0]), String(r[5])]));
    expect(got, `${input} input, events`).toEqual(expected);
    for (const r of events.rows) expect(String(r[5])).toBe(`${String(r[1])}-${String(r[6])}`);

    const sessions = await rows(sessionsQuery(s));
    const actual = sessions.rows.map((r) => sessionRowOf(sessions.header, r)).sort(byFirstCell);
    expect(actual, `${input} input, sessions`).toEqual(expectedSessionRows(c).sort(byFirstCell));
    // first_url / last_url: the url of the session's first and last event in (time, row) order.
    for (const r of sessions.rows) {
      const id = String(r[sessions.header.indexOf('session_id')]);
      const members = [...expected].filter(([, sid]) => sid === id).map(([row]) => row);
      members.sort((a, b) => (c.events[a]?.tsUs ?? 0) - (c.events[b]?.tsUs ?? 0) || a - b);
      expect([r[sessions.header.indexOf('first_url')], r[sessions.header.indexOf('last_url')]]).toEqual([
        `/p${members[0]}`,
        `/p${members[members.length - 1]}`,
      ]);
    }
  }
}

const kindArb = fc.constantFrom<TypedKind>('timestamp', 'timestamptz', 'epoch-us');

describe("DuckDB dialect with every rule: text and typed input give the reference's sessions", () => {
  it.each(SINGLE_RULES.map(([name, rules]) => [name, rules] as const))(
    '%s alone',
    async (_name, rules) => {
      await fc.assert(
        fc.asyncProperty(ruleCaseArb({ rules: fc.constant(rules) }), kindArb, (c, kind) => expectReference(c, kind)),
        { numRuns: 25, seed: 18 },
      );
    },
    300_000,
  );

  it('random combinations of rules, boundary, threshold and the events limit per user', async () => {
    await fc.assert(
      fc.asyncProperty(ruleCaseArb(), kindArb, (c, kind) => expectReference(c, kind)),
      { numRuns: 120, seed: 1807 },
    );
  }, 300_000);
});

describe('DuckDB dialect, typed epoch columns', () => {
  it.each([
    ['epoch-s', 1_000_000],
    ['epoch-ms', 1000],
  ] as const)('%s: the number in its unit, scaled to µs', async (format, perUnit) => {
    await conn.run('DROP TABLE IF EXISTS clicks_epoch');
    await conn.run('CREATE TABLE clicks_epoch (user_id VARCHAR, ts BIGINT)');
    const base = 1_714_557_600; // 2024-05-01T10:00:00Z
    const seconds = [0, 1799, 3598, 3600, 5399, 7199];
    await conn.run(`INSERT INTO clicks_epoch VALUES ${seconds.map((s) => `('u', ${((base + s) * 1_000_000) / perUnit})`).join(', ')}`);
    const sql = sessionizationQuery({
      dialect: 'duckdb',
      table: 'clicks_epoch',
      mapping: { user: 'user_id', timestamp: 'ts', time: '', url: '', format },
      thresholdMinutes: 30,
      boundary: 'ge',
      input: 'typed',
      rules: { maxDurationMinutes: 60, maxEvents: null, midnightTimeZone: null, splitColumn: null },
    });
    const { rows: got } = await rows(sql);
    // 3600: exactly 60 minutes after the session's start (a cut); 7199: a gap of exactly 30 minutes (a cut).
    expect(got.map((r) => String(r[2]))).toEqual(['u-1', 'u-1', 'u-1', 'u-2', 'u-2', 'u-3']);
  });
});
