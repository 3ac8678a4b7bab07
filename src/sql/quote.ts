/**
 * The only escaping code in the app. Every identifier that comes from a file (column
 * names) and every string literal goes through one of these two functions.
 */

/** Quotes an identifier for DuckDB/PostgreSQL-style SQL: "a ""b""". */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal: 'it''s'. NUL bytes cannot appear in SQL text, so they are refused. */
export function quoteString(value: string): string {
  if (value.includes('\u0000')) throw new Error('A NUL character cannot be used in a SQL string literal.');
  return `'${value.replaceAll("'", "''")}'`;
}
