import { Table, Utf8, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import type { RowBatch } from './row-batches';

/** A batch of text columns as an Arrow IPC stream, ready for DuckDB's insertArrowFromIPCStream. */
export function batchToIpc(batch: RowBatch): Uint8Array {
  const vectors: Record<string, Vector<Utf8>> = {};
  batch.columns.forEach((name, i) => {
    vectors[name] = vectorFromArray(batch.cells[i] ?? [], new Utf8());
  });
  return tableToIPC(new Table(vectors), 'stream');
}
