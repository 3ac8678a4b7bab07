import { readBytes } from '../domain/csv-records';
import {
  compressionOf,
  END_SEARCH_BYTES,
  entryDataOffset,
  isDataEntry,
  LOCAL_HEADER_BYTES,
  ZIP64_END_BYTES,
  zip64End,
  zipEnd,
  zipEntries,
  type ZipEntry,
} from '../domain/zip-directory';
import { HEAD_BYTES, PartWriter, sizeText } from './archive-parts';
import {
  byteSlices,
  crc32,
  DecompressProblem,
  gunzipMembers,
  type Gunzipper,
  inflate,
  nativeGunzip,
  peek,
  prepend,
  SeveralGzipMembers,
} from './inflate-chunks';
import { openCopy, type Sink } from './transcode';

/*
 * A gzip file or a zip archive, decompressed as it is read into a copy (the private file
 * system, else Blobs: transcode.ts's writer) that the loader reads as if the plain file had
 * been chosen. gzip is known by its first bytes whatever the name; a zip may hold one file
 * or many of one shape (an Amplitude export: hourly .json.gz files), each part possibly
 * gzip-compressed itself (one level: archives inside archives are refused). The limits
 * hold for what decompression gives, not what the archive says: the copy stops at
 * `maxBytes`; a zip entry that gives more than it declares, or another CRC, is damaged.
 */

export { DecompressProblem } from './inflate-chunks';

/** Entries a zip may hold (a year of hourly files is 8,760). */
export const MAX_ZIP_ENTRIES = 100_000;

export interface DecompressOptions {
  /** The file's name, for messages. */
  name: string;
  /** Most bytes the decompressed copy may have. */
  maxBytes: number;
  signal?: AbortSignal;
  /** Bytes of the compressed file read so far, of `total`. */
  progress?(read: number, total: number): void;
}

export interface Decompressed {
  file: File;
  size: number;
  /** What the page says about it (the archive's files, what was left out). */
  notes: string[];
  /** Deletes the copy (it is also deleted once nothing holds the file). */
  release(): Promise<void>;
}

/** Copies in the private file system are deleted when their File is collected, if not before. */
const copies = new FinalizationRegistry<() => Promise<void>>((release) => void release().catch(() => undefined));

let nextCopy = 1;

/** The file decompressed, or null when it is not compressed (its first bytes say which). */
export async function decompressFile(data: Blob | Uint8Array, options: DecompressOptions): Promise<Decompressed | null> {
  const kind = compressionOf(await readBytes(data, 0, 4));
  if (kind === null) return null;
  const into = kind === 'gzip' ? gunzipInto : unzipInto;
  try {
    return await decompressWith(into, nativeGunzip, data, options);
  } catch (error) {
    // gzip files joined with cat: the browser refuses them, fflate reads them (from the start again).
    if (!(error instanceof SeveralGzipMembers)) throw error;
    const decompressed = await decompressWith(into, gunzipMembers, data, options);
    return {
      ...decompressed,
      notes: [...decompressed.notes, 'It holds several gzip streams one after another (files joined with cat); they were read one after another.'],
    };
  }
}

type Into = (sink: Sink, data: Blob | Uint8Array, options: DecompressOptions, gunzip: Gunzipper) => Promise<string[]>;

async function decompressWith(into: Into, gunzip: Gunzipper, data: Blob | Uint8Array, options: DecompressOptions): Promise<Decompressed> {
  const sink = await openCopy(`decompressed-${Date.now()}-${nextCopy++}`);
  try {
    const notes = await into(sink, data, options, gunzip);
    const file = await sink.close();
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await sink.release();
    };
    copies.register(file, release);
    return { file, size: file.size, notes, release };
  } catch (error) {
    await sink.release();
    throw error;
  }
}

const sizeOf = (data: Blob | Uint8Array) => (data instanceof Uint8Array ? data.length : data.size);

/** Counts what is read of the file, reports progress, and stops when the load is abandoned. */
function readCounter(total: number, options: DecompressOptions) {
  let read = 0;
  return {
    read: () => read,
    onRead: (bytes: number) => {
      options.signal?.throwIfAborted();
      read += bytes;
      options.progress?.(read, total);
    },
  };
}

async function gunzipInto(sink: Sink, data: Blob | Uint8Array, options: DecompressOptions, gunzip: Gunzipper): Promise<string[]> {
  const size = sizeOf(data);
  const counter = readCounter(size, options);
  const parts = new PartWriter(sink, { name: options.name, maxBytes: options.maxBytes, compressedRead: counter.read, compressedSize: size });
  const { head, rest } = await peek(gunzip(byteSlices(data, 0, size, counter.onRead))[Symbol.asyncIterator](), HEAD_BYTES);
  if (head.length === 0) throw new DecompressProblem('it is gzip-compressed but holds nothing');
  await parts.add(options.name, head, restAfter(rest));
  return [`The file is gzip-compressed: it was decompressed while reading (${sizeText(size)} to ${sizeText(parts.bytes)}).`];
}

/** The rest of a peeked sequence as an iterable. */
async function* restAfter(rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
  } finally {
    await rest.return?.(undefined);
  }
}

async function zipDirectory(data: Blob | Uint8Array): Promise<ZipEntry[]> {
  const size = sizeOf(data);
  const tailStart = Math.max(0, size - END_SEARCH_BYTES);
  let end = zipEnd(await readBytes(data, tailStart, size), tailStart);
  if (typeof end !== 'string' && end.zip64EndOffset !== null) {
    end = zip64End(await readBytes(data, end.zip64EndOffset, end.zip64EndOffset + ZIP64_END_BYTES), end);
  }
  if (typeof end === 'string') throw new DecompressProblem(end);
  if (end.entries > MAX_ZIP_ENTRIES) {
    throw new DecompressProblem(`it says it holds ${end.entries.toLocaleString('en-US')} files; at most ${MAX_ZIP_ENTRIES.toLocaleString('en-US')} are read`);
  }
  if (end.directoryOffset + end.directorySize > size)
    throw new DecompressProblem('its table of contents points past its end: the archive is cut short or damaged');
  const entries = zipEntries(await readBytes(data, end.directoryOffset, end.directoryOffset + end.directorySize), end.entries);
  if (typeof entries === 'string') throw new DecompressProblem(entries);
  return entries;
}

function checkEntries(entries: ZipEntry[], size: number, options: DecompressOptions): ZipEntry[] {
  const office = officeDocument(entries);
  if (office) throw new DecompressProblem(`it is ${office}, not an archive of data files: save it as CSV first`);
  const data = entries.filter(isDataEntry).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (data.length === 0)
    throw new DecompressProblem(entries.length === 0 ? 'it is an empty zip archive' : 'it is a zip archive holding only folders or hidden files');
  for (const entry of data) {
    if (entry.encrypted) throw new DecompressProblem(`"${entry.name}" in it is encrypted (password-protected); extract it and load the file`);
    if (entry.method !== 0 && entry.method !== 8) {
      throw new DecompressProblem(
        `"${entry.name}" in it is compressed with method ${entry.method} (only stored and deflated files are read); extract it and load the file`,
      );
    }
    if (entry.localHeaderOffset + entry.compressedSize > size)
      throw new DecompressProblem(`"${entry.name}" in it reaches past the end of the archive: it is cut short or damaged`);
  }
  const declared = data.reduce((sum, e) => sum + e.size, 0);
  if (declared > options.maxBytes) {
    throw new DecompressProblem(
      `its ${data.length === 1 ? 'file says it decompresses' : `${data.length} files say they decompress`} to ${sizeText(declared)}, more than the ${sizeText(options.maxBytes)} the page can hold. Load a part of it, or run the SQL panel's query on DuckDB or PostgreSQL`,
    );
  }
  return data;
}

/** What an Office or OpenDocument file (a zip inside) is, or null. */
function officeDocument(entries: ZipEntry[]): string | null {
  const names = new Set(entries.map((e) => e.name));
  if (names.has('xl/workbook.xml')) return 'an Excel workbook (.xlsx)';
  if (names.has('word/document.xml')) return 'a Word document (.docx)';
  if (names.has('[Content_Types].xml')) return 'an Office document';
  if (names.has('mimetype') && names.has('content.xml')) return 'an OpenDocument file (.ods, .odt)';
  return null;
}

/** An entry's bytes, checked against what the archive declares: never more than its size, and its CRC at the end. */
async function* checked(chunks: AsyncIterable<Uint8Array>, entry: ZipEntry): AsyncGenerator<Uint8Array> {
  let length = 0;
  let crc = 0;
  for await (const chunk of chunks) {
    length += chunk.length;
    if (length > entry.size)
      throw new DecompressProblem(
        `"${entry.name}" in it decompresses to more than the ${entry.size.toLocaleString('en-US')} bytes it declares: the archive is damaged or built to exhaust memory`,
      );
    crc = crc32(chunk, crc);
    yield chunk;
  }
  if (length !== entry.size || crc !== entry.crc32)
    throw new DecompressProblem(
      `"${entry.name}" in it is damaged (${length !== entry.size ? `${length.toLocaleString('en-US')} bytes where it declares ${entry.size.toLocaleString('en-US')}` : 'its checksum (CRC) does not match'})`,
    );
}

async function unzipInto(sink: Sink, data: Blob | Uint8Array, options: DecompressOptions, gunzip: Gunzipper): Promise<string[]> {
  const size = sizeOf(data);
  const entries = checkEntries(await zipDirectory(data), size, options);
  const compressed = entries.reduce((sum, e) => sum + e.compressedSize, 0);
  const counter = readCounter(compressed, options);
  const parts = new PartWriter(sink, { name: options.name, maxBytes: options.maxBytes, compressedRead: counter.read, compressedSize: size });
  let gzipped = 0;
  for (const entry of entries) {
    const header = await readBytes(data, entry.localHeaderOffset, entry.localHeaderOffset + LOCAL_HEADER_BYTES);
    const start = entryDataOffset(header, entry);
    if (typeof start === 'string') throw new DecompressProblem(start);
    const raw = byteSlices(data, start, start + entry.compressedSize, counter.onRead);
    const stored = checked(entry.method === 8 ? inflate(raw, 'deflate-raw') : raw, entry);
    let { head, rest } = await peek(stored, HEAD_BYTES);
    if (compressionOf(head) === 'gzip') {
      // One level of gzip inside the zip (an Amplitude export's hourly files).
      gzipped++;
      ({ head, rest } = await peek(gunzip(prepend(head, rest))[Symbol.asyncIterator](), HEAD_BYTES));
    }
    await parts.add(entry.name, head, restAfter(rest));
  }
  if (parts.parts === 0) throw new DecompressProblem('every file in it is empty');
  const what = parts.parts === 1 ? `one file, "${entries[0]?.name}"` : `${parts.parts} files of one shape`;
  const zipped = gzipped > 0 ? ` (${gzipped === parts.parts ? 'each' : `${gzipped} of them`} gzip-compressed)` : '';
  const notes = [`The file is a zip archive holding ${what}${zipped}: decompressed while reading (${sizeText(size)} to ${sizeText(parts.bytes)}).`];
  if (parts.parts > 1) {
    const headers =
      parts.headersLeftOut > 0 ? ` The header line at the top of each CSV file after the first was left out (${parts.headersLeftOut} lines).` : '';
    notes.push(
      `The ${parts.parts} files were read one after another in name order ("${entries[0]?.name}" to "${entries[entries.length - 1]?.name}") as one file; row and line numbers count through them in that order.${headers}`,
    );
  }
  return notes;
}
