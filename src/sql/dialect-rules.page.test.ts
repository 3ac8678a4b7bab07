import type { DuckDBConnection } from '@duckdb/node-api';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Boundary, ColumnMapping } from '../domain/types';
import type { SessionRules } from '../domain/rules';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import {
  cellText,
  DIALECT_FIXTURES,
  diffRows,
  diffSessionsAllowingTies,
  fixtureName,
  loadAllText,
  pageAnswer,
  sortedRows,
  type PageAnswer,
  type Rows,
  postgresTestSchema,
} from '../test/dialect-fixtures';
import { sessionizationQuery, sessionsQuery, timestampProbeQuery, type DialectQuerySpec, type SqlInput } from './dialect-sql';
import { quoteIdent, quoteString } from './quote';

/*
 * The DuckDB text with the page's further rules, run on native DuckDB (ICU time zones, as
 * people run it) against the page's own exports (AppStore with the rules set, as on screen):
 * every row of the events export (original cells, session_id, session_number) and of the
 * sessions export, for the text input and for the typed input. The typed table is the file's
 * table with its timestamp column replaced by the instant the page reads (a TIMESTAMP, or
 * the epoch number in the file's unit) and blank user ids as NULL.
 */

type Rules = Omit<SessionRules, 'boundary'>;
interface RuleRun {
  name: string;
  gap: number;
  boundary: Boundary;
  rules: (mapping: ColumnMapping) => Rules;
}

// The sample holds a user with 855 events in one run that no gap cuts: the walk of the rules
// that depend on the session so far recurses once per event of the longest such run, which
// takes native DuckDB tens of seconds on the 40,000 rows. The sample runs the rules that need
// no walk (midnight, boundary); the edge fixtures run them all.
const SAMPLE_RUNS: RuleRun[] = [
  {
    name: 'midnight in New York, boundary gt',
    gap: 30,
    boundary: 'gt',
    rules: () => ({ maxEvents: null, midnightTimeZone: 'America/New_York', maxDurationMinutes: null, splitColumn: null }),
  },
];

const RUNS: RuleRun[] = [
  // The issue's example: at most 3 events, a break at midnight in New York, at most 45 minutes.
  {
    name: 'max 3 events, midnight in New York, max 45 min',
    gap: 30,
    boundary: 'ge',
    rules: () => ({ maxEvents: 3, midnightTimeZone: 'America/New_York', maxDurationMinutes: 45, splitColumn: null }),
  },
  {
    name: 'a change of url, max 20 min, boundary gt',
    gap: 60,
    boundary: 'gt',
    rules: (m) => ({ maxEvents: null, midnightTimeZone: null, maxDurationMinutes: 20, splitColumn: m.url || m.user }),
  },
];

let engine: NodeEngine;
let conn: DuckDBConnection;

beforeAll(async () => {
  engine = await createNodeEngine();
  const { DuckDBInstance } = await import('@duckdb/node-api');
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run("SET TimeZone = 'Pacific/Kiritimati'");
});

afterAll(() => {
  conn?.closeSync();
  engine?.close();
});

async function rows(sql: string): Promise<{ header: string[]; rows: Rows }> {
  const reader = await conn.runAndReadAll(sql);
  return { header: reader.columnNames(), rows: (reader.getRowsJson() as unknown[][]).map((r) => r.map(cellText)) };
}

/** clicks_text (every column VARCHAR, in file order) and clicks_typed (the instant read by the page's own parse). */
async function createTables(columns: string[], values: (string | null)[][], mapping: ColumnMapping): Promise<void> {
  await conn.run('DROP TABLE IF EXISTS clicks_text; DROP TABLE IF EXISTS clicks_typed');
  await conn.run(`CREATE TABLE clicks_text (${columns.map((c) => `${quoteIdent(c)} VARCHAR`).join(', ')})`);
  for (let start = 0; start < values.length; start += 5000) {
    const batch = values.slice(start, start + 5000).map((r) => `(${r.map((v) => (v === null ? 'NULL' : quoteString(v))).join(', ')})`);
    await conn.run(`INSERT INTO clicks_text VALUES ${batch.join(',\n')}`);
  }
  const ts = quoteIdent(mapping.timestamp);
  const text = mapping.time ? `trim(t.${ts}) || ' ' || trim(t.${quoteIdent(mapping.time)})` : `t.${ts}`;
  const probe = timestampProbeQuery('duckdb', mapping.format, `SELECT t.rowid AS id, ${text} AS text FROM clicks_text AS t`);
  const instant =
    { 'epoch-s': 'p.ts_us / 1000000', 'epoch-ms': 'p.ts_us / 1000', 'epoch-us': 'p.ts_us' }[mapping.format as string] ?? 'make_timestamp(p.ts_us)';
  const user = quoteIdent(mapping.user);
  await conn.run(
    `CREATE TABLE clicks_typed AS SELECT t.* EXCLUDE (__rn) REPLACE (${instant} AS ${ts}, CASE WHEN trim(t.${user}) = '' THEN NULL ELSE t.${user} END AS ${user})
     FROM (SELECT rowid AS __rn, * FROM clicks_text) AS t JOIN (${probe}) AS p ON p.id = t.__rn ORDER BY t.__rn`,
  );
}

/** Rows without one column (the typed table's timestamp holds the instant, not the file's text). */
const without = (rowsIn: Rows, index: number): Rows => rowsIn.map((r) => r.filter((_, i) => i !== index));

async function expectPage(page: PageAnswer, spec: DialectQuerySpec, input: SqlInput, where: string): Promise<void> {
  const events = await rows(sessionizationQuery(spec));
  expect(events.header, where).toEqual(page.events.header);
  const tsIndex = page.columns.indexOf(page.mapping.timestamp);
  const [got, want] = input === 'typed' ? [without(events.rows, tsIndex), without(page.events.rows, tsIndex)] : [events.rows, page.events.rows];
  expect(diffRows(sortedRows(got), sortedRows(want), `${where} events`)).toBeNull();
  const sessions = await rows(sessionsQuery(spec));
  expect(sessions.header, where).toEqual(page.sessions.header);
  expect(diffSessionsAllowingTies(sessions.rows, page), where).toBeNull();
}

describe("DuckDB dialect with the page's rules: text and typed input give the page's exports", () => {
  for (const fixture of DIALECT_FIXTURES) {
    it(`${fixtureName(fixture.path)}`, async () => {
      const { columns, rows: values } = await loadAllText(engine, fixture, 'clicks');
      await createTables(columns, values, fixture.mapping);
      for (const run of fixture.path.startsWith('public/') ? SAMPLE_RUNS : RUNS) {
        const rules = run.rules(fixture.mapping);
        const page = await pageAnswer(engine, fixture, run.gap, run.boundary, rules);
        expect(page.mapping).toEqual(fixture.mapping);
        for (const input of ['text', 'typed'] as const) {
          const spec: DialectQuerySpec = {
            dialect: 'duckdb',
            table: input === 'text' ? 'clicks_text' : 'clicks_typed',
            mapping: page.mapping,
            thresholdMinutes: run.gap,
            boundary: run.boundary,
            columns,
            input,
            rules,
          };
          await expectPage(page, spec, input, `${fixtureName(fixture.path)}, ${run.name}, ${input} input`);
        }
      }
    }, 300_000);
  }
});

/*
 * The same on PostgreSQL (when PG_TEST_URL is set): the text table as loaded above, and the
 * typed table with a timestamptz (or the epoch number) from the instants the page reads. A
 * PostgreSQL table has no row order, so the runs are those whose cuts do not depend on the
 * order of equal timestamps (the edge fixtures hold ties): midnight, maximum duration, gt.
 */
const pgUrl = process.env.PG_TEST_URL;
const pgSuite = pgUrl ? describe : describe.skip;
const PG_SCHEMA = postgresTestSchema('sessionizer_rules_page_test');

const PG_RUNS: RuleRun[] = [
  {
    name: 'midnight in New York, max 45 min',
    gap: 30,
    boundary: 'ge',
    rules: () => ({ maxEvents: null, midnightTimeZone: 'America/New_York', maxDurationMinutes: 45, splitColumn: null }),
  },
  {
    name: 'max 20 min, boundary gt',
    gap: 60,
    boundary: 'gt',
    rules: () => ({ maxEvents: null, midnightTimeZone: null, maxDurationMinutes: 20, splitColumn: null }),
  },
];

pgSuite("PostgreSQL dialect with the page's rules: text and typed input give the page's exports", () => {
  let client: pg.Client;
  const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
    await client.query(`CREATE SCHEMA ${PG_SCHEMA}`);
    await client.query(`SET TIME ZONE 'Pacific/Kiritimati'`);
  });

  afterAll(async () => {
    if (client) {
      await client.query(`DROP SCHEMA IF EXISTS ${PG_SCHEMA} CASCADE`);
      await client.end();
    }
  });

  /** Both tables; the instants come from the DuckDB tables made by createTables (the page's own parse). */
  async function createPgTables(columns: string[], values: (string | null)[][], mapping: ColumnMapping): Promise<void> {
    await createTables(columns, values, mapping);
    const ts = quoteIdent(mapping.timestamp);
    const epoch = mapping.format.startsWith('epoch');
    const instants = (await conn.runAndReadAll(`SELECT ${epoch ? ts : `epoch_us(${ts})`} AS v FROM clicks_typed ORDER BY rowid`))
      .getRowsJson()
      .map((r) => r[0]);
    const tsType = epoch ? 'double precision' : 'timestamptz';
    await client.query(`DROP TABLE IF EXISTS ${PG_SCHEMA}.clicks_text, ${PG_SCHEMA}.clicks_typed`);
    await client.query(`CREATE TABLE ${PG_SCHEMA}.clicks_text (${columns.map((c) => `${ident(c)} text`).join(', ')})`);
    await client.query(`CREATE TABLE ${PG_SCHEMA}.clicks_typed (${columns.map((c) => `${ident(c)} ${c === mapping.timestamp ? tsType : 'text'}`).join(', ')})`);
    const perBatch = Math.max(1, Math.floor(20_000 / columns.length));
    for (let start = 0; start < values.length; start += perBatch) {
      const batch = values.slice(start, start + perBatch);
      const text = batch.map((_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
      await client.query(`INSERT INTO ${PG_SCHEMA}.clicks_text VALUES ${text.join(', ')}`, batch.flat());
      const typedRows = batch.map((row, r) =>
        columns.map((c, i) => {
          if (c === mapping.timestamp) {
            const v = instants[start + r];
            return v === null || v === undefined ? null : String(v);
          }
          if (c === mapping.user) return (row[i] ?? '').trim() === '' ? null : row[i];
          return row[i];
        }),
      );
      const typed = batch.map(
        (_, r) =>
          `(${columns
            .map((c, i) => {
              const p = `$${r * columns.length + i + 1}`;
              if (c !== mapping.timestamp) return p;
              return epoch ? `${p}::double precision` : `TIMESTAMPTZ 'epoch' + ${p}::bigint * INTERVAL '1 microsecond'`;
            })
            .join(', ')})`,
      );
      await client.query(`INSERT INTO ${PG_SCHEMA}.clicks_typed VALUES ${typed.join(', ')}`, typedRows.flat());
    }
  }

  async function pgRows(sql: string): Promise<{ header: string[]; rows: Rows }> {
    const result = await client.query<unknown[]>({ text: sql, rowMode: 'array' });
    return { header: result.fields.map((f) => f.name), rows: result.rows.map((r) => r.map(cellText)) };
  }

  for (const fixture of DIALECT_FIXTURES) {
    it(`${fixtureName(fixture.path)}`, async () => {
      const { columns, rows: values } = await loadAllText(engine, fixture, 'clicks');
      await createPgTables(columns, values, fixture.mapping);
      for (const run of fixture.path.startsWith('public/') ? SAMPLE_RUNS : PG_RUNS) {
        const rules = run.rules(fixture.mapping);
        const page = await pageAnswer(engine, fixture, run.gap, run.boundary, rules);
        for (const input of ['text', 'typed'] as const) {
          const spec: DialectQuerySpec = {
            dialect: 'postgres',
            table: `${PG_SCHEMA}.${input === 'text' ? 'clicks_text' : 'clicks_typed'}`,
            mapping: page.mapping,
            thresholdMinutes: run.gap,
            boundary: run.boundary,
            columns,
            input,
            rules,
          };
          const where = `${fixtureName(fixture.path)}, ${run.name}, ${input} input`;
          const events = await pgRows(sessionizationQuery(spec));
          expect(events.header, where).toEqual(page.events.header);
          const tsIndex = page.columns.indexOf(page.mapping.timestamp);
          const [got, want] = input === 'typed' ? [without(events.rows, tsIndex), without(page.events.rows, tsIndex)] : [events.rows, page.events.rows];
          expect(diffRows(sortedRows(got), sortedRows(want), `${where} events`)).toBeNull();
          const sessions = await pgRows(sessionsQuery(spec));
          expect(diffSessionsAllowingTies(sessions.rows, page), where).toBeNull();
        }
      }
    }, 300_000);
  }
});
