import { DataType, Float64, Table, Vector, makeData, makeVector, tableFromIPC, tableToIPC, type Data, type Dictionary } from 'apache-arrow';
import type { EventColumns } from '../domain/types';

function column(table: Table, name: string): Float64Array {
  const vector = table.getChild(name);
  if (!vector) throw new Error(`the query returned no "${name}" column`);
  return new Float64Array(vector.toArray() as Float64Array);
}

/** Decodes gapColumnsSql's result (Arrow IPC) into typed arrays, without a per-row loop. */
export function gapColumnsFromIpc(ipc: Uint8Array, users: number): EventColumns {
  const table = tableFromIPC(ipc);
  const gaps = column(table, 'gap');
  return { gaps, times: column(table, 'ts'), rows: table.getChild('row') ? column(table, 'row') : new Float64Array(gaps.length), users };
}

/**
 * Per-event dictionary codes for the split rule from rawColumnSql's cells (file order) and
 * each event's row number: -1 where the cell is empty or blank.
 */
export function splitCodesFromRawIpc(ipc: Uint8Array, rows: Float64Array): Int32Array {
  const index = new Map<string, number>();
  const rawCodes = dictionaryCodesFromIpc(ipc, (cell) => {
    if (cell.trim() === '') return -1;
    let code = index.get(cell);
    if (code === undefined) {
      code = index.size;
      index.set(cell, code);
    }
    return code;
  });
  const codes = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) codes[i] = rawCodes[(rows[i] as number) - 1] ?? -1;
  return codes;
}

/** A raw column's cells (rawColumnSql, file order) per event, by row number: codes into the distinct cells, -1 for NULL. */
export function textColumnFromRawIpc(ipc: Uint8Array, rows: Float64Array): { codes: Int32Array; labels: string[] } {
  const { codes: rawCodes, labels } = urlColumnFromIpc(ipc);
  const codes = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) codes[i] = rawCodes[(rows[i] as number) - 1] ?? -1;
  return { codes, labels };
}

/** (row_number, session_number) as Arrow IPC, for DuckDB to join the numbers back. */
export function sessionNumbersToIpc(rows: Float64Array, numbers: Int32Array): Uint8Array {
  return tableToIPC(
    new Table({
      row_number: makeVector(rows),
      session_number: makeVector(numbers),
    }),
    'stream',
  );
}

/**
 * The events' instants and gaps (-1: a user's first event) as Arrow IPC, one row per data
 * row of the file in file order (`rowsRead` rows): DuckDB lines them up with its raw table
 * by position, with no join. A row that made no event (skipped) has a NULL instant.
 */
export function eventsByRowToIpc(columns: EventColumns, rowsRead: number): Uint8Array {
  const { rows, times, gaps } = columns;
  const ts = new Float64Array(rowsRead);
  const gap = new Float64Array(rowsRead);
  // Arrow's validity bitmap: bit i set = row i made an event.
  const valid = new Uint8Array(Math.ceil(rowsRead / 8));
  for (let i = 0; i < rows.length; i++) {
    const at = (rows[i] as number) - 1;
    ts[at] = times[i] as number;
    gap[at] = gaps[i] as number;
    valid[at >> 3] = (valid[at >> 3] as number) | (1 << (at & 7));
  }
  const nullCount = rowsRead - rows.length;
  const instants = makeData({ type: new Float64(), length: rowsRead, nullCount, nullBitmap: valid, data: ts });
  return tableToIPC(new Table({ ts_us: new Vector([instants]), gap_us: makeVector(gap) }), 'stream');
}

/** Codes and labels from urlColumnSql's result; -1 = no url. */
export function urlColumnFromIpc(ipc: Uint8Array): { codes: Int32Array; labels: string[] } {
  const index = new Map<string, number>();
  const labels: string[] = [];
  const codes = dictionaryCodesFromIpc(ipc, (url) => {
    let code = index.get(url);
    if (code === undefined) {
      code = labels.length;
      index.set(url, code);
      labels.push(url);
    }
    return code;
  });
  return { codes, labels };
}

/**
 * The code of each row of dictionaryColumnSql's result: `codeOf` of its value, called
 * once per distinct value of each dictionary the batches carry; -1 for NULL.
 */
function dictionaryCodesFromIpc(ipc: Uint8Array, codeOf: (value: string) => number): Int32Array {
  const vector = tableFromIPC(ipc).getChild('value');
  if (!vector) throw new Error('the column query returned no "value" column');
  if (!DataType.isDictionary(vector.type)) throw new Error(`the column query returned ${vector.type}, not a dictionary`);
  const codes = new Int32Array(vector.length);
  let dictionary: Vector | undefined;
  let remap = new Int32Array(0);
  let at = 0;
  for (const data of vector.data as Data<Dictionary>[]) {
    if (data.dictionary !== dictionary) {
      dictionary = data.dictionary;
      remap = Int32Array.from((dictionary?.toArray() ?? []) as string[], codeOf);
    }
    const keys = data.values;
    for (let i = 0; i < data.length; i++) {
      codes[at + i] = data.nullCount > 0 && !data.getValid(i) ? -1 : (remap[keys[i] as number] as number);
    }
    at += data.length;
  }
  return codes;
}

/** userIdsSql's rows: each user's first row number and id. */
export function userIdsFromIpc(ipc: Uint8Array): { rows: Float64Array; ids: (string | null)[] } {
  const table = tableFromIPC(ipc);
  const ids = table.getChild('user_id');
  if (!ids) throw new Error('the user query returned no "user_id" column');
  return { rows: column(table, 'row'), ids: Array.from(ids as Iterable<string | null>) };
}
