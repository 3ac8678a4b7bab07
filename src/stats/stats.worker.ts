/// <reference lib="webworker" />
import { createLocalStatsEngine, type StatsEngine } from './stats-engine';

/** A call of one StatsEngine method, by name, with its arguments. */
export type StatsMethod = keyof StatsEngine;
export interface StatsRequest {
  id: number;
  method: StatsMethod;
  args: unknown[];
}
export type StatsReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

declare const self: DedicatedWorkerGlobalScope;
const engine = createLocalStatsEngine();

self.onmessage = async (event: MessageEvent<StatsRequest>) => {
  const { id, method, args } = event.data;
  try {
    const call = engine[method] as (...a: unknown[]) => Promise<unknown>;
    const value = await call(...args);
    // IPC results are handed over, not copied.
    const transfer = value instanceof Uint8Array ? [value.buffer] : [];
    self.postMessage({ id, ok: true, value } satisfies StatsReply, transfer);
  } catch (error) {
    self.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies StatsReply);
  }
};
