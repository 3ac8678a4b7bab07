import type { Engine } from '../engine/engine';
import { SNIFF_BYTES, type FirstLineGuess, type HeadRecord } from '../domain/sniff-file';
import { scanWholeFile } from './whole-file-scan';
import {
  dropColumnsSql,
  emptyToNullSql,
  headerRowCondition,
  headerRowsCountSql,
  keepRowsSql,
  lastMatchingRowSql,
  nullCountSql,
  replaceTableSql,
  valueCountsSql,
} from '../sql/read-sql';
import { rowidInSql } from '../sql/rowid-sql';
import { numberByFileLines } from '../ingest/file-lines';
import type { RejectedLine } from '../ingest/row-batches';
import { rowCount } from './raw-table';
import { columnNames, MAX_EXTRA_COLUMNS, readDelimited, SET_ASIDE_EXAMPLES, type DelimitedRead } from './read-delimited';
import type { WideLine, WideLineScan } from '../domain/wide-lines';
import { findWideLines, inWholeFile, MAX_WIDE_LINES, wideLineExamples, withoutLines } from './wide-lines-cut';
import { LoadError, listColumns } from './load-errors';

/** Lines with one delimiter too many set aside at most (one query each). */
const MAX_SET_ASIDE_EXTRA = 1000;

interface DelimitedFile {
  /** The file's own name, for messages. */
  fileName: string;
  /** The name the file is registered under in DuckDB. */
  registered: string;
  /** Its bytes, UTF-8 (to find the lines the checks below report). */
  data: File | Uint8Array;
  table: string;
  id: number;
  firstLine: FirstLineGuess | undefined;
  /** Every line below the header has the header's number of fields (the quick read checked each): none is too wide. */
  linesFitHeader?: boolean;
}

/**
 * readDelimited, then the checks of what DuckDB reads without complaint but wrongly: a
 * line with one delimiter too many (kept with its values shifted), a line repeating the
 * header (read as a data row), the header of a second table (its rows read under the
 * first's names), and extra columns no line fills. Each finding is set aside or noted.
 */
export async function readDelimitedChecked(engine: Engine, file: DelimitedFile): Promise<DelimitedRead> {
  const { firstLine } = file;
  // DuckDB's line numbers are not the file's: the set-aside lines are numbered from its byte
  // positions, before the checks below add lines they number themselves.
  const names = firstLine ? columnNames(firstLine) : null;
  const readNumbered = async (registered: string, data: File | Uint8Array): Promise<DelimitedRead> => {
    const wide = firstLine && names && names.length > 1 && !file.linesFitHeader ? await findWideLines(data, firstLine, names.length) : null;
    if (!wide || wide.lines.length === 0) {
      const read = await readDelimited(engine, registered, file.table, file.id, firstLine);
      return { ...read, rejectedExamples: await numberByFileLines(data, read.rejectedExamples) };
    }
    return readWithoutWideLines(engine, file, registered, data, wide, names?.length ?? 0);
  };
  let read = await readNumbered(file.registered, file.data);
  const notes: string[] = [];
  // The line of a second table's header, where the table read ends.
  let endsAt: number | undefined;
  const headerNames =
    firstLine?.header &&
    names &&
    names.length >= 2 &&
    !names.some((n) => n.includes('\u0000')) &&
    read.columns.slice(0, names.length).join('\n') === names.join('\n')
      ? names
      : null;
  const size = file.data instanceof Uint8Array ? file.data.length : file.data.size;
  const headerLike = headerNames ? await headerLikeRows(engine, read, headerNames) : false;
  // Lines with one delimiter too many found in the first bytes: the whole file is searched.
  const extraInHead = headerNames && firstLine && !read.lenient ? firstLine.extraDelimiterLines : [];
  if (headerNames && firstLine && (headerLike || (extraInHead.length > 0 && size > SNIFF_BYTES))) {
    const scan = await scanWholeFile(file.data, firstLine, headerNames, headerLike);
    const second = scan.headerLines.find((l) => !l.repeat);
    endsAt = second?.line;
    if (second) {
      const part = `${file.registered}.first-table.csv`;
      const firstTable = file.data instanceof Uint8Array ? file.data.subarray(0, second.start) : new File([file.data.slice(0, second.start)], part);
      await engine.registerFile(part, firstTable);
      try {
        read = await readNumbered(part, firstTable);
      } finally {
        await engine.dropFile(part);
      }
      notes.push(
        `Line ${second.line} starts a second table (${listColumns(second.fields)}): it and the ${second.recordsFrom - 1} lines below it were not loaded. Split the file to load that table on its own.`,
      );
    }
    const repeats = scan.headerLines.filter((l) => l.repeat && (!second || l.line < second.line));
    if (repeats.length > 0) {
      const removed = await deleteRows(engine, read.table, read.columns, headerRowCondition(headerNames));
      read = { ...read, kept: read.kept - removed, removedLines: repeats.map((l) => l.line) };
      notes.push(
        `${repeats.length === 1 ? 'Line' : 'Lines'} ${lineList(repeats)} ${repeats.length === 1 ? 'repeats' : 'repeat'} the header (files joined one after another, or a header of several lines); ${repeats.length === 1 ? 'it was' : 'they were'} skipped.`,
      );
    }
    if (extraInHead.length > 0)
      read = await setAsideExtraDelimiters(
        engine,
        read,
        headerNames,
        scan.extraDelimiterLines.filter((l) => !endsAt || l.line < endsAt),
        notes,
      );
  } else if (headerNames && extraInHead.length > 0) {
    read = await setAsideExtraDelimiters(engine, read, headerNames, extraInHead, notes);
  }
  read = await tidyWidenedRead(engine, read, names, notes);
  return { ...read, notes: [...(read.notes ?? []), ...notes] };
}

/**
 * Reads the file without its over-wide lines (cut from the bytes DuckDB is given), which are
 * set aside with their file line numbers; refused when there are more of them than
 * MAX_WIDE_LINES (the delimiter is then likely not the one guessed).
 */
async function readWithoutWideLines(
  engine: Engine,
  file: DelimitedFile,
  registered: string,
  data: File | Uint8Array,
  wide: WideLineScan,
  headerFields: number,
): Promise<DelimitedRead> {
  const first = wide.lines[0] as WideLine;
  if (wide.overflow) {
    throw new LoadError(
      file.fileName,
      `more than ${MAX_WIDE_LINES.toLocaleString('en-US')} lines have more than ${headerFields + MAX_EXTRA_COLUMNS} fields where the header has ${headerFields} (line ${first.line} has ${first.fieldCount.toLocaleString('en-US')}). Check that the file's delimiter is ${describeDelimiter(file.firstLine?.delimiter ?? ',')} and that its header is its first line.`,
    );
  }
  const narrow = `${registered}.narrow.csv`;
  await engine.registerFile(narrow, withoutLines(data, wide.lines, narrow));
  let read: DelimitedRead;
  try {
    const widest = Math.max(...wide.lines.map((l) => l.fieldCount));
    read = await readDelimited(engine, narrow, file.table, file.id, file.firstLine, widest);
  } finally {
    await engine.dropFile(narrow);
  }
  const numbered = await numberByFileLines(data, inWholeFile(wide.lines, read.rejectedExamples));
  const cut = await wideLineExamples(data, wide.lines, headerFields, SET_ASIDE_EXAMPLES);
  return {
    ...read,
    rejected: read.rejected + wide.lines.length,
    rejectedExamples: [...numbered, ...cut].sort((a, b) => a.line - b.line).slice(0, SET_ASIDE_EXAMPLES),
  };
}

function describeDelimiter(delimiter: string): string {
  return delimiter === '\t' ? 'a tab' : `"${delimiter}"`;
}

/** Lines with one delimiter too many: shifted ones set aside, the others named in a note. */
async function setAsideExtraDelimiters(engine: Engine, read: DelimitedRead, names: string[], found: HeadRecord[], notes: string[]): Promise<DelimitedRead> {
  const shifted = found.filter((l) => l.shifted);
  const trailing = found.filter((l) => !l.shifted);
  if (trailing.length > 0) {
    notes.push(
      `${trailing.length === 1 ? 'Line' : 'Lines'} ${lineList(trailing)} ${trailing.length === 1 ? 'ends' : 'end'} with one delimiter too many (an empty field past the header's columns); read without it.`,
    );
  }
  if (shifted.length > MAX_SET_ASIDE_EXTRA) {
    notes.push(
      `${(shifted.length - MAX_SET_ASIDE_EXTRA).toLocaleString('en-US')} more lines have one delimiter too many (the first at line ${shifted[MAX_SET_ASIDE_EXTRA]?.line}); they are kept as read, their values after it one column off.`,
    );
  }
  return setAsideExtraDelimiterLines(engine, read, names, shifted.slice(0, MAX_SET_ASIDE_EXTRA));
}

/** The first five line numbers, then how many more. */
function lineList(lines: { line: number }[]): string {
  return (
    lines
      .slice(0, 5)
      .map((l) => l.line)
      .join(', ') + (lines.length > 5 ? ` and ${lines.length - 5} more` : '')
  );
}

/** True when a row or a set-aside line starts with the header's first two names. */
async function headerLikeRows(engine: Engine, read: DelimitedRead, names: string[]): Promise<boolean> {
  const [a, b] = names as [string, string];
  const [row] = await engine.query<{ n: number }>(headerRowsCountSql(read.table, [a, b]));
  if ((row?.n ?? 0) > 0) return true;
  return read.rejectedExamples.some((r) => {
    const fields = r.text.split(/[,;|\t]/).map((f) => f.trim().replace(/^["']|["']$/g, ''));
    return fields[0] === a && fields[1] === b;
  });
}

/** Deletes the rows matching `where`, keeping the others in file order (row numbers 0…n-1). */
async function deleteRows(engine: Engine, table: string, columns: readonly string[], where: string): Promise<number> {
  const before = await rowCount(engine, table);
  await engine.exec(`${keepRowsSql(table, `${table}_kept`, where, columns)}; ${replaceTableSql(`${table}_kept`, table)}`);
  return before - (await rowCount(engine, table));
}

/**
 * Lines with one field more than the header, that one empty: DuckDB keeps them without
 * their last field, every value from the extra delimiter on one column right. Found in
 * the first bytes (sniffFile), each row is matched by its values and set aside.
 */
async function setAsideExtraDelimiterLines(engine: Engine, read: DelimitedRead, names: string[], lines: HeadRecord[]): Promise<DelimitedRead> {
  const setAside: RejectedLine[] = [];
  const rowids: number[] = [];
  for (const line of lines) {
    // Its row is at most its data row number (lines set aside above it move it up).
    const [row] = await engine.query<{ r: number | null }>(lastMatchingRowSql(read.table, read.columns, names, line.fields, line.row));
    if (row?.r === null || row?.r === undefined) continue;
    rowids.push(row.r);
    setAside.push({
      line: line.line,
      message: `Expected Number of Columns: ${names.length} Found: ${names.length + 1} (one delimiter too many: the values after it would be one column off)`,
      text: line.text,
    });
  }
  if (setAside.length === 0) return read;
  await deleteRows(engine, read.table, read.columns, rowidInSql(read.columns, rowids));
  const rejectedExamples = [...read.rejectedExamples, ...setAside].sort((a, b) => a.line - b.line).slice(0, SET_ASIDE_EXAMPLES);
  return { ...read, kept: read.kept - setAside.length, rejected: read.rejected + setAside.length, rejectedExamples };
}

/**
 * Drops the extra columns of a widened read that no line fills. For a lenient read, also
 * counts the lines it padded (shorter than the header) and the lines that reached its
 * spare column (their values past it were cut), and turns its empty fields into NULL.
 */
async function tidyWidenedRead(engine: Engine, read: DelimitedRead, names: string[] | null, notes: string[]): Promise<DelimitedRead> {
  if (!names || !read.widened) return read;
  if (read.lenient) {
    const last = names[names.length - 1] as string;
    const [short] = await engine.query<{ n: number }>(nullCountSql(read.table, last));
    await engine.exec(`${emptyToNullSql(read.table, `${read.table}_nulls`, read.columns)}; ${replaceTableSql(`${read.table}_nulls`, read.table)}`);
    const n = short?.n ?? 0;
    if (n > 0)
      notes.push(
        `${n === 1 ? '1 line has' : `${n.toLocaleString('en-US')} lines have`} fewer fields than the header: ${n === 1 ? 'its' : 'their'} missing values are left empty.`,
      );
  }
  const extra = read.columns.slice(names.length);
  const [counts] = await engine.query<Record<string, number>>(valueCountsSql(read.table, extra));
  const filled = extra.map((_, i) => (counts?.[`c${i}`] ?? 0) > 0);
  const last = extra.length - 1;
  if (read.lenient && filled[last]) {
    const n = counts?.[`c${last}`] ?? 0;
    const lines = n === 1 ? '1 line has' : `${n.toLocaleString('en-US')} lines have`;
    notes.push(
      names.length === 1
        ? `${lines} more fields than the one-column header: only ${n === 1 ? 'its' : 'their'} first value was kept.`
        : `${lines} ${read.columns.length} fields or more: any values past field ${read.columns.length} were not kept.`,
    );
    // A one-field header is not widened: the spare column only counted the lines cut.
    if (names.length === 1) filled[last] = false;
  }
  const empty = extra.filter((_, i) => !filled[i]);
  if (empty.length === 0) return read;
  await engine.exec(dropColumnsSql(read.table, empty));
  const columns = read.columns.filter((c) => !empty.includes(c));
  return { ...read, columns, widened: columns.length - names.length };
}
