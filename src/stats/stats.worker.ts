/// <reference lib="webworker" />
import { partBuffers, type QuickPart } from '../ingest/quick-read';
import { createLocalStatsEngine, type StatsEngine } from './stats-engine';
import { runStepsPausing } from './steps';
import { packLanes, type LaneSessions } from './lanes';

function isPartReply(value: unknown): value is { ok: true; part: QuickPart } {
  return typeof value === 'object' && value !== null && 'part' in value && typeof value.part === 'object' && value.part !== null && 'userKeys' in value.part;
}

/** A call of one StatsEngine method, by name, with its arguments. */
export type StatsMethod = keyof StatsEngine;
export interface StatsRequest {
  id: number;
  method: StatsMethod;
  args: unknown[];
}
export type StatsReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

declare const self: DedicatedWorkerGlobalScope;

/*
 * A long view gives way by posting itself a message: it is queued behind the requests that
 * arrived while it ran, so a threshold change's figures are made (and answered) before the
 * view goes on.
 */
const pauses = new MessageChannel();
const resumes: (() => void)[] = [];
pauses.port1.onmessage = () => resumes.shift()?.();
const pause = () =>
  new Promise<void>((resolve) => {
    resumes.push(resolve);
    pauses.port2.postMessage(null);
  });

const engine = createLocalStatsEngine(runStepsPausing(pause));

self.onmessage = async (event: MessageEvent<StatsRequest>) => {
  const { id, method, args } = event.data;
  try {
    const call = engine[method] as (...a: unknown[]) => Promise<unknown>;
    const value = await call(...args);
    if (method === 'laneSessions') {
      // As arrays, handed over (packLanes): thousands of bar objects were slow to clone.
      const packed = packLanes(value as LaneSessions[]);
      self.postMessage({ id, ok: true, value: packed } satisfies StatsReply, [packed.lanes.buffer, packed.bars.buffer]);
      return;
    }
    // IPC results and a quick read's second half are handed over, not copied.
    const transfer = value instanceof Uint8Array ? [value.buffer] : isPartReply(value) ? partBuffers(value.part) : [];
    self.postMessage({ id, ok: true, value } satisfies StatsReply, transfer);
  } catch (error) {
    self.postMessage({ id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies StatsReply);
  }
};
