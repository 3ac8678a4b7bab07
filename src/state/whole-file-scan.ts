import { extraDelimiterCollector, recordFields, type FirstLineGuess, type HeadRecord } from '../domain/sniff-file';
import { fileChunks, recordScanner } from '../domain/csv-records';

/*
 * The delimited checks' one pass over a whole file, in chunks (never all of it in memory):
 * what DuckDB reads without complaint but wrongly is found here by bytes, then set aside or
 * noted by delimited-checks.ts with queries.
 */

export interface HeaderLine {
  line: number;
  fields: string[];
  /** The same names as the header (a repeat), or another table's header. */
  repeat: boolean;
  /** Its first byte's offset: the file above it is the bytes before. */
  start: number;
  /** Records from this line to the end of the file, this one included. */
  recordsFrom: number;
}

/**
 * One pass over the whole file, in chunks (never all of it in memory): the lines below the
 * header that repeat it or start another table with many of its names (when `headers`),
 * and the lines with one delimiter too many.
 */
export async function scanWholeFile(
  data: File | Uint8Array,
  firstLine: FirstLineGuess,
  names: string[],
  headers: boolean,
): Promise<{ headerLines: HeaderLine[]; extraDelimiterLines: HeadRecord[] }> {
  const headerLine = firstLine.blankLinesAbove + firstLine.titleLines + 1;
  const decoder = new TextDecoder();
  const firstName = new TextEncoder().encode(names[0]);
  const found: (Omit<HeaderLine, 'recordsFrom'> & { index: number })[] = [];
  const extra = extraDelimiterCollector(names.length, firstLine.delimiter, firstLine.quote);
  let records = 0;
  const scanner = recordScanner(firstLine.delimiter, firstLine.quote, (record, bytes) => {
    records++;
    if (record.line <= headerLine) return;
    extra.add(record, bytes);
    if (!headers || !includes(bytes, firstName)) return;
    const header = headerLineOf(decoder.decode(bytes), firstLine, names);
    if (header) found.push({ ...header, line: record.line, start: record.start, index: records });
  });
  for await (const chunk of fileChunks(data)) scanner.push(chunk);
  scanner.finish(true);
  return {
    headerLines: found.map(({ index, ...h }) => ({ ...h, recordsFrom: records - index + 1 })),
    extraDelimiterLines: extra.lines(),
  };
}

function includes(bytes: Uint8Array, part: Uint8Array): boolean {
  const first = part[0];
  for (let i = bytes.indexOf(first ?? 0); i >= 0 && i + part.length <= bytes.length; i = bytes.indexOf(first ?? 0, i + 1)) {
    if (part.every((b, k) => bytes[i + k] === b)) return true;
  }
  return false;
}

/** A line that repeats the header, or starts another table with many of its names (and no data). */
function headerLineOf(text: string, firstLine: FirstLineGuess, names: string[]): { fields: string[]; repeat: boolean } | null {
  const fields = (recordFields(text, firstLine.delimiter, firstLine.quote) ?? []).map((f) => f.trim());
  if (fields[0] !== names[0] || fields[1] !== names[1]) return null;
  const named = fields.filter((f) => f !== '');
  const repeat = named.length === names.length && named.every((f, k) => f === names[k]);
  const shared = named.filter((f) => names.includes(f)).length;
  if (!repeat && (shared * 2 < names.length || fields.some((f) => /^\d{4}-\d\d-\d\d|^-?\d+(\.\d+)?$|\d:\d\d/.test(f)))) return null;
  return { fields: named, repeat };
}
