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
  // The scan's state between chunks (copied to locals while a chunk is scanned: V8 keeps
  // closure variables in slower slots).
  const at = {
    overflow: false,
    offset: 0,
    // The file line of the next byte; the current record's first line, first byte, fields.
    line: 1,
    recordLine: 1,
    recordStart: 0,
    fields: 1,
    quoted: false,
    fieldStart: true,
    // The previous byte closed a quoted value: a quote now is an escaped one ("").
    closed: false,
    // The previous byte was a CR (outside quotes it ended the record; an LF now belongs to it).
    afterCr: false,
    prev: -1,
  };

  const judge = (recordLine: number, recordStart: number, end: number, fields: number) => {
    if (fields <= maxFields || recordLine <= headerLine) return;
    if (lines.length < maxLines) lines.push({ line: recordLine, start: recordStart, end, fieldCount: fields });
    else at.overflow = true;
  };

  return {
    get done() {
      return at.overflow;
    },
    push(chunk: Uint8Array): void {
      const n = chunk.length;
      const base = at.offset;
      at.offset += n;
      if (at.overflow) return;
      let { line, recordLine, recordStart, fields, quoted, fieldStart, closed, afterCr, prev } = at;
      // Where the next quote and CR are in this chunk (n when none), looked up again once passed.
      let nextQuote = -1;
      let nextCr = -1;
      let i = 0;
      while (i < n) {
        // At a record's first byte: a line shorter than maxFields bytes, with no quote and no
        // CR before its end, cannot be wide; skip to its LF without looking at its bytes.
        if (recordStart === base + i && !quoted && !afterCr) {
          const lf = chunk.indexOf(LF, i);
          if (lf >= 0 && lf - i < maxFields) {
            if (nextQuote < i) nextQuote = QUOTE < 0 ? n : chunk.indexOf(QUOTE, i) >>> 0;
            if (nextCr < i) nextCr = chunk.indexOf(CR, i) >>> 0;
            if (nextQuote > lf && (nextCr > lf || nextCr === lf - 1)) {
              line++;
              recordLine = line;
              recordStart = base + lf + 1;
              i = lf + 1;
              continue;
            }
          }
        }
        const b = chunk[i] as number;
        if (afterCr) {
          afterCr = false;
          if (!quoted) {
            // The record ended at the CR; an LF right after it is part of its line break.
            const end = base + i + (b === LF ? 1 : 0);
            judge(recordLine, recordStart, end, fields);
            fields = 1;
            fieldStart = true;
            recordStart = end;
            recordLine = line;
            if (b === LF) i++;
            continue;
          }
        }
        i++;
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
          judge(recordLine, recordStart, base + i, fields);
          fields = 1;
          fieldStart = true;
          recordStart = base + i;
          recordLine = line;
        } else if (b === CR) {
          line++;
          afterCr = true;
        } else {
          fieldStart = false;
        }
      }
      Object.assign(at, { line, recordLine, recordStart, fields, quoted, fieldStart, closed, afterCr, prev });
    },
    finish(): WideLineScan {
      if (at.recordStart < at.offset) judge(at.recordLine, at.recordStart, at.offset, at.fields);
      return { lines, overflow: at.overflow };
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
