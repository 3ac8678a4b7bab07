import type { ParquetColumn } from './arrow-to-parquet';
import type { ParquetSink, ParquetWriter } from './parquet-sink';
import type { ParquetReply, ParquetRequest } from './parquet.worker';

/** How many chunks may wait in the worker: one encoding while DuckDB queries the next. */
const IN_FLIGHT = 2;

/** parquet-wasm as the first export's worker compiled it: later workers only instantiate it. */
let compiledWasm: WebAssembly.Module | null = null;

/** Writes Parquet in a fresh worker, which ends with the file (or its cancel). */
export const parquetInWorker: ParquetWriter = (columns: ParquetColumn[]): ParquetSink => {
  const worker = new Worker(new URL('./parquet.worker.ts', import.meta.url), { type: 'module' });
  // The worker answers every request in order: one waiting promise per request sent.
  const waiting: { resolve: (reply: ParquetReply) => void; reject: (error: Error) => void }[] = [];
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    for (const w of waiting.splice(0)) w.reject(error);
    worker.terminate();
  };
  worker.onmessage = (event: MessageEvent<ParquetReply>) => {
    if (!event.data.ok) fail(new Error(event.data.message));
    else waiting.shift()?.resolve(event.data);
  };
  worker.onerror = (event) => fail(new Error(event.message || 'the Parquet writer stopped unexpectedly'));
  const send = (request: ParquetRequest, transfer: Transferable[] = []): Promise<ParquetReply> => {
    if (failure) return Promise.reject(failure);
    const reply = new Promise<ParquetReply>((resolve, reject) => waiting.push({ resolve, reject }));
    worker.postMessage(request, transfer);
    return reply;
  };
  send({ type: 'start', columns, wasm: compiledWasm }).then(
    (reply) => {
      if ('wasm' in reply) compiledWasm = reply.wasm;
    },
    // A failed start fails every request after it: the export reports it there.
    () => {},
  );
  /** The chunks sent and not yet written, oldest first (answers come in order). */
  const unwritten: Promise<ParquetReply>[] = [];
  return {
    async add(ipc) {
      const sent = send({ type: 'chunk', ipc }, [ipc.buffer]);
      sent.catch(() => {});
      unwritten.push(sent);
      // Wait while the worker has enough to do, so chunks do not pile up in memory.
      while (unwritten.length >= IN_FLIGHT) await unwritten.shift();
    },
    async finish() {
      try {
        const reply = await send({ type: 'finish' });
        if (!('file' in reply)) throw new Error('the Parquet writer returned no file');
        return reply.file;
      } finally {
        worker.terminate();
      }
    },
    cancel() {
      fail(new Error('the export was cancelled'));
    },
  };
};
