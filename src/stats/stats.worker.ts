/// <reference lib="webworker" />
import type { Boundary } from '../domain/types';
import { createLocalStatsEngine } from './stats-engine';

export type StatsRequest =
  | { id: number; type: 'load'; key: string; ipc: Uint8Array; users: number }
  | { id: number; type: 'compute'; key: string; thresholdUs: number; boundary: Boundary }
  | { id: number; type: 'release'; key: string };
export type StatsReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

declare const self: DedicatedWorkerGlobalScope;
const engine = createLocalStatsEngine();

self.onmessage = async (event: MessageEvent<StatsRequest>) => {
  const request = event.data;
  try {
    const value = request.type === 'load'
      ? await engine.load(request.key, request.ipc, request.users)
      : request.type === 'compute'
        ? await engine.compute(request.key, request.thresholdUs, request.boundary)
        : await engine.release(request.key);
    self.postMessage({ id: request.id, ok: true, value } satisfies StatsReply);
  } catch (error) {
    self.postMessage({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies StatsReply);
  }
};
