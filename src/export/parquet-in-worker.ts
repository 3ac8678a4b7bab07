import type { ParquetColumn } from './arrow-to-parquet';
import type { ParquetReply, ParquetRequest } from './parquet.worker';

/** Writes Parquet in a fresh worker, which ends with the job. */
export function parquetInWorker(ipc: Uint8Array, columns: ParquetColumn[]): Promise<Uint8Array> {
  const worker = new Worker(new URL('./parquet.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<Uint8Array>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<ParquetReply>) => {
      if (event.data.ok) resolve(new Uint8Array(event.data.bytes));
      else reject(new Error(event.data.message));
    };
    worker.onerror = (event) => reject(new Error(event.message || 'the Parquet writer stopped unexpectedly'));
    worker.postMessage({ ipc, columns } satisfies ParquetRequest, [ipc.buffer]);
  }).finally(() => worker.terminate());
}
