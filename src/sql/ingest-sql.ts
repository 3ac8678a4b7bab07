import { quoteIdent } from './quote';
import { dropTableSql } from './read-sql';

/*
 * The NDJSON and Parquet ingest (src/ingest/row-ingest.ts) inserts parsed batches into
 * numbered part tables, then unions them by column name, so that NDJSON objects with
 * different keys line up (missing keys become NULL).
 */

/** Creates `table` as the union of the part tables, by column name, in their order. */
export function unionByNameSql(table: string, parts: readonly string[]): string {
  const union = parts.map((p) => `SELECT * FROM ${quoteIdent(p)}`).join('\nUNION ALL BY NAME\n');
  return `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS ${union}`;
}

/** Drops every one of `tables` that exists. */
export function dropTablesSql(tables: readonly string[]): string {
  return tables.map(dropTableSql).join(';');
}
