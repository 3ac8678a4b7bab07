import { readBytes } from '../domain/csv-records';

/*
 * The quick read of a big file in pieces: the file is read in slices (never as one buffer:
 * past a few hundred MB one ArrayBuffer may not be had, and the file's bytes would sit in
 * memory beside the columns made from them), each piece cut after its last line break and
 * given the header line in front, so that the row scanner reads it as it reads a whole file.
 * Cutting after a line break (LF) is exact: the quick read declines a line break inside
 * quotes, LF is never part of a multi-byte UTF-8 sequence, and CR LF stays together.
 */

/**
 * Bytes read at a time (the last line of a slice waits for the next). Each piece is made in
 * the buffer of the one before: the first touch of fresh memory is slow (about 4 ms per MB
 * on the benchmark machine). Slices of 4 MB instead of 32 MB were tried (fewer fresh pages):
 * a 1M-event file's parse was no faster in Chromium (each Blob read costs a round trip), so
 * the slices stay large.
 */
export const QUICK_READ_CHUNK_BYTES = 32 * 1024 ** 2;

/** Cuts slices of a file's rows into pieces of whole lines, each behind the header line. */
export class LineChunker {
  private carry: Uint8Array = new Uint8Array(0);
  private given = 0;
  /** The buffer pieces are made in, when they are reused. */
  private out: Uint8Array | null = null;

  /**
   * `header`: the file's bytes up to the data rows (a BOM, the header line and its line break).
   * `reuse`: each piece is made in the buffer of the one before (valid until the next push or end).
   */
  constructor(
    private readonly header: Uint8Array,
    private readonly reuse = false,
  ) {}

  /** Takes the next slice; gives the header and the whole lines read so far, or null when no line has ended yet. */
  push(slice: Uint8Array): Uint8Array | null {
    const cut = slice.lastIndexOf(10) + 1;
    if (cut === 0) {
      this.carry = joined(this.carry, slice);
      return null;
    }
    const piece = this.headed(this.carry, slice.subarray(0, cut));
    this.carry = slice.slice(cut);
    return piece;
  }

  /** The header and the lines left (the last without its line break at the end of a file), or null when none are. */
  end(): Uint8Array | null {
    if (this.carry.length === 0 && this.given > 0) return null;
    const piece = this.headed(this.carry, new Uint8Array(0));
    this.carry = new Uint8Array(0);
    return piece;
  }

  private headed(a: Uint8Array, b: Uint8Array): Uint8Array {
    const size = this.header.length + a.length + b.length;
    let out: Uint8Array;
    if (this.reuse && this.out !== null && this.out.length >= size) out = this.out.subarray(0, size);
    else {
      out = new Uint8Array(size);
      if (this.reuse) this.out = out;
    }
    out.set(this.header);
    out.set(a, this.header.length);
    out.set(b, this.header.length + a.length);
    this.given++;
    return out;
  }
}

function joined(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Hands `take` the rows of data[from, end) in pieces of whole lines, each behind the header
 * (data[0, headerEnd)); stops at the first piece `take` declines (a reason) and returns it.
 */
export async function readLinePieces(
  data: Blob | Uint8Array,
  headerEnd: number,
  from: number,
  end: number,
  take: (piece: Uint8Array) => string | null,
  chunkBytes = QUICK_READ_CHUNK_BYTES,
): Promise<string | null> {
  // `take` is done with a piece when it returns: the next is made in the same buffer.
  const chunker = new LineChunker((await readBytes(data, 0, headerEnd)).slice(), true);
  for (let at = from; at < end; at += chunkBytes) {
    const piece = chunker.push(await readBytes(data, at, Math.min(end, at + chunkBytes)));
    const problem = piece === null ? null : take(piece);
    if (problem !== null) return problem;
  }
  const last = chunker.end();
  return last === null ? null : take(last);
}

/** The same, for bytes in hand (tests; the in-process engine): synchronous. */
export function linePieces(bytes: Uint8Array, headerEnd: number, from: number, end: number, chunkBytes: number): Uint8Array[] {
  const chunker = new LineChunker(bytes.slice(0, headerEnd));
  const pieces: Uint8Array[] = [];
  for (let at = from; at < end; at += chunkBytes) {
    const piece = chunker.push(bytes.subarray(at, Math.min(end, at + chunkBytes)));
    if (piece !== null) pieces.push(piece);
  }
  const last = chunker.end();
  if (last !== null) pieces.push(last);
  return pieces;
}
