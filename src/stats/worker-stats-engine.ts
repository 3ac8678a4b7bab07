import { partBuffers } from '../ingest/quick-read';
import type { StatsEngine } from './stats-engine';
import { unpackLanes, type PackedLanes } from './lanes';
import type { StatsMethod, StatsReply, StatsRequest } from './stats.worker';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

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
  /** `transfer`: true hands Uint8Array arguments (Arrow IPC made for the worker) over instead of copying them; or the buffers to hand over. */
  const call = <T>(method: StatsMethod, args: unknown[], transfer: boolean | ArrayBuffer[] = true): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const buffers = transfer === true ? args.filter((a): a is Uint8Array => a instanceof Uint8Array).map((a) => a.buffer) : transfer || [];
      worker.postMessage({ id, method, args } satisfies StatsRequest, buffers);
    });
  return {
    load: (key, ipc, users) => call('load', [key, ipc, users]),
    // The file's bytes are DuckDB's too: copied (a File is only a reference), never handed over.
    quickPlan: (key, data, dialect, split) => call('quickPlan', [key, data, dialect, split], false),
    quickScan: (key, firstHalf) => call('quickScan', [key, firstHalf]),
    quickPart: (data, spec) => call('quickPart', [data, spec], false),
    // The second half's arrays are only the worker's from here on.
    quickJoin: (key, part) => call('quickJoin', [key, part], part ? partBuffers(part) : false),
    loadSplitColumn: (key, column, ipc) => call('loadSplitColumn', [key, column, ipc]),
    hasSplitColumn: (key, column) => call('hasSplitColumn', [key, column]),
    loadTextColumn: (key, column, ipc) => call('loadTextColumn', [key, column, ipc]),
    hasTextColumn: (key, column) => call('hasTextColumn', [key, column]),
    filterUsers: (key, keptKey, filters) => call('filterUsers', [key, keptKey, filters]),
    breakdown: (key, column, thresholdUs, rules, limit) => call('breakdown', [key, column, thresholdUs, rules, limit]),
    loadUrlColumn: (key, ipc) => call('loadUrlColumn', [key, ipc]),
    computeSummary: (key, thresholdUs, rules) => call('computeSummary', [key, thresholdUs, rules]),
    computeWithViews: (key, thresholdUs, rules) => call('computeWithViews', [key, thresholdUs, rules]),
    sessionNumbersIpc: (key, thresholdUs, rules) => call('sessionNumbersIpc', [key, thresholdUs, rules]),
    compareCuts: (key, a, b, limit) => call('compareCuts', [key, a, b, limit]),
    laneUserRows: (key, pick) => call('laneUserRows', [key, pick]),
    laneSessions: async (key, userRows, cut, maxBars) => unpackLanes(await call<PackedLanes>('laneSessions', [key, userRows, cut, maxBars])),
    gapHistogram: (key) => call('gapHistogram', [key]),
    thresholdCurve: (key, thresholdsUs, boundary) => call('thresholdCurve', [key, thresholdsUs, boundary]),
    gapRuleShapes: (key, thresholdsUs) => call('gapRuleShapes', [key, thresholdsUs]),
    summaryCountsPart: (key, thresholdUs, rules, from, to) => call('summaryCountsPart', [key, thresholdUs, rules, from, to]),
    eventsByRowIpc: (key, rowsRead) => call('eventsByRowIpc', [key, rowsRead]),
    exportPositionsIpc: (key, rawRows, firstRowsIpc) => call('exportPositionsIpc', [key, rawRows, firstRowsIpc]),
    exportNumbersIpc: (key, thresholdUs, rules) => call('exportNumbersIpc', [key, thresholdUs, rules]),
    exportSessions: (key, thresholdUs, rules, rawRows, usersIpc, withUrl) => call('exportSessions', [key, thresholdUs, rules, rawRows, usersIpc, withUrl]),
    exportSessionsChunk: (key, from, to, format) => call('exportSessionsChunk', [key, from, to, format]),
    // usersIpc is handed over; the setup's file (a File is only a reference; bytes are DuckDB's too) is copied.
    exportEvents: (key, thresholdUs, rules, usersIpc, setup) => call('exportEvents', [key, thresholdUs, rules, usersIpc, setup]),
    exportEventsChunk: (key, from, to, format) => call('exportEventsChunk', [key, from, to, format]),
    exportEventsDone: (key) => call('exportEventsDone', [key]),
    loadUserIds: (key, ipc) => call('loadUserIds', [key, ipc]),
    hasUserIds: (key) => call('hasUserIds', [key]),
    sessionPage: (key, thresholdUs, rules, query) => call('sessionPage', [key, thresholdUs, rules, query]),
    sessionsOverTime: (key, thresholdUs, rules, timeZone, bins) => call('sessionsOverTime', [key, thresholdUs, rules, timeZone, bins]),
    release: (key) => call('release', [key]),
  };
}
