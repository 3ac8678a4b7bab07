import type { Engine } from '../engine/engine';
import { dropTablesSql, unionByNameSql } from '../sql/ingest-sql';
import { batchToIpc } from './batch-ipc';
import { jsonBatches } from './json-batches';
import { blobByteChunks } from './json-text';
import { parquetBatches } from './parquet-batches';
import { blobTextChunks, type RejectedLine } from './row-batches';
import { weblogBatches } from './weblog-batches';

export type RowFileKind = 'ndjson' | 'parquet' | 'weblog';

/** One parsed batch on its way into DuckDB. */
export interface IpcBatch {
  ipc: Uint8Array | null;
  rejected: RejectedLine[];
}

export interface IngestResult {
  rejected: number;
  rejectedExamples: RejectedLine[];
}

/** Reads an NDJSON, Parquet or web-server log file into `table` (text columns, file order). */
export type RowIngest = (engine: Engine, source: { name: string; data: Blob | Uint8Array }, kind: RowFileKind, table: string) => Promise<IngestResult>;

const EXAMPLES = 20;

/** Parses in the calling thread: used in Node tests and where no worker is available. */
export async function* ipcBatches(data: Blob | Uint8Array, kind: RowFileKind): AsyncGenerator<IpcBatch> {
  const blob = data instanceof Uint8Array ? new Blob([data.slice()]) : data;
  const batches = kind === 'ndjson' ? jsonBatches(blobByteChunks(blob)) : kind === 'weblog' ? weblogBatches(blobTextChunks(blob)) : parquetBatches(blob);
  for await (const batch of batches) {
    yield { ipc: batch.rows > 0 ? batchToIpc(batch) : null, rejected: batch.rejected };
  }
}

/**
 * Inserts batches into numbered part tables, then unions them by column name, so that
 * NDJSON objects with different keys line up (missing keys become NULL).
 */
export async function insertBatches(engine: Engine, batches: AsyncIterable<IpcBatch>, table: string): Promise<IngestResult> {
  const parts: string[] = [];
  let rejected = 0;
  const rejectedExamples: RejectedLine[] = [];
  try {
    for await (const batch of batches) {
      rejected += batch.rejected.length;
      rejectedExamples.push(...batch.rejected.slice(0, EXAMPLES - rejectedExamples.length));
      if (!batch.ipc) continue;
      const part = `${table}_part${parts.length}`;
      await engine.insertArrowIpc(part, batch.ipc, true);
      parts.push(part);
    }
    if (parts.length === 0) {
      const first = rejectedExamples[0];
      throw new Error(first ? `no readable row (line ${first.line}: ${first.message})` : 'no rows');
    }
    await engine.exec(unionByNameSql(table, parts));
  } finally {
    if (parts.length > 0) await engine.exec(dropTablesSql(parts));
  }
  return { rejected, rejectedExamples };
}

export const inProcessIngest: RowIngest = (engine, source, kind, table) => insertBatches(engine, ipcBatches(source.data, kind), table);
