/// <reference lib="webworker" />
import { ipcBatches, type IpcBatch, type RowFileKind } from './row-ingest';

/*
 * Parses NDJSON and Parquet off the main thread. Pull-based: the page asks for the next
 * batch only after DuckDB has taken the previous one, so memory stays at one batch.
 */

export type IngestRequest = { type: 'start'; file: File; kind: RowFileKind } | { type: 'next' };
export type IngestReply = { type: 'batch'; batch: IpcBatch } | { type: 'done' } | { type: 'error'; message: string };

declare const self: DedicatedWorkerGlobalScope;
let batches: AsyncGenerator<IpcBatch> | null = null;

async function sendNext(): Promise<void> {
  if (!batches) return;
  try {
    const next = await batches.next();
    if (next.done) {
      self.postMessage({ type: 'done' } satisfies IngestReply);
      return;
    }
    const transfer = next.value.ipc ? [next.value.ipc.buffer] : [];
    self.postMessage({ type: 'batch', batch: next.value } satisfies IngestReply, transfer);
  } catch (error) {
    self.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies IngestReply);
  }
}

self.onmessage = (event: MessageEvent<IngestRequest>) => {
  const request = event.data;
  if (request.type === 'start') batches = ipcBatches(request.file, request.kind);
  void sendNext();
};
