import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { readParquetWasmWith } from '../export/parquet-wasm';

// Vitest setup: Node's fetch cannot read the wasm's file URL, so the tests read it from disk.
const require = createRequire(import.meta.url);
readParquetWasmWith(() => readFile(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')));
