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
  scratchFileName(base: string): string;
  /** Returns the bytes a `COPY ... TO name` wrote, and forgets the file. */
  takeFile(name: string): Promise<Uint8Array>;
}
