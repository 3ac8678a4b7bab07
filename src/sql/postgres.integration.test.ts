import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMESTAMP_FORMATS } from '../domain/types';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import {
  cellText,
  DIALECT_FIXTURES,
  dialectRuns,
  diffRows,
  diffSessionsAllowingTies,
  expectEdgeTimestampsRead,
  expectGeneratedSpellingsRead,
  fixtureName,
  loadAllText,
  pageAnswer,
  probeSource,
  sortedRows,
  type DialectFixture,
  type Readings,
} from '../test/dialect-fixtures';
import { sessionizationQuery, sessionsQuery, timestampProbeQuery, type DialectQuerySpec } from './dialect-sql';

/*
 * The PostgreSQL dialect on a real PostgreSQL: each fixture becomes an all-text table, the
 * generated query runs on it, and every row (original cells, session_id, session_number)
 * must equal the page's own events export; the sessions query must equal the sessions
 * export. Needs PG_TEST_URL (postgres://user@host:port/db); .ci/start-postgres.sh starts a
 * local server and prints it. Without it the suite is skipped, and says so.
 */

const url = process.env.PG_TEST_URL;
if (!url) {
  console.warn(
    'postgres.integration.test.ts: PG_TEST_URL is not set, so the PostgreSQL dialect is NOT run against PostgreSQL. ' +
      'Run `eval "$(bash .ci/start-postgres.sh | grep ^export)"` (as root) and test again.',
  );
}
const suite = url ? describe : describe.skip;

const SCHEMA = 'sessionizer_dialect_test';
const TABLE = `${SCHEMA}.clicks`;

const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

let client: pg.Client;
let engine: NodeEngine;

/** The fixture as an all-text PostgreSQL table, loaded by batched INSERTs with parameters. */
async function createTable(fixture: DialectFixture): Promise<string[]> {
  const { columns, rows } = await loadAllText(engine, fixture, 'clicks');
  await client.query(`DROP TABLE IF EXISTS ${ident(SCHEMA)}.clicks`);
  await client.query(`CREATE TABLE ${ident(SCHEMA)}.clicks (${columns.map((c) => `${ident(c)} text`).join(', ')})`);
  const perBatch = Math.max(1, Math.floor(30_000 / columns.length));
  for (let start = 0; start < rows.length; start += perBatch) {
    const batch = rows.slice(start, start + perBatch);
    const placeholders = batch.map((_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
    await client.query(`INSERT INTO ${ident(SCHEMA)}.clicks (${columns.map(ident).join(', ')}) VALUES ${placeholders.join(', ')}`, batch.flat());
  }
  const [{ count } = { count: '0' }] = (await client.query<{ count: string }>(`SELECT count(*) AS count FROM ${ident(SCHEMA)}.clicks`)).rows;
  expect(Number(count)).toBe(rows.length);
  return columns;
}

async function arrays(sql: string): Promise<{ header: string[]; rows: string[][] }> {
  const result = await client.query<unknown[]>({ text: sql, rowMode: 'array' });
  return { header: result.fields.map((f) => f.name), rows: result.rows.map((r) => r.map(cellText)) };
}

suite('PostgreSQL dialect on PostgreSQL', () => {
  beforeAll(async () => {
    engine = await createNodeEngine();
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${ident(SCHEMA)} CASCADE`);
    await client.query(`CREATE SCHEMA ${ident(SCHEMA)}`);
    // The query must not depend on the session's time zone: run it in one far from UTC.
    await client.query(`SET TIME ZONE 'Pacific/Kiritimati'`);
  });

  afterAll(async () => {
    if (client) {
      await client.query(`DROP SCHEMA IF EXISTS ${ident(SCHEMA)} CASCADE`);
      await client.end();
    }
    engine?.close();
  });

  it('runs on the server the test was given', async () => {
    const { rows } = await client.query<{ version: string }>('SELECT version() AS version');
    console.info(`postgres.integration.test.ts: ${rows[0]?.version ?? 'unknown version'}`);
    expect(rows[0]?.version).toMatch(/^PostgreSQL /);
  });

  const readings: Readings = async (texts, format) => {
    const { rows } = await client.query<{ ts_us: string | null }>(timestampProbeQuery('postgres', format, probeSource(texts)));
    return rows.map((r) => (r.ts_us === null ? null : Number(r.ts_us)));
  };

  it.each(TIMESTAMP_FORMATS)('reads generated %s spellings as the reference parser does', (format) => expectGeneratedSpellingsRead(readings, format, 11));
  it('reads edge texts as the reference parser does, and never fails on one', () => expectEdgeTimestampsRead(readings));

  for (const fixture of DIALECT_FIXTURES) {
    it(`${fixtureName(fixture.path)}: every session_id and session_number as in the page's exports`, async () => {
      const columns = await createTable(fixture);
      for (const { gap, boundary } of dialectRuns(fixture)) {
        const page = await pageAnswer(engine, fixture, gap, boundary);
        expect(page.mapping).toEqual(fixture.mapping);
        expect(columns).toEqual(page.columns);
        const spec: DialectQuerySpec = { dialect: 'postgres', table: TABLE, mapping: page.mapping, thresholdMinutes: gap, boundary, columns };
        const where = `${fixtureName(fixture.path)} at ${gap} min (${boundary})`;

        const events = await arrays(sessionizationQuery(spec));
        expect(events.header, where).toEqual(page.events.header);
        expect(page.events.rows.length).toBeGreaterThan(0);
        expect(diffRows(sortedRows(events.rows), sortedRows(page.events.rows), `${where} events`)).toBeNull();

        // Every column as the page has it; first_url and last_url may differ only where several
        // events share the session's first (last) instant: a table has no row order to break
        // that tie as the page does (the query takes the smallest / largest url text).
        const sessions = await arrays(sessionsQuery(spec));
        expect(sessions.header, where).toEqual(page.sessions.header);
        expect(diffSessionsAllowingTies(sessions.rows, page), where).toBeNull();
      }
    });
  }
});
