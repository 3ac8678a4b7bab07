import type { Boundary, SessionStats } from '../domain/types';
import { gapColumnsFromIpc } from './gap-columns';
import { computeSessionStats, type GapColumns } from './session-stats';

/**
 * Holds each events table's gap and time columns and answers threshold queries on them.
 * The page runs it in a worker (only the figures cross to the main thread); tests run it
 * in-process. Keys are events table names.
 */
export interface StatsEngine {
  load(key: string, ipc: Uint8Array, users: number): Promise<void>;
  compute(key: string, thresholdUs: number, boundary: Boundary): Promise<SessionStats>;
  release(key: string): Promise<void>;
}

/** The in-process engine; also the worker's implementation. */
export function createLocalStatsEngine(): StatsEngine {
  const columns = new Map<string, GapColumns>();
  return {
    async load(key, ipc, users) {
      columns.set(key, gapColumnsFromIpc(ipc, users));
    },
    async compute(key, thresholdUs, boundary) {
      const c = columns.get(key);
      if (!c) throw new Error(`no gap columns are loaded for ${key}`);
      return computeSessionStats(c, thresholdUs, boundary);
    },
    async release(key) {
      columns.delete(key);
    },
  };
}
