import type { ChunkedRows } from './export-tables';

/*
 * The chunk loop every export runs (exports.ts): rows in chunks of EXPORT_CHUNK_ROWS, each one
 * request, so the page can say how far it is and stop between two chunks.
 */

export interface ExportProgress {
  rowsDone: number;
  rowsTotal: number;
}

export class ExportCancelledError extends Error {
  constructor() {
    super('the export was cancelled');
    this.name = 'ExportCancelledError';
  }
}

/** Rows per chunk: a DuckDB row group, so a range of positions reads whole groups. */
export const EXPORT_CHUNK_ROWS = 122_880;

/** What the loop takes of an export's options (ExportOptions). */
export interface ChunkOptions {
  onProgress?: (progress: ExportProgress) => void;
  /** Aborting it stops the export between two chunks with an ExportCancelledError. */
  signal?: AbortSignal;
  /** Rows per chunk (tests make it small); EXPORT_CHUNK_ROWS by default. */
  chunkRows?: number;
}

/** Runs one step of an export under a performance measure `export:<name>` (the bench and devtools show where the time goes). */
export async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    performance.measure(`export:${name}`, { start, end: performance.now() });
  }
}

/**
 * Makes rows [from, to) of every chunk (at least one, so an empty export still has its header)
 * with `make` and hands each to `use` in order, reporting progress. With `ahead`, the next
 * chunk is asked for before `use` takes this one, so that whoever makes them (DuckDB, the
 * stats worker) works while the page takes a chunk in; one chunk at most is made ahead, and
 * it is waited for before this returns or throws (the tables it reads are dropped after).
 */
export async function eachChunk<T>(
  rows: ChunkedRows,
  options: ChunkOptions,
  make: (from: number, to: number, first: boolean) => Promise<T>,
  use: (chunk: T) => void | Promise<void>,
  ahead = false,
): Promise<void> {
  const chunkRows = options.chunkRows ?? EXPORT_CHUNK_ROWS;
  const ranges: [number, number][] = [];
  for (let from = 0; from === 0 || from < rows.total; from += chunkRows) ranges.push([from, Math.min(rows.total, from + chunkRows)]);
  const start = (i: number): Promise<T> => {
    const [from, to] = ranges[i] as [number, number];
    const made = step('chunk', () => make(from, to, from === 0));
    made.catch(() => {});
    return made;
  };
  let next: Promise<T> | null = null;
  try {
    for (let i = 0; i < ranges.length; i++) {
      if (options.signal?.aborted) throw new ExportCancelledError();
      const chunk = await (next ?? start(i));
      next = ahead && i + 1 < ranges.length && !options.signal?.aborted ? start(i + 1) : null;
      await use(chunk);
      options.onProgress?.({ rowsDone: (ranges[i] as [number, number])[1], rowsTotal: rows.total });
    }
  } finally {
    await next?.catch(() => {});
  }
  if (options.signal?.aborted) throw new ExportCancelledError();
}
