import fc from 'fast-check';
import pg from 'pg';
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
import { postgresTestSchema } from '../test/dialect-fixtures';
import { sessionizationQuery, sessionsQuery, type DialectQuerySpec, type SqlInput } from './dialect-sql';

/*
 * The PostgreSQL text of the SQL panel, text and typed input, every rule alone and in random
 * combinations, run on a real PostgreSQL: every event's session_id and every session's times
 * and counts must be the independent reference's (src/test/reference-rules.ts). A table has
 * no row order in PostgreSQL, so where the order of equal timestamps decides a cut (maximum
 * events, column change) the generated cases keep instants distinct per user (the query's
 * header says so). Needs PG_TEST_URL (.ci/start-postgres.sh); skipped without it.
 */

const url = process.env.PG_TEST_URL;
if (!url) console.warn('dialect-rules.postgres.integration.test.ts: PG_TEST_URL is not set, so the rules are NOT run against PostgreSQL.');
const suite = url ? describe : describe.skip;

const SCHEMA = postgresTestSchema('sessionizer_rules_test');
type TypedKind = 'timestamptz' | 'timestamp' | 'epoch-us';

let client: pg.Client;

async function createTables(c: RuleCase, kind: TypedKind): Promise<void> {
  const rows = caseRows(c);
  await client.query(`DROP TABLE IF EXISTS ${SCHEMA}.clicks_text, ${SCHEMA}.clicks_typed`);
  await client.query(`CREATE TABLE ${SCHEMA}.clicks_text (${CASE_COLUMNS.map((n) => `${n} text`).join(', ')})`);
  const placeholders = rows.map((_, r) => `(${CASE_COLUMNS.map((_c, i) => `$${r * CASE_COLUMNS.length + i + 1}`).join(', ')})`);
  await client.query(`INSERT INTO ${SCHEMA}.clicks_text VALUES ${placeholders.join(', ')}`, rows.flat());
  const type = { timestamptz: 'timestamptz', timestamp: 'timestamp', 'epoch-us': 'bigint' }[kind];
  const instant = kind === 'epoch-us' ? 'u.us' : `${type} 'epoch' + u.us * INTERVAL '1 microsecond'`;
  await client.query(`CREATE TABLE ${SCHEMA}.clicks_typed (row_id text, user_id text, ts ${type}, url text, campaign text)`);
  await client.query(
    `INSERT INTO ${SCHEMA}.clicks_typed SELECT t.row_id, t.user_id, ${instant}, t.url, t.campaign
     FROM ${SCHEMA}.clicks_text AS t JOIN unnest($1::bigint[]) WITH ORDINALITY AS u(us, n) ON CAST(t.row_id AS integer) = u.n - 1`,
    [c.events.map((e) => String(e.tsUs))],
  );
}

function spec(c: RuleCase, input: SqlInput, kind: TypedKind): DialectQuerySpec {
  const mapping: ColumnMapping = input === 'typed' && kind === 'epoch-us' ? { ...TEXT_MAPPING, format: 'epoch-us' } : TEXT_MAPPING;
  return {
    dialect: 'postgres',
    table: `${SCHEMA}.${input === 'text' ? 'clicks_text' : 'clicks_typed'}`,
    mapping,
    thresholdMinutes: c.thresholdMinutes,
    boundary: c.boundary,
    rules: c.rules,
    excludeUsersOverEvents: c.excludeUsersOverEvents,
    columns: [...CASE_COLUMNS],
    input,
  };
}

async function arrays(sql: string): Promise<{ header: string[]; rows: unknown[][] }> {
  const result = await client.query<unknown[]>({ text: sql, rowMode: 'array' });
  return { header: result.fields.map((f) => f.name), rows: result.rows };
}

async function expectReference(c: RuleCase, kind: TypedKind): Promise<void> {
  await createTables(c, kind);
  const expected = expectedSessionIds(c);
  for (const input of ['text', 'typed'] as const) {
    const s = spec(c, input, kind);
    const events = await arrays(sessionizationQuery(s));
    expect(events.header).toEqual([...CASE_COLUMNS, 'session_id', 'session_number']);
    expect(new Map(events.rows.map((r) => [Number(r[0]), String(r[5])])), `${input} input, events`).toEqual(expected);
    const sessions = await arrays(sessionsQuery(s));
    const actual = sessions.rows.map((r) => sessionRowOf(sessions.header, r)).sort(byFirstCell);
    expect(actual, `${input} input, sessions`).toEqual(expectedSessionRows(c).sort(byFirstCell));
  }
}

const kindArb = fc.constantFrom<TypedKind>('timestamptz', 'timestamp', 'epoch-us');

suite("PostgreSQL dialect with every rule: text and typed input give the reference's sessions", () => {
  beforeAll(async () => {
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await client.query(`CREATE SCHEMA ${SCHEMA}`);
    // No query may depend on the session's time zone.
    await client.query(`SET TIME ZONE 'Pacific/Kiritimati'`);
  });

  afterAll(async () => {
    if (client) {
      await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
      await client.end();
    }
  });

  it.each(SINGLE_RULES.map(([name, rules]) => [name, rules] as const))(
    '%s alone',
    async (_name, rules) => {
      await fc.assert(
        fc.asyncProperty(ruleCaseArb({ rules: fc.constant(rules), orderless: true }), kindArb, (c, kind) => expectReference(c, kind)),
        { numRuns: 15, seed: 18 },
      );
    },
    300_000,
  );

  it('random combinations of rules, boundary, threshold and the events limit per user', async () => {
    await fc.assert(
      fc.asyncProperty(ruleCaseArb({ orderless: true }), kindArb, (c, kind) => expectReference(c, kind)),
      { numRuns: 80, seed: 1807 },
    );
  }, 300_000);
});
