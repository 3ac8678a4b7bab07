import { DataType, Int32, Table, type Utf8, Vector, makeData, makeVector, tableFromIPC, tableToIPC } from 'apache-arrow';
import { PackedTexts } from './csv-bytes';
import type { EventColumns } from '../domain/types';

/*
 * The events export's order (ORDER BY user_id, ts_us, row_number) from the columns the stats
 * worker holds. They already keep each user's events together in (time, row) order; only
 * the users' order differs (first appearance, or DuckDB's partitions, where the export wants
 * the users' ids in DuckDB's text order). DuckDB gives that order once, as the row of each
 * user's first event sorted by id (a sort of one row per user), and the worker places every
 * event: its export position is the events of the users before it plus its place within its
 * user. DuckDB then orders the file's rows by one integer (POSITIONAL JOIN, no hash join,
 * no sort by text), and the session numbers come in the same order, with no window.
 */

/** The users in export order, and each event's export position (events in the worker's order). */
export interface ExportOrder {
  /** Where each user's run of events starts in the worker's order (by user index), then the end. */
  starts: Int32Array;
  /** User indexes in export order. */
  users: Int32Array;
  /** Export position of event i (the worker's order). */
  positions: Int32Array;
}

/** The users' runs of events (where each starts), checking the (time, row) order within each. */
function userStarts({ gaps, times, rows }: EventColumns): Int32Array {
  const starts: number[] = [];
  for (let i = 0; i < gaps.length; i++) {
    if ((gaps[i] as number) < 0) starts.push(i);
    else {
      const dt = (times[i] as number) - (times[i - 1] as number);
      if (i === 0 || dt < 0 || (dt === 0 && (rows[i] as number) <= (rows[i - 1] as number))) {
        throw new Error(`the events are not in (time, row) order within their user at event ${i}`);
      }
    }
  }
  starts.push(gaps.length);
  return Int32Array.from(starts);
}

/**
 * The export order from `firstRows`: the row number of each user's first event, the users
 * sorted as the export sorts them. Throws when they are not the worker's users.
 */
export function exportOrder(columns: EventColumns, rawRows: number, firstRows: Float64Array): ExportOrder {
  const starts = userStarts(columns);
  const userCount = starts.length - 1;
  if (firstRows.length !== userCount) throw new Error(`DuckDB lists ${firstRows.length} users where the statistics hold ${userCount}`);
  // The user of each first event's row (-1: not a first event).
  const userOfRow = new Int32Array(rawRows + 1).fill(-1);
  for (let u = 0; u < userCount; u++) {
    const row = columns.rows[starts[u] as number] as number;
    if (!(row >= 1 && row <= rawRows)) throw new Error(`event row ${row} is outside the raw table's ${rawRows} rows`);
    userOfRow[row] = u;
  }
  const users = new Int32Array(userCount);
  const positions = new Int32Array(columns.gaps.length);
  let next = 0;
  for (let k = 0; k < userCount; k++) {
    const row = firstRows[k] as number;
    const u = row >= 1 && row <= rawRows ? (userOfRow[row] as number) : -1;
    if (u < 0) throw new Error(`row ${row} is no user's first event in the statistics`);
    userOfRow[row] = -1;
    users[k] = u;
    for (let i = starts[u] as number; i < (starts[u + 1] as number); i++) positions[i] = next++;
  }
  return { starts, users, positions };
}

/** Each raw row's export position (`rawRows` rows in file order; NULL for a row that made no event), as Arrow IPC. */
export function positionsByRowToIpc(columns: EventColumns, order: ExportOrder, rawRows: number): Uint8Array {
  const { rows } = columns;
  const position = new Int32Array(rawRows);
  const valid = new Uint8Array(Math.ceil(rawRows / 8));
  for (let i = 0; i < rows.length; i++) {
    const at = (rows[i] as number) - 1;
    position[at] = order.positions[i] as number;
    valid[at >> 3] = (valid[at >> 3] as number) | (1 << (at & 7));
  }
  const data = makeData({ type: new Int32(), length: rawRows, nullCount: rawRows - rows.length, nullBitmap: valid, data: position });
  return tableToIPC(new Table({ position: new Vector([data]) }), 'stream');
}

/** (position, session_number) in export order, as Arrow IPC: `numbers` per event in the worker's order. */
export function numbersInExportOrderToIpc(order: ExportOrder, numbers: Int32Array): Uint8Array {
  const n = order.positions.length;
  const inOrder = new Int32Array(n);
  for (let i = 0; i < n; i++) inOrder[order.positions[i] as number] = numbers[i] as number;
  const position = new Int32Array(n);
  for (let p = 0; p < n; p++) position[p] = p;
  return tableToIPC(new Table({ position: makeVector(position), session_number: makeVector(inOrder) }), 'stream');
}

/** The row numbers of exportUsersSql's result. */
export function firstRowsFromIpc(ipc: Uint8Array): Float64Array {
  const vector = tableFromIPC(ipc).getChild('row');
  if (!vector) throw new Error('the users query returned no "row" column');
  return new Float64Array(vector.toArray() as Float64Array);
}

/** exportUsersWithIdsSql's result: each user's first row and id, the users in the export's order. */
export function exportUsersFromIpc(ipc: Uint8Array): { firstRows: Float64Array; ids: PackedTexts } {
  const table = tableFromIPC(ipc);
  const rows = table.getChild('row');
  const ids = table.getChild('user_id');
  if (!rows || !ids || !DataType.isUtf8(ids.type)) throw new Error('the users query returned no "row" and text "user_id" columns');
  return { firstRows: new Float64Array(rows.toArray() as Float64Array), ids: PackedTexts.fromArrow(ids as Vector<Utf8>) };
}
