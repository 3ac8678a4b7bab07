import { readBytes } from '../domain/csv-records';
/*
 * Re-encoding a text file to UTF-8, for encodings DuckDB-WASM does not read (Windows-1252
 * with its curly quotes and €, UTF-16, Shift_JIS). Streamed: one slice at a time goes
 * through the decoder (which carries a character split between slices over) and is written
 * out, so the page holds one slice whatever the file's size, and DuckDB then reads the
 * result lazily like any chosen file. It is written to the origin private file system (a
 * file on disk) where the browser has one; elsewhere (Node, or OPFS refused) into a File
 * made of per-slice Blobs, which the browser keeps outside the page's heap but in memory,
 * up to a few hundred MB. A copy is deleted once read; copies left by a tab closed while it
 * loaded are swept away by the next conversion when no tab holds one (a Web Lock).
 */

export interface Transcoded {
  file: File;
  /** Deletes the re-encoded copy once DuckDB has read it. */
  release(): Promise<void>;
}

export interface Sink {
  write(bytes: Uint8Array<ArrayBuffer>): Promise<void>;
  /** The bytes written, as a File. */
  close(): Promise<File>;
  release(): Promise<void>;
}

const OPFS_DIRECTORY = 'transcoded';

export async function transcodeToUtf8(data: Blob | Uint8Array, label: string, name = 'transcoded.csv', sliceBytes = 8 << 20): Promise<Transcoded> {
  const size = data instanceof Uint8Array ? data.length : data.size;
  const convert = utf8Converter(label);
  const sink = await openCopy(name);
  try {
    // One write in flight while the next slice is read and converted: at most two slices held.
    let writing = Promise.resolve();
    for (let offset = 0; offset < size; offset += sliceBytes) {
      const end = Math.min(offset + sliceBytes, size);
      const utf8 = convert(await readBytes(data, offset, end), end === size);
      await writing;
      writing = sink.write(utf8);
      // Marked handled now; its failure is thrown by the await above or below.
      writing.catch(() => undefined);
    }
    await writing;
    return { file: await sink.close(), release: () => sink.release() };
  } catch (error) {
    await sink.release();
    throw error;
  }
}

/** Where a derived copy of a file is written: the private file system, else Blobs (see above). */
export async function openCopy(name: string): Promise<Sink> {
  return (await opfsSink(name)) ?? blobSink(name);
}

type Converter = (slice: Uint8Array, last: boolean) => Uint8Array<ArrayBuffer>;

/**
 * Slices of a file in `label`'s encoding, as UTF-8, one after another (`last` on the final
 * one). UTF-8 passes through; a byte order mark is dropped from other encodings.
 */
export function utf8Converter(label: string): Converter {
  if (label === 'utf-8') return (slice) => slice as Uint8Array<ArrayBuffer>;
  return label === 'windows-1252' ? singleByteConverter(label) : streamConverter(label);
}

/** Any encoding TextDecoder reads: a character split between slices is carried over. */
function streamConverter(label: string): Converter {
  const decoder = new TextDecoder(label);
  const encoder = new TextEncoder();
  // TextDecoder drops a byte order mark at the start of the stream.
  return (slice, last) => encoder.encode(decoder.decode(slice, { stream: !last }));
}

/**
 * A one-byte encoding, byte by byte through a table of each byte's UTF-8 (taken from
 * TextDecoder, so both ways read alike): several times faster than decoding to a string and
 * encoding it again, and nothing but the output is allocated.
 */
function singleByteConverter(label: string): Converter {
  const decoder = new TextDecoder(label);
  const encoder = new TextEncoder();
  const table = Array.from({ length: 256 }, (_, b) => encoder.encode(decoder.decode(Uint8Array.of(b))));
  return (slice) => {
    const out = new Uint8Array(slice.length * 3);
    let at = 0;
    for (let i = 0; i < slice.length; i++) {
      const b = slice[i] as number;
      if (b < 0x80) {
        out[at++] = b;
      } else {
        const utf8 = table[b] as Uint8Array;
        for (let k = 0; k < utf8.length; k++) out[at++] = utf8[k] as number;
      }
    }
    return out.slice(0, at);
  };
}

function blobSink(name: string): Sink {
  const parts: Blob[] = [];
  return {
    write: async (bytes) => {
      parts.push(new Blob([bytes]));
    },
    close: async () => new File(parts, name, { type: 'text/csv' }),
    release: async () => {
      parts.length = 0;
    },
  };
}

/** Held (shared) by every tab while it has a copy in OPFS_DIRECTORY, so no tab sweeps it away. */
const COPIES_LOCK = 'sessionizer-transcoded-copies';

/** Takes a shared hold on COPIES_LOCK; resolves to the function that lets it go. */
function holdCopiesLock(locks: LockManager): Promise<() => void> {
  return new Promise((held) => {
    void locks.request(COPIES_LOCK, { mode: 'shared' }, () => new Promise<void>((letGo) => held(letGo)));
  });
}

/** Copies left behind by a tab closed while it loaded: removed whenever no tab holds one. */
async function sweepLeftovers(locks: LockManager, root: FileSystemDirectoryHandle): Promise<void> {
  await locks.request(COPIES_LOCK, { mode: 'exclusive', ifAvailable: true }, async (lock) => {
    if (!lock) return;
    try {
      await root.removeEntry(OPFS_DIRECTORY, { recursive: true });
    } catch (error) {
      // No directory yet: nothing was left.
      if (!(error instanceof DOMException && error.name === 'NotFoundError')) throw error;
    }
  });
}

/** A file in the origin private file system, or null where there is none (Node, an older browser, storage refused). */
async function opfsSink(name: string): Promise<Sink | null> {
  const storage: StorageManager | undefined = globalThis.navigator?.storage;
  const locks: LockManager | undefined = globalThis.navigator?.locks;
  if (typeof storage?.getDirectory !== 'function' || locks === undefined) return null;
  let letGo: () => void = () => undefined;
  let directory: FileSystemDirectoryHandle;
  let writable: FileSystemWritableFileStream;
  let handle: FileSystemFileHandle;
  try {
    const root = await storage.getDirectory();
    await sweepLeftovers(locks, root);
    letGo = await holdCopiesLock(locks);
    directory = await root.getDirectoryHandle(OPFS_DIRECTORY, { create: true });
    handle = await directory.getFileHandle(name, { create: true });
    writable = await handle.createWritable();
  } catch {
    // No private file system here (some private windows refuse it): the Blob sink serves.
    letGo();
    return null;
  }
  let closed = false;
  return {
    write: (bytes) => writable.write(bytes),
    close: async () => {
      await writable.close();
      closed = true;
      return handle.getFile();
    },
    release: async () => {
      try {
        if (!closed) await writable.abort();
        await directory.removeEntry(name);
      } finally {
        letGo();
      }
    },
  };
}
