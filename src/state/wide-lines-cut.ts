import { readBytes } from '../domain/csv-records';
import type { FirstLineGuess } from '../domain/sniff-file';
import type { WideLine, WideLineScan } from '../domain/wide-lines';
import { scanWideLines } from '../ingest/wide-line-scan';
import type { PositionedRejectedLine } from '../ingest/file-lines';
import type { RejectedLine } from '../ingest/row-batches';
import { MAX_EXTRA_COLUMNS } from './read-delimited';

/*
 * Lines wider than the header + MAX_EXTRA_COLUMNS are cut from the bytes DuckDB reads (its
 * read_csv spends time in the square of such a line's fields: minutes for 30,000) and set
 * aside here with their file line numbers, as DuckDB would have set them aside.
 */

/** Wide lines set aside at most; past that the file is refused (its delimiter is likely not the one guessed). */
export const MAX_WIDE_LINES = 1000;

/** How much of a wide line's text is kept for its example. */
const EXAMPLE_BYTES = 1000;

/** The lines of `data` below the header with more than `headerFields` + MAX_EXTRA_COLUMNS fields. */
export function findWideLines(data: Blob | Uint8Array, firstLine: FirstLineGuess, headerFields: number): Promise<WideLineScan> {
  return scanWideLines(data, {
    delimiter: firstLine.delimiter,
    quote: firstLine.quote,
    headerLine: firstLine.blankLinesAbove + firstLine.titleLines + 1,
    maxFields: headerFields + MAX_EXTRA_COLUMNS,
    maxLines: MAX_WIDE_LINES,
  });
}

/** `data` without the lines' bytes (their line breaks included); a File stays a lazy File of slices. */
export function withoutLines(data: File | Uint8Array, lines: readonly WideLine[], name: string): File | Uint8Array {
  const keep: [number, number][] = [];
  let at = 0;
  for (const l of lines) {
    if (l.start > at) keep.push([at, l.start]);
    at = l.end;
  }
  const size = data instanceof Uint8Array ? data.length : data.size;
  if (at < size) keep.push([at, size]);
  if (!(data instanceof Uint8Array))
    return new File(
      keep.map(([s, e]) => data.slice(s, e)),
      name,
    );
  const out = new Uint8Array(keep.reduce((n, [s, e]) => n + e - s, 0));
  let to = 0;
  for (const [s, e] of keep) {
    out.set(data.subarray(s, e), to);
    to += e - s;
  }
  return out;
}

/** A byte position in the bytes without `lines` as the same byte's position in the whole file. */
export function originalPosition(lines: readonly WideLine[], position: number): number {
  let cutBefore = 0;
  for (const l of lines) {
    // The position of the first byte after a cut line, and past, moves down by its length.
    if (l.start - cutBefore > position) break;
    cutBefore += l.end - l.start;
  }
  return position + cutBefore;
}

/** The rejected examples of a read of the cut bytes, their positions those of the whole file. */
export function inWholeFile(lines: readonly WideLine[], examples: readonly PositionedRejectedLine[]): PositionedRejectedLine[] {
  return examples.map((r) => (typeof r.position === 'number' ? { ...r, position: originalPosition(lines, r.position) } : r));
}

/** The first `limit` wide lines as set-aside lines: their numbers, field counts and first 1,000 bytes. */
export async function wideLineExamples(data: Blob | Uint8Array, lines: readonly WideLine[], headerFields: number, limit: number): Promise<RejectedLine[]> {
  const decoder = new TextDecoder();
  return Promise.all(
    lines.slice(0, limit).map(async (l) => {
      const bytes = await readBytes(data, l.start, Math.min(l.end, l.start + EXAMPLE_BYTES));
      const text = decoder.decode(bytes).replace(/[\r\n]+$/, '');
      return {
        line: l.line,
        message: `Expected Number of Columns: ${headerFields} Found: ${l.fieldCount} (lines of more than ${headerFields + MAX_EXTRA_COLUMNS} fields are set aside before reading)`,
        text: l.end - l.start > EXAMPLE_BYTES ? `${text}…` : text,
      };
    }),
  );
}
