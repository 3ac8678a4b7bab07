import { tableFromIPC } from 'apache-arrow';
import type { GapColumns } from './session-stats';

/** Decodes gapColumnsSql's result (Arrow IPC) into typed arrays, without a per-row loop. */
export function gapColumnsFromIpc(ipc: Uint8Array, users: number): GapColumns {
  const table = tableFromIPC(ipc);
  const gap = table.getChild('gap');
  const ts = table.getChild('ts');
  if (!gap || !ts) throw new Error('the gap query returned no gap or ts column');
  return { gaps: new Float64Array(gap.toArray() as Float64Array), times: new Float64Array(ts.toArray() as Float64Array), users };
}
