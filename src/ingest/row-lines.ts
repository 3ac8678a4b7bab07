import { fileChunks, recordScanner } from '../domain/csv-records';
import { utf8Converter } from './transcode';
import { recordFields } from '../domain/sniff-file';

/*
 * The file line of a few rows of a delimited read, for messages that name rows: the rows of
 * the raw table are the file's records (quote-aware, blank lines left out) less the lines
 * DuckDB skipped above the header, the header itself, and the lines set aside or removed
 * after the read. Only the file up to the last row asked for is scanned, slice by slice.
 */

/** What is needed to find the records of a delimited read again (kept with its raw table). */
export interface RowLineSource {
  /** The file as loaded, in its own encoding. */
  data: File | Uint8Array;
  /** Its encoding (a TextDecoder label); records are found in its UTF-8 conversion. */
  encoding: string;
  delimiter: string;
  quote: string;
  /** Lines DuckDB skipped above the header (or above the first row when there is none). */
  skipLines: number;
  /** The first record after the skipped lines is a header, not a row. */
  header: boolean;
  /** Lines below the header whose records are not rows (set aside, repeated headers). */
  notRows: readonly number[];
  /** Rows of the raw table from this file. */
  rows: number;
}

/** A row's record: the line it starts on and its fields. */
export interface RowRecord {
  line: number;
  fields: string[];
}

/**
 * How much of a file is scanned at most (about 1 s at the 140 MB/s the scanner reads in
 * Node): rows further down keep their data row, so that a remap of a large file whose
 * examples are far apart does not wait on a scan of all of it.
 */
export const MAX_SCANNED_BYTES = 128 << 20;

/** The record of each 1-based data row asked for (rows past the file's rows, or past `maxBytes`, are left out). */
export async function recordsOfRows(
  source: RowLineSource,
  rows: readonly number[],
  sliceBytes = 1 << 20,
  maxBytes = MAX_SCANNED_BYTES,
): Promise<Map<number, RowRecord>> {
  const wanted = new Set(rows.filter((r) => r >= 1 && r <= source.rows));
  const found = new Map<number, RowRecord>();
  const last = Math.max(0, ...wanted);
  if (last === 0) return found;
  const notRows = new Set(source.notRows);
  const decoder = new TextDecoder();
  let headerSeen = !source.header;
  let row = 0;
  const scanner = recordScanner(source.delimiter, source.quote, (record, bytes) => {
    if (row >= last || record.line <= source.skipLines) return;
    if (!headerSeen) {
      headerSeen = true;
      return;
    }
    if (notRows.has(record.line)) return;
    row++;
    if (wanted.has(row)) found.set(row, { line: record.line, fields: recordFields(decoder.decode(bytes), source.delimiter, source.quote) ?? [] });
  });
  // The same conversion DuckDB's copy went through (a UTF-8 file as is: its byte order mark
  // is one more byte of the first record).
  const utf8 = utf8Converter(source.encoding);
  let scanned = 0;
  for await (const chunk of fileChunks(source.data, sliceBytes)) {
    scanner.push(utf8(chunk, false));
    scanned += chunk.length;
    if (row >= last || scanned >= maxBytes) return found;
  }
  scanner.push(utf8(new Uint8Array(0), true));
  scanner.finish(true);
  return found;
}

/**
 * The file line of each row whose record holds the values DuckDB read for it (`values`, in
 * the file's column order, '' or null for an empty cell); a row whose record differs is left
 * out, so that a line is only named when it is certain.
 */
export async function checkedLinesOfRows(source: RowLineSource, values: ReadonlyMap<number, readonly (string | null)[]>): Promise<Map<number, number>> {
  const records = await recordsOfRows(source, [...values.keys()]);
  const lines = new Map<number, number>();
  for (const [row, record] of records) {
    const read = values.get(row) ?? [];
    const n = Math.min(read.length, record.fields.length);
    const same = n > 0 && read.slice(0, n).every((v, i) => (v ?? '').trim() === (record.fields[i] ?? '').trim());
    if (same) lines.set(row, record.line);
  }
  return lines;
}
