import type { Engine } from '../engine/engine';
import { readBytes } from '../domain/csv-records';
import { compressionOf } from '../domain/zip-directory';
import { decompressFile, DecompressProblem } from '../ingest/decompress';
import { memoryInUseSql } from '../sql/storage-sql';
import { engineMessage, LoadError } from './load-errors';
import type { FileSource } from './raw-table';
import { MEMORY_BUDGET_BYTES } from './read-raw-table';

/*
 * Where a file enters a load or an append: a gzip file or zip archive (known by its first
 * bytes) is decompressed into a copy that the rest of the pipeline reads as the plain file,
 * under the name the person chose. The copy may be as large as the memory left allows a
 * plain file to be (4 bytes of memory a byte of CSV or NDJSON, see read-raw-table.ts); the
 * usual check of that file's size follows when it is read.
 */

/** Memory a byte of decompressed text needs at least once read (CSV and NDJSON; Parquet needs more, checked later). */
const MEMORY_PER_TEXT_BYTE = 4;

export interface Opened {
  source: FileSource;
  /** What the page says about the archive (empty for a plain file). */
  notes: string[];
}

export interface OpenContext {
  engine: Engine;
  signal: AbortSignal;
  progress(activity: string): void;
}

/** Decompressed bytes the page can take now. */
export async function decompressedLimit(engine: Engine): Promise<number> {
  const [row] = await engine.query<{ bytes: number }>(memoryInUseSql());
  return Math.max(0, Math.floor((MEMORY_BUDGET_BYTES - (row?.bytes ?? 0)) / MEMORY_PER_TEXT_BYTE));
}

/** `source` as the plain file it holds (itself when not compressed). `maxBytes` overrides the limit (tests). */
export async function openCompressed(ctx: OpenContext, source: FileSource, maxBytes?: number): Promise<Opened> {
  const mb = (n: number) => (n / 1024 ** 2).toFixed(1);
  let shown = -1;
  try {
    // A plain file (most are) goes on at once: DuckDB's memory in use bounds only a copy, and
    // asking DuckDB (its worker may be busy starting) costs a cold load tens of milliseconds.
    if (compressionOf(await readBytes(source.data, 0, 4)) === null) return { source, notes: [] };
    const decompressed = await decompressFile(source.data, {
      name: source.name,
      maxBytes: maxBytes ?? (await decompressedLimit(ctx.engine)),
      signal: ctx.signal,
      progress: (read, total) => {
        const percent = total > 0 ? Math.floor((read / total) * 100) : 100;
        if (percent === shown) return;
        shown = percent;
        ctx.progress(`Decompressing ${source.name}: ${percent}% of ${mb(total)} MB read…`);
      },
    });
    if (!decompressed) return { source, notes: [] };
    return { source: { name: source.name, size: decompressed.size, data: decompressed.file }, notes: decompressed.notes };
  } catch (error) {
    ctx.signal.throwIfAborted();
    if (error instanceof DecompressProblem) throw new LoadError(source.name, `${error.message}.`);
    throw new LoadError(source.name, `could not be decompressed: ${engineMessage(error)}`);
  }
}
