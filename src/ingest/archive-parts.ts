import { compressionOf } from '../domain/zip-directory';
import { DecompressProblem } from './inflate-chunks';
import type { Sink } from './transcode';

/*
 * The decompressed files of an archive written out one after another as one file, which
 * the loader then reads as if it had been chosen plain. Every part must be of one shape:
 * CSV with the same header (written once: the copies at the top of later parts are left
 * out), NDJSON (joined by lines), or a single Parquet file. Written bytes are counted
 * against the page's limit as they come, so a bomb stops at the limit.
 */

export type PartKind = 'csv' | 'json' | 'parquet';

const KIND_NAMES: Record<PartKind, string> = { csv: 'CSV/TSV text', json: 'JSON', parquet: 'Parquet' };

/** How far into a part its kind and first line are looked for. */
export const HEAD_BYTES = 64 * 1024;

export interface PartsOptions {
  /** The archive's name, for messages. */
  name: string;
  maxBytes: number;
  /** Bytes read of the archive so far and in all (for the size message). */
  compressedRead(): number;
  compressedSize: number;
}

/** A size in MB, or in GB, TB, PB where that reads better (a bomb declares petabytes). */
export function sizeText(bytes: number): string {
  const units = ['MB', 'GB', 'TB', 'PB'];
  let value = bytes / 1024 ** 2;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** The limit's message: the file, what it decompressed to before it stopped, and what the page holds. */
export function tooLargeMessage(options: Pick<PartsOptions, 'maxBytes' | 'compressedSize'>, read: number): string {
  return `it decompresses to more than ${sizeText(options.maxBytes)}, more than the page can hold (reading stopped after ${sizeText(read)} of its ${sizeText(options.compressedSize)}). Load a part of it, or run the SQL panel's query on DuckDB or PostgreSQL`;
}

function kindOf(head: Uint8Array, label: string): PartKind {
  const nested = compressionOf(head);
  if (nested)
    throw new DecompressProblem(
      `"${label}" is itself ${nested === 'zip' ? 'a zip archive' : 'compressed again (gzip)'}: archives inside archives are not opened`,
    );
  if (String.fromCharCode(...head.subarray(257, 262)) === 'ustar')
    throw new DecompressProblem(`"${label}" is a tar archive: extract it and load the files it holds`);
  if (String.fromCharCode(...head.subarray(0, 4)) === 'PAR1') return 'parquet';
  const text = new TextDecoder()
    .decode(head.subarray(0, 256))
    .replace(/^\uFEFF/, '')
    .trimStart();
  return text.startsWith('{') || text.startsWith('[') ? 'json' : 'csv';
}

/** The first line of a text part (without BOM and line end), and where the line after it starts; null when it is longer than the head. */
function firstLine(head: Uint8Array): { text: string; next: number } | null {
  const end = head.indexOf(0x0a);
  if (end < 0) return null;
  return {
    text: new TextDecoder()
      .decode(head.subarray(0, end))
      .replace(/^\uFEFF/, '')
      .replace(/\r$/, ''),
    next: end + 1,
  };
}

export class PartWriter {
  private written = 0;
  private kind: PartKind | null = null;
  private header: string | null = null;
  private firstLabel = '';
  private endsInNewline = true;
  private firstIsArray = false;
  /** Parts written, and how many of them had their header line left out. */
  parts = 0;
  headersLeftOut = 0;

  constructor(
    private readonly sink: Sink,
    private readonly options: PartsOptions,
  ) {}

  get bytes(): number {
    return this.written;
  }

  get partKind(): PartKind | null {
    return this.kind;
  }

  /** Writes one decompressed part (`head`: its first HEAD_BYTES or all of it; `rest`: what follows). */
  async add(label: string, head: Uint8Array, rest: AsyncIterable<Uint8Array>): Promise<void> {
    if (head.length === 0) return;
    const kind = kindOf(head, label);
    if (this.kind !== null && kind !== this.kind) {
      throw new DecompressProblem(
        `it holds files of different kinds ("${this.firstLabel}" is ${KIND_NAMES[this.kind]}, "${label}" is ${KIND_NAMES[kind]}); load them one by one`,
      );
    }
    if (kind === 'parquet' && this.parts > 0) {
      throw new DecompressProblem(
        `it holds several Parquet files ("${this.firstLabel}", "${label}", …), and the page reads one Parquet file at a time: extract them, load one and add the others with "Add a late file"`,
      );
    }
    if (kind === 'json' && this.parts > 0 && (startsArray(head) || this.firstIsArray)) {
      throw new DecompressProblem(
        `it holds several JSON files of which "${this.firstIsArray ? this.firstLabel : label}" is one JSON array; arrays cannot be joined line by line: extract the files and load them one by one`,
      );
    }
    let start = head;
    if (kind === 'csv') start = this.withoutRepeatedHeader(label, head);
    else if (this.parts > 0) start = withoutBom(head);
    if (this.parts === 0) {
      this.firstIsArray = kind === 'json' && startsArray(head);
      this.kind = kind;
      this.firstLabel = label;
    } else if (kind !== 'parquet' && !this.endsInNewline) {
      await this.write(Uint8Array.of(0x0a));
    }
    this.parts++;
    await this.write(start);
    for await (const chunk of rest) await this.write(chunk);
  }

  private withoutRepeatedHeader(label: string, head: Uint8Array): Uint8Array {
    const line = firstLine(head);
    if (this.parts === 0) {
      this.header = line?.text ?? null;
      return head;
    }
    if (line === null || line.text !== this.header) {
      const shown = (text: string | null | undefined) =>
        text === null || text === undefined ? 'a line longer than 64 KB' : `"${text.slice(0, 80)}${text.length > 80 ? '…' : ''}"`;
      throw new DecompressProblem(
        `its files are not of one shape: "${label}" starts with ${shown(line?.text)}, "${this.firstLabel}" with ${shown(this.header)}; load them one by one`,
      );
    }
    this.headersLeftOut++;
    return head.subarray(line.next);
  }

  private async write(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    this.written += bytes.length;
    if (this.written > this.options.maxBytes) throw new DecompressProblem(tooLargeMessage(this.options, this.options.compressedRead()));
    this.endsInNewline = bytes[bytes.length - 1] === 0x0a;
    await this.sink.write(bytes as Uint8Array<ArrayBuffer>);
  }
}

function startsArray(head: Uint8Array): boolean {
  return new TextDecoder()
    .decode(head.subarray(0, 256))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('[');
}

function withoutBom(head: Uint8Array): Uint8Array {
  return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
}
