/*
 * The records of delimited UTF-8 bytes, found the way RFC 4180 splits them (a quote opens a
 * quoted value only at the start of a field; line breaks inside quotes belong to the value),
 * each with the file line it starts on. Works on bytes, chunk by chunk: the delimiter, the
 * quote and line breaks are ASCII, which no byte of a multi-byte UTF-8 character is, and no
 * text is decoded unless asked for. Used on the first bytes of every file (sniffFile) and on
 * a whole file only when a check needs its line numbers.
 */

/** A record: the file line it starts on (1-based), where its bytes start and how many fields it has. */
export interface RecordInfo {
  line: number;
  /** Byte offset of its first byte. */
  start: number;
  /** Delimiters outside quotes, plus one. */
  fieldCount: number;
  /** Its last field is empty (it ends with the delimiter). */
  endsWithDelimiter: boolean;
}

export interface RecordScanner {
  /** The next bytes of the file. */
  push(chunk: Uint8Array): void;
  /** No more bytes: the last record, if it has no line break, counts when `complete`. */
  finish(complete: boolean): void;
}

/** Calls `onRecord` for each record that is not blank, with its bytes (valid until the call returns). */
export function recordScanner(delimiter: string, quote: string, onRecord: (record: RecordInfo, bytes: Uint8Array) => void): RecordScanner {
  const [LF, CR, DELIMITER, QUOTE] = [10, 13, delimiter.charCodeAt(0), quote.charCodeAt(0)];
  let line = 1;
  let offset = 0;
  let startLine = 1;
  let start = 0;
  let fieldCount = 1;
  let lastByte = -1;
  // Bytes of the current record from earlier chunks.
  let carried: Uint8Array[] = [];
  let state: 'fieldStart' | 'unquoted' | 'quoted' | 'afterQuote' = 'fieldStart';
  // The last byte was a CR: 'ended' when it ended a record, 'quoted' when inside a value.
  let pendingCr: 'no' | 'ended' | 'quoted' = 'no';
  const emit = (bytes: Uint8Array) => {
    if (!isBlank(bytes)) onRecord({ line: startLine, start, fieldCount, endsWithDelimiter: lastByte === DELIMITER }, bytes);
  };
  const recordBytes = (tail: Uint8Array): Uint8Array => {
    if (carried.length === 0) return tail;
    const all = new Uint8Array(carried.reduce((n, c) => n + c.length, tail.length));
    let at = 0;
    for (const c of [...carried, tail]) {
      all.set(c, at);
      at += c.length;
    }
    return all;
  };
  return {
    push(chunk) {
      let from = 0;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i] as number;
        const afterCr = pendingCr;
        pendingCr = 'no';
        // The LF of a CRLF: the line was counted at the CR.
        if (afterCr !== 'no' && b === LF) {
          if (afterCr === 'ended') {
            from = i + 1;
            start = offset + i + 1;
          }
          continue;
        }
        if (b === LF || b === CR) {
          line++;
          if (b === CR) pendingCr = state === 'quoted' ? 'quoted' : 'ended';
          if (state !== 'quoted') {
            emit(recordBytes(chunk.subarray(from, i)));
            carried = [];
            from = i + 1;
            start = offset + i + 1;
            startLine = line;
            fieldCount = 1;
            lastByte = -1;
            state = 'fieldStart';
            continue;
          }
        } else if (b === DELIMITER && state !== 'quoted') {
          fieldCount++;
          state = 'fieldStart';
        } else if (b === QUOTE) {
          state = state === 'fieldStart' || state === 'afterQuote' ? 'quoted' : state === 'quoted' ? 'afterQuote' : state;
        } else if (state !== 'quoted') {
          state = 'unquoted';
        }
        lastByte = b;
      }
      if (from < chunk.length) carried.push(chunk.slice(from));
      offset += chunk.length;
    },
    finish(complete) {
      if (complete && carried.length > 0) emit(recordBytes(new Uint8Array(0)));
      carried = [];
    },
  };
}

function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 32 && b !== 9) return false;
  return true;
}

/** Bytes [start, end) of a file or buffer (a buffer's are a view, not a copy). */
export async function readBytes(data: Blob | Uint8Array, start: number, end: number): Promise<Uint8Array<ArrayBuffer>> {
  return data instanceof Uint8Array ? (data.subarray(start, end) as Uint8Array<ArrayBuffer>) : new Uint8Array(await data.slice(start, end).arrayBuffer());
}

/** Chunks of a file or buffer, read one after another (the whole of a large file is never held). */
export async function* fileChunks(data: Blob | Uint8Array, chunkBytes = 8 << 20): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const size = data instanceof Uint8Array ? data.length : data.size;
  for (let at = 0; at < size; at += chunkBytes) yield await readBytes(data, at, at + chunkBytes);
}
