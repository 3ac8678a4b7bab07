import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnMapping } from '../domain/types';
import { TIMESTAMP_FORMATS } from '../domain/types';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { exportedColumnNames } from '../domain/export-columns';
import {
  cellText,
  DIALECT_FIXTURES,
  dialectRuns,
  diffRows,
  expectEdgeTimestampsRead,
  expectGeneratedSpellingsRead,
  fixtureName,
  loadAllText,
  normaliseSessionRow,
  pageAnswer,
  probeSource,
  type Readings,
} from '../test/dialect-fixtures';
import {
  DIALECTS,
  pysparkCode,
  quoteTableName,
  sessionizationQuery,
  sessionsQuery,
  TableNameError,
  timestampProbeQuery,
  type Dialect,
  type DialectQuerySpec,
} from './dialect-sql';

const ISO: ColumnMapping = { user: 'user_id', timestamp: 'timestamp', time: '', url: 'url', format: 'iso' };
const DMY_TIME: ColumnMapping = { user: 'Visitor ID', timestamp: 'date', time: 'time', url: '', format: 'dmy' };

describe('generated SQL: structure', () => {
  const quoted: Record<Dialect, (name: string) => string> = {
    duckdb: (n) => `"${n}"`,
    postgres: (n) => `"${n}"`,
    snowflake: (n) => `"${n}"`,
    spark: (n) => `\`${n}\``,
    bigquery: (n) => `\`${n}\``,
  };

  it.each(DIALECTS)('%s: every mapped column is quoted exactly as in the file', (dialect) => {
    const sql = sessionsQuery({ dialect, table: 'clicks', mapping: { ...DMY_TIME, url: 'Page URL' }, thresholdMinutes: 30, boundary: 'ge' });
    for (const column of ['Visitor ID', 'date', 'time', 'Page URL']) expect(sql).toContain(`__src.${quoted[dialect](column)}`);
  });

  it.each(DIALECTS)('%s: >= for ge, > for gt, with the threshold in exact microseconds', (dialect) => {
    const cases: [number, string][] = [
      [30, '1800000000'],
      [0.5, '30000000'],
      [1440, '86400000000'],
      [29.999999, '1799999940'],
      [0.1, '6000000'],
    ];
    for (const [minutes, us] of cases) {
      const ge = sessionizationQuery({ dialect, table: 'clicks', mapping: ISO, thresholdMinutes: minutes, boundary: 'ge' });
      expect(ge).toContain(`__gap_us IS NULL OR __gap_us >= ${us} THEN 1`);
      expect(ge).toContain(`${us} µs`);
      const gt = sessionizationQuery({ dialect, table: 'clicks', mapping: ISO, thresholdMinutes: minutes, boundary: 'gt' });
      expect(gt).toContain(`__gap_us IS NULL OR __gap_us > ${us} THEN 1`);
      expect(gt).not.toContain('__gap_us >=');
    }
  });

  it.each(DIALECTS)('%s: the header states the rule, the threshold and the mapping', (dialect) => {
    const sql = sessionizationQuery({ dialect, table: 'analytics.clicks', mapping: ISO, thresholdMinutes: 30, boundary: 'ge' });
    const header = sql
      .split('\n')
      .filter((l) => l.startsWith('--'))
      .join('\n');
    expect(header).toContain('is >= 30 minutes = 1800000000 µs starts the next session');
    expect(header).toContain('Equal timestamps are always in one session');
    expect(header).toContain('Mapping: user = "user_id", timestamp = "timestamp" (ISO 8601 / SQL text (no zone = UTC)), url = "url".');
    expect(header).toContain('Reads "analytics.clicks"');
  });

  it.each(DIALECTS)('%s: a windowed running count over a RANGE frame, LAG for the gap', (dialect) => {
    const sql = sessionizationQuery({ dialect, table: 'clicks', mapping: ISO, thresholdMinutes: 30, boundary: 'ge' });
    expect(sql).toMatch(/lag\(__ts_us\) OVER \(PARTITION BY __user ORDER BY __ts_us(, __ord)?\)/);
    expect(sql).toContain('RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW');
    expect(sql).toContain('WHERE __user IS NOT NULL AND __ts_us IS NOT NULL');
  });

  it.each(DIALECTS)('%s: no backslash in any regular expression (string escaping differs per engine)', (dialect) => {
    for (const format of TIMESTAMP_FORMATS) {
      const sql = sessionizationQuery({ dialect, table: 'clicks', mapping: { ...ISO, format }, thresholdMinutes: 30, boundary: 'ge' });
      const patterns = sql.match(/'\^[^']*\$'/g) ?? [];
      expect(patterns.length).toBeGreaterThan(0);
      for (const p of patterns) expect(p).not.toContain('\\');
    }
  });

  it('quotes hostile column names for each engine, and keeps them out of the comment lines', () => {
    const mapping: ColumnMapping = { user: 'a"b`c\\d', timestamp: 'x\nDROP TABLE t; --', time: '', url: '', format: 'iso' };
    const expected: Record<Dialect, string[]> = {
      duckdb: ['"a""b`c\\d"', '"x\nDROP TABLE t; --"'],
      postgres: ['"a""b`c\\d"', '"x\nDROP TABLE t; --"'],
      snowflake: ['"a""b`c\\d"', '"x\nDROP TABLE t; --"'],
      spark: ['`a"b``c\\d`', '`x\nDROP TABLE t; --`'],
      bigquery: ['`a"b\\`c\\\\d`', '`x\\nDROP TABLE t; --`'],
    };
    for (const dialect of DIALECTS) {
      const sql = sessionizationQuery({ dialect, table: 'clicks', mapping, thresholdMinutes: 30, boundary: 'ge' });
      for (const e of expected[dialect]) expect(sql).toContain(e);
      // The mapping line of the header stays one comment line.
      expect(sql).toContain('timestamp = "x\\nDROP TABLE t; --"');
      // Every header line is a comment, and the query starts right after them.
      const lines = sql.split('\n');
      const first = lines.findIndex((l) => !l.startsWith('-- '));
      expect(lines[first]).toBe('WITH');
    }
    expect(
      pysparkCode({ table: 'clicks', mapping, thresholdMinutes: 30, boundary: 'ge' })
        .split('\n')
        .filter((l) => l.startsWith('DROP')),
    ).toEqual([]);
  });

  it('refuses a threshold that is not a positive number of microseconds', () => {
    for (const minutes of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e-9]) {
      expect(() => sessionizationQuery({ dialect: 'postgres', table: 'clicks', mapping: ISO, thresholdMinutes: minutes, boundary: 'ge' })).toThrow(RangeError);
    }
  });
});

describe('table names', () => {
  it('quotes plain and schema-qualified names as each engine resolves them', () => {
    expect(quoteTableName('duckdb', 'analytics.clicks')).toBe('"analytics"."clicks"');
    expect(quoteTableName('postgres', 'Analytics.Clicks')).toBe('"analytics"."clicks"');
    expect(quoteTableName('snowflake', 'db.analytics.clicks')).toBe('"DB"."ANALYTICS"."CLICKS"');
    expect(quoteTableName('spark', 'catalog.analytics.clicks')).toBe('`catalog`.`analytics`.`clicks`');
    expect(quoteTableName('bigquery', 'my-project.analytics.clicks')).toBe('`my-project`.`analytics`.`clicks`');
    expect(quoteTableName('bigquery', '2024_data.clicks')).toBe('`2024_data`.`clicks`');
    expect(quoteTableName('postgres', '  clicks  ')).toBe('"clicks"');
  });

  it('keeps quoted parts exactly, in either quote style', () => {
    expect(quoteTableName('postgres', '"My Schema"."Click ""log"""')).toBe('"My Schema"."Click ""log"""');
    expect(quoteTableName('snowflake', '"mixedCase"')).toBe('"mixedCase"');
    expect(quoteTableName('spark', '`web logs`.`a``b`')).toBe('`web logs`.`a``b`');
    expect(quoteTableName('bigquery', '`p`.`d`.`t"x`')).toBe('`p`.`d`.`t"x`');
    expect(quoteTableName('duckdb', '`a.b`.c')).toBe('"a.b"."c"');
  });

  it('refuses anything else', () => {
    const bad = [
      '',
      '   ',
      'clicks; DROP TABLE users',
      'a.b.c.d',
      'a..b',
      'a.',
      '.a',
      '"unterminated',
      '""',
      'a b',
      'a-b',
      "o'brien",
      '1clicks',
      'x"y"',
      '"a"b',
    ];
    for (const name of bad) {
      expect(() => quoteTableName('postgres', name), name).toThrow(TableNameError);
    }
    expect(() => quoteTableName('bigquery', 'a b')).toThrow(TableNameError);
    expect(() => quoteTableName('duckdb', 'a\u0000b')).toThrow(TableNameError);
  });
});

// ---------------------------------------------------------------------------------------
// The DuckDB dialect, run
// ---------------------------------------------------------------------------------------

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const duckdbReadings: Readings = async (texts, format) => {
  const rows = await engine.query<{ ts_us: number | null }>(timestampProbeQuery('duckdb', format, probeSource(texts)));
  return rows.map((r) => r.ts_us);
};

describe('DuckDB dialect: timestamps read as the reference parser reads them', () => {
  it.each(TIMESTAMP_FORMATS)('generated %s spellings of random instants', (format) => expectGeneratedSpellingsRead(duckdbReadings, format, 7));
  it('offsets of every form, fractions, epoch decimals and texts that are no instant', () => expectEdgeTimestampsRead(duckdbReadings));
});

describe("DuckDB dialect: the generated query gives the page's own exports", () => {
  for (const fixture of DIALECT_FIXTURES) {
    for (const { gap, boundary } of dialectRuns(fixture)) {
      it(`${fixtureName(fixture.path)} at ${gap} min (${boundary})`, async () => {
        const page = await pageAnswer(engine, fixture, gap, boundary);
        expect(page.mapping).toEqual(fixture.mapping);
        const clicks = await loadAllText(engine, fixture, 'clicks');
        expect(clicks.columns).toEqual(page.columns);
        const spec: DialectQuerySpec = { dialect: 'duckdb', table: 'clicks', mapping: page.mapping, thresholdMinutes: gap, boundary, columns: clicks.columns };

        const events = await engine.query<Record<string, unknown>>(sessionizationQuery(spec));
        expect(page.events.header).toEqual([...exportedColumnNames(page.columns), 'session_id', 'session_number']);
        const eventRows = events.map((o) => page.events.header.map((c) => cellText(o[c])));
        expect(page.events.rows.length).toBeGreaterThan(0);
        expect(diffRows(eventRows, page.events.rows, 'events')).toBeNull();

        const sessions = await engine.query<Record<string, unknown>>(sessionsQuery(spec));
        const sessionRows = sessions.map((o) =>
          normaliseSessionRow(
            page.sessions.header,
            page.sessions.header.map((c) => cellText(o[c])),
          ),
        );
        const expected = page.sessions.rows.map((r) => normaliseSessionRow(page.sessions.header, r));
        expect(diffRows(sessionRows, expected, 'sessions')).toBeNull();
      });
    }
  }
});

describe('generated SQL: a table whose columns carry the names the query uses', () => {
  const columns = ['rowid', 'user_id', '__user', 'timestamp', 'url', 'session_id', 'Session_Number', '__n'];
  const spec = { table: 'clicks', mapping: ISO, thresholdMinutes: 30, boundary: 'ge' as const, columns };

  it.each(DIALECTS)("%s: helpers take a prefix no column starts with, and the file's session columns are renamed by the one rule", (dialect) => {
    const sql = sessionizationQuery({ ...spec, dialect });
    expect(sql).toContain('AS ___user');
    // The file's own "__user" is returned as it is; no helper is named like it.
    expect(sql).not.toMatch(/[^_"`]__user\b/);
    const q = dialect === 'spark' || dialect === 'bigquery' ? (n: string) => `\`${n}\`` : (n: string) => `"${n}"`;
    expect(sql).toContain(`${q('session_id')} AS ${q('session_id_original')}`);
    expect(sql).toContain(`${q('Session_Number')} AS ${q('Session_Number_original')}`);
    expect(sessionsQuery({ ...spec, dialect })).not.toMatch(/[^_"`]__user\b/);
  });

  it('DuckDB: without the row order that a rowid column hides, first and last url come from the instants alone', () => {
    const sql = sessionsQuery({ ...spec, dialect: 'duckdb' });
    expect(sql).not.toContain('.rowid');
    expect(sql).not.toContain('arg_min');
    expect(sql).toContain("hides DuckDB's row order");
  });

  it('pyspark: the computed columns are made under helper names and renamed last', () => {
    const code = pysparkCode(spec);
    expect(code).toContain('renamed = {"session_id": "session_id_original", "Session_Number": "Session_Number_original"}');
    expect(code).toContain('F.col("___session_id").alias("session_id"), F.col("___session_number").alias("session_number")');
    expect(code).not.toMatch(/withColumn\("session_/);
  });

  it('keeps the ordinary query when no column is named like a helper or a computed column', () => {
    const ordinary = { table: 'clicks', mapping: ISO, thresholdMinutes: 30, boundary: 'ge' as const };
    for (const dialect of DIALECTS) {
      expect(sessionizationQuery({ ...ordinary, dialect, columns: ['user_id', 'timestamp', 'url'] })).toBe(sessionizationQuery({ ...ordinary, dialect }));
    }
    expect(pysparkCode({ ...ordinary, columns: ['user_id', 'timestamp', 'url'] })).toBe(pysparkCode(ordinary));
  });
});
