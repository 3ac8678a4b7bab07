/*
 * Where the page's tables live. DuckDB's default in-memory database stores table data
 * uncompressed; an in-memory database attached with COMPRESS stores it the way a database
 * file would (dictionary, FSST and bit-packed columns). At 10M events that lowers the
 * high-water mark of DuckDB's heap by about 0.7 GB, for about 0.6 s more CPU per million
 * rows: worth it for big files only, since WebAssembly memory never shrinks once grown.
 */

/** The attached database that holds tables compressed. */
export const PACKED_DATABASE = 'packed';

/**
 * Creates every later table in the compressed database, while names still find the tables
 * already made in the default one (the dataset on screen stays usable). Safe to run again.
 */
export function compressedTablesSql(): string {
  return [
    `ATTACH IF NOT EXISTS ':memory:' AS ${PACKED_DATABASE} (COMPRESS)`,
    `USE ${PACKED_DATABASE}`,
    `SET search_path = '${PACKED_DATABASE}.main,memory.main'`,
  ].join(';\n');
}

/** The bytes DuckDB's buffers hold now, as `bytes` (the loader's check that a file fits). */
export function memoryInUseSql(): string {
  return 'SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE AS bytes FROM duckdb_memory()';
}
