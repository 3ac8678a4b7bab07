import { quoteString } from './quote';

/** SQL run once when an engine starts: no extension may be fetched from the network. */
export function startupSql(extensionRepository: string): string {
  return [
    'SET autoinstall_known_extensions = false',
    'SET autoload_known_extensions = false',
    // Autoload still tries the default repository for some functions; point it at our own
    // origin so a stray use fails with a clean error instead of a request to a CDN.
    `SET custom_extension_repository = ${quoteString(extensionRepository)}`,
  ].join(';\n');
}

/** The table a warm-up read writes (see src/engine/warm-up.ts); dropped after. */
const WARM_UP_TABLE = 'sessionizer_warm_up';

/** One warm-up read: the file sniffed and read as a file's raw table is (every cell as text). */
export function warmUpReadSql(fileName: string): string {
  return `CREATE OR REPLACE TEMP TABLE ${WARM_UP_TABLE} AS SELECT * FROM read_csv(${quoteString(fileName)}, all_varchar = true)`;
}

export function dropWarmUpSql(): string {
  return `DROP TABLE IF EXISTS ${WARM_UP_TABLE}`;
}
