/*
 * A zip archive's table of contents (its central directory), read from bytes: which files
 * it holds, how each is compressed, how large each says it is and where its data starts.
 * Pure: the caller reads the bytes asked for (the end of the archive, then the directory,
 * then each entry's local header), so an archive is never held whole. Sizes are what the
 * archive declares; the reader checks them against what decompression gives.
 */

export const GZIP_MAGIC = [0x1f, 0x8b] as const;
export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;
/** An empty zip is only its end record. */
const EMPTY_ZIP_MAGIC = [0x50, 0x4b, 0x05, 0x06] as const;

export type Compression = 'gzip' | 'zip';

/** The archive kind the first bytes announce, or null for a plain file. */
export function compressionOf(head: Uint8Array): Compression | null {
  const starts = (magic: readonly number[]) => magic.every((b, i) => head[i] === b);
  if (starts(GZIP_MAGIC)) return 'gzip';
  if (starts(ZIP_MAGIC) || starts(EMPTY_ZIP_MAGIC)) return 'zip';
  return null;
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; others are refused by the reader. */
  method: number;
  encrypted: boolean;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** The end record: 22 bytes plus a comment of at most 65,535. */
export const END_SEARCH_BYTES = 22 + 0xffff;
/** The zip64 end record a zip64 locator points at is 56 bytes (no extensible data is read). */
export const ZIP64_END_BYTES = 56;
export const LOCAL_HEADER_BYTES = 30;

export interface ZipEnd {
  entries: number;
  directoryOffset: number;
  directorySize: number;
  /** Where a zip64 end record is, when the archive has one (read it with zip64End). */
  zip64EndOffset: number | null;
}

const u16 = (b: Uint8Array, at: number) => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) + u16(b, at + 2) * 0x10000) >>> 0;
/** A 64-bit size as a number (exact up to 2^53; more is absurd for any file read here anyway). */
const u64 = (b: Uint8Array, at: number) => u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;

/** The end record found in the archive's last bytes (`tail`, which start at `tailOffset`), or a problem. */
export function zipEnd(tail: Uint8Array, tailOffset: number): ZipEnd | string {
  for (let at = tail.length - 22; at >= 0; at--) {
    if (u32(tail, at) !== 0x06054b50) continue;
    const locator = at - 20;
    const zip64EndOffset = locator >= 0 && u32(tail, locator) === 0x07064b50 ? u64(tail, locator + 8) : null;
    return { entries: u16(tail, at + 10), directorySize: u32(tail, at + 12), directoryOffset: u32(tail, at + 16), zip64EndOffset };
  }
  return tailOffset + tail.length === 0
    ? 'it is empty'
    : 'it starts as a ZIP archive, but the table of contents at the end of one is missing: it is cut short or damaged (an .xlsx workbook is a ZIP archive too: export it as CSV)';
}

/** The zip64 end record's counts and offsets (for archives past 65,535 entries or 4 GB). */
export function zip64End(bytes: Uint8Array, end: ZipEnd): ZipEnd | string {
  if (u32(bytes, 0) !== 0x06064b50) return 'its zip64 table of contents is damaged';
  return { entries: u64(bytes, 32), directorySize: u64(bytes, 40), directoryOffset: u64(bytes, 48), zip64EndOffset: end.zip64EndOffset };
}

/** The entries of a central directory, or a problem. */
export function zipEntries(directory: Uint8Array, count: number): ZipEntry[] | string {
  const entries: ZipEntry[] = [];
  const names = new TextDecoder();
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || u32(directory, at) !== 0x02014b50) return `its table of contents is damaged (entry ${i + 1} of ${count})`;
    const flags = u16(directory, at + 8);
    const nameLength = u16(directory, at + 28);
    const extraLength = u16(directory, at + 30);
    const commentLength = u16(directory, at + 32);
    const name = names.decode(directory.subarray(at + 46, at + 46 + nameLength));
    const entry: ZipEntry = {
      name,
      method: u16(directory, at + 10),
      encrypted: (flags & 1) !== 0,
      crc32: u32(directory, at + 16),
      compressedSize: u32(directory, at + 20),
      size: u32(directory, at + 24),
      localHeaderOffset: u32(directory, at + 42),
    };
    readZip64Extra(directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Sizes and offset too large for 32 bits are in the zip64 extra field (id 1), in this order. */
function readZip64Extra(extra: Uint8Array, entry: ZipEntry): void {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = u16(extra, at);
    const length = u16(extra, at + 2);
    if (id === 1) {
      let field = at + 4;
      for (const key of ['size', 'compressedSize', 'localHeaderOffset'] as const) {
        if (entry[key] !== 0xffffffff || field + 8 > at + 4 + length) continue;
        entry[key] = u64(extra, field);
        field += 8;
      }
      return;
    }
    at += 4 + length;
  }
}

/** Where an entry's data starts, from its local header (LOCAL_HEADER_BYTES read at its offset), or a problem. */
export function entryDataOffset(header: Uint8Array, entry: ZipEntry): number | string {
  if (u32(header, 0) !== 0x04034b50) return `the entry "${entry.name}" is damaged (no local header where the table of contents says)`;
  return entry.localHeaderOffset + LOCAL_HEADER_BYTES + u16(header, 26) + u16(header, 28);
}

/** Entries that are not data: folders, macOS resource forks, hidden files (.DS_Store). */
export function isDataEntry(entry: ZipEntry): boolean {
  const base = entry.name.split('/').pop() ?? '';
  return !entry.name.endsWith('/') && !entry.name.startsWith('__MACOSX/') && base !== '' && !base.startsWith('.');
}
