import { fileChunks, readBytes } from '../domain/csv-records';
import { countLineBreaks } from '../domain/line-breaks';
import type { RejectedLine } from './row-batches';

/**
 * The file line (1 = the first) of each byte offset: one pass over the file, in slices, up to
 * the largest offset asked for, so only the part of the file before the last offset is read
 * and never more than one slice is held.
 */
export async function linesAtOffsets(data: Blob | Uint8Array, offsets: readonly number[], sliceBytes = 8 << 20): Promise<Map<number, number>> {
  const lines = new Map<number, number>();
  const sorted = [...new Set(offsets)].sort((a, b) => a - b);
  const size = data instanceof Uint8Array ? data.length : data.size;
  let breaks = 0;
  let previous = -1;
  let next = 0;
  for (let start = 0; next < sorted.length; start += sliceBytes) {
    const end = Math.min(start + sliceBytes, size);
    const slice = await readBytes(data, start, end);
    let counted = 0;
    // Offsets in this slice (or past the end of the file, which count every break).
    for (let offset = sorted[next]; offset !== undefined && (offset < end || end >= size); offset = sorted[++next]) {
      const upTo = Math.min(offset, end) - start;
      breaks += countLineBreaks(slice, counted === 0 ? previous : (slice[counted - 1] as number), counted, upTo);
      counted = Math.max(counted, upTo);
      lines.set(offset, breaks + 1);
    }
    if (end >= size) break;
    breaks += countLineBreaks(slice, counted === 0 ? previous : (slice[counted - 1] as number), counted);
    previous = slice[slice.length - 1] ?? previous;
  }
  return lines;
}

/** A line DuckDB set aside, with the byte position its rejects table gives (see rejectedExamplesSql). */
export type PositionedRejectedLine = RejectedLine & { position?: number | null };

/** How far past DuckDB's position a set-aside line's text is looked for. */
const SEARCH_BYTES = 1 << 20;

/**
 * The set-aside lines numbered by the file's lines instead of DuckDB's count, and their text
 * without the line break DuckDB sometimes starts it with. A line without a position keeps
 * DuckDB's number.
 */
export async function numberByFileLines(data: Blob | Uint8Array, rejected: readonly PositionedRejectedLine[]): Promise<RejectedLine[]> {
  const starts = await Promise.all(rejected.map((r) => lineStart(data, r)));
  const lines = await linesAtOffsets(
    data,
    starts.filter((s) => s !== null),
  );
  const numbered = rejected.map((r, i) => {
    const start = starts[i];
    return {
      line: (start === null || start === undefined ? undefined : lines.get(start)) ?? r.line,
      message: r.message,
      text: r.text.slice(leadingBreaks(r.text)),
    };
  });
  // In a file without CR, DuckDB's count can only fall short of the file's line (it skips
  // the breaks inside quoted fields, never counts one twice), so a position-derived line
  // below it is wrong: in some reads with quote ' DuckDB gives the position (and text) of
  // the kept line above the one it set aside. Checked only when that happens.
  const below = numbered.map((n, i) => n.line < (rejected[i]?.line ?? 0));
  const lastBelow = Math.max(-1, ...starts.filter((_, i) => below[i]).map((s) => s ?? -1));
  if (lastBelow < 0 || (await containsByte(data, CR, lastBelow + 1))) return numbered;
  return Promise.all(
    numbered.map(async (n, i) => {
      const line = rejected[i]?.line;
      const start = starts[i];
      if (!below[i] || line === undefined || start === null || start === undefined) return n;
      // The text DuckDB gave is the line above's: show the named line's own.
      return { ...n, line, text: await lineTextAfter(data, start, line - n.line) };
    }),
  );
}

/** The text of the line `down` lines below the line starting at `start` (LF-only data), at most 1,000 bytes. */
async function lineTextAfter(data: Blob | Uint8Array, start: number, down: number): Promise<string> {
  const window = await readBytes(data, start, start + SEARCH_BYTES);
  let from = 0;
  for (let k = 0; k < down && from >= 0; k++) from = window.indexOf(LF, from) + 1 || -1;
  if (from < 0) return '';
  const end = window.indexOf(LF, from);
  return new TextDecoder().decode(window.subarray(from, Math.min(end < 0 ? window.length : end, from + 1000)));
}

/** Whether `byte` occurs in data[0, end), read in slices. */
async function containsByte(data: Blob | Uint8Array, byte: number, end: number): Promise<boolean> {
  for await (const chunk of fileChunks(data instanceof Uint8Array ? data.subarray(0, end) : data.slice(0, end))) {
    if (chunk.includes(byte)) return true;
  }
  return false;
}

const leadingBreaks = (text: string) => /^[\r\n]*/.exec(text)?.[0].length ?? 0;

/**
 * Where the set-aside line starts in the file. DuckDB's position is one past where it took
 * the line to start, often the line break before it, and its text then starts with that
 * break and any blank lines above. In some reads (a file whose line endings are mixed, read
 * with one kind) the position is that of an earlier record, so the line's text is looked for
 * from there on, at the start of a line; the position alone is the fallback.
 */
async function lineStart(data: Blob | Uint8Array, r: PositionedRejectedLine): Promise<number | null> {
  if (typeof r.position !== 'number') return null;
  // Counting the lines before one byte past the guessed start gives the same line, and stays
  // right when the position is the line's first byte itself.
  const guess = r.position + leadingBreaks(r.text);
  const first = r.text.slice(leadingBreaks(r.text)).split(/[\r\n]/, 1)[0] ?? '';
  if (first === '') return guess;
  const needle = new TextEncoder().encode(first);
  // From the byte before DuckDB's line start, so a match there can be seen to start a line.
  const from = Math.max(0, r.position - 2);
  const window = await readBytes(data, from, from + SEARCH_BYTES + needle.length);
  for (let i = indexOfBytes(window, needle, 0); i >= 0; i = indexOfBytes(window, needle, i + 1)) {
    const before = i === 0 ? (from === 0 ? LF : -1) : window[i - 1];
    if (before === LF || before === CR) return from + i;
  }
  // Text that starts within a line (DuckDB shows part of it in some reads): the line holding it.
  const within = indexOfBytes(window, needle, 0);
  return within >= 0 ? from + within : guess;
}

const CR = 0x0d;
const LF = 0x0a;

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0] as number;
  for (let i = haystack.indexOf(first, from); i >= 0 && i + needle.length <= haystack.length; i = haystack.indexOf(first, i + 1)) {
    let k = 1;
    while (k < needle.length && haystack[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
  }
  return -1;
}
