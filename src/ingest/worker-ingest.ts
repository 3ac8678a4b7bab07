import type { IngestReply, IngestRequest } from './ingest.worker';
import { insertBatches, type IpcBatch, type RowFileKind, type RowIngest } from './row-ingest';

/** Batches from a fresh ingest worker, pulled one at a time; the worker ends with the file. */
async function* workerBatches(file: File, kind: RowFileKind): AsyncGenerator<IpcBatch> {
  const worker = new Worker(new URL('./ingest.worker.ts', import.meta.url), { type: 'module' });
  const replies: IngestReply[] = [];
  let wake: (() => void) | null = null;
  worker.onmessage = (event: MessageEvent<IngestReply>) => {
    replies.push(event.data);
    wake?.();
  };
  worker.onerror = (event) => {
    replies.push({ type: 'error', message: event.message || 'the file reader stopped unexpectedly' });
    wake?.();
  };
  const post = (request: IngestRequest) => worker.postMessage(request);
  try {
    post({ type: 'start', file, kind });
    for (;;) {
      while (replies.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const reply = replies.shift() as IngestReply;
      if (reply.type === 'done') return;
      if (reply.type === 'error') throw new Error(reply.message);
      yield reply.batch;
      post({ type: 'next' });
    }
  } finally {
    worker.terminate();
  }
}

export const workerIngest: RowIngest = (engine, source, kind, table) => {
  const file = source.data instanceof File ? source.data : new File([source.data.slice()], source.name);
  return insertBatches(engine, workerBatches(file, kind), table);
};
