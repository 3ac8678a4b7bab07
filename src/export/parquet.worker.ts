/// <reference lib="webworker" />
import { arrowToParquet, type ParquetColumn } from './arrow-to-parquet';

export interface ParquetRequest {
  ipc: Uint8Array;
  columns: ParquetColumn[];
}
export type ParquetReply = { ok: true; bytes: ArrayBuffer } | { ok: false; message: string };

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<ParquetRequest>) => {
  try {
    const bytes = arrowToParquet(event.data.ipc, event.data.columns);
    self.postMessage({ ok: true, bytes } satisfies ParquetReply, [bytes]);
  } catch (error) {
    self.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies ParquetReply);
  }
};
