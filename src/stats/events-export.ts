import { readBytes } from '../domain/csv-records';
import type { EventColumns } from '../domain/types';
import { ByteWriter, type PackedTexts } from './csv-bytes';
import type { ExportOrder } from './export-order';
import { FORMULA_BYTES, idCells, writeSessionIdCell, type IdCells } from './sessions-export';

/*
 * The events export written by the stats worker from the file's own bytes, for a file the
 * quick read took (quick-read.ts: plainly regular UTF-8, one row per line after the header,
 * the raw table's row r is the file's data line r). The worker knows each event's export
 * position (export-order.ts) and session number; DuckDB gives the users' ids (as for the
 * sessions export) and the header line. Each exported line is the row's original cells, as
 * DuckDB reads them and COPY writes them, then session_id and session_number.
 *
 * Memory stays bounded: the lines of a window of positions (about `windowBytes` of the file's
 * text) are gathered in one sequential pass over the file, read in slices (the next slice is
 * read while one is copied), and the window's chunks are written from it. The first pass also
 * finds every line's start (a Uint32Array), which sizes the later windows exactly. At 10M
 * events (559 MB) and 192 MB windows that is three passes over the file.
 */

/** The quick read's reading of the file: its bytes, dialect and header names. */
export interface EventsFile {
  data: Blob | Uint8Array;
  delimiter: string;
  /** '"' or '' (no quoting). */
  quote: string;
  columns: readonly string[];
}

/** About the most bytes of the file's lines gathered at a time (see the module comment). */
export const EVENTS_WINDOW_BYTES = 192 << 20;
/** The most bytes read from the file at a time. */
export const EVENTS_SLICE_BYTES = 16 << 20;

/** The lines of positions [from, to), each where it was copied into `bytes` (in file order). */
interface Window {
  from: number;
  to: number;
  at: Float64Array;
  length: Int32Array;
  /** 1 where the line holds a quote or a CR (its cells are split, not copied). */
  marked: Uint8Array;
  bytes: Uint8Array;
  size: number;
}

/** A window for positions [from, to) with room for `capacity` bytes: `spare`'s, when it has that room. */
function emptyWindow(from: number, to: number, capacity: number, spare: Uint8Array | null = null): Window {
  const n = to - from;
  const bytes = spare && spare.length >= capacity ? spare : new Uint8Array(Math.max(64, capacity));
  return { from, to, at: new Float64Array(n), length: new Int32Array(n), marked: new Uint8Array(n), bytes, size: 0 };
}

/** Copies bytes [start, stop) of `src` as position p's line. */
function addLine(w: Window, p: number, src: Uint8Array, start: number, stop: number): void {
  const n = stop - start;
  if (w.size + n > w.bytes.length) {
    // By a quarter: the first window's size is an estimate, and doubling would hold twice its memory.
    const grown = new Uint8Array(Math.max(w.bytes.length + (w.bytes.length >> 2), w.size + n));
    grown.set(w.bytes.subarray(0, w.size));
    w.bytes = grown;
  }
  const place = w.size;
  let marked = 0;
  // A loop copies a short line faster than a subarray and set.
  if (n > 128) {
    const line = src.subarray(start, stop);
    w.bytes.set(line, place);
    marked = line.indexOf(QUOTE) >= 0 || line.indexOf(CR) >= 0 ? 1 : 0;
  } else
    for (let k = 0; k < n; k++) {
      const b = src[start + k] as number;
      w.bytes[place + k] = b;
      if (b === QUOTE || b === CR) marked = 1;
    }
  w.marked[p - w.from] = marked;
  w.at[p - w.from] = place;
  w.length[p - w.from] = n;
  w.size += n;
}

/** One events export under way, written chunk by chunk (eventsCsvChunk). */
export interface EventsForExport {
  data: Blob | Uint8Array;
  delimiter: number;
  /** The quote byte, -1 for none. */
  quote: number;
  columnCount: number;
  crlf: boolean;
  /** Where each data row's line starts in the file (row r, 0-based), then the file's end. */
  lineStarts: Uint32Array;
  /** The raw row (0-based) at each export position, and each raw row's position (-1: no event). */
  rowAt: Int32Array;
  positionOf: Int32Array;
  /** The session number at each position. */
  numberAt: Int32Array;
  /** The first position of each user in export order, then the number of positions. */
  userStarts: Int32Array;
  /** The users' ids as DuckDB has them, in export order. */
  ids: PackedTexts;
  cells: Map<boolean, IdCells>;
  /** The header line as COPY writes it. */
  header: Uint8Array;
  windowBytes: number;
  sliceBytes: number;
  window: Window | null;
  /** The last window's bytes, once its chunks are written: the next window's, when they fit (no second window's memory meanwhile). */
  spare: Uint8Array | null;
}

const LF = 10;
const CR = 13;
const COMMA = 44;
const QUOTE = 34;
const APOSTROPHE = 39;
const BOM = [0xef, 0xbb, 0xbf];

/** Reads slices [from, to) of `data` one after another, each while the one before is used. */
async function eachSlice(data: Blob | Uint8Array, slices: readonly (readonly [number, number])[], use: (slice: Uint8Array, i: number) => void): Promise<void> {
  const read = (i: number) => {
    const [from, to] = slices[i] ?? [0, 0];
    const reading = readBytes(data, from, to);
    reading.catch(() => {});
    return reading;
  };
  let next = slices.length > 0 ? read(0) : null;
  for (let i = 0; i < slices.length; i++) {
    const slice = await (next as Promise<Uint8Array>);
    next = i + 1 < slices.length ? read(i + 1) : null;
    use(slice, i);
  }
}

/**
 * Each data line's start, after the header (which must name `columns`), and the file's end;
 * throws unless there are `rawRows` lines. Gathers `first`'s lines meanwhile (positionOf:
 * each row's export position).
 */
export async function findLineStarts(
  file: EventsFile,
  rawRows: number,
  sliceBytes = EVENTS_SLICE_BYTES,
  first: { window: Window; positionOf: Int32Array } | null = null,
): Promise<{ lineStarts: Uint32Array; crlf: boolean }> {
  const { data } = file;
  const size = data instanceof Uint8Array ? data.length : data.size;
  if (size >= 2 ** 32) throw new Error('the file is too large for 32-bit line starts');
  const lineStarts = new Uint32Array(rawRows + 1);
  let headerEnd = -1;
  let crlf = false;
  let rows = 0;
  /** The byte before the slice (a CR before the header's LF may end the slice before). */
  let before = -1;
  /** Lines of the first window cut by a slice's end: read on their own after. */
  const cut: number[] = [];
  const take = (row: number, slice: Uint8Array, base: number, lineEnd: number) => {
    if (!first) return;
    const p = first.positionOf[row] as number;
    if (p < first.window.from || p >= first.window.to) return;
    const start = (lineStarts[row] as number) - base;
    if (start < 0) cut.push(row);
    else addLine(first.window, p, slice, start, lineEnd - base - (crlf && slice[lineEnd - base - 1] === CR ? 1 : 0));
  };
  const slices: [number, number][] = [];
  for (let at = 0; at < size; at += sliceBytes) slices.push([at, Math.min(size, at + sliceBytes)]);
  await eachSlice(data, slices, (slice, i) => {
    const base = (slices[i] as [number, number])[0];
    for (let k = slice.indexOf(LF); k >= 0; k = slice.indexOf(LF, k + 1)) {
      const lineEnd = base + k;
      if (headerEnd < 0) {
        headerEnd = lineEnd + 1;
        crlf = (k > 0 ? slice[k - 1] : before) === CR;
      } else {
        if (rows === 0 || rows > rawRows) throw new Error(`the file has more than the raw table's ${rawRows} rows`);
        take(rows - 1, slice, base, lineEnd);
      }
      if (lineEnd + 1 < size) {
        if (rows >= rawRows) throw new Error(`the file has more than the raw table's ${rawRows} rows`);
        lineStarts[rows++] = lineEnd + 1;
      }
    }
    // The last line, when no line break ends it.
    if (i === slices.length - 1 && rows > 0 && slice[slice.length - 1] !== LF) take(rows - 1, slice, base, size);
    before = slice[slice.length - 1] ?? -1;
  });
  if (headerEnd < 0) throw new Error('the file has no header line ending');
  if (rows !== rawRows) throw new Error(`the file has ${rows} rows where the raw table has ${rawRows}`);
  lineStarts[rawRows] = size;
  const headerBytes = await readBytes(data, 0, headerEnd);
  const bom = BOM.every((b, i) => headerBytes[i] === b) ? 3 : 0;
  const header = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes.subarray(bom, headerBytes.length - (crlf ? 2 : 1)));
  if (header !== file.columns.join(file.delimiter)) throw new Error('the file’s header is not the raw table’s columns');
  for (const row of cut) {
    const start = lineStarts[row] as number;
    const line = await readBytes(data, start, lineStarts[row + 1] as number);
    let stop = line.length;
    if (line[stop - 1] === LF) stop--;
    if (crlf && line[stop - 1] === CR) stop--;
    if (first) addLine(first.window, first.positionOf[row] as number, line, 0, stop);
  }
  return { lineStarts, crlf };
}

/** What orders the export: each position's raw row and session number, each user's first position. */
export function positionsOfExport(
  columns: EventColumns,
  order: ExportOrder,
  numbers: Int32Array,
  rawRows: number,
): Pick<EventsForExport, 'rowAt' | 'positionOf' | 'numberAt' | 'userStarts'> {
  const n = order.positions.length;
  const rowAt = new Int32Array(n);
  const numberAt = new Int32Array(n);
  const positionOf = new Int32Array(rawRows).fill(-1);
  for (let i = 0; i < n; i++) {
    const p = order.positions[i] as number;
    const row = (columns.rows[i] as number) - 1;
    rowAt[p] = row;
    positionOf[row] = p;
    numberAt[p] = numbers[i] as number;
  }
  const userStarts = new Int32Array(order.users.length + 1);
  for (let k = 0; k < order.users.length; k++) {
    const u = order.users[k] as number;
    userStarts[k + 1] = (userStarts[k] as number) + (order.starts[u + 1] as number) - (order.starts[u] as number);
  }
  return { rowAt, positionOf, numberAt, userStarts };
}

export interface EventsExportSetup {
  file: EventsFile;
  rawRows: number;
  header: Uint8Array;
  /** The rows of each chunk asked for (the windows hold whole chunks). */
  chunkRows: number;
  windowBytes?: number;
  sliceBytes?: number;
}

/** The events export's state (one pass over the file); throws where the worker cannot write the same bytes as SQL. */
export async function eventsForExport(
  columns: EventColumns,
  order: ExportOrder,
  numbers: Int32Array,
  ids: PackedTexts,
  setup: EventsExportSetup,
): Promise<EventsForExport> {
  const { file, rawRows } = setup;
  if (!/^[,;\t|]$/.test(file.delimiter)) throw new Error(`the delimiter ${JSON.stringify(file.delimiter)} is not one the worker splits`);
  if (file.quote !== '"' && file.quote !== '') throw new Error(`the quote ${JSON.stringify(file.quote)} is not one the worker reads`);
  if (ids.count !== order.users.length) throw new Error(`DuckDB lists ${ids.count} user ids where the export orders ${order.users.length} users`);
  const sliceBytes = setup.sliceBytes ?? EVENTS_SLICE_BYTES;
  const windowBytes = setup.windowBytes ?? EVENTS_WINDOW_BYTES;
  const positions = positionsOfExport(columns, order, numbers, rawRows);
  // The first window's size before the lines' lengths are known: as many whole chunks as the
  // average line fills in nine tenths of the window (its lines may be longer than the average).
  const size = file.data instanceof Uint8Array ? file.data.length : file.data.size;
  const total = positions.rowAt.length;
  const chunkRows = Math.max(1, setup.chunkRows);
  const chunks = Math.max(1, Math.floor((0.9 * windowBytes) / Math.max(1, size / Math.max(1, rawRows)) / chunkRows));
  const first = emptyWindow(0, Math.min(total, chunks * chunkRows), Math.min(windowBytes, size));
  const { lineStarts, crlf } = await findLineStarts(file, rawRows, sliceBytes, { window: first, positionOf: positions.positionOf });
  return {
    data: file.data,
    delimiter: file.delimiter.charCodeAt(0),
    quote: file.quote === '' ? -1 : QUOTE,
    columnCount: file.columns.length,
    crlf,
    lineStarts,
    ...positions,
    ids,
    cells: new Map(),
    header: setup.header,
    windowBytes,
    sliceBytes,
    window: first,
    spare: null,
  };
}

const lineBytes = (e: EventsForExport, row: number) => (e.lineStarts[row + 1] as number) - (e.lineStarts[row] as number);

/** Gathers the lines of positions [from, to): `to` is `from` plus as many chunks of `chunk` positions as fit in the window's bytes (one at least). */
async function gather(e: EventsForExport, from: number, chunk: number): Promise<Window> {
  const total = e.rowAt.length;
  let to = from;
  let size = 0;
  while (to < total) {
    const next = Math.min(total, to + chunk);
    let add = 0;
    for (let p = to; p < next; p++) add += lineBytes(e, e.rowAt[p] as number);
    if (to > from && size + add > e.windowBytes) break;
    size += add;
    to = next;
  }
  const win = emptyWindow(from, to, size, e.spare);
  e.spare = null;
  const rawRows = e.positionOf.length;
  // The slices that hold a line of the window: rows [r, end), whole lines, at most a slice's bytes (one line at least).
  const rowSlices: [number, number][] = [];
  for (let r = 0; r < rawRows; ) {
    let end = r + 1;
    const limit = (e.lineStarts[r] as number) + e.sliceBytes;
    while (end < rawRows && (e.lineStarts[end + 1] as number) <= limit) end++;
    let wanted = false;
    for (let q = r; q < end && !wanted; q++) {
      const p = e.positionOf[q] as number;
      wanted = p >= from && p < to;
    }
    if (wanted) rowSlices.push([r, end]);
    r = end;
  }
  const byteSlices = rowSlices.map(([r, end]) => [e.lineStarts[r] as number, e.lineStarts[end] as number] as const);
  await eachSlice(e.data, byteSlices, (slice, i) => {
    const [r, end] = rowSlices[i] as [number, number];
    const base = e.lineStarts[r] as number;
    for (let q = r; q < end; q++) {
      const p = e.positionOf[q] as number;
      if (p < from || p >= to) continue;
      const start = (e.lineStarts[q] as number) - base;
      let stop = (e.lineStarts[q + 1] as number) - base;
      if (slice[stop - 1] === LF) stop--;
      if (e.crlf && slice[stop - 1] === CR) stop--;
      addLine(win, p, slice, start, stop);
    }
  });
  return win;
}

/**
 * A text cell as COPY writes it (csvCell) from its bytes: quoted when empty or holding a
 * comma, quote, CR or LF, with an apostrophe first in the spreadsheet-safe form when it starts
 * like a formula. `escaped`: the bytes are a quoted field's inside (quotes already doubled).
 */
function writeCell(w: ByteWriter, src: Uint8Array, from: number, to: number, escaped: boolean, safe: boolean): void {
  let quoted = from === to;
  for (let k = from; k < to && !quoted; k++) {
    const b = src[k] as number;
    quoted = b === COMMA || b === QUOTE || b === CR || b === LF;
  }
  const formula = safe && from < to && FORMULA_BYTES.has(src[from] as number);
  if (quoted) w.byte(QUOTE);
  if (formula) w.byte(APOSTROPHE);
  if (!quoted || escaped) w.range(src, from, to);
  else
    for (let k = from; k < to; k++) {
      const b = src[k] as number;
      w.byte(b);
      if (b === QUOTE) w.byte(QUOTE);
    }
  if (quoted) w.byte(QUOTE);
}

/** A line's cells, split as DuckDB reads the file (an empty cell, quoted or not, is NULL: nothing), each as COPY writes it. */
function writeCells(w: ByteWriter, e: EventsForExport, src: Uint8Array, from: number, to: number, safe: boolean): void {
  const { delimiter, quote } = e;
  let i = from;
  let cells = 0;
  for (;;) {
    if (cells > 0) w.byte(COMMA);
    if (quote >= 0 && i < to && src[i] === quote) {
      let j = i + 1;
      while (j < to && !(src[j] === quote && (j + 1 >= to || src[j + 1] !== quote))) j += src[j] === quote ? 2 : 1;
      if (j >= to) throw new Error('a quoted cell is not closed on its line');
      // A quoted empty cell is NULL too (read_csv's allow_quoted_nulls): nothing.
      if (j > i + 1) writeCell(w, src, i + 1, j, true, safe);
      i = j + 1;
      if (i < to && src[i] !== delimiter) throw new Error('text follows a closing quote');
    } else {
      let j = i;
      while (j < to && src[j] !== delimiter) j++;
      if (j > i) writeCell(w, src, i, j, false, safe);
      i = j;
    }
    cells++;
    if (i >= to) break;
    i++;
  }
  if (cells !== e.columnCount) throw new Error(`a line has ${cells} cells where the header has ${e.columnCount}`);
}

/**
 * Positions [from, to) as the events export's CSV lines (the header first when asked): the
 * bytes SQL's COPY writes. A comma-separated line with no quote or CR is its own cells' bytes
 * (no cell needs quotes, an empty cell is NULL either way) when not spreadsheet-safe.
 */
export async function eventsCsvChunk(e: EventsForExport, from: number, to: number, header: boolean, safe: boolean): Promise<Uint8Array> {
  let win = e.window;
  if (!win || from < win.from || to > win.to) {
    if (win) e.spare = win.bytes;
    e.window = null;
    win = await gather(e, from, Math.max(1, to - from));
    e.window = win;
  }
  const cells = e.cells.get(safe) ?? idCells(e.ids, safe);
  e.cells.set(safe, cells);
  const { ids, userStarts, numberAt } = e;
  const { bytes } = win;
  let capacity = e.header.length;
  for (let p = from; p < to; p++) capacity += (win.length[p - win.from] as number) + 32;
  // Room for the ids (a user's id in every session_id cell).
  capacity += (to - from) * Math.ceil(ids.bytes.length / Math.max(1, ids.count)) * 2;
  const w = new ByteWriter(capacity);
  if (header) w.bytes(e.header);
  // The user of `from`: the last whose first position is at or before it.
  let lo = 0;
  let hi = userStarts.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((userStarts[mid] as number) <= from) lo = mid;
    else hi = mid;
  }
  let user = lo;
  const plainLines = e.delimiter === COMMA && !safe;
  for (let p = from; p < to; p++) {
    while ((userStarts[user + 1] as number) <= p) user++;
    const start = win.at[p - win.from] as number;
    const end = start + (win.length[p - win.from] as number);
    if (plainLines && win.marked[p - win.from] === 0) w.range(bytes, start, end);
    else writeCells(w, e, bytes, start, end, safe);
    w.byte(COMMA);
    const n = numberAt[p] as number;
    writeSessionIdCell(w, ids, cells, user, n);
    w.byte(COMMA);
    w.integer(n);
    w.byte(LF);
  }
  // The window's last chunk written: its memory is the next window's.
  if (to >= win.to) {
    e.window = null;
    e.spare = win.bytes;
  }
  return w.result();
}
