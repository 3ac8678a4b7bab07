import { parseRecord } from './json-records';
import { lineRecords } from './json-lines';
import { jsonLayout, structuredRecords, type RecordText } from './json-text';
import { BATCH_ROWS, BatchBuilder, type RowBatch } from './row-batches';

/*
 * A JSON file (NDJSON, a top-level array, or pretty-printed objects one after another) into
 * batches of text columns: each record flattened (json-records.ts), records that are not
 * objects, not JSON or nested too deep set aside with their line, like CSV lines that
 * cannot be split. Columns are the union of the records' paths, in order of first
 * appearance, capped at MAX_JSON_COLUMNS for the whole file: a file whose keys vary from
 * line to line (an id used as a key) would otherwise grow rows × columns without bound.
 */

export const MAX_JSON_COLUMNS = 2000;

/**
 * Most cells (rows × columns, empty ones included) a JSON file may make: DuckDB holds an
 * empty text cell in about 8 bytes (measured), so 150M cells take about 1.2 GB whatever the
 * file's size. Only sparse files reach it (a dense file this large is refused for its size).
 */
export const MAX_JSON_CELLS = 150_000_000;

/** A batch is handed on once it holds this many cells (rows × columns, missing ones included). */
export const BATCH_CELLS = 4_000_000;

/** The message for the record that brings one column too many. */
function tooManyCells(line: number, rows: number, columns: number, max: number): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `line ${n(line)} makes ${n(rows)} rows × ${n(columns)} columns, more cells than the browser's DuckDB holds (at most ${n(max)}, most of them empty here: the records have different keys). Keep the columns you need, or load a part of the file.`;
}

function tooManyColumns(line: number, key: string, max: number): string {
  const shown = key.length > 60 ? `${key.slice(0, 59)}…` : key;
  return `line ${line.toLocaleString('en-US')} brings a key ("${shown}") past ${max.toLocaleString('en-US')} distinct keys, the most read from JSON. The keys vary from record to record (an id or a date used as a key, say); flatten the file so the names are fixed, or keep the columns you need.`;
}

/** The records of a JSON file's bytes, laid out as its first bytes say. */
async function* recordTexts(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<RecordText[]> {
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head = new TextDecoder().decode(first.value.subarray(0, 4096));
  const rest: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    },
  };
  const layout = jsonLayout(head);
  yield* layout === 'lines' ? lineRecords(rest) : structuredRecords(rest, layout);
}

export interface JsonBatchLimits {
  maxColumns?: number;
  maxCells?: number;
  batchRows?: number;
  batchCells?: number;
}

/** Batches of a JSON file's records; throws (naming the line) when the file has too many distinct keys. */
export async function* jsonBatches(chunks: AsyncIterable<Uint8Array>, limits: JsonBatchLimits = {}): AsyncGenerator<RowBatch> {
  const { maxColumns = MAX_JSON_COLUMNS, maxCells = MAX_JSON_CELLS, batchRows = BATCH_ROWS, batchCells = BATCH_CELLS } = limits;
  let rows = 0;
  const builder = new BatchBuilder();
  /** Each key's column name, and the column names lower-cased. */
  const names = new Map<string, string>();
  const folded = new Set<string>();
  for await (const records of recordTexts(chunks)) {
    for (const record of records) {
      if ('problem' in record) {
        builder.rejected.push({ line: record.line, message: record.problem, text: record.text.slice(0, 200) });
        if (builder.rejected.length >= batchRows) yield builder.take();
        continue;
      }
      const parsed = parseRecord(record.text);
      if (!parsed.ok) {
        builder.rejected.push({ line: record.line, message: parsed.message, text: record.text.slice(0, 200) });
        if (builder.rejected.length >= batchRows) yield builder.take();
        continue;
      }
      let renamed = false;
      for (const key of parsed.cells.keys()) {
        const known = names.get(key);
        if (known !== undefined) {
          renamed ||= known !== key;
          continue;
        }
        if (names.size >= maxColumns) throw new Error(tooManyColumns(record.line, key, maxColumns));
        // DuckDB's names ignore case: "userId" and "userid" cannot both be columns, the second is "userid_2".
        // An empty key and a NUL byte cannot be column names as they are (Arrow and DuckDB rename or cut them).
        const base = key === '' ? '(empty key)' : key.replaceAll('\u0000', '\uFFFD');
        let name = base;
        for (let n = 2; folded.has(name.toLowerCase()); n++) name = `${base}_${n}`;
        names.set(key, name);
        folded.add(name.toLowerCase());
        renamed ||= name !== key;
      }
      builder.add(renamed ? new Map([...parsed.cells].map(([k, v]) => [names.get(k) ?? k, v])) : parsed.cells);
      rows++;
      if (rows * names.size > maxCells) throw new Error(tooManyCells(record.line, rows, names.size, maxCells));
      if (builder.rows >= batchRows || builder.cellCount >= batchCells) yield builder.take();
    }
  }
  if (builder.rows > 0 || builder.rejected.length > 0) yield builder.take();
}
