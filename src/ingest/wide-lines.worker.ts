/// <reference lib="webworker" />
import { scanWideLinesHere, type WideLineOptions, type WideLineScan } from '../domain/wide-lines';

/* Scans a whole delimited file for over-wide lines off the main thread (see wide-line-scan.ts). */

export type WideLineRequest = { data: Blob; options: WideLineOptions };
export type WideLineReply = { ok: true; scan: WideLineScan } | { ok: false; message: string };

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<WideLineRequest>) => {
  const { data, options } = event.data;
  scanWideLinesHere(data, options).then(
    (scan) => self.postMessage({ ok: true, scan } satisfies WideLineReply),
    (error: unknown) => self.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WideLineReply),
  );
};
