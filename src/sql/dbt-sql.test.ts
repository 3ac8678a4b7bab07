import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnMapping } from '../domain/types';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { DIALECT_FIXTURES, fixtureName, loadAllText } from '../test/dialect-fixtures';
import { DIALECTS, sessionsQuery, TableNameError } from './dialect-sql';
import { dbtModelSql, dbtSchemaYml, dbtSourceRef, type DbtSpec } from './dbt-sql';

const ISO: ColumnMapping = { user: 'user_id', timestamp: 'timestamp', time: '', url: 'url', format: 'iso' };
const spec = (over: Partial<DbtSpec> = {}): DbtSpec => ({ dialect: 'duckdb', table: 'clicks', mapping: ISO, thresholdMinutes: 30, boundary: 'ge', ...over });

/** The model as dbt compiles it when the source resolves to `relation`. */
const compiled = (model: string, s: DbtSpec, relation: string): string => model.replace(dbtSourceRef(s), relation);

describe('dbt model text', () => {
  it.each(DIALECTS)('%s: a table-materialized model reading the source, otherwise the sessions query', (dialect) => {
    const s = spec({ dialect });
    const model = dbtModelSql(s);
    expect(model.split('\n')[0]).toBe("{{ config(materialized='table') }}");
    expect(dbtSourceRef(s)).toBe(`{{ source('clickstream', '${dialect === 'snowflake' ? 'CLICKS' : 'clicks'}') }}`);
    expect(model.split(dbtSourceRef(s))).toHaveLength(2);
    const query = sessionsQuery(s);
    const table = dialect === 'snowflake' ? '"CLICKS"' : dialect === 'spark' || dialect === 'bigquery' ? '`clicks`' : '"clicks"';
    expect(compiled(model, s, table)).toContain(query);
  });

  it('names the last part of a qualified table, as the engine resolves it', () => {
    expect(dbtSourceRef(spec({ dialect: 'postgres', table: 'Analytics.Clicks' }))).toBe("{{ source('clickstream', 'clicks') }}");
    expect(dbtSourceRef(spec({ dialect: 'snowflake', table: 'db.analytics.clicks' }))).toBe("{{ source('clickstream', 'CLICKS') }}");
    expect(dbtSourceRef(spec({ dialect: 'duckdb', table: '"it\'s"' }))).toBe("{{ source('clickstream', 'it\\'s') }}");
  });

  it('keeps Jinja from reading braces in a column name', () => {
    const s = spec({ mapping: { ...ISO, url: '{{ evil }}' } });
    const model = dbtModelSql(s);
    expect(model).not.toContain('{{ evil }}');
    expect(model).toContain(`{{ '{' }}{{ '{' }} evil }}`);
  });

  it('refuses a table name with braces, and what the panel refuses', () => {
    expect(() => dbtModelSql(spec({ table: '"{{x}}"' }))).toThrow(TableNameError);
    expect(() => dbtSchemaYml(spec({ table: 'a b' }))).toThrow(TableNameError);
  });
});

describe('dbt schema.yml', () => {
  it('declares the source and tests session_id unique and not null', () => {
    const yml = dbtSchemaYml(spec());
    expect(yml).toContain('version: 2');
    expect(yml).toContain('sources:\n  - name: clickstream\n');
    expect(yml).toContain('    schema: "{{ target.schema }}"\n');
    expect(yml).toContain('    tables:\n      - name: "clicks"\n');
    expect(yml).toContain('models:\n  - name: sessions\n');
    expect(yml).toMatch(/ {6}- name: session_id\n {8}description: .*\n {8}data_tests:\n {10}- unique\n {10}- not_null\n/);
    for (const column of ['session_id', 'user_id', 'session_number', 'start_time', 'end_time', 'duration_seconds', 'event_count', 'first_url', 'last_url']) {
      expect(yml).toContain(`      - name: ${column}\n        description: "`);
    }
    expect(yml).toContain('>= 30 minutes');
  });

  it('takes database and schema from the table name, and quotes the parts typed in quotes', () => {
    const yml = dbtSchemaYml(spec({ dialect: 'bigquery', table: 'my-project.analytics.`Web Logs`', boundary: 'gt' }));
    expect(yml).toContain('    database: "my-project"\n    schema: "analytics"\n    quoting:\n      identifier: true\n');
    expect(yml).toContain('      - name: "Web Logs"\n');
    expect(yml).toContain('> 30 minutes');
    expect(yml).not.toContain('database: true');
  });
});

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

describe("DuckDB: the model, its source replaced by the table, gives the sessions query's rows", () => {
  const fixtures = DIALECT_FIXTURES.filter((f) => !f.path.startsWith('public/'));
  for (const fixture of fixtures) {
    it(fixtureName(fixture.path), async () => {
      const clicks = await loadAllText(engine, fixture, 'clicks');
      const s = spec({ mapping: fixture.mapping, columns: clicks.columns });
      const model = dbtModelSql(s);
      const body = compiled(model, s, 'clicks').replace("{{ config(materialized='table') }}", '');
      expect(body).not.toMatch(/\{\{|\{%/);
      const fromModel = await engine.query<Record<string, unknown>>(body);
      const fromQuery = await engine.query<Record<string, unknown>>(sessionsQuery(s));
      expect(fromModel.length).toBeGreaterThan(0);
      expect(fromModel).toEqual(fromQuery);
    });
  }
});
