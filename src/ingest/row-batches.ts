/*
 * NDJSON and Parquet are parsed in JavaScript (the DuckDB-WASM npm build has no JSON or
 * Parquet reader that works offline) into batches of text columns, the same shape a CSV
 * takes in its raw table. This runs in the ingest worker so the page stays responsive.
 */

export interface RejectedLine {
  line: number;
  message: string;
  text: string;
}

export interface RowBatch {
  columns: string[];
  /** Column-major cells, one array per column; null = missing. */
  cells: (string | null)[][];
  rows: number;
  rejected: RejectedLine[];
}

export const BATCH_ROWS = 50_000;

/** A value as the text a CSV cell would hold. */
export function cellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

export class BatchBuilder {
  private columns: string[] = [];
  private index = new Map<string, number>();
  private cells: (string | null)[][] = [];
  rows = 0;
  rejected: RejectedLine[] = [];

  add(record: Record<string, unknown>): void {
    for (const key of Object.keys(record)) {
      if (!this.index.has(key)) {
        this.index.set(key, this.columns.length);
        this.columns.push(key);
        this.cells.push(new Array<string | null>(this.rows).fill(null));
      }
    }
    for (let c = 0; c < this.columns.length; c++) {
      const name = this.columns[c] as string;
      (this.cells[c] as (string | null)[]).push(Object.hasOwn(record, name) ? cellText(record[name]) : null);
    }
    this.rows++;
  }

  take(): RowBatch {
    const batch = { columns: this.columns, cells: this.cells, rows: this.rows, rejected: this.rejected };
    this.columns = [];
    this.index = new Map();
    this.cells = [];
    this.rows = 0;
    this.rejected = [];
    return batch;
  }
}

/** Newline-delimited JSON: one object a line; blank lines are not rows; bad lines are rejected with their number. */
export async function* ndjsonBatches(chunks: AsyncIterable<string>, batchRows = BATCH_ROWS): AsyncGenerator<RowBatch> {
  const builder = new BatchBuilder();
  let pending = '';
  let lineNumber = 0;
  const take = (line: string) => {
    lineNumber++;
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (text.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      builder.rejected.push({
        line: lineNumber,
        message: `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
        text: text.slice(0, 200),
      });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      builder.rejected.push({ line: lineNumber, message: 'expected a JSON object', text: text.slice(0, 200) });
      return;
    }
    builder.add(value as Record<string, unknown>);
  };
  for await (const chunk of chunks) {
    pending += chunk;
    let start = 0;
    let newline = pending.indexOf('\n', start);
    while (newline >= 0) {
      take(pending.slice(start, newline));
      start = newline + 1;
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
    if (builder.rows >= batchRows) yield builder.take();
  }
  if (pending !== '') take(pending);
  if (builder.rows > 0 || builder.rejected.length > 0) yield builder.take();
}

/** Text chunks of a Blob, decoded as UTF-8 (a leading BOM is dropped). */
export async function* blobTextChunks(blob: Blob, chunkBytes = 4 << 20): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let offset = 0; offset < blob.size; offset += chunkBytes) {
    const bytes = new Uint8Array(await blob.slice(offset, offset + chunkBytes).arrayBuffer());
    yield decoder.decode(bytes, { stream: offset + chunkBytes < blob.size });
  }
}
