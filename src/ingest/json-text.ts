/*
 * The records of a JSON file as text, with the file line each starts on, streamed from its
 * bytes: one a line (NDJSON, json-lines.ts), or the elements of a top-level array (`[ {...}, {...} ]`,
 * minified or pretty-printed), or pretty-printed objects one after another. Nothing holds
 * more than one chunk and one record; a record longer than MAX_RECORD_BYTES is set aside
 * (and skipped over) rather than held.
 */

export const MAX_RECORD_BYTES = 16 << 20;

/** A record's text, or why it was set aside; `line` is where it starts (1-based). Generators yield them a chunk's worth at a time. */
export type RecordText = { line: number; text: string } | { line: number; problem: string; text: string };

export type JsonLayout = 'lines' | 'array' | 'objects';

export const LF = 0x0a;
export const MB = (n: number) => `${Math.round(n / (1 << 20))} MB`;

/**
 * How the records are laid out, from the first bytes: a `[` opens a top-level array, unless
 * its line is a whole JSON value with more lines below (NDJSON whose first line is an
 * array, set aside as not an object); a line holding only `{` starts pretty-printed objects.
 */
export function jsonLayout(head: string): JsonLayout {
  const body = head.replace(/^\uFEFF/, '').trimStart();
  const newline = body.indexOf('\n');
  const firstLine = (newline < 0 ? body : body.slice(0, newline)).trim();
  if (body.startsWith('[')) return newline >= 0 && body.slice(newline).trim() !== '' && wholeJson(firstLine) ? 'lines' : 'array';
  return firstLine === '{' ? 'objects' : 'lines';
}

function wholeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Byte chunks of a Blob. */
export async function* blobByteChunks(blob: Blob, chunkBytes = 4 << 20): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < blob.size; offset += chunkBytes) {
    yield new Uint8Array(await blob.slice(offset, offset + chunkBytes).arrayBuffer());
  }
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const NEWLINE = 10;
/** The offset of the first byte that makes `bytes` invalid UTF-8 (a character cut at the end is valid). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const valid = (end: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (valid(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** How many backslashes stand right before position `at`. */
function backslashesBefore(text: string, at: number): number {
  let n = 0;
  while (at - n - 1 >= 0 && text.charCodeAt(at - n - 1) === BACKSLASH) n++;
  return n;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff;

/**
 * The elements of a top-level array (`array`) or a run of objects (`objects`), found by
 * bracket depth outside strings; each is parsed on its own later, so one bad element is set
 * aside with its line and the rest are read. Text must be UTF-8: a byte that is not stops
 * the read with its line.
 */
export async function* structuredRecords(
  chunks: AsyncIterable<Uint8Array>,
  layout: 'array' | 'objects',
  maxBytes = MAX_RECORD_BYTES,
): AsyncGenerator<RecordText[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const top = layout === 'array' ? 1 : 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  /** Text of the element being read (across chunks), null between elements. */
  let pending: string | null = null;
  let pendingLine = 0;
  let pendingTooLong = false;
  let closed = false;
  let trailing: { line: number; text: string } | null = null;

  const emit = (text: string): RecordText | null => {
    if (pendingTooLong) return { line: pendingLine, problem: `the element is longer than ${MB(maxBytes)}`, text: '' };
    const trimmed = text.trim();
    if (trimmed === '') return layout === 'array' ? { line, problem: 'an empty element (two commas in a row)', text: '' } : null;
    return { line: pendingLine, text: trimmed };
  };

  for await (const chunk of chunks) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const bad = firstInvalidUtf8(chunk);
      let at = line;
      for (let k = chunk.indexOf(LF); k >= 0 && k < bad; k = chunk.indexOf(LF, k + 1)) at++;
      throw new Error(`line ${at.toLocaleString('en-US')} holds a byte that is not UTF-8; JSON must be UTF-8`);
    }
    let from = 0;
    let nextNewline = text.indexOf('\n');
    const out: RecordText[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === NEWLINE) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        continue;
      }
      if (closed) {
        if (!isSpace(c) && trailing === null) trailing = { line, text: text.slice(i, i + 200) };
        continue;
      }
      if (layout === 'array' && depth === 0) {
        if (c === OPEN_BRACKET) {
          depth = 1;
          from = i + 1;
          pending = '';
          pendingLine = line;
        } else if (!isSpace(c)) throw new Error(`line ${line}: expected the array to start with [`);
        continue;
      }
      if (depth === top) {
        if (layout === 'array' && (c === COMMA || c === CLOSE_BRACKET)) {
          const piece = `${pending ?? ''}${text.slice(from, i)}`;
          const record = c === CLOSE_BRACKET && piece.trim() === '' && !pendingTooLong ? null : emit(piece);
          if (record) out.push(record);
          pending = '';
          pendingTooLong = false;
          from = i + 1;
          if (c === CLOSE_BRACKET) {
            closed = true;
            pending = null;
          }
          continue;
        }
        if (isSpace(c)) {
          // Spaces before an element are not part of it (so its line is that of its first character).
          if (pending === '' && from === i) from = i + 1;
          continue;
        }
        if (pending === null) {
          // objects: the next object starts here.
          pending = '';
          from = i;
        }
        if (pending === '' && from === i) pendingLine = line;
      }
      if (c === QUOTE) {
        // Jump to the closing quote (the common case: a whole string within the chunk).
        let end = text.indexOf('"', i + 1);
        while (end > 0 && backslashesBefore(text, end) % 2 === 1) end = text.indexOf('"', end + 1);
        if (end < 0) {
          inString = true;
          continue;
        }
        // Line breaks inside (not JSON, but the lines below keep their numbers).
        if (nextNewline >= 0 && nextNewline < i) nextNewline = text.indexOf('\n', i);
        while (nextNewline >= 0 && nextNewline < end) {
          line++;
          nextNewline = text.indexOf('\n', nextNewline + 1);
        }
        i = end;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (layout === 'objects' && depth <= 0) {
          depth = 0;
          const record = emit(`${pending ?? ''}${text.slice(from, i + 1)}`);
          if (record) out.push(record);
          pending = null;
          pendingTooLong = false;
        }
      }
    }
    if (pending !== null && !pendingTooLong) {
      pending += text.slice(from);
      if (pending.length > maxBytes) {
        pendingTooLong = true;
        pending = '';
      }
    }
    from = 0;
    if (out.length > 0) yield out;
  }
  try {
    decoder.decode();
  } catch {
    throw new Error(`line ${line.toLocaleString('en-US')}: the file ends inside a character that is not whole UTF-8`);
  }
  if (pending !== null && (pendingTooLong || pending.trim() !== '')) {
    yield [{ line: pendingLine, problem: 'the file ends inside this element (is it cut short?)', text: pending.slice(0, 200) }];
  }
  if (trailing) yield [{ line: trailing.line, problem: 'text after the end of the array', text: trailing.text }];
}
