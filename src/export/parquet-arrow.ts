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
  const schema = fileSchema(columns);
  const batches = table.batches.map((batch) => {
    const children = columns.map((c) => {
      const data = batch.getChild(c.source)?.data[0];
      if (!data) throw new Error(`the export query has no column "${c.source}"`);
      return typedData(data, c.type);
    });
    return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children }));
  });
  return { rows: table.numRows, stream: tableToIPC(new Table(schema, batches), 'stream') };
}
