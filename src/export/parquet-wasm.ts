import initParquetWasm from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';

/*
 * parquet-wasm (arrow-rs's Parquet writer compiled to WebAssembly) writes the export files.
 * The app serves its wasm itself (Vite `?url`, no CDN). Compiling its 5 MB takes a few
 * hundred ms, so the page compiles it once: the first export's worker compiles it and hands
 * the compiled module back; later exports' workers are given it and only instantiate it
 * (each still gets its own memory, freed with the worker). Node cannot fetch a file URL, so
 * tests name a reader instead.
 */

let readWasm: (() => Promise<BufferSource>) | null = null;
let ready: Promise<WebAssembly.Module> | null = null;

async function compileParquetWasm(): Promise<WebAssembly.Module> {
  if (readWasm) return WebAssembly.compile(await readWasm());
  const response = await fetch(parquetWasmUrl);
  if (!response.ok) throw new Error(`the Parquet writer could not be loaded (${parquetWasmUrl}: HTTP ${response.status})`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Resolves, with the compiled module, when parquet-wasm can write; `compiled`: a module compiled before (by another worker). */
export function parquetWasmReady(compiled?: WebAssembly.Module): Promise<WebAssembly.Module> {
  ready ??= (async () => {
    const module = compiled ?? (await compileParquetWasm());
    await initParquetWasm({ module_or_path: module });
    return module;
  })();
  return ready;
}

/** Reads the wasm with `read` instead of fetching the app's copy (Node, in tests); called only when first needed. */
export function readParquetWasmWith(read: () => Promise<BufferSource>): void {
  readWasm = read;
}
