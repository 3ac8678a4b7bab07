import { Compression, type RecordBatch, Table, transformParquetStream, type WriterProperties, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm/esm';
import { emptyParquetArrowStream, type ParquetColumn, parquetArrowStream } from './parquet-arrow';
import { parquetWasmReady } from './parquet-wasm';

/*
 * A query result (Arrow IPC, as DuckDB returns it) as a Parquet file with proper types:
 * text as UTF-8 strings, counts as INT64, instants as TIMESTAMP(MICROS, UTC), durations as
 * DOUBLE. Runs in the export worker so a million rows do not block the page. The rows come
 * in chunks (each its own IPC stream), each written as it arrives, so the page can count them.
 *
 * parquet-wasm (arrow-rs) writes the file: it takes Arrow as it is, where the JS writer
 * (hyparquet-writer) needed every value as a JS string and spent ~1.2 s (Node) to 2.5 s
 * (the page) per 122,880-row chunk on decoding, re-encoding and statistics of those strings.
 */

export type { ParquetColumn, ParquetColumnType } from './parquet-arrow';

/** Rows per row group: one chunk of an export (src/state/exports.ts), so each chunk's pages leave the writer with it. */
const ROW_GROUP_ROWS = 122_880;

/** SNAPPY: compressed, fast, and read by every Parquet reader (the JS writer's default too). */
const writerProperties = (): WriterProperties =>
  new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).setMaxRowGroupSize(ROW_GROUP_ROWS).setCreatedBy('sessionizer').build();

/** A Parquet file written chunk by chunk: `add` each chunk's Arrow IPC, then `finish`. */
export class ArrowToParquet {
  private readonly batches: ReadableStreamDefaultController<RecordBatch>;
  /** Resolves when the writer asks for more: every batch handed over so far is written. */
  private wanted: Promise<void> = Promise.resolve();
  private resolveWanted: () => void = () => {};
  private readonly parts: Uint8Array<ArrayBuffer>[] = [];
  private rows = 0;
  /** Resolves when the last bytes are out; rejects if writing fails. */
  private readonly written: Promise<void>;

  private constructor(private readonly columns: readonly ParquetColumn[]) {
    let batches: ReadableStreamDefaultController<RecordBatch> | null = null;
    // highWaterMark 0: `pull` runs only when the writer has taken every batch and wants the next.
    const input = new ReadableStream<RecordBatch>(
      {
        start: (controller) => {
          batches = controller;
        },
        pull: () => this.resolveWanted(),
      },
      { highWaterMark: 0 },
    );
    if (!batches) throw new Error('the Parquet writer did not start');
    this.batches = batches;
    const properties = writerProperties();
    // Not awaited before the first batch: the writer waits for it to learn the schema.
    this.written = (async () => {
      const reader = (await transformParquetStream(input, properties)).getReader();
      for (let part = await reader.read(); !part.done; part = await reader.read()) this.parts.push(part.value as Uint8Array<ArrayBuffer>);
    })();
    this.written.catch(() => {});
  }

  /** A file with these columns, once parquet-wasm is ready (`compiled`: its module, compiled before). */
  static async start(columns: readonly ParquetColumn[], compiled?: WebAssembly.Module): Promise<ArrowToParquet> {
    await parquetWasmReady(compiled);
    return new ArrowToParquet(columns);
  }

  /** parquet-wasm's compiled module (once a file was started), to give the next worker. */
  static compiledModule(): Promise<WebAssembly.Module> {
    return parquetWasmReady();
  }

  /** Writes one chunk's rows (one row group); resolves with how many once they are written. */
  async add(ipc: Uint8Array): Promise<number> {
    const { rows, stream } = parquetArrowStream(ipc, this.columns);
    if (rows === 0) return 0;
    const table = Table.fromIPCStream(stream);
    const batches = table.recordBatches();
    table.free();
    this.wanted = new Promise((resolve) => {
      this.resolveWanted = resolve;
    });
    for (const batch of batches) this.batches.enqueue(batch);
    // The writer reads the next batch only after writing the last: wait until it asks again.
    await Promise.race([this.wanted, this.written]);
    this.rows += rows;
    return rows;
  }

  /** The whole file: a Blob of the parts as the writer gave them, never joined into one buffer. */
  async finish(): Promise<Blob> {
    this.batches.close();
    // A stream of no batches has no schema to write: an empty export is a file of no rows.
    if (this.rows === 0) return new Blob([writeParquet(Table.fromIPCStream(emptyParquetArrowStream(this.columns)), writerProperties()).slice()]);
    await this.written;
    return new Blob(this.parts);
  }
}
