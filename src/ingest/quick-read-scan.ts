import { SKIPPED_EXAMPLES, ZONE_SAMPLE_ROWS } from '../sql/events-sql';
import { grown, type ByteDictionary } from './byte-dictionary';
import type { IsoInstantReader } from './iso-instant';
import type { SkipReason } from '../domain/types';

/*
 * The quick read's byte scanner: splits lines into fields, checking as it goes everything
 * that would make DuckDB's reading differ from this plain one (see quick-read.ts), and reads
 * the cells of the columns with a role. Every check returns a reason string, never throws.
 */

export const ROLE_USER = 1;
export const ROLE_TS = 2;
export const ROLE_URL = 3;
export const ROLE_SPLIT = 4;

const ORDINARY = 0;
const HIGH = 1;
const STOP = 2;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const HASH = 35;
const APOSTROPHE = 39;
const BACKSLASH = 92;

/**
 * Quoted fields must start within these rows: DuckDB's sniffer, seeing no quote in its
 * sample, reads with no quoting, and a file of 30,000 plain rows and then "abc" kept the
 * quote marks in the cell (well inside the sniffer's sample and the app's 5,000-row check of
 * cells starting with a quote, a quote is seen and read as one).
 */
const QUOTES_SEEN_WITHIN_ROWS = 1000;

/** The end of the UTF-8 sequence whose lead byte is at `i`, or -1 when it is not a valid one. */
function utf8End(b: Uint8Array, i: number, end: number): number {
  const lead = b[i] as number;
  let count: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) count = 1;
  else if (lead >= 0xe0 && lead <= 0xef) {
    count = 2;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    count = 3;
    if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
  } else return -1;
  if (i + count >= end) return -1;
  const second = b[i + 1] as number;
  if (second < low || second > high) return -1;
  for (let k = 2; k <= count; k++) {
    const c = b[i + k] as number;
    if (c < 0x80 || c > 0xbf) return -1;
  }
  return i + count + 1;
}

export interface SampleCells {
  rows: number;
  /** Profiled column indexes. */
  columns: number[];
  /** Per profiled column, per sample row: the cell's byte range (start === end: NULL). */
  starts: Int32Array[];
  ends: Int32Array[];
}

export interface ScannedRows {
  rows: number;
  userCodes: Int32Array;
  times: Float64Array;
  urlCodes: Int32Array;
  splitCodes: Int32Array;
  /** Rows with a readable timestamp (user or not). */
  readable: number;
  /** Rows among the first ZONE_SAMPLE_ROWS with a readable timestamp whose timestamp carries no zone. */
  zoneless: number;
  skipped: SkippedCells;
  /**
   * When asked for (a later part of a file, see quick-read.ts): for each of the first
   * ZONE_SAMPLE_ROWS rows with a readable timestamp, 1 when it carries no zone.
   */
  zonelessFlags: Uint8Array | null;
}

/** Rows without a user id or a readable timestamp: how many for each reason, and the first few. */
export interface SkippedCells {
  counts: Record<SkipReason, number>;
  /** In file order; a cell as its byte range, null when it is empty (NULL for DuckDB). */
  examples: { row: number; reason: SkipReason; user: [number, number] | null; timestamp: [number, number] | null }[];
}

type FieldSink = (column: number, start: number, end: number, row: number) => void;

export class RowScanner {
  private readonly classes = new Uint8Array(256);
  private readonly crlf: boolean;
  private readonly headerStart: number;
  private dataStart = -1;
  private columns = 0;
  private readonly headerCells: [number, number][] = [];
  /** A quoted field was met (in the first QUOTES_SEEN_WITHIN_ROWS rows). */
  private quoteSeen = false;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly delimiter: number,
    private readonly quoting: boolean,
  ) {
    const classes = this.classes;
    for (let c = 0x80; c < 256; c++) classes[c] = HIGH;
    for (const c of [0, LF, CR, QUOTE, delimiter]) classes[c] = STOP;
    this.headerStart = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const lf = bytes.indexOf(LF, this.headerStart);
    this.crlf = lf > 0 && bytes[lf - 1] === CR;
  }

  /** The header's names, or why it cannot be read. */
  header(): string[] | string {
    const cells: [number, number][] = [];
    const problem = this.scan(this.headerStart, 0, 1, null, (_column, start, end) => cells.push([start, end]), true);
    if (typeof problem === 'string') return problem;
    this.dataStart = problem;
    this.columns = cells.length;
    this.headerCells.push(...cells);
    const decoder = new TextDecoder();
    return cells.map(([start, end]) => decoder.decode(this.bytes.subarray(start, end)));
  }

  /** The cells of `columns` in the first `limit` data rows. */
  sample(limit: number, columns: number[]): SampleCells | string {
    const starts = columns.map(() => new Int32Array(limit));
    const ends = columns.map(() => new Int32Array(limit));
    const slot = new Int32Array(this.columns).fill(-1);
    columns.forEach((c, j) => {
      slot[c] = j;
    });
    let rows = 0;
    const end = this.scan(
      this.dataStart,
      0,
      limit,
      null,
      (column, start, stop, row) => {
        const j = slot[column] as number;
        if (j >= 0) {
          (starts[j] as Int32Array)[row] = start;
          (ends[j] as Int32Array)[row] = stop;
        }
        rows = row + 1;
      },
      false,
    );
    if (typeof end === 'string') return end;
    return { rows, columns, starts, ends };
  }

  /** Where the data rows start (after the header line). */
  get headerEnd(): number {
    return this.dataStart;
  }

  /** Whether a quoted field was met so far (within the rows DuckDB's sniffer is sure to see). */
  get quotesSeen(): boolean {
    return this.quoteSeen;
  }

  /** For a later part of a file: quotes were seen at the file's start (a part's own rows are far below it). */
  set quotesSeen(seen: boolean) {
    this.quoteSeen = seen;
  }

  /**
   * Every data row, reading the cells of the columns with a role. `bytesPerRow` sizes the
   * arrays (grown by doubling past that).
   */
  rows(
    roles: Uint8Array,
    bytesPerRow: number,
    iso: IsoInstantReader,
    users: ByteDictionary,
    urls: ByteDictionary,
    splits: ByteDictionary,
    options: { zonelessFlags?: boolean; rowsBytes?: number; more?: ScannedRows | null } = {},
  ): ScannedRows | string {
    // A piece of a file (quick-read-chunks.ts) adds its rows to the pieces' before it.
    const estimate = Math.ceil(((options.rowsBytes ?? this.bytes.length - this.dataStart) / Math.max(1, bytesPerRow)) * 1.05) + 16;
    const out: ScannedRows = options.more ?? {
      rows: 0,
      userCodes: new Int32Array(estimate),
      times: new Float64Array(estimate),
      urlCodes: new Int32Array(estimate),
      splitCodes: new Int32Array(estimate),
      readable: 0,
      zoneless: 0,
      skipped: { counts: { 'missing user id': 0, 'missing timestamp': 0, 'unreadable timestamp': 0 }, examples: [] },
      zonelessFlags: options.zonelessFlags ? new Uint8Array(ZONE_SAMPLE_ROWS) : null,
    };
    const end = this.scan(this.dataStart, out.rows, Infinity, new RoleCellsReader(roles, this.bytes, iso, users, urls, splits, out), null, false);
    return typeof end === 'string' ? end : out;
  }

  /** The sample's bytes per row (header excluded). */
  bytesPerRow(sample: SampleCells): number {
    return Math.max(1, this.sampleEnd(sample) - this.dataStart) / Math.max(1, sample.rows);
  }

  /** Where the sample's last row ends. */
  sampleEnd(sample: SampleCells): number {
    let end = this.dataStart;
    for (const ends of sample.ends) end = Math.max(end, ends[sample.rows - 1] ?? end);
    return end;
  }

  /**
   * Scans lines from `from` until `limit` rows are read or the file ends: the position after
   * the last line, or why the file is declined. `cells` reads the role columns, `sink` hands
   * out every field.
   */
  private scan(from: number, firstRow: number, limit: number, cells: RoleCells | null, sink: FieldSink | null, isHeader: boolean): number | string {
    const b = this.bytes;
    const length = b.length;
    const classes = this.classes;
    const delimiter = this.delimiter;
    const quoting = this.quoting;
    const crlf = this.crlf;
    const columns = isHeader ? Infinity : this.columns;
    // Looked up here: most fields have no role, and then no call is made.
    const roles = cells === null ? null : cells.roles;
    const header0 = this.headerCells[0];
    const header1 = this.headerCells[1];
    let row = firstRow;
    let column = 0;
    let headerLike = 0;
    let i = from;
    const at = () => `data row ${row + 1}`;
    if (i < length && (b[i] === LF || b[i] === CR)) return isHeader ? 'blank first line' : `${at()}: blank line`;
    if (i < length && b[i] === HASH) return `${isHeader ? 'the header' : at()}: starts with # (DuckDB may read it as a comment)`;
    // A line's last field may be empty at the end of the file (after a delimiter).
    while (i < length || column > 0) {
      let start = i;
      let end: number;
      let c = b[i] as number;
      if (c === QUOTE && quoting) {
        if (!this.quoteSeen) {
          if (row >= QUOTES_SEEN_WITHIN_ROWS) return `${at()}: the first quoted field, below the rows DuckDB's sniffer is sure to see`;
          this.quoteSeen = true;
        }
        start = ++i;
        let escaped = false;
        for (;;) {
          if (i >= length) return `${at()}: unclosed quote`;
          c = b[i] as number;
          if (c === QUOTE) {
            // DuckDB's sniffer may take \ for the escape character: \" would not end the field.
            if (b[i - 1] === BACKSLASH) return `${at()}: a backslash before a quote`;
            if (b[i + 1] !== QUOTE) break;
            escaped = true;
            i += 2;
            continue;
          }
          if (c === LF || c === CR) return `${at()}: line break inside quotes`;
          if (c === 0) return `${at()}: NUL byte`;
          if (c >= 0x80) {
            i = utf8End(b, i, length);
            if (i < 0) return `${at()}: invalid UTF-8`;
          } else i++;
        }
        end = i++;
        c = i < length ? (b[i] as number) : -1;
        if (escaped) {
          // Only where the cell is not read: the raw range still holds the doubled quotes
          // (the profile's figures of such a cell are the same either way). A cell starting
          // with a quote mark makes the DuckDB path try other dialects.
          if (isHeader || b[start] === QUOTE || (roles !== null && roles[column] !== 0))
            return `${isHeader ? 'the header' : at()}: escaped quote ("") in a cell that is read or starts with it`;
        }
        if (c !== delimiter && c !== LF && c !== CR && c !== -1) return `${at()}: text after a closing quote`;
      } else {
        for (;;) {
          if (i >= length) {
            c = -1;
            break;
          }
          c = b[i] as number;
          const kind = classes[c];
          if (kind === ORDINARY) i++;
          else if (kind === HIGH) {
            i = utf8End(b, i, length);
            if (i < 0) return `${at()}: invalid UTF-8`;
          } else break;
        }
        end = i;
        if (c === QUOTE) return `${at()}: quote inside an unquoted field`;
        if (c === 0) return `${at()}: NUL byte`;
      }
      if (column >= columns) return `${at()}: more fields than the header's ${columns}`;
      // DuckDB's sniffer may take ' for the quote character (seen with one row: 'q,x').
      if (b[start] === APOSTROPHE && start < end) return `${at()}: a cell starting with '`;
      if (sink !== null) sink(column, start, end, row);
      if (roles !== null && roles[column] !== 0) {
        const problem = (cells as RoleCells).read(column, start, end, row);
        if (problem !== null) return `${at()}: ${problem}`;
      }
      if (column < 2 && !isHeader) {
        const name = column === 0 ? header0 : header1;
        if (name && end - start === name[1] - name[0] && sameBytes(b, start, name[0], end - start)) headerLike |= column + 1;
      }
      if (c === delimiter) {
        column++;
        i++;
        continue;
      }
      if (c === CR) {
        if (!crlf || b[i + 1] !== LF) return `${at()}: ${crlf ? 'a CR without LF' : 'CR LF line break in a file of LF line breaks'}`;
        i += 2;
      } else if (c === LF) {
        if (crlf) return `${at()}: LF line break in a file of CR LF line breaks`;
        i++;
      }
      if (column + 1 !== columns && !isHeader) return `${at()}: field count ${column + 1}, header has ${columns}`;
      if (headerLike === 3) return `${at()}: repeats the header`;
      if (cells !== null) cells.rowDone(row);
      row++;
      column = 0;
      headerLike = 0;
      if (row - firstRow >= limit) return i;
      if (i < length) {
        const next = b[i];
        if (next === LF || next === CR) {
          // The file's final line break is no blank line; anything after it is.
          return `after data row ${row}: blank line`;
        }
        if (next === HASH) return `${at()}: starts with # (DuckDB may read it as a comment)`;
      }
    }
    return i;
  }
}

/**
 * True when timestampUsSql's 'iso' reading is NULL for certain: the cell does not start
 * with four digits and '-' or '/' (both of its readings require that), nor with whitespace.
 */
function notDateLike(b: Uint8Array, start: number, end: number): boolean {
  const first = b[start] as number;
  if (first <= 32 || first >= 0x80) return false;
  if (end - start < 5) return true;
  for (let k = 0; k < 4; k++) {
    const d = b[start + k] as number;
    if (d < 48 || d > 57) return true;
  }
  const fifth = b[start + 4];
  return fifth !== 45 && fifth !== 47;
}

function sameBytes(b: Uint8Array, a: number, c: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (b[a + k] !== b[c + k]) return false;
  return true;
}

type RoleCells = { roles: Uint8Array; read(column: number, start: number, end: number, row: number): string | null; rowDone(row: number): void };

/** Reads the role columns' cells into the output arrays. */
class RoleCellsReader implements RoleCells {
  /** The current row's user and timestamp cells, for describing the row if it is skipped. */
  private userCell: [number, number] = [0, 0];
  private timestampCell: [number, number] = [0, 0];

  constructor(
    readonly roles: Uint8Array,
    private readonly bytes: Uint8Array,
    private readonly iso: IsoInstantReader,
    private readonly users: ByteDictionary,
    private readonly urls: ByteDictionary,
    private readonly splits: ByteDictionary,
    private readonly out: ScannedRows,
  ) {}

  read(column: number, start: number, end: number, row: number): string | null {
    const role = this.roles[column];
    const out = this.out;
    const b = this.bytes;
    if (role === ROLE_TS) {
      this.timestampCell[0] = start;
      this.timestampCell[1] = end;
      const t = start === end ? Number.NaN : this.iso.read(start, end);
      out.times[row] = t;
      if (Number.isNaN(t)) {
        // An empty cell is NULL; text that does not start like a date is NULL for DuckDB too.
        if (start !== end && !notDateLike(b, start, end)) return 'timestamp not in the form YYYY-MM-DDTHH:MM:SS(.ffffff)(Z|+HH:MM) or out of range';
        return null;
      }
      if (out.readable < ZONE_SAMPLE_ROWS && !this.iso.zoned) {
        out.zoneless++;
        if (out.zonelessFlags) out.zonelessFlags[out.readable] = 1;
      }
      out.readable++;
    } else if (role === ROLE_USER) {
      this.userCell[0] = start;
      this.userCell[1] = end;
      if (start === end) {
        // NULL: the row is skipped (missing user id).
        out.userCodes[row] = -1;
        return null;
      }
      const first = b[start] as number;
      // Leading whitespace (ASCII, NBSP C2 A0, BOM EF BB BF) could make the id blank, and so NULL.
      if (first <= 32 || (b[end - 1] as number) <= 32 || (first === 0xc2 && b[start + 1] === 0xa0) || (first === 0xef && b[start + 1] === 0xbb)) {
        return 'user id with surrounding whitespace';
      }
      out.userCodes[row] = this.users.code(start, end);
    } else if (role === ROLE_URL) {
      out.urlCodes[row] = start === end ? -1 : this.urls.code(start, end);
    } else {
      out.splitCodes[row] = start === end ? -1 : this.splits.code(start, end);
    }
    return null;
  }

  rowDone(row: number): void {
    const out = this.out;
    out.rows = row + 1;
    if (out.userCodes[row] === -1 || Number.isNaN(out.times[row])) this.skip(row);
    if (row + 1 < out.times.length) return;
    const times = new Float64Array(out.times.length * 2);
    times.set(out.times);
    out.times = times;
    out.userCodes = grown(out.userCodes);
    out.urlCodes = grown(out.urlCodes);
    out.splitCodes = grown(out.splitCodes);
  }

  /** Counts a skipped row under skipReasonSql's reason (the user first), and keeps the first few. */
  private skip(row: number): void {
    const { skipped } = this.out;
    const [userStart, userEnd] = this.userCell;
    const [tsStart, tsEnd] = this.timestampCell;
    const reason: SkipReason = userStart === userEnd ? 'missing user id' : tsStart === tsEnd ? 'missing timestamp' : 'unreadable timestamp';
    skipped.counts[reason]++;
    if (skipped.examples.length >= SKIPPED_EXAMPLES) return;
    skipped.examples.push({
      row,
      reason,
      user: userStart === userEnd ? null : [userStart, userEnd],
      timestamp: tsStart === tsEnd ? null : [tsStart, tsEnd],
    });
  }
}
