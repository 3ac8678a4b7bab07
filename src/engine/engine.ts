/**
 * The seam between the app and DuckDB. The browser implementation runs DuckDB-WASM in its
 * own worker; the Node implementation (src/test/node-engine.ts) runs the same wasm build
 * in-process, so the SQL tested in Node is the SQL the page runs.
 */
export type SqlValue = string | number | boolean | null;
export type SqlRow = Record<string, SqlValue>;

export interface Engine {
  /** Runs a query and returns its rows as plain objects (BIGINT arrives as number). */
  query<Row extends object = SqlRow>(sql: string): Promise<Row[]>;
  /** Runs a query and returns its result as Arrow IPC bytes (for handing to a worker). */
  queryIpc(sql: string): Promise<Uint8Array>;
  /** Runs statements whose result is not needed. */
  exec(sql: string): Promise<void>;
  /** Makes a file readable by SQL under `name`. A File is read lazily, never copied whole. */
  registerFile(name: string, source: File | Uint8Array): Promise<void>;
  dropFile(name: string): Promise<void>;
  /** Appends an Arrow IPC stream to `table`, creating it when `create` is set. */
  insertArrowIpc(table: string, ipc: Uint8Array, create: boolean): Promise<void>;
  /** A name `COPY ... TO` may write to (in Node, a temporary directory rather than the cwd). */
  scratchFileName(base: string): Promise<string>;
  /** Returns the bytes a `COPY ... TO name` wrote, and forgets the file. */
  takeFile(name: string): Promise<Uint8Array>;
}

/**
 * The engine `starting` will be, usable at once: each call waits for it. A load's first
 * steps (the file's sniff and the stats worker's quick read) need no DuckDB, so a file
 * chosen while DuckDB-WASM is still starting (it takes seconds on a cold page) is read
 * meanwhile; a call fails with the start's error if the engine does not start.
 */
export function engineWhenStarted(starting: Promise<Engine>): Engine {
  return {
    query: async (sql) => (await starting).query(sql),
    queryIpc: async (sql) => (await starting).queryIpc(sql),
    exec: async (sql) => (await starting).exec(sql),
    registerFile: async (name, source) => (await starting).registerFile(name, source),
    dropFile: async (name) => (await starting).dropFile(name),
    insertArrowIpc: async (table, ipc, create) => (await starting).insertArrowIpc(table, ipc, create),
    scratchFileName: async (base) => (await starting).scratchFileName(base),
    takeFile: async (name) => (await starting).takeFile(name),
  };
}
