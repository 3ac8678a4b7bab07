import { createRequire } from 'node:module';
import path from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Engine } from '../engine/engine';
import { startupSql } from '../sql/startup-sql';

// The blocking Node build of the same @duckdb/duckdb-wasm package the page uses.
type Blocking = typeof import('@duckdb/duckdb-wasm/blocking');
const require = createRequire(import.meta.url);
const duckdb = require('@duckdb/duckdb-wasm/blocking') as Blocking;

export interface NodeEngine extends Engine {
  close(): void;
}

/*
 * The compiled wasm, once per test process. Instantiating DuckDB-WASM in Node compiles the
 * ~34 MB module every time (about half of a new engine's 1.5-3 s here); files that start a
 * fresh engine for every test (load-pipeline, app-store, ...) paid it per test. Each engine
 * still gets its own instance: its own memory and database; only the machine code is shared,
 * as a browser's code cache would share it.
 */
const compiledModules = new Map<string, Promise<WebAssembly.Module>>();

/** The part of the package's Node bindings that instantiates the wasm (not in its types). */
interface WasmHook {
  mainModulePath?: unknown;
  instantiateWasm?: unknown;
}

function reuseCompiledModule(bindings: object): void {
  const hook = bindings as WasmHook;
  const wasmPath = hook.mainModulePath;
  // Another package version may not have this hook: it then compiles as before.
  if (typeof wasmPath !== 'string' || typeof hook.instantiateWasm !== 'function') return;
  hook.instantiateWasm = (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => {
    // What the package's own hook does first: the Emscripten glue reads the runtime from here.
    Object.assign(globalThis, { DUCKDB_RUNTIME: { ...duckdb.NODE_RUNTIME } });
    let compiled = compiledModules.get(wasmPath);
    if (!compiled) {
      compiled = WebAssembly.compile(readFileSync(wasmPath));
      compiledModules.set(wasmPath, compiled);
    }
    void compiled.then(async (module) => receive(await WebAssembly.instantiate(module, imports), module));
    return [];
  };
}

export async function createNodeEngine(): Promise<NodeEngine> {
  const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm'));
  const db = await duckdb.createDuckDB(
    {
      mvp: { mainModule: `${dist}/duckdb-mvp.wasm`, mainWorker: `${dist}/duckdb-node-mvp.worker.cjs` },
      eh: { mainModule: `${dist}/duckdb-eh.wasm`, mainWorker: `${dist}/duckdb-node-eh.worker.cjs` },
    },
    new duckdb.VoidLogger(),
    duckdb.NODE_RUNTIME,
  );
  reuseCompiledModule(db);
  await db.instantiate(() => {});
  db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  const conn = db.connect();
  const scratch = mkdtempSync(path.join(tmpdir(), 'sessionizer-'));
  conn.query(startupSql('http://127.0.0.1:9/no-duckdb-extensions'));

  const engine: NodeEngine = {
    async query<Row extends object>(sql: string): Promise<Row[]> {
      return conn
        .query(sql)
        .toArray()
        .map((row) => row.toJSON() as Row);
    },
    async queryIpc(sql: string): Promise<Uint8Array> {
      // biome-ignore lint/correctness/useHookAtTopLevel: DuckDB's useUnsafe, not a React hook.
      return conn.useUnsafe((bindings, id) => bindings.runQuery(id, sql));
    },
    async exec(sql: string): Promise<void> {
      conn.query(sql);
    },
    async registerFile(name: string, source: File | Uint8Array): Promise<void> {
      const bytes = source instanceof Uint8Array ? source : new Uint8Array(await source.arrayBuffer());
      // Node's runtime reads unregistered names from disk; a registered buffer shadows that.
      db.registerFileBuffer(name, bytes.slice());
    },
    async dropFile(name: string): Promise<void> {
      db.dropFile(name);
    },
    async insertArrowIpc(table: string, ipc: Uint8Array, create: boolean): Promise<void> {
      conn.insertArrowFromIPCStream(ipc, { name: table, create });
    },
    async scratchFileName(base: string): Promise<string> {
      // Node's runtime writes unregistered names to the real disk.
      return path.join(scratch, base);
    },
    async takeFile(name: string): Promise<Uint8Array> {
      const bytes = db.copyFileToBuffer(name);
      db.dropFile(name);
      rmSync(name, { force: true });
      return bytes;
    },
    close(): void {
      conn.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
  return engine;
}
