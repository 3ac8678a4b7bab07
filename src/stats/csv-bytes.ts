/*
 * CSV text as DuckDB's COPY … (FORMAT CSV, QUOTE '"', ESCAPE '"', NULL '') writes it,
 * written as UTF-8 bytes straight into a buffer: building a string per line and encoding
 * them cost ~1 s per 122,880 sessions on this machine, most of it allocating and copying.
 * Texts that repeat (user ids, urls) are encoded once, as whole cells, into one buffer
 * per kind (PackedTexts).
 */

import type { Utf8, Vector } from 'apache-arrow';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What cellSql's spreadsheet-safe form prefixes with an apostrophe. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** The spreadsheet-safe form of a text cell (cellSql): an apostrophe before a formula's first character. */
export const spreadsheetSafeText = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/** Whether COPY quotes a text cell: it is empty (unquoted it would read back as NULL) or holds a comma, quote, CR or LF. */
export const csvNeedsQuotes = (text: string): boolean => text === '' || /[",\r\n]/.test(text);

/** A text cell as COPY writes it: NULL as nothing; quoted when needed, its quotes doubled. */
export function csvCell(text: string | null, safe: boolean): string {
  if (text === null) return '';
  const cell = safe ? spreadsheetSafeText(text) : text;
  return csvNeedsQuotes(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/**
 * Many texts as UTF-8 in one buffer (text i is bytes [offsets[i], offsets[i + 1])): a
 * million user ids as a million small arrays cost a hundred bytes of heap or more each.
 */
export class PackedTexts {
  private constructor(
    readonly bytes: Uint8Array,
    readonly offsets: Int32Array,
    private readonly nulls: Uint8Array,
  ) {}

  static of(texts: readonly (string | null)[]): PackedTexts {
    let units = 0;
    for (const text of texts) units += text?.length ?? 0;
    // At most 3 bytes per UTF-16 unit; the pages never written to cost nothing.
    const bytes = new Uint8Array(units * 3);
    const offsets = new Int32Array(texts.length + 1);
    const nulls = new Uint8Array(texts.length);
    let at = 0;
    texts.forEach((text, i) => {
      if (text === null) nulls[i] = 1;
      else at += encoder.encodeInto(text, bytes.subarray(at)).written;
      offsets[i + 1] = at;
    });
    return new PackedTexts(bytes, offsets, nulls);
  }

  /** An Arrow text column's values as they are (no JS string per value), e.g. DuckDB's user ids. */
  static fromArrow(column: Vector<Utf8>): PackedTexts {
    let total = 0;
    for (const data of column.data) total += (data.valueOffsets[data.offset + data.length] as number) - (data.valueOffsets[data.offset] as number);
    const bytes = new Uint8Array(total);
    const offsets = new Int32Array(column.length + 1);
    const nulls = new Uint8Array(column.length);
    let row = 0;
    let at = 0;
    for (const data of column.data) {
      const first = data.valueOffsets[data.offset] as number;
      const last = data.valueOffsets[data.offset + data.length] as number;
      bytes.set(data.values.subarray(first, last), at);
      for (let i = 0; i < data.length; i++) {
        if (data.nullCount > 0 && !data.getValid(i)) nulls[row] = 1;
        offsets[row + 1] = at + (data.valueOffsets[data.offset + i + 1] as number) - first;
        row++;
      }
      at += last - first;
    }
    return new PackedTexts(bytes, offsets, nulls);
  }

  get count(): number {
    return this.nulls.length;
  }

  isNull(i: number): boolean {
    return this.nulls[i] === 1;
  }

  /** Text `i` as a string (null for NULL). */
  text(i: number): string | null {
    return this.isNull(i) ? null : decoder.decode(this.bytes.subarray(this.offsets[i] as number, this.offsets[i + 1] as number));
  }

  byteLength(i: number): number {
    return (this.offsets[i + 1] as number) - (this.offsets[i] as number);
  }
}

const ZERO = 48;

/** A growing buffer of bytes. */
export class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(capacity: number) {
    this.buffer = new Uint8Array(Math.max(64, capacity));
  }

  /** Room for `n` more bytes. */
  room(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + n));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buffer.set(b, this.length);
    this.length += b.length;
  }

  /** Text `i` of `texts` (nothing for a NULL one). */
  text(texts: PackedTexts, i: number): void {
    const from = texts.offsets[i] as number;
    const to = texts.offsets[i + 1] as number;
    this.room(to - from);
    if (to - from > 32) this.buffer.set(texts.bytes.subarray(from, to), this.length);
    else for (let k = from; k < to; k++) this.buffer[this.length + k - from] = texts.bytes[k] as number;
    this.length += to - from;
  }

  /** Bytes [from, to) of `source` (a line's: a loop beats a subarray and set up to ~128 bytes). */
  range(source: Uint8Array, from: number, to: number): void {
    this.room(to - from);
    if (to - from > 128) this.buffer.set(source.subarray(from, to), this.length);
    else for (let k = from; k < to; k++) this.buffer[this.length + k - from] = source[k] as number;
    this.length += to - from;
  }

  byte(code: number): void {
    this.room(1);
    this.buffer[this.length++] = code;
  }

  /** A non-negative integer below 2^53, in decimal. */
  integer(value: number): void {
    this.room(16);
    if (value < 10) {
      this.buffer[this.length++] = ZERO + value;
      return;
    }
    let digits = 0;
    for (let v = value; v >= 1; v = Math.floor(v / 10)) digits++;
    let v = value;
    for (let i = digits - 1; i >= 0; i--) {
      this.buffer[this.length + i] = ZERO + (v % 10);
      v = Math.floor(v / 10);
    }
    this.length += digits;
  }

  /** `value` (0 <= value < 10^width) with leading zeros. */
  padded(value: number, width: number): void {
    this.room(width);
    let v = value;
    for (let i = width - 1; i >= 0; i--) {
      this.buffer[this.length + i] = ZERO + (v % 10);
      v = Math.floor(v / 10);
    }
    this.length += width;
  }

  /** How many bytes are written. */
  get size(): number {
    return this.length;
  }

  /**
   * The bytes written: a view of the writer's buffer, not a copy (the writer is done with it).
   * Size the writer generously: pages never written to are never touched, so they cost no
   * time, where growing or trimming copies every byte into fresh memory.
   */
  result(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

const DAY_MS = 86_400_000;

/**
 * strftime(make_timestamp(us), '%Y-%m-%dT%H:%M:%S.%gZ') for years 1000-9999: milliseconds
 * cut, not rounded (also before 1970). The civil date by H. Hinnant's days-to-civil algorithm.
 */
export function writeIsoMillis(w: ByteWriter, us: number): void {
  const ms = Math.floor(us / 1000);
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  w.padded(year, 4);
  w.byte(45);
  w.padded(month, 2);
  w.byte(45);
  w.padded(day, 2);
  w.byte(84);
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  w.padded(hours, 2);
  w.byte(58);
  w.padded(minutes, 2);
  w.byte(58);
  w.padded(seconds, 2);
  w.byte(46);
  w.padded(rest - seconds * 1000, 3);
  w.byte(90);
}

/**
 * CAST(round((end_us - start_us) / 1000000, 3) AS DECIMAL(18,3)) as SQL prints it: the same
 * double operations (round half away from zero; durations are never negative), then the
 * thousandths as an integer.
 */
export function writeDuration(w: ByteWriter, startUs: number, endUs: number): void {
  const thousandths = Math.round((Math.round(((endUs - startUs) / 1_000_000) * 1000) / 1000) * 1000);
  const whole = Math.floor(thousandths / 1000);
  w.integer(whole);
  w.byte(46);
  w.padded(thousandths - whole * 1000, 3);
}

/** One value through a writer, as text (for tests and messages). */
export function written(write: (w: ByteWriter) => void): string {
  const w = new ByteWriter(32);
  write(w);
  return new TextDecoder().decode(w.result());
}
