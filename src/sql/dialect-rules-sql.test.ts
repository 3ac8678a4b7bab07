import { describe, expect, it } from 'vitest';
import type { ColumnMapping } from '../domain/types';
import { dbtModelSql, dbtSchemaYml } from './dbt-sql';
import { DIALECTS, NO_SQL_RULES, pysparkCode, sessionizationQuery, sessionsQuery, type DialectQuerySpec, type SqlRules } from './dialect-sql';

const ISO: ColumnMapping = { user: 'user_id', timestamp: 'timestamp', time: '', url: 'url', format: 'iso' };
const EVERY_RULE: SqlRules = { maxDurationMinutes: 45, maxEvents: 3, midnightTimeZone: 'America/New_York', splitColumn: 'utm source' };
const base = { table: 'clicks', mapping: ISO, thresholdMinutes: 30, boundary: 'ge' } as const;

describe('generated SQL: typed input and rules', () => {
  it.each(DIALECTS)('%s: the typed query reads the instant, with no regular expression and no walk', (dialect) => {
    const sql = sessionizationQuery({ ...base, dialect, input: 'typed' });
    const body = sql
      .split('\n')
      .filter((l) => !l.startsWith('--'))
      .join('\n');
    expect(body).not.toMatch(/regexp|RLIKE/i);
    expect(sql).not.toContain('RECURSIVE');
    expect(sql).toMatch(/lag\(__ts_us\) OVER/);
    // LAG + SUM over a few steps: short enough to read at a glance.
    expect(sql.split('\n').filter((l) => !l.startsWith('--')).length).toBeLessThan(30);
  });

  it.each(DIALECTS)('%s: the header states every rule in force and the events limit per user', (dialect) => {
    const sql = sessionsQuery({ ...base, dialect, input: 'typed', rules: EVERY_RULE, excludeUsersOverEvents: 500 });
    const header = sql
      .split('\n')
      .filter((l) => l.startsWith('--'))
      .join('\n');
    expect(header).toContain("at or past the session's start + 45 minutes");
    expect(header).toContain('number 4 of a session');
    expect(header).toContain('later calendar day in "America/New_York"');
    expect(header).toContain('non-empty "utm source" differs');
    expect(header).toContain('more than 500 events are left out');
    expect(sql).toContain('count(*) OVER (PARTITION BY __user) AS __user_events');
  });

  it('walks with a recursive CTE where the engine has one, with aggregate() in Spark', () => {
    for (const dialect of DIALECTS) {
      const sql = sessionizationQuery({ ...base, dialect, rules: { ...NO_SQL_RULES, maxEvents: 2 } });
      if (dialect === 'spark') {
        expect(sql).not.toContain('RECURSIVE');
        expect(sql).toContain('aggregate(');
      } else expect(sql).toMatch(/^WITH RECURSIVE$/m);
    }
  });

  it('midnight alone needs no walk: each engine its own time-zone functions', () => {
    const day: Record<(typeof DIALECTS)[number], string> = {
      duckdb: "AT TIME ZONE 'America/New_York'",
      postgres: "AT TIME ZONE 'UTC' AT TIME ZONE 'America/New_York'",
      spark: "from_utc_timestamp(timestamp_micros(__ts_us), 'America/New_York')",
      bigquery: "DATE(TIMESTAMP_MICROS(__ts_us), 'America/New_York')",
      snowflake: "CONVERT_TIMEZONE('UTC', 'America/New_York', TO_TIMESTAMP_NTZ(__ts_us, 6))",
    };
    for (const dialect of DIALECTS) {
      const sql = sessionizationQuery({ ...base, dialect, rules: { ...NO_SQL_RULES, midnightTimeZone: 'America/New_York' } });
      expect(sql).toContain(day[dialect]);
      expect(sql).not.toContain('RECURSIVE');
      expect(sql).toContain('__day > __prev_day');
    }
  });

  it('typed epoch columns are scaled from the unit the page detected', () => {
    const us = (format: ColumnMapping['format']) => sessionizationQuery({ ...base, dialect: 'bigquery', input: 'typed', mapping: { ...ISO, format } });
    expect(us('epoch-s')).toContain('CAST(round(__src.`timestamp` * 1000000) AS INT64)');
    expect(us('epoch-ms')).toContain('CAST(round(__src.`timestamp` * 1000) AS INT64)');
    expect(us('epoch-us')).toContain('CAST(__src.`timestamp` AS INT64)');
    expect(us('iso')).toContain('UNIX_MICROS(__src.`timestamp`)');
  });

  it('refuses rule values that are no limit', () => {
    const spec = (rules: Partial<SqlRules>, excludeUsersOverEvents: number | null = null): DialectQuerySpec => ({
      ...base,
      dialect: 'duckdb',
      rules: { ...NO_SQL_RULES, ...rules },
      excludeUsersOverEvents,
    });
    expect(() => sessionizationQuery(spec({ maxEvents: 0 }))).toThrow(RangeError);
    expect(() => sessionizationQuery(spec({ maxEvents: 2.5 }))).toThrow(RangeError);
    expect(() => sessionizationQuery(spec({ maxDurationMinutes: -1 }))).toThrow(RangeError);
    expect(() => sessionizationQuery(spec({}, 0))).toThrow(RangeError);
  });

  it('PySpark: typed input and every rule, folded with the same aggregate() as Spark SQL', () => {
    const code = pysparkCode({ ...base, input: 'typed', rules: EVERY_RULE, excludeUsersOverEvents: 500 });
    expect(code).toContain('("__ts_us", "unix_micros(`timestamp`)")');
    expect(code).toContain('F.expr("""zip_with(__evs, aggregate(');
    expect(code).toContain('.where("__user_events <= 500")');
    expect(code).toContain("from_utc_timestamp(timestamp_micros(__ts_us), 'America/New_York')");
  });

  it('dbt: the model is the typed sessions query with its rules, the source described as typed', () => {
    const s = { ...base, dialect: 'snowflake' as const, input: 'typed' as const, rules: EVERY_RULE };
    expect(dbtModelSql(s)).toContain('WITH RECURSIVE');
    const yml = dbtSchemaYml(s);
    expect(yml).toContain('The clickstream, typed: timestamp holds instants (a TIMESTAMP), user_id the user ids.');
    expect(yml).toContain('Further rules: Maximum duration');
  });
});
