/*
 * Lines with far more fields than the header, found in one pass over a file's bytes before
 * DuckDB reads it. DuckDB's read_csv records one error per field past its columns, each with
 * the whole line's text, so one line of 30,000 fields costs it minutes; such lines are cut
 * from what DuckDB reads and set aside here instead. The scan splits records as csv-records.ts
 * does (a quote opens a quoted value only at the start of a field; line breaks inside quotes
 * belong to the value; CR, LF and CR LF end a line) but keeps nothing of a line but its
 * place and field count, so it runs at a few hundred MB a second.
 */

import { fileChunks } from './csv-records';

/** A line wider than the limit: where its bytes are, its file line, its fields. */
export interface WideLine {
  /** The file line it starts on (1-based). */
  line: number;
  /** Byte offset of its first byte. */
  start: number;
  /** Byte offset past its line break (or the end of the file). */
  end: number;
  fieldCount: number;
}

export interface WideLineScan {
  /** The wide lines found, in file order, at most `maxLines` of them. */
  lines: WideLine[];
  /** More than `maxLines` lines were wider than the limit (the scan stopped at the next). */
  overflow: boolean;
}

export interface WideLineScanner {
  push(chunk: Uint8Array): void;
  /** No more bytes: the last record (without a line break) is judged too. */
  finish(): WideLineScan;
  /** True once the scan has found more than `maxLines` wide lines: later bytes change nothing. */
  readonly done: boolean;
}

export interface WideLineOptions {
  delimiter: string;
  /** '' for a dialect without quoting. */
  quote: string;
  /** Lines on or above this file line (the header and anything above it) are not judged. */
  headerLine: number;
  /** Lines with more fields than this are wide. */
  maxFields: number;
  maxLines: number;
}

export function wideLineScanner(options: WideLineOptions): WideLineScanner {
  const LF = 10;
  const CR = 13;
  const DELIMITER = options.delimiter.charCodeAt(0);
  const QUOTE = options.quote === '' ? -1 : options.quote.charCodeAt(0);
  const { headerLine, maxFields, maxLines } = options;
  const lines: WideLine[] = [];
  let overflow = false;
  let offset = 0;
  // The file line the byte at `offset` is on, the current record's first line and first byte.
  let line = 1;
  let recordLine = 1;
  let recordStart = 0;
  let fields = 1;
  let quoted = false;
  let fieldStart = true;
  // The previous byte closed a quoted value: a quote now is an escaped one ("").
  let closed = false;
  let prev = -1;
  // The previous byte was a CR that ended a line (an LF right after it belongs to it).
  let afterCr = false;
  // A record that ends at a CR waits for the next byte: a following LF is part of its break.
  let pendingEnd = false;

  const endRecord = (end: number) => {
    if (fields > maxFields && recordLine > headerLine) {
      if (lines.length < maxLines) lines.push({ line: recordLine, start: recordStart, end, fieldCount: fields });
      else overflow = true;
    }
    fields = 1;
    fieldStart = true;
    recordStart = end;
  };

  return {
    get done() {
      return overflow;
    },
    push(chunk: Uint8Array): void {
      if (overflow) {
        offset += chunk.length;
        return;
      }
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i] as number;
        if (pendingEnd) {
          pendingEnd = false;
          if (b === LF && afterCr) {
            afterCr = false;
            endRecord(offset + i + 1);
            recordLine = line;
            continue;
          }
          endRecord(offset + i);
          recordLine = line;
        }
        afterCr = false;
        if (quoted) {
          if (b === QUOTE) {
            quoted = false;
            closed = true;
          } else if (b === CR || (b === LF && prev !== CR)) {
            // A break inside a quoted value: a new file line, the same record (CR LF once).
            line++;
          }
          prev = b;
          continue;
        }
        const reopens = closed;
        closed = false;
        prev = b;
        if (b === DELIMITER) {
          fields++;
          fieldStart = true;
        } else if (b === QUOTE && (fieldStart || reopens)) {
          quoted = true;
          fieldStart = false;
        } else if (b === LF) {
          line++;
          endRecord(offset + i + 1);
          recordLine = line;
        } else if (b === CR) {
          line++;
          afterCr = true;
          pendingEnd = true;
        } else {
          fieldStart = false;
        }
      }
      offset += chunk.length;
    },
    finish(): WideLineScan {
      if (pendingEnd || recordStart < offset) endRecord(offset);
      return { lines, overflow };
    },
  };
}

/** Scans `data` chunk by chunk in this thread (the worker's body; Node's tests). */
export async function scanWideLinesHere(data: Blob | Uint8Array, options: WideLineOptions): Promise<WideLineScan> {
  const scanner = wideLineScanner(options);
  for await (const chunk of fileChunks(data)) {
    scanner.push(chunk);
    if (scanner.done) break;
  }
  return scanner.finish();
}
