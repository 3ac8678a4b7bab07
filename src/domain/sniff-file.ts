import Papa from 'papaparse';
import { recordScanner, type RecordInfo } from './csv-records';
import { readNonUtf8 } from './detect-encoding';
import { detectWeblog, WEBLOG_FORMAT_NAMES, type WeblogFormat } from './weblog';
/*
 * Looks at the first bytes of a file to decide how to read it, before DuckDB sees it:
 * its kind (delimited text, NDJSON, Parquet) and, for text, its encoding. Files that are
 * something else entirely (a spreadsheet, an archive) are named as such.
 */

export type FileKind = 'delimited' | 'ndjson' | 'parquet' | 'weblog';
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'shift_jis';

/** Most columns a file may have: wider files exhaust the browser's memory while being read. */
export const MAX_COLUMNS = 10_000;

/** What the first line suggests about a delimited file, for when DuckDB's sniffer gives up. */
export interface FirstLineGuess {
  delimiter: string;
  /** '"' as usual, or "'" when the first line's fields are wrapped in single quotes. */
  quote: string;
  /** False when the first line looks like data (a date, a time or a number in a field). */
  header: boolean;
  /** The first line's fields, parsed (the column names when `header`). */
  fields: string[];
  /** Blank lines above the first line. */
  blankLinesAbove: number;
  /**
   * Lines from the first line down to the header that are titles or comments (one field at
   * most with text, no data), 0 when the first line is the header.
   */
  titleLines: number;
  /** Some lines end in CRLF and others in LF alone (in the first bytes read). */
  mixedLineEndings: boolean;
  /** The most fields a line has in the first bytes read (quote-aware). */
  widestInHead: number;
  /**
   * Data lines (in the first bytes read) with one field more than the header, that one
   * empty: DuckDB drops the empty last field and keeps the line (its values shifted when
   * the extra delimiter is not at the end).
   */
  extraDelimiterLines: HeadRecord[];
}

/** A data line with one delimiter too many: the file line it starts on (1-based), its text and fields. */
export interface HeadRecord {
  line: number;
  /** Data rows before it (0 for the first line below the header). */
  row: number;
  text: string;
  fields: string[];
  /**
   * Its values are off by one column: the other lines leave their last field empty, this
   * one fills it (with what belongs one column left). Otherwise the empty extra field is
   * only a delimiter too many at the end, and the values read are right.
   */
  shifted: boolean;
}

export type FileSniff =
  | { ok: true; kind: FileKind; encoding: TextEncoding; note: string | null; firstLine?: FirstLineGuess; weblog?: WeblogFormat }
  | { ok: false; problem: string };

export const SNIFF_BYTES = 64 * 1024;
/** How far to read for a first line that does not end within SNIFF_BYTES. */
export const FIRST_LINE_BYTES = 4 * 1024 * 1024;
export const FIRST_LINE_TOO_LONG = `its first line is longer than ${FIRST_LINE_BYTES >> 20} MB, far wider than any clickstream's header`;

const MAGIC: [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (an .xlsx or .docx workbook is one): export it as CSV first'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Excel/Office document (.xls): save it as CSV first'],
  [[0x1f, 0x8b], 'gzip-compressed: decompress it first'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'zstd-compressed: decompress it first'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document, not a data file'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image, not a data file'],
  [[0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], 'an SQLite database: export the table as CSV first'],
];

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/** Control bytes that text does not use (tab, newlines, vertical tab, form feed and escape allowed). */
function controlShare(bytes: Uint8Array): number {
  let control = 0;
  for (const b of bytes) if (b < 0x20 && (b < 0x09 || (b > 0x0d && b !== 0x1b))) control++;
  return bytes.length === 0 ? 0 : control / bytes.length;
}

const DELIMITERS = [',', '\t', ';', '|'];

/** The most frequent of the usual delimiters on the first line, and the fields it makes. */
function firstLineSplit(line: string): { delimiter: string; fields: string[] } {
  let best = { delimiter: ',', fields: [line] };
  for (const d of DELIMITERS) {
    const fields = line.split(d);
    if (fields.length > best.fields.length) best = { delimiter: d, fields };
  }
  return best;
}

/** A field that is data rather than a column name: a date, a clock time or a number. */
function looksLikeData(field: string): boolean {
  const f = field.trim().replace(/^"|"$/g, '');
  return /^\d{4}-\d\d-\d\d/.test(f) || /\d:\d\d/.test(f) || /^-?\d+(\.\d+)?$/.test(f);
}

/** True when the bytes are valid UTF-8, allowing a character cut off at the very end. */
function isUtf8(bytes: Uint8Array, complete: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** A first line that opens a JSON object, or a top-level array of objects (any `[` in a .json file). */
function looksLikeJson(firstLine: string, jsonName: boolean): boolean {
  const line = firstLine.trim();
  return line.startsWith('{') || /^\[\s*(\{|\[|$)/.test(line) || (jsonName && line.startsWith('['));
}

/** "A, B or C". */
function orList(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

export function sniffFile(name: string, head: Uint8Array, size: number): FileSniff {
  if (size === 0) return { ok: false, problem: 'the file is empty (0 bytes)' };
  if (startsWith(head, [0x50, 0x41, 0x52, 0x31])) return { ok: true, kind: 'parquet', encoding: 'utf-8', note: null };
  for (const [magic, what] of MAGIC) {
    if (startsWith(head, magic)) return { ok: false, problem: `it is ${what}` };
  }
  // A decompressed file keeps the name chosen (clicks.ndjson.gz): its kind is the name's without .gz.
  const lower = name.toLowerCase().replace(/\.gz$/, '');
  if (lower.endsWith('.parquet')) {
    return { ok: false, problem: 'its name ends in .parquet but it does not start with the Parquet signature "PAR1"' };
  }

  let encoding: TextEncoding = 'utf-8';
  let note: string | null = null;
  let text: string;
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    encoding = head[0] === 0xff ? 'utf-16le' : 'utf-16be';
    note = `The file is ${encoding === 'utf-16le' ? 'UTF-16 (little-endian)' : 'UTF-16 (big-endian)'}; it was converted to UTF-8 while reading.`;
    text = new TextDecoder(encoding).decode(head);
  } else {
    const complete = head.length >= size;
    const share = controlShare(head);
    if (share > 0.05) {
      return { ok: false, problem: `it looks binary, not text (${(share * 100).toFixed(0)}% of its first ${head.length} bytes are control characters)` };
    }
    if (!isUtf8(head, complete)) {
      const reading = readNonUtf8(head, complete);
      const where = `line ${reading.firstBadLine.toLocaleString('en-US')} is the first with a byte UTF-8 does not allow`;
      if (reading.encoding === null) {
        return {
          ok: false,
          problem: `it is not UTF-8 (${where}), and its bytes look like a Chinese, Japanese or Korean encoding (${orList(reading.looksLike)}) that cannot be told apart with confidence. Save it as UTF-8 (in Excel: Save As, "CSV UTF-8") and load it again`,
        };
      }
      encoding = reading.encoding;
      note =
        encoding === 'shift_jis'
          ? `The file is not UTF-8 (${where}): it was read as Shift_JIS (Japanese) and converted to UTF-8. If the text looks wrong, save it as UTF-8 and load it again.`
          : `The file is not valid UTF-8 (${where}); it was read as Windows-1252 / Latin-1. If accented letters look wrong, save it as UTF-8 and load it again.`;
    }
    text = new TextDecoder(encoding).decode(head);
  }
  const firstLine =
    text
      .replace(/^\uFEFF/, '')
      .split(/\r\n|\n|\r/)
      .find((l) => l.trim() !== '') ?? '';
  if (firstLine.trim() === '') return { ok: false, problem: 'it holds no text lines (only blank lines or spaces)' };
  // A web-server log is known by its lines, whatever its name (.log, .txt, none).
  const weblog = detectWeblog(text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/));
  if (weblog) {
    if (encoding !== 'utf-8') return { ok: false, problem: `it is ${WEBLOG_FORMAT_NAMES[weblog]}, read as UTF-8, but this file is ${encoding}` };
    return { ok: true, kind: 'weblog', encoding, note, weblog };
  }
  const looksJson = looksLikeJson(firstLine, lower.endsWith('.json'));
  const jsonName = lower.endsWith('.ndjson') || lower.endsWith('.jsonl') || lower.endsWith('.json');
  if (jsonName || (looksJson && !lower.endsWith('.csv') && !lower.endsWith('.tsv'))) {
    // One bad first line does not make a JSON file something else: it is set aside like any bad line.
    const someObject = looksJson || (jsonName && text.split(/\r?\n/).some((l) => l.trimStart().startsWith('{')));
    // JSON is UTF-8: a line with a byte that is not is set aside with its number, not read as Windows-1252.
    if (someObject && encoding.startsWith('utf-16')) return { ok: false, problem: `JSON must be UTF-8 but this file is ${encoding}` };
    if (someObject) return { ok: true, kind: 'ndjson', encoding: 'utf-8', note: encoding === 'utf-8' ? note : null };
    if (!lower.endsWith('.json')) return { ok: false, problem: 'it is named as NDJSON but no line in its first bytes is a JSON object' };
  }
  const split = firstLineSplit(firstLine);
  const fields = split.fields.length;
  const lineEnds = /\r|\n/.test(text.replace(/^\uFEFF/, '').replace(/^[\r\n]+/, ''));
  if (fields > MAX_COLUMNS) {
    return {
      ok: false,
      problem: `its first line has ${lineEnds ? 'about' : 'more than'} ${fields.toLocaleString('en-US')} fields; at most ${MAX_COLUMNS.toLocaleString('en-US')} columns can be loaded in the browser`,
    };
  }
  if (!lineEnds && head.length < size) {
    // The caller reads more of the file and asks again (see FIRST_LINE_BYTES).
    return { ok: false, problem: FIRST_LINE_TOO_LONG };
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const blankLinesAbove = Math.max(
    0,
    lines.findIndex((l) => l.trim() !== ''),
  );
  const titleLines = titleLinesAbove(lines.slice(blankLinesAbove));
  const headerText = lines[blankLinesAbove + titleLines] ?? firstLine;
  const headerSplit = titleLines > 0 ? firstLineSplit(headerText) : split;
  const quote = singleQuoted(headerSplit.fields) ? "'" : '"';
  const parsed = recordFields(headerText, headerSplit.delimiter, quote) ?? headerSplit.fields;
  const body = text.replace(/^\uFEFF/, '');
  const headerLine = blankLinesAbove + titleLines + 1;
  let widestInHead = parsed.length;
  const extra = extraDelimiterCollector(parsed.length, headerSplit.delimiter, quote);
  const scanner = recordScanner(headerSplit.delimiter, quote, (record, bytes) => {
    widestInHead = Math.max(widestInHead, record.fieldCount);
    if (record.line > headerLine) extra.add(record, bytes);
  });
  scanner.push(new TextEncoder().encode(body));
  scanner.finish(head.length >= size);
  const header = !headerSplit.fields.some(looksLikeData);
  const firstLineGuess: FirstLineGuess = {
    delimiter: headerSplit.delimiter,
    quote,
    header,
    fields: parsed,
    blankLinesAbove,
    titleLines,
    mixedLineEndings: /\r\n/.test(body) && /(^|[^\r])\n/.test(body),
    widestInHead,
    extraDelimiterLines: header && parsed.length > 1 && parsed[parsed.length - 1]?.trim() !== '' ? extra.lines() : [],
  };
  return { ok: true, kind: 'delimited', encoding, note, firstLine: firstLineGuess };
}

/**
 * Collects the data lines with one field more than the header, that one empty, among lines
 * that mostly have the header's fields (a trailing delimiter on every line is a style, not
 * an error). Fed the records below the header, in order.
 */
export function extraDelimiterCollector(
  width: number,
  delimiter: string,
  quote: string,
): {
  add(record: RecordInfo, bytes: Uint8Array): void;
  lines(): HeadRecord[];
} {
  const decoder = new TextDecoder();
  const found: Omit<HeadRecord, 'shifted'>[] = [];
  let regular = 0;
  let lastEmpty = 0;
  let row = 0;
  return {
    add(record, bytes) {
      if (record.fieldCount === width) {
        regular++;
        if (record.endsWithDelimiter) lastEmpty++;
      } else if (record.fieldCount === width + 1 && record.endsWithDelimiter) {
        const text = decoder.decode(bytes);
        const fields = recordFields(text, delimiter, quote) ?? [];
        if (fields.length === width + 1 && fields[width] === '') found.push({ line: record.line, row, text, fields });
      }
      row++;
    },
    lines() {
      if (found.length * 2 >= regular) return [];
      const lastUsuallyEmpty = lastEmpty * 10 >= regular * 9;
      return found.map((r) => ({ ...r, shifted: lastUsuallyEmpty && (r.fields[width - 1] ?? '') !== '' }));
    },
  };
}

/** True when some of the fields are wrapped in single quotes and none in double quotes. */
function singleQuoted(fields: string[]): boolean {
  const wrapped = (f: string, q: string) => f.length >= 2 && f.startsWith(q) && f.endsWith(q);
  const trimmed = fields.map((f) => f.trim());
  return fields.length > 1 && trimmed.some((f) => wrapped(f, "'")) && !trimmed.some((f) => wrapped(f, '"'));
}

/** The fields of one line or record. */
export function recordFields(line: string, delimiter: string, quote: string): string[] | undefined {
  return Papa.parse<string[]>(line, { delimiter, quoteChar: quote }).data[0];
}

/** Title or comment lines above a header that are looked for. */
const MAX_TITLE_LINES = 10;

/** A lone value that is data, not a title: a number or a date. */
function looksLikeValue(field: string): boolean {
  const f = field.trim().replace(/^"|"$/g, '');
  return /^\d{4}-\d\d-\d\d/.test(f) || /^-?\d+(\.\d+)?$/.test(f);
}

/**
 * How many lines (from the first non-blank one) are titles above the header: lines with
 * text in one field at most (a title, a comment, a line of delimiters) followed by a
 * header: two named fields or more, none of them data, and no fewer fields than the line
 * below it. 0 when the lines do not look like that (a one-column file, a headerless one).
 */
function titleLinesAbove(lines: string[]): number {
  let index = 0;
  for (let seen = 0; index < lines.length && seen <= MAX_TITLE_LINES; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    // An unclosed quote: the line is part of a quoted value, not a title.
    if ((line.match(/"/g) ?? []).length % 2 === 1) return 0;
    const { delimiter } = firstLineSplit(line);
    const fields = recordFields(line, delimiter, '"') ?? [line];
    const named = fields.filter((f) => f.trim() !== '');
    if (named.length >= 2) {
      if (index === 0 || fields.some(looksLikeData)) return 0;
      const below = lines.slice(index + 1).find((l) => l.trim() !== '');
      const belowFields = below === undefined ? 0 : (recordFields(below, delimiter, '"') ?? []).length;
      return belowFields >= 2 && fields.length >= belowFields ? index : 0;
    }
    if (named.length === 1 && looksLikeValue(named[0] ?? '')) return 0;
    seen++;
  }
  return 0;
}
