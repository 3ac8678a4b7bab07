import { DataType, tableFromIPC, type Vector } from 'apache-arrow';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';

/*
 * A query result (Arrow IPC, as DuckDB returns it) as a Parquet file with proper types:
 * text as UTF-8 strings, counts as INT64, instants as TIMESTAMP(MICROS, UTC), durations as
 * DOUBLE. Runs in the export worker so a million rows do not block the page. The rows come
 * in chunks (each its own IPC stream), each written as it arrives, so the page can count them.
 */

export type ParquetColumnType = 'string' | 'int64' | 'double' | 'timestamp-us';

export interface ParquetColumn {
  /** The column's name in the query result. */
  source: string;
  /** The column's name in the Parquet file. */
  name: string;
  type: ParquetColumnType;
}

type Decoded = (string | bigint | number | null)[];

function convert(values: { length: number } & Iterable<unknown>, type: ParquetColumnType): Decoded {
  const out: Decoded = new Array(values.length);
  let i = 0;
  for (const v of values) {
    if (v === null || v === undefined) out[i++] = null;
    else if (type === 'string') out[i++] = String(v);
    else if (type === 'double') out[i++] = Number(v);
    // BIGINT arrives as a double (castBigIntToDouble); microsecond instants fit exactly.
    else out[i++] = typeof v === 'bigint' ? v : BigInt(Math.round(Number(v)));
  }
  return out;
}

const utf8 = new TextDecoder();
// Every byte is one character: a byte offset into the text is its character offset.
const bytewise = new TextDecoder('latin1');

/**
 * A text column's values, decoded a chunk at a time: the chunk's bytes as one string, cut
 * at the value offsets, and only values with a non-ASCII byte decoded as UTF-8 on their own.
 * Arrow's own reading decodes every value on its own, which took most of an export's time.
 */
function textValues(vector: Vector): Decoded | null {
  if (!DataType.isUtf8(vector.type)) return null;
  const out: Decoded = new Array(vector.length);
  let i = 0;
  for (const data of vector.data) {
    const offsets = data.valueOffsets;
    const bytes = data.values;
    const from = offsets[0] ?? 0;
    const whole = bytewise.decode(bytes.subarray(from, offsets[data.length] ?? from));
    for (let row = 0; row < data.length; row++) {
      if (!data.getValid(row)) {
        out[i++] = null;
        continue;
      }
      const start = offsets[row] ?? 0;
      const end = offsets[row + 1] ?? start;
      let ascii = true;
      for (let b = start; b < end; b++) {
        if ((bytes[b] as number) >= 0x80) {
          ascii = false;
          break;
        }
      }
      out[i++] = ascii ? whole.substring(start - from, end - from) : utf8.decode(bytes.subarray(start, end));
    }
  }
  return out;
}

function schemaElement(column: ParquetColumn): SchemaElement {
  const base = { name: column.name, repetition_type: 'OPTIONAL' as const };
  switch (column.type) {
    case 'string':
      return { ...base, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'int64':
      return { ...base, type: 'INT64' };
    case 'double':
      return { ...base, type: 'DOUBLE' };
    case 'timestamp-us':
      return { ...base, type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } };
  }
}

/** A Parquet file written chunk by chunk: `add` each chunk's Arrow IPC, then `finish`. */
export class ArrowToParquet {
  private readonly bytes = new ByteWriter();
  private readonly writer: ParquetWriter;

  constructor(private readonly columns: readonly ParquetColumn[]) {
    const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }, ...columns.map(schemaElement)];
    this.writer = new ParquetWriter({ writer: this.bytes, schema, createdBy: 'sessionizer' });
  }

  /** Writes one chunk's rows (one or more row groups); returns how many. */
  add(ipc: Uint8Array): number {
    const table = tableFromIPC(ipc);
    if (table.numRows === 0) return 0;
    const columnData = this.columns.map((c) => {
      const vector = table.getChild(c.source);
      if (!vector) throw new Error(`the export query has no column "${c.source}"`);
      return { name: c.name, data: (c.type === 'string' ? textValues(vector) : null) ?? convert(vector, c.type) };
    });
    void this.writer.write({ columnData });
    return table.numRows;
  }

  finish(): ArrayBuffer {
    this.writer.finish();
    return this.bytes.getBuffer();
  }
}

/** A whole query result as one Parquet file. */
export function arrowToParquet(ipc: Uint8Array, columns: readonly ParquetColumn[]): ArrayBuffer {
  const file = new ArrowToParquet(columns);
  file.add(ipc);
  return file.finish();
}
