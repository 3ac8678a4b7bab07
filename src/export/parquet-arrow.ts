import {
  type Data,
  DataType,
  Field,
  Float64,
  Int64,
  makeData,
  makeVector,
  Precision,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimeUnit,
  Timestamp,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';

/*
 * A query result as DuckDB returns it, retyped as the Parquet file's columns: the same rows
 * as an Arrow stream with the file's names and types, for parquet-wasm to write as it is.
 * Text keeps DuckDB's own buffers (nothing is decoded); BIGINT arrives as a double
 * (castBigIntToDouble), so counts and microsecond instants become 64-bit integers again
 * (they fit a double exactly).
 */

export type ParquetColumnType = 'string' | 'int64' | 'double' | 'timestamp-us';

export interface ParquetColumn {
  /** The column's name in the query result. */
  source: string;
  /** The column's name in the Parquet file. */
  name: string;
  type: ParquetColumnType;
}

function arrowType(type: ParquetColumnType): DataType {
  switch (type) {
    case 'string':
      return new Utf8();
    case 'int64':
      return new Int64();
    case 'double':
      return new Float64();
    case 'timestamp-us':
      return new Timestamp(TimeUnit.MICROSECOND, 'UTC');
  }
}

const isDouble = (type: DataType) => DataType.isFloat(type) && type.precision === Precision.DOUBLE;

/** One batch's column as the file's type. */
function typedData(data: Data, type: ParquetColumnType): Data {
  if (type === 'string' && DataType.isUtf8(data.type)) return data;
  if (type === 'double' && isDouble(data.type)) return data;
  // Already the file's type (the stats worker writes them so).
  if (type === 'int64' && DataType.isInt(data.type) && data.type.bitWidth === 64 && data.type.isSigned) return data;
  if (type === 'timestamp-us' && DataType.isTimestamp(data.type) && data.type.unit === TimeUnit.MICROSECOND && data.type.timezone === 'UTC') return data;
  const vector = makeVector(data);
  const rows = Array.from({ length: data.length }, (_, i) => vector.get(i) as unknown);
  if (type === 'int64' || type === 'timestamp-us') {
    const values = new BigInt64Array(data.length);
    rows.forEach((v, i) => {
      if (v !== null && v !== undefined) values[i] = typeof v === 'bigint' ? v : BigInt(Math.round(Number(v)));
    });
    // IPC data starts at offset 0, so its validity bitmap lines up with the new values.
    if (data.offset === 0)
      return makeData({ type: arrowType(type) as Int64, length: data.length, nullCount: data.nullCount, nullBitmap: data.nullBitmap, data: values });
  }
  const converted = rows.map((v) =>
    v === null || v === undefined ? null : type === 'string' ? String(v) : type === 'double' ? Number(v) : BigInt(Math.round(Number(v))),
  );
  const only = vectorFromArray(converted, arrowType(type)).data[0];
  if (!only) throw new Error(`could not convert a column to ${type}`);
  return only;
}

const fileSchema = (columns: readonly ParquetColumn[]) => new Schema(columns.map((c) => new Field(c.name, arrowType(c.type), true)));

/** An Arrow stream with the file's columns and no rows (an export of nothing). */
export function emptyParquetArrowStream(columns: readonly ParquetColumn[]): Uint8Array {
  return tableToIPC(new Table(fileSchema(columns)), 'stream');
}

/** The rows of one query result (Arrow IPC) as an Arrow stream with the file's columns. */
export function parquetArrowStream(ipc: Uint8Array, columns: readonly ParquetColumn[]): { rows: number; stream: Uint8Array } {
  const table = tableFromIPC(ipc);
  if (table.numRows === 0) return { rows: 0, stream: new Uint8Array() };
  const stream = retypedInPlace(ipc, table, columns) ?? rebuilt(table, columns);
  return { rows: table.numRows, stream };
}

/** Every batch rebuilt with the file's columns and serialized again (any query result). */
function rebuilt(table: Table, columns: readonly ParquetColumn[]): Uint8Array {
  const schema = fileSchema(columns);
  const batches = table.batches.map((batch) => {
    const children = columns.map((c) => {
      const data = batch.getChild(c.source)?.data[0];
      if (!data) throw new Error(`the export query has no column "${c.source}"`);
      return typedData(data, c.type);
    });
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children }));
  });
  return tableToIPC(new Table(schema, batches), 'stream');
}

const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
const MAGIC = 'ARROW1';

/**
 * DuckDB's record batch messages as they are, in an IPC file: "ARROW1\0\0", the schema
 * message (continuation, metadata length, metadata), the batches, the footer, its length
 * and "ARROW1". Null if the bytes are laid out otherwise.
 */
function batchMessages(ipc: Uint8Array): Uint8Array | null {
  if (ipc.length < 32) return null;
  const text = (from: number) => String.fromCharCode(...ipc.subarray(from, from + MAGIC.length));
  if (text(0) !== MAGIC || text(ipc.length - MAGIC.length) !== MAGIC) return null;
  const view = new DataView(ipc.buffer, ipc.byteOffset, ipc.byteLength);
  if (view.getUint32(8, true) !== 0xffffffff) return null;
  const batchesStart = 16 + view.getInt32(12, true);
  const batchesEnd = ipc.length - MAGIC.length - 4 - view.getInt32(ipc.length - MAGIC.length - 4, true);
  return batchesStart <= batchesEnd ? ipc.subarray(batchesStart, batchesEnd) : null;
}

/** The column of a batch as the file's type takes the same buffers: text as it is, numbers as 8-byte values. */
function sameLayout(source: DataType, type: ParquetColumnType): boolean {
  if (type === 'string') return DataType.isUtf8(source);
  if (type === 'double') return isDouble(source);
  return isDouble(source) || (DataType.isInt(source) && source.bitWidth === 64 && source.isSigned);
}

const TWO_TO_32 = 2 ** 32;

/**
 * Each double rewritten in its own 8 bytes as the int64 of the same value, as two 32-bit
 * halves (little-endian, as Arrow and every platform the page runs on): no BigInt per value.
 */
function doublesToInt64InPlace(values: Float64Array): void {
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    // A null's slot holds anything; it is written as 0 and stays null by the validity bitmap.
    const whole = Number.isFinite(v) ? Math.round(v) : 0;
    const high = Math.floor(whole / TWO_TO_32);
    words[2 * i] = (whole - high * TWO_TO_32) | 0;
    words[2 * i + 1] = high;
  }
}

/**
 * The fast way, when the query result has the file's columns in its order and each in the
 * file type's buffer layout (the exports' queries do): DuckDB's batch messages are kept as
 * they are, doubles that stand for integers are rewritten as int64 in place (same 8 bytes
 * per value), and the file's schema goes in front. Nothing is copied but the whole once.
 */
function retypedInPlace(ipc: Uint8Array, table: Table, columns: readonly ParquetColumn[]): Uint8Array | null {
  const fields = table.schema.fields;
  if (table.schema.dictionaries.size > 0 || fields.length !== columns.length) return null;
  if (!columns.every((c, i) => fields[i]?.name === c.source && sameLayout(fields[i].type, c.type))) return null;
  const messages = batchMessages(ipc);
  if (!messages) return null;
  const toInt = columns.filter((c, i) => c.type !== 'string' && c.type !== 'double' && isDouble(fields[i]?.type as DataType));
  const doubles = table.batches.flatMap((batch) => toInt.map((c) => batch.getChild(c.source)?.data[0]?.values as Float64Array | undefined));
  // Rewriting in place needs every column's values to be a view of the IPC bytes themselves.
  if (!doubles.every((values) => values instanceof Float64Array && values.buffer === ipc.buffer)) return null;
  for (const values of doubles as Float64Array[]) doublesToInt64InPlace(values);
  const schema = emptyParquetArrowStream(columns).subarray(0, -END_OF_STREAM.length);
  const stream = new Uint8Array(schema.length + messages.length + END_OF_STREAM.length);
  stream.set(schema, 0);
  stream.set(messages, schema.length);
  stream.set(END_OF_STREAM, schema.length + messages.length);
  return stream;
}
