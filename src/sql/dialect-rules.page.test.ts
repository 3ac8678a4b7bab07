import type { DuckDBConnection } from '@duckdb/node-api';
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
    }, 180_000);
  }
});
