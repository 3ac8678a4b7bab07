/*
 * JSON (json-batches.ts) and Parquet are parsed in JavaScript (the DuckDB-WASM npm build has no JSON or
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

/** Rows into a batch of text columns: columns appear in the order of first use, missing cells are null. */
export class BatchBuilder {
  private columns: string[] = [];
  private index = new Map<string, number>();
  private cells: (string | null)[][] = [];
  rows = 0;
  rejected: RejectedLine[] = [];

  /** Cells held so far, missing ones included (rows × columns). */
  get cellCount(): number {
    return this.rows * this.columns.length;
  }

  /** Adds one row: its cells' text by column name. */
  add(row: ReadonlyMap<string, string | null>): void {
    for (const key of row.keys()) {
      if (!this.index.has(key)) {
        this.index.set(key, this.columns.length);
        this.columns.push(key);
        this.cells.push(new Array<string | null>(this.rows).fill(null));
      }
    }
    for (let c = 0; c < this.columns.length; c++) {
      const value = row.get(this.columns[c] as string);
      (this.cells[c] as (string | null)[]).push(value === undefined ? null : value);
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

/** Text chunks of a Blob, decoded as UTF-8 (a leading BOM is dropped). */
export async function* blobTextChunks(blob: Blob, chunkBytes = 4 << 20): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let offset = 0; offset < blob.size; offset += chunkBytes) {
    const bytes = new Uint8Array(await blob.slice(offset, offset + chunkBytes).arrayBuffer());
    yield decoder.decode(bytes, { stream: offset + chunkBytes < blob.size });
  }
}
