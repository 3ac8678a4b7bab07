import { ArrowToParquet, type ParquetColumn } from './arrow-to-parquet';

/** A Parquet file being written: chunks of Arrow IPC in, the file out (a Blob: in the page, made in the writer's worker, so the main thread never copies the file). */
export interface ParquetSink {
  /** Hands over one chunk (its buffer may be transferred); resolves when the writer can take the next. */
  add(ipc: Uint8Array): Promise<void>;
  finish(): Promise<Blob>;
  /** Stops writing and lets go of what was written. */
  cancel(): void;
}

/** Starts a Parquet file with these columns: in a worker in the page, in-process in tests. */
export type ParquetWriter = (columns: ParquetColumn[]) => ParquetSink;

export const writeParquetHere: ParquetWriter = (columns) => {
  const file = ArrowToParquet.start(columns);
  file.catch(() => {});
  return {
    add: async (ipc) => {
      await (await file).add(ipc);
    },
    finish: async () => (await file).finish(),
    cancel: () => {},
  };
};
