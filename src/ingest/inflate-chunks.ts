import { Gunzip } from 'fflate';
import { readBytes } from '../domain/csv-records';

/*
 * Byte chunks through the browser's own decompressor (DecompressionStream: native zlib, no
 * library, in every current browser and in Node), pulled one at a time so that a file of
 * any size, or a bomb, holds one chunk in memory. A problem found while decompressing is a
 * DecompressProblem, whose message is said to the person as is.
 */

export class DecompressProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecompressProblem';
  }
}

const READ_BYTES = 1 << 20;

/** The bytes from `start` to `end` of a file, in 1 MB slices; `onRead` is told each slice's size. */
export async function* byteSlices(data: Blob | Uint8Array, start: number, end: number, onRead: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  for (let at = start; at < end; at += READ_BYTES) {
    const slice = await readBytes(data, at, Math.min(at + READ_BYTES, end));
    onRead(slice.length);
    yield slice;
  }
}

/** Chunks as a pull-based stream: the next chunk is read only when the decompressor asks for it. */
function pullStream(chunks: AsyncIterator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return?.(undefined);
    },
  });
}

/** Several gzip members one after another (files joined with cat), which browsers' decompressors refuse: read again by gunzipMembers. */
export class SeveralGzipMembers extends DecompressProblem {}

/** What zlib's and the browsers' messages mean, for a person. */
function damaged(error: unknown): DecompressProblem {
  if (error instanceof DecompressProblem) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/junk|trailing/i.test(message)) return new SeveralGzipMembers('it holds several gzip streams one after another (files joined with cat)');
  return new DecompressProblem(`its compressed data is damaged or cut short (${message.replace(/^TypeError: /, '')})`);
}

/**
 * Compressed bytes are handed to a decompressor this much at a time. Chromium's
 * DecompressionStream inflates a whole input chunk at once, in the calling thread; deflate
 * gives at most 1032 times its input, so one step holds 16.5 MB at most even for a bomb, and
 * takes a few milliseconds of the page's thread for ordinary text.
 */
export const FEED_BYTES = 16 * 1024;

async function* fed(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) for (let at = 0; at < chunk.length; at += FEED_BYTES) yield chunk.subarray(at, at + FEED_BYTES);
}

/** `chunks` decompressed as `format` ('gzip' checks the gzip CRC and length; 'deflate-raw' checks nothing). */
export async function* inflate(chunks: AsyncIterable<Uint8Array>, format: 'gzip' | 'deflate-raw'): AsyncGenerator<Uint8Array> {
  const source = fed(chunks)[Symbol.asyncIterator]();
  const reader = pullStream(source)
    .pipeThrough(new DecompressionStream(format) as unknown as ReadableWritablePair<Uint8Array, Uint8Array>)
    .getReader();
  let done = false;
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        // A problem of reading the file itself (a DecompressProblem from below) passes as it is.
        throw damaged(error);
      }
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    // Stopped early (a limit, another file chosen): the file is read no further.
    if (!done) await reader.cancel().catch(() => undefined);
  }
}

export type Gunzipper = (chunks: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

export const nativeGunzip: Gunzipper = (chunks) => inflate(chunks, 'gzip');

/**
 * gzip members one after another, decompressed by fflate (in JavaScript, slower than the
 * browser's own: only for files the browser refuses). fflate checks neither CRC nor length.
 */
export async function* gunzipMembers(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  const gunzip = new Gunzip((data) => {
    if (data.length > 0) out.push(data);
  });
  const push = (bytes: Uint8Array, final: boolean) => {
    try {
      gunzip.push(bytes, final);
    } catch (error) {
      throw damaged(error);
    }
  };
  for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; at += FEED_BYTES) {
      push(chunk.subarray(at, at + FEED_BYTES), false);
      yield* out.splice(0);
    }
  }
  push(new Uint8Array(0), true);
  yield* out.splice(0);
}

/** The first chunks of `chunks`, at least `bytes` of them (fewer at the end), and the rest to read on. */
export async function peek(chunks: AsyncIterator<Uint8Array>, bytes: number): Promise<{ head: Uint8Array; rest: AsyncIterator<Uint8Array> }> {
  const parts: Uint8Array[] = [];
  let length = 0;
  while (length < bytes) {
    const next = await chunks.next();
    if (next.done) break;
    parts.push(next.value);
    length += next.value.length;
  }
  const head = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    head.set(part, at);
    at += part.length;
  }
  return { head, rest: chunks };
}

/** `head` then the rest, as one sequence of chunks again. */
export async function* prepend(head: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    if (head.length > 0) yield head;
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    await rest.return?.(undefined);
  }
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The running CRC-32 (as zip and gzip use it) of `bytes` after `crc` (0 to start). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}
