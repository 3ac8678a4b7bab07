/** One row: the tables DuckDB holds and the bytes its buffers use (for the memory checks of the tests). */
export function engineFootprintSql(): string {
  return `SELECT (SELECT count(*) FROM duckdb_tables())::DOUBLE AS tables,
  (SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory())::DOUBLE AS bytes`;
}
