import * as duckdb from '@duckdb/duckdb-wasm';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import type { Engine } from './engine';
import { startupSql } from '../sql/startup-sql';

/*
 * The only module that talks to DuckDB-WASM in the browser. The bundles are files of this
 * app (Vite `?url`), so the page works offline and requests nothing from another origin.
 * Single-threaded `eh`/`mvp` builds: the threaded one needs cross-origin isolation.
 */

export async function createBrowserEngine(): Promise<Engine> {
  const bundle = await duckdb.selectBundle({
    mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
    eh: { mainModule: ehWasm, mainWorker: ehWorker },
  });
  if (!bundle.mainWorker) throw new Error('No DuckDB worker bundle fits this browser.');
  const worker = new Worker(bundle.mainWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
  await db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  const conn = await db.connect();
  await conn.query(startupSql(`${location.origin}/no-duckdb-extensions`));

  return {
    async query<Row extends object>(sql: string): Promise<Row[]> {
      const table = await conn.query(sql);
      return table.toArray().map((row) => row.toJSON() as Row);
    },
    queryIpc(sql: string): Promise<Uint8Array> {
      // biome-ignore lint/correctness/useHookAtTopLevel: DuckDB's useUnsafe, not a React hook.
      return conn.useUnsafe((bindings, id) => bindings.runQuery(id, sql));
    },
    async exec(sql: string): Promise<void> {
      await conn.query(sql);
    },
    async registerFile(name: string, source: File | Uint8Array): Promise<void> {
      if (source instanceof Uint8Array) {
        // registerFileBuffer transfers the buffer to the worker: hand over a copy.
        await db.registerFileBuffer(name, source.slice());
      } else {
        // Read lazily through FileReaderSync in the worker: a big file is never copied whole.
        await db.registerFileHandle(name, source, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
      }
    },
    async dropFile(name: string): Promise<void> {
      await db.dropFile(name);
    },
    async insertArrowIpc(table: string, ipc: Uint8Array, create: boolean): Promise<void> {
      await conn.insertArrowFromIPCStream(ipc, { name: table, create });
    },
    async scratchFileName(base: string): Promise<string> {
      // Unregistered names are buffered in the worker's memory: nothing touches a disk.
      return base;
    },
    async takeFile(name: string): Promise<Uint8Array> {
      // A reused name would return its first content forever: always drop after copying.
      const bytes = await db.copyFileToBuffer(name);
      await db.dropFile(name);
      return bytes;
    },
  };
}
