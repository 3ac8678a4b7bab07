import type { SessionStats } from '../domain/types';
import type { StatsEngine } from './stats-engine';
import type { StatsReply, StatsRequest } from './stats.worker';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The stats engine in its own worker: the page's main thread never loops over events. */
export function createWorkerStatsEngine(): StatsEngine {
  const worker = new Worker(new URL('./stats.worker.ts', import.meta.url), { type: 'module' });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  worker.onmessage = (event: MessageEvent<StatsReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (!waiting) return;
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(new Error(reply.message));
  };
  worker.onerror = (event) => {
    const error = new Error(event.message || 'the statistics worker stopped unexpectedly');
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  const call = (request: WithoutId<StatsRequest>, transfer: Transferable[] = []) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } as StatsRequest, transfer);
    });
  return {
    async load(key, ipc, users) {
      await call({ type: 'load', key, ipc, users }, [ipc.buffer]);
    },
    async compute(key, thresholdUs, boundary) {
      return (await call({ type: 'compute', key, thresholdUs, boundary })) as SessionStats;
    },
    async release(key) {
      await call({ type: 'release', key });
    },
  };
}
