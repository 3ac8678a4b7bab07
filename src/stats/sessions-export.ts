import { type Data, Table, TimeUnit, Timestamp, Utf8, makeData, makeVector, tableToIPC } from 'apache-arrow';
import { ByteWriter, csvCell, csvNeedsQuotes, PackedTexts, spreadsheetSafeText, utf8, writeDuration, writeIsoMillis } from './csv-bytes';
import type { EventColumns, UrlColumn } from '../domain/types';
import type { ExportOrder } from './export-order';

/*
 * The sessions export made by the stats worker alone: it holds every session's events, the
 * urls (DuckDB's text, as a dictionary) and, from the export's users query, each user's id
 * as DuckDB has it. It writes the CSV text and the Arrow rows itself, chunk by chunk, so
 * DuckDB neither joins the file's cells back nor formats and copies the rows. The bytes must
 * be those SQL writes (sessionsExportSql through COPY … (FORMAT CSV)); a test compares them.
 */

/** What exportSessionsChunk writes: CSV lines (the header first when asked; cells made spreadsheet-safe when asked) or Arrow IPC. */
export type SessionsChunkFormat = { type: 'csv'; header: boolean; spreadsheetSafe: boolean } | { type: 'arrow' };

/** The sessions of one export in its order (users as the export sorts them, then session number). */
export interface SessionsForExport {
  /** Per session: the user's place in the export's order (an index into `ids`). */
  user: Int32Array;
  number: Int32Array;
  /** First and last instants (µs). */
  start: Float64Array;
  end: Float64Array;
  events: Int32Array;
  /** The url code of the session's first and last event with a url (-1: none, NULL). */
  firstUrl: Int32Array;
  lastUrl: Int32Array;
  /** The users' ids in the export's order, as DuckDB's events table has them (UTF-8, as DuckDB gave them). */
  ids: PackedTexts;
  labels: readonly string[];
}

/**
 * The sessions at the threshold and rules (`starts`: 1 where an event starts one), each
 * user's in (time, row) order, as the SQL export's GROUP BY and arg_min/arg_max of the url
 * (NULL urls skipped) make them.
 */
export function sessionsForExport(columns: EventColumns, order: ExportOrder, starts: Uint8Array, url: UrlColumn | null, ids: PackedTexts): SessionsForExport {
  if (ids.count !== order.users.length) throw new Error(`DuckDB lists ${ids.count} user ids where the export orders ${order.users.length} users`);
  const { times } = columns;
  let count = 0;
  for (let k = 0; k < order.users.length; k++) {
    const u = order.users[k] as number;
    const from = order.starts[u] as number;
    const to = order.starts[u + 1] as number;
    // A user's first event starts a session whatever the mark says.
    if (to > from) count += 1 - (starts[from] as number);
    for (let i = from; i < to; i++) count += starts[i] as number;
  }
  const sessions: SessionsForExport = {
    user: new Int32Array(count),
    number: new Int32Array(count),
    start: new Float64Array(count),
    end: new Float64Array(count),
    events: new Int32Array(count),
    firstUrl: new Int32Array(count).fill(-1),
    lastUrl: new Int32Array(count).fill(-1),
    ids,
    labels: url?.labels ?? [],
  };
  const codes = url?.codes ?? null;
  let s = -1;
  for (let k = 0; k < order.users.length; k++) {
    const u = order.users[k] as number;
    let n = 0;
    for (let i = order.starts[u] as number; i < (order.starts[u + 1] as number); i++) {
      if (starts[i] === 1 || n === 0) {
        s++;
        n++;
        sessions.user[s] = k;
        sessions.number[s] = n;
        sessions.start[s] = times[i] as number;
      }
      sessions.end[s] = times[i] as number;
      sessions.events[s] = (sessions.events[s] as number) + 1;
      const code = codes ? (codes[i] as number) : -1;
      if (code >= 0) {
        if ((sessions.firstUrl[s] as number) < 0) sessions.firstUrl[s] = code;
        sessions.lastUrl[s] = code;
      }
    }
  }
  if (s + 1 !== count) throw new Error(`the sessions' starts count ${count} sessions where the users' runs make ${s + 1}`);
  return sessions;
}

/** Instants this module writes as SQL's strftime does ('%Y-%m-%dT%H:%M:%S.%gZ'): four-digit years. */
const FIRST_US = Date.UTC(1000, 0, 1) * 1000;
const END_US = Date.UTC(10000, 0, 1) * 1000;

/** Throws when an instant is outside the years this writer formats exactly as SQL (SQL then writes the export). */
export function checkExportInstants(sessions: SessionsForExport): void {
  for (let s = 0; s < sessions.start.length; s++) {
    const start = sessions.start[s] as number;
    const end = sessions.end[s] as number;
    if (!(start >= FIRST_US && end < END_US)) throw new Error(`session ${s + 1} has an instant outside the years 1000-9999`);
  }
}

export const SESSIONS_CSV_HEADER = 'session_id,user_id,session_number,start_time,end_time,duration_seconds,event_count,first_url,last_url\n';

/**
 * The session_id and user_id cells of each user, encoded once per user rather than once per
 * row (the sessions export, and the events export's session_id, events-export.ts).
 */
export interface IdCells {
  /**
   * Per user: 1 where the id's cells are its own bytes (user_id is the id, session_id the id,
   * '-' and the number): no quotes, not empty, no spreadsheet-safe apostrophe. Nearly all are.
   */
  plain: Uint8Array;
  /** The others: the user_id cell, the session_id cell up to its number (null for a NULL id: an empty cell) and whether it is quoted. */
  special: Map<number, { user: Uint8Array; sessionHead: Uint8Array | null; quoted: boolean }>;
}

/** The texts of an export's cells, encoded once per user and per url rather than once per session. */
interface EncodedCells extends IdCells {
  /** Per url code: the url's cell. */
  url: PackedTexts;
}

const DOUBLE_QUOTE = 34;
const DASH = 45;
/** The first bytes cellSql's spreadsheet-safe form prefixes: = + - @ TAB CR. */
export const FORMULA_BYTES = new Set([61, 43, 45, 64, 9, 13]);

/** Whether id `u`'s cells are its own bytes (IdCells.plain). */
function plainId(ids: PackedTexts, u: number, safe: boolean): boolean {
  const from = ids.offsets[u] as number;
  const to = ids.offsets[u + 1] as number;
  if (ids.isNull(u) || to === from) return false;
  if (safe && FORMULA_BYTES.has(ids.bytes[from] as number)) return false;
  for (let k = from; k < to; k++) {
    const b = ids.bytes[k] as number;
    if (b === DOUBLE_QUOTE || b === COMMA || b === 13 || b === NEWLINE) return false;
  }
  return true;
}

/** The users' id cells (IdCells) in the spreadsheet-safe form or not. */
export function idCells(ids: PackedTexts, safe: boolean): IdCells {
  const plain = new Uint8Array(ids.count);
  const special: IdCells['special'] = new Map();
  for (let u = 0; u < ids.count; u++) {
    if (plainId(ids, u, safe)) {
      plain[u] = 1;
      continue;
    }
    const id = ids.text(u);
    if (id === null) {
      special.set(u, { user: new Uint8Array(0), sessionHead: null, quoted: false });
      continue;
    }
    // `<id>-<n>`: the number adds no character that needs quotes, and never makes it empty.
    const head = safe ? spreadsheetSafeText(`${id}-`) : `${id}-`;
    const quoted = csvNeedsQuotes(head);
    special.set(u, { user: utf8(csvCell(id, safe)), sessionHead: utf8(quoted ? `"${head.replaceAll('"', '""')}` : head), quoted });
  }
  return { plain, special };
}

/** Writes user `user`'s session `n` as its session_id cell (`<id>-<n>`, quoted as COPY would; nothing for a NULL id). */
export function writeSessionIdCell(w: ByteWriter, ids: PackedTexts, cells: IdCells, user: number, n: number): void {
  if (cells.plain[user] === 1) {
    w.text(ids, user);
    w.byte(DASH);
    w.integer(n);
    return;
  }
  const special = cells.special.get(user);
  if (!special?.sessionHead) return;
  w.bytes(special.sessionHead);
  w.integer(n);
  if (special.quoted) w.byte(DOUBLE_QUOTE);
}

function encodeCells(sessions: SessionsForExport, safe: boolean): EncodedCells {
  return { ...idCells(sessions.ids, safe), url: PackedTexts.of(sessions.labels.map((label) => csvCell(label, safe))) };
}

/** Encoded cells per export and form, made at its first chunk. */
const encodedCells = new WeakMap<SessionsForExport, Map<boolean, EncodedCells>>();

function cellsOf(sessions: SessionsForExport, safe: boolean): EncodedCells {
  const forms = encodedCells.get(sessions) ?? new Map<boolean, EncodedCells>();
  encodedCells.set(sessions, forms);
  const cells = forms.get(safe) ?? encodeCells(sessions, safe);
  forms.set(safe, cells);
  return cells;
}

/** The urls' own UTF-8 (the Arrow rows' texts), made at an export's first chunk. */
const encodedLabels = new WeakMap<SessionsForExport, PackedTexts>();

function labelsOf(sessions: SessionsForExport): PackedTexts {
  const labels = encodedLabels.get(sessions) ?? PackedTexts.of(sessions.labels);
  encodedLabels.set(sessions, labels);
  return labels;
}

/** At most this many bytes of a CSV line are not its texts: 3 numbers, 2 instants, a duration, separators. */
const LINE_BYTES_BESIDES_TEXTS = 128;

const COMMA = 44;
const NEWLINE = 10;

/**
 * Sessions [from, to) as the sessions export's CSV lines (the header first when asked), the
 * bytes sessionsExportSql's COPY writes (sessions-export.test.ts, exports-worker-order.test.ts).
 */
export function sessionsCsvChunk(sessions: SessionsForExport, from: number, to: number, header: boolean, safe: boolean): Uint8Array {
  const cells = cellsOf(sessions, safe);
  const { ids } = sessions;
  let capacity = SESSIONS_CSV_HEADER.length;
  for (let s = from; s < to; s++) {
    const user = sessions.user[s] as number;
    const first = sessions.firstUrl[s] as number;
    const last = sessions.lastUrl[s] as number;
    const special = cells.plain[user] === 1 ? null : cells.special.get(user);
    capacity += LINE_BYTES_BESIDES_TEXTS + (special ? (special.sessionHead?.length ?? 0) + special.user.length : 2 * ids.byteLength(user));
    capacity += (first >= 0 ? cells.url.byteLength(first) : 0) + (last >= 0 ? cells.url.byteLength(last) : 0);
  }
  const w = new ByteWriter(capacity);
  if (header) w.bytes(utf8(SESSIONS_CSV_HEADER));
  for (let s = from; s < to; s++) {
    const user = sessions.user[s] as number;
    const n = sessions.number[s] as number;
    writeSessionIdCell(w, ids, cells, user, n);
    w.byte(COMMA);
    if (cells.plain[user] === 1) w.text(ids, user);
    else {
      const special = cells.special.get(user);
      if (special) w.bytes(special.user);
    }
    w.byte(COMMA);
    w.integer(n);
    w.byte(COMMA);
    writeIsoMillis(w, sessions.start[s] as number);
    w.byte(COMMA);
    writeIsoMillis(w, sessions.end[s] as number);
    w.byte(COMMA);
    writeDuration(w, sessions.start[s] as number, sessions.end[s] as number);
    w.byte(COMMA);
    w.integer(sessions.events[s] as number);
    w.byte(COMMA);
    const first = sessions.firstUrl[s] as number;
    if (first >= 0) w.text(cells.url, first);
    w.byte(COMMA);
    const last = sessions.lastUrl[s] as number;
    if (last >= 0) w.text(cells.url, last);
    w.byte(NEWLINE);
  }
  return w.result();
}

/** A Utf8 column of `n` rows, each written by `write` (false: NULL), in at most `capacity` bytes (else it grows). */
function utf8Column(n: number, capacity: number, write: (w: ByteWriter, row: number) => boolean): Data<Utf8> {
  const offsets = new Int32Array(n + 1);
  const valid = new Uint8Array(Math.ceil(n / 8));
  const w = new ByteWriter(capacity);
  let nulls = 0;
  for (let r = 0; r < n; r++) {
    if (write(w, r)) valid[r >> 3] = (valid[r >> 3] as number) | (1 << (r & 7));
    else nulls++;
    offsets[r + 1] = w.size;
  }
  return makeData({ type: new Utf8(), length: n, nullCount: nulls, nullBitmap: valid, valueOffsets: offsets, data: w.result() });
}

const TWO_TO_32 = 2 ** 32;

/** 64-bit integers from doubles holding integers, as two 32-bit halves each (no BigInt per value). */
function int64Words(n: number, value: (row: number) => number): BigInt64Array {
  const out = new BigInt64Array(n);
  const words = new Int32Array(out.buffer);
  for (let r = 0; r < n; r++) {
    const v = value(r);
    const high = Math.floor(v / TWO_TO_32);
    words[2 * r] = (v - high * TWO_TO_32) | 0;
    words[2 * r + 1] = high;
  }
  return out;
}

/**
 * Sessions [from, to) as Arrow IPC (stream) with the sessions Parquet file's source columns
 * (src/state/exports.ts) already in the file's types: texts, int64 numbers, UTC µs instants
 * and DOUBLE durations ((end_us - start_us) / 1000000, as sessionsTypedSql computes them).
 */
export function sessionsArrowChunk(sessions: SessionsForExport, from: number, to: number): Uint8Array {
  const n = Math.max(0, to - from);
  const { ids } = sessions;
  const labels = labelsOf(sessions);
  const userOf = (r: number) => sessions.user[from + r] as number;
  let idBytes = 0;
  for (let r = 0; r < n; r++) idBytes += ids.byteLength(userOf(r));
  const url = (codes: Int32Array) => {
    let bytes = 0;
    for (let r = 0; r < n; r++) bytes += (codes[from + r] as number) >= 0 ? labels.byteLength(codes[from + r] as number) : 0;
    return utf8Column(n, bytes, (w, r) => {
      const code = codes[from + r] as number;
      if (code < 0) return false;
      w.text(labels, code);
      return true;
    });
  };
  const durations = new Float64Array(n);
  for (let r = 0; r < n; r++) durations[r] = ((sessions.end[from + r] as number) - (sessions.start[from + r] as number)) / 1_000_000;
  const instants = (values: Float64Array) =>
    makeVector(makeData({ type: new Timestamp(TimeUnit.MICROSECOND, 'UTC'), length: n, nullCount: 0, data: int64Words(n, (r) => values[from + r] as number) }));
  const table = new Table({
    session_id: makeVector(
      // `<id>-<n>`: a dash and at most 10 digits besides the id.
      utf8Column(n, idBytes + 11 * n, (w, r) => {
        if (ids.isNull(userOf(r))) return false;
        w.text(ids, userOf(r));
        w.byte(DASH);
        w.integer(sessions.number[from + r] as number);
        return true;
      }),
    ),
    user_id: makeVector(
      utf8Column(n, idBytes, (w, r) => {
        w.text(ids, userOf(r));
        return !ids.isNull(userOf(r));
      }),
    ),
    session_number: makeVector(int64Words(n, (r) => sessions.number[from + r] as number)),
    start_us: instants(sessions.start),
    end_us: instants(sessions.end),
    duration_seconds: makeVector(durations),
    event_count: makeVector(int64Words(n, (r) => sessions.events[from + r] as number)),
    first_url: makeVector(url(sessions.firstUrl)),
    last_url: makeVector(url(sessions.lastUrl)),
  });
  return tableToIPC(table, 'stream');
}
