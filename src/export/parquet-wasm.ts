import initParquetWasm, { type InitInput } from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';

/*
 * parquet-wasm (arrow-rs's Parquet writer compiled to WebAssembly) writes the export files.
 * The app serves its wasm itself (Vite `?url`, no CDN); it is compiled once per worker, the
 * first time a file is written. Node cannot fetch a file URL, so tests name a reader instead.
 */

let readWasm: (() => Promise<InitInput>) | null = null;
let ready: Promise<unknown> | null = null;

/** Resolves when parquet-wasm can write. */
export function parquetWasmReady(): Promise<unknown> {
  ready ??= initParquetWasm({ module_or_path: readWasm ? readWasm() : parquetWasmUrl });
  return ready;
}

/** Reads the wasm with `read` instead of fetching the app's copy (Node, in tests); called only when first needed. */
export function readParquetWasmWith(read: () => Promise<InitInput>): void {
  readWasm = read;
}
