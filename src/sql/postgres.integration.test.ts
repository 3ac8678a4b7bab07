import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIMESTAMP_FORMATS, type TimestampFormat } from '../domain/types';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import {
  cellText,
  DIALECT_FIXTURES,
  dialectRuns,
  diffRows,
  diffSessionsAllowingTies,
  EDGE_TIMESTAMPS,
  expectEdgeTimestampsRead,
  expectGeneratedSpellingsRead,
  fixtureName,
  loadAllText,
  pageAnswer,
  probeSource,
  sortedRows,
  type DialectFixture,
  type Readings,
  postgresTestSchema,
} from '../test/dialect-fixtures';
import { timestampSampleArb } from '../test/timestamp-text';
import { fieldCutsProbeQuery, sessionizationQuery, sessionsQuery, timestampProbeQuery, type DialectQuerySpec } from './dialect-sql';

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

const SCHEMA = postgresTestSchema('sessionizer_dialect_test');
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

/** What replaces a character of a timestamp text to make it almost match a pattern, or match it another way. */
const MANGLING = ['0', '9', ':', '.', '-', '+', '/', ' ', 'T', 'Z', 'a', 'UTC'];

const DAY_MONTH_CUT_EDGES = ['1-2-2024', '12.31.2024 7:05:09.123456', '1/2.2024 1:00', '01/02/2024 1:00:00.1234567', '1/2/2024 10:00:'];
const EPOCH_CUT_EDGES = ['+000.5', '-0', '0000000000000000000001234567890123456789', '12345678901234567890', '-.', '+', '00.', '.000', '0'];
/** Texts at the edges of where a field is cut from (PostgreSQL cuts by position), beyond EDGE_TIMESTAMPS. */
const CUT_EDGES: Record<TimestampFormat, readonly string[]> = {
  iso: [
    '2024-05-01T10:00-03',
    '2024-05-01 10:00 +0545',
    '2024/05/01 10:00:00.5 UTC',
    '2024-05-01T10:00:00.000001-12:30',
    '2024-05-01T10:00:00+1',
    '2024-05-01T10:00:00.Z',
    '2024-05-01T10',
  ],
  dmy: DAY_MONTH_CUT_EDGES,
  mdy: DAY_MONTH_CUT_EDGES,
  clf: ['01/jan/2024:00:00:00 -1200', '01/Jan/2024:00:00:00 +12', '01/Jan/2024:00:00:00'],
  'epoch-s': EPOCH_CUT_EDGES,
  'epoch-ms': EPOCH_CUT_EDGES,
  'epoch-us': EPOCH_CUT_EDGES,
};

/**
 * Texts of `format` for the cuts to be checked on: edge texts, generated spellings of every
 * form, and each spelling with one character dropped, doubled or replaced (most no longer
 * match; some match as another form: no seconds, a shorter zone, a longer fraction).
 */
function textsToCut(format: TimestampFormat, seed: number): string[] {
  // Trimmed (the query trims them too), so that every edit falls on the timestamp itself.
  const spelled = fc.sample(timestampSampleArb(format), { seed, numRuns: 60 }).map((s) => s.text.trim());
  const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom('drop', 'double', 'replace'), by: fc.constantFrom(...MANGLING) });
  const mangled = spelled.flatMap((text, i) =>
    fc.sample(edit, { seed: seed + i, numRuns: 6 }).map(({ at, kind, by }) => {
      const k = at % Math.max(1, text.length);
      const [head, char, tail] = [text.slice(0, k), text.slice(k, k + 1), text.slice(k + 1)];
      return kind === 'drop' ? head + tail : kind === 'double' ? head + char + char + tail : head + by + tail;
    }),
  );
  const edges = EDGE_TIMESTAMPS.filter(([f]) => f === format).map(([, text]) => text);
  return [...edges, ...CUT_EDGES[format], ...spelled, ...mangled];
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

  // The query cuts each field out of a text that matched the pattern by position rather than
  // asking PostgreSQL for the group (slow): every cut must be the group's text, on texts of
  // every form, near misses included.
  it.each(TIMESTAMP_FORMATS)('cuts every field of %s texts as the pattern groups it', async (format) => {
    const texts = textsToCut(format, 23);
    const { header, rows } = await arrays(fieldCutsProbeQuery('postgres', format, probeSource(texts)));
    const groups = header.filter((h) => h.startsWith('group_')).map((h) => h.slice('group_'.length));
    expect(groups.length).toBeGreaterThan(0);
    const differences = rows.flatMap((row) =>
      groups
        .map((g) => [g, row[header.indexOf(`cut_${g}`)], row[header.indexOf(`group_${g}`)]] as const)
        .filter(([, cut, group]) => cut !== group)
        .map(([g, cut, group]) => `${JSON.stringify(texts[Number(row[0])])}: ${g} cut ${JSON.stringify(cut)}, group ${JSON.stringify(group)}`),
    );
    expect(differences.slice(0, 10)).toEqual([]);
    // Enough texts matched, and enough did not, for the check to mean something.
    const matched = rows.filter((row) => groups.some((g) => row[header.indexOf(`group_${g}`)] !== '')).length;
    expect(matched).toBeGreaterThanOrEqual(60);
    expect(texts.length - matched).toBeGreaterThanOrEqual(60);
  });

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
