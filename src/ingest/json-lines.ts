import { LF, MAX_RECORD_BYTES, MB, type RecordText } from './json-text';

/*
 * NDJSON's records: the file's lines, split on the bytes so that a line that is not UTF-8
 * (or longer than MAX_RECORD_BYTES) is set aside alone and the others are read.
 */

const strict = new TextDecoder('utf-8', { fatal: true });

function decodeLine(bytes: Uint8Array): string | null {
  try {
    return strict.decode(bytes);
  } catch {
    return null;
  }
}

/** NDJSON: one record a line; a line that is not UTF-8 or too long is set aside alone. */
export async function* lineRecords(chunks: AsyncIterable<Uint8Array>, maxBytes = MAX_RECORD_BYTES): AsyncGenerator<RecordText[]> {
  // Records are handed on a chunk's worth at a time: a step of an async generator costs more than parsing a short line.
  let out: RecordText[] = [];
  let carry: Uint8Array[] = [];
  let carried = 0;
  let tooLong = false;
  let line = 0;
  function finish(bytes: Uint8Array): void {
    line++;
    if (tooLong) {
      tooLong = false;
      out.push({ line, problem: `the line is longer than ${MB(maxBytes)}`, text: '' });
      return;
    }
    const text = decodeLine(bytes);
    if (text === null) out.push({ line, problem: 'not valid UTF-8', text: new TextDecoder().decode(bytes.subarray(0, 200)) });
    else lineText(text);
  }
  function lineText(raw: string): void {
    const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (text.trim() !== '') out.push({ line, text: text.endsWith('\r') ? text.slice(0, -1) : text });
  }
  for await (const chunk of chunks) {
    let start = 0;
    const first = chunk.indexOf(LF);
    if (first >= 0 && (carried > 0 || tooLong)) {
      const piece = chunk.subarray(0, first);
      finish(concat([...carry, piece], carried + piece.length));
      carry = [];
      carried = 0;
      start = first + 1;
    }
    const last = chunk.lastIndexOf(LF);
    if (last >= start) {
      // The whole lines of the chunk at once; line by line only where a byte is not UTF-8.
      const whole = decodeLine(chunk.subarray(start, last));
      if (whole !== null) {
        for (const text of whole.split('\n')) {
          line++;
          lineText(text);
        }
      } else {
        for (let nl = chunk.indexOf(LF, start); nl >= 0 && nl <= last; nl = chunk.indexOf(LF, start)) {
          finish(chunk.subarray(start, nl));
          start = nl + 1;
        }
      }
      start = last + 1;
    }
    if (start < chunk.length && !tooLong) {
      carry.push(chunk.slice(start));
      carried += chunk.length - start;
      if (carried > maxBytes) {
        tooLong = true;
        carry = [];
        carried = 0;
      }
    }
    if (out.length > 0) yield out;
    out = [];
  }
  if (carried > 0 || tooLong) finish(concat(carry, carried));
  if (out.length > 0) yield out;
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
