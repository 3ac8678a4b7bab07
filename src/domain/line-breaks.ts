/*
 * File lines as a person's editor numbers them: CR LF, a lone LF and a lone CR each end one
 * line, whether or not they sit inside a quoted field. DuckDB's own line count differs (it
 * counts CR LF twice in a file whose first line ends in LF, and skips the breaks inside
 * quoted fields), so the loader counts from byte positions instead.
 */

const CR = 0x0d;
const LF = 0x0a;

/**
 * The line breaks in bytes[from, to). `before` is the byte just before `from` (-1 at the
 * start of the file), so a CR LF split between two chunks is counted once: at its CR.
 */
export function countLineBreaks(bytes: Uint8Array, before = -1, from = 0, to = bytes.length): number {
  let breaks = 0;
  let previous = before;
  for (let i = from; i < to; i++) {
    const b = bytes[i] as number;
    if (b === CR || (b === LF && previous !== CR)) breaks++;
    previous = b;
  }
  return breaks;
}

/** The line (1 = the first) that holds the byte at `offset` of `bytes`, counted from the start. */
export function lineAt(bytes: Uint8Array, offset: number): number {
  return 1 + countLineBreaks(bytes, -1, 0, Math.min(offset, bytes.length));
}
