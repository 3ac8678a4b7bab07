import { describe, expect, it } from 'vitest';
import { rememberDialect, rememberedDialect } from './sql-dialect-choice';

/** A Storage stand-in: a map, or one that refuses every write. */
function storage(refuse = false) {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (refuse) throw new Error('QuotaExceededError');
      items.set(key, value);
    },
  };
}

describe('the SQL panel engine, remembered', () => {
  it('is DuckDB when nothing was chosen, else the last choice', () => {
    const s = storage();
    expect(rememberedDialect(s)).toBe('duckdb');
    rememberDialect('bigquery', s);
    expect(rememberedDialect(s)).toBe('bigquery');
    rememberDialect('pyspark', s);
    expect(rememberedDialect(s)).toBe('pyspark');
  });

  it('ignores a stored value that is no engine, and a storage that refuses', () => {
    const s = storage();
    s.setItem('sessionizer.sql-dialect', 'oracle');
    expect(rememberedDialect(s)).toBe('duckdb');
    const refusing = storage(true);
    expect(() => rememberDialect('snowflake', refusing)).not.toThrow();
    expect(rememberedDialect(refusing)).toBe('duckdb');
    expect(rememberedDialect(null)).toBe('duckdb');
  });
});
