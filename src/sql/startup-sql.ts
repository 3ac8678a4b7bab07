/** SQL run once when an engine starts: no extension may be fetched from the network. */
export function startupSql(extensionRepository: string): string {
  return [
    'SET autoinstall_known_extensions = false',
    'SET autoload_known_extensions = false',
    // Autoload still tries the default repository for some functions; point it at our own
    // origin so a stray use fails with a clean error instead of a request to a CDN.
    `SET custom_extension_repository = '${extensionRepository.replaceAll("'", "''")}'`,
  ].join(';\n');
}
