/// <reference lib="webworker" />
import { ArrowToParquet, type ParquetColumn } from './arrow-to-parquet';

/** `start` once, a `chunk` per query result, then `finish`: each is answered in order. */
export type ParquetRequest =
  /** `wasm`: parquet-wasm compiled by an earlier worker (this one then need not compile it). */
  { type: 'start'; columns: ParquetColumn[]; wasm: WebAssembly.Module | null } | { type: 'chunk'; ipc: Uint8Array } | { type: 'finish' };
/**
 * `start` is answered with the compiled module, for the page to give the next worker. The
 * finished file comes back as a Blob: posting one passes a reference, so the page neither
 * receives nor copies its bytes.
 */
export type ParquetReply = { ok: true; wasm: WebAssembly.Module } | { ok: true; rows: number } | { ok: true; file: Blob } | { ok: false; message: string };

declare const self: DedicatedWorkerGlobalScope;

let file: ArrowToParquet | null = null;

async function answer(request: ParquetRequest): Promise<void> {
  if (request.type === 'start') {
    file = await ArrowToParquet.start(request.columns, request.wasm ?? undefined);
    self.postMessage({ ok: true, wasm: await ArrowToParquet.compiledModule() } satisfies ParquetReply);
    return;
  }
  if (!file) throw new Error('the Parquet writer was not started');
  if (request.type === 'chunk') {
    self.postMessage({ ok: true, rows: await file.add(request.ipc) } satisfies ParquetReply);
    return;
  }
  const finished = await file.finish();
  file = null;
  self.postMessage({ ok: true, file: finished } satisfies ParquetReply);
}

// Writing is asynchronous (parquet-wasm): requests are answered one after another, in order.
let answered: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<ParquetRequest>) => {
  answered = answered.then(() =>
    answer(event.data).catch((error: unknown) => {
      self.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies ParquetReply);
    }),
  );
};
