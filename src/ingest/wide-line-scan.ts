import { scanWideLinesHere, type WideLineOptions, type WideLineScan } from '../domain/wide-lines';
import type { WideLineReply, WideLineRequest } from './wide-lines.worker';

/**
 * The lines wider than `options.maxFields` in a whole file (see domain/wide-lines.ts): in a
 * worker where there is one (the page), so a large file is never scanned on the main thread;
 * in this thread under Node (the tests) and for bytes already in memory.
 */
export async function scanWideLines(data: Blob | Uint8Array, options: WideLineOptions): Promise<WideLineScan> {
  if (typeof Worker === 'undefined' || data instanceof Uint8Array) return scanWideLinesHere(data, options);
  const worker = new Worker(new URL('./wide-lines.worker.ts', import.meta.url), { type: 'module' });
  try {
    return await new Promise<WideLineScan>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<WideLineReply>) => {
        const reply = event.data;
        if (reply.ok) resolve(reply.scan);
        else reject(new Error(reply.message));
      };
      worker.onerror = (event) => reject(new Error(event.message || 'the line scan stopped unexpectedly'));
      worker.postMessage({ data, options } satisfies WideLineRequest);
    });
  } finally {
    worker.terminate();
  }
}
