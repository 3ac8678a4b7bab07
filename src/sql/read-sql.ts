import type { TextEncoding } from '../domain/sniff-file';
import { quoteIdent, quoteString } from './quote';

/*
 * Reading a delimited file into a raw table: every column as text (so nothing is retyped
 * and exports keep each cell as it was), dialect and header sniffed by DuckDB, and
 * malformed lines set aside in a rejects table instead of failing the whole load or
 * collapsing the file into a single column.
 */

export interface ReadDelimitedSpec {
  fileName: string;
  rawTable: string;
  rejectsTable: string;
  rejectsScanTable: string;
  encoding: TextEncoding;
}

export function readDelimitedSql(spec: ReadDelimitedSpec): string {
  const options = [
    'all_varchar = true',
    'store_rejects = true',
    `rejects_table = ${quoteString(spec.rejectsTable)}`,
    `rejects_scan = ${quoteString(spec.rejectsScanTable)}`,
    'sample_size = 20480',
  ];
  if (spec.encoding !== 'utf-8') options.push(`encoding = ${quoteString(spec.encoding)}`);
  return `CREATE OR REPLACE TABLE ${quoteIdent(spec.rawTable)} AS
SELECT * FROM read_csv(${quoteString(spec.fileName)}, ${options.join(', ')})`;
}

/** The table's column names, in order. */
export function columnNamesSql(table: string): string {
  return `SELECT column_name AS name FROM information_schema.columns
WHERE table_name = ${quoteString(table)} ORDER BY ordinal_position`;
}

/** Lines DuckDB could not split into the file's columns, counted once per line. */
export function rejectedCountSql(rejectsTable: string): string {
  return `SELECT count(DISTINCT line)::DOUBLE AS count FROM ${quoteIdent(rejectsTable)}`;
}

export function rejectedExamplesSql(rejectsTable: string, limit: number): string {
  return `SELECT line::DOUBLE AS line, min(error_type) AS "errorType", min(error_message) AS message, min(csv_line) AS text
FROM ${quoteIdent(rejectsTable)} GROUP BY line ORDER BY line LIMIT ${Math.max(0, Math.floor(limit))}`;
}

export function dropTableSql(table: string): string {
  return `DROP TABLE IF EXISTS ${quoteIdent(table)}`;
}
