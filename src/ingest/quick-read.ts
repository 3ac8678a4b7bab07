import { detectMapping, timestampNameRank } from '../domain/detect-columns';
import { checkRowsAddUp, countedFigures, skippedCounts } from '../domain/rows-add-up';
import { detectCampaignColumn } from '../domain/presets';
import type { ColumnMapping, DatasetFigures, EventColumns, SkippedRow, SkipReason, UrlColumn } from '../domain/types';
import { SKIPPED_EXAMPLES, ZONE_SAMPLE_ROWS } from '../sql/events-sql';
import { PROFILE_SAMPLE_ROWS, profiledColumns } from '../sql/profile-sql';
import { ByteDictionary, type DictionaryKeys } from './byte-dictionary';
import { IsoInstantReader } from './iso-instant';
import { sampleProfiles } from './quick-read-profile';
import { ROLE_SPLIT, ROLE_TS, ROLE_URL, ROLE_USER, RowScanner, type ScannedRows, type SkippedCells } from './quick-read-scan';
import { eventOrder } from './quick-read-order';
import { linePieces } from './quick-read-chunks';

/*
 * The quick read: a clean UTF-8 CSV/TSV read straight into the stats worker's typed columns,
 * giving exactly what the DuckDB path (readRawTable -> detectRawMapping -> buildEvents, then
 * the gap, url and split columns read back) gives, or declining so that that path stands
 * alone. Accepting a file DuckDB reads differently is the one thing it must not do, so it
 * declines anything not plainly regular:
 *   - the file: over QUICK_READ_MAX_BYTES; invalid UTF-8 anywhere (a BOM is skipped); a NUL
 *     byte; a delimiter other than , ; tab |; a quote other than " or none (and any " when none)
 *   - the header: fewer than two names; a name empty, repeated (case-insensitively), with
 *     surrounding whitespace, a quote or a control character; a blank first line
 *   - lines: a field count other than the header's (a trailing delimiter too); a blank line
 *     (the final line break is none); a CR without LF, or CR LF and LF mixed (the header's
 *     line break rules); a line starting with # (a comment to DuckDB's sniffer); a row whose
 *     first two cells repeat the header's names
 *   - quoting: a first quoted field below data row 1000 (DuckDB's sniffer may read with no
 *     quoting); a quoted field with a line break; an escaped quote ("") in the header, in a
 *     column read (user, timestamp, url, campaign) or at the start of a cell; text after a
 *     closing quote, a quote inside an unquoted field, an unclosed quote; a backslash before a
 *     quote or a cell starting with an apostrophe (DuckDB's sniffer may take \ for the escape
 *     or ' for the quote: it read a one-row ;-file's 'q,x' as q,x)
 *   - cells: a user id with surrounding whitespace (it might be blank); a timestamp that has
 *     not the shape YYYY-MM-DD(T| )HH:MM:SS(.f{1,6})?(Z|[+-]HH:MM)? (see iso-instant.ts) unless
 *     it is empty or does not start like a date at all (NULL for DuckDB too: the row is
 *     skipped, as an empty user id's is)
 *   - the mapping: detectMapping, given profiles of the first rows (quick-read-profile.ts),
 *     must find the user column by name and a timestamp column by name, in ISO format, with no
 *     time-of-day column, and no other column named as well or better for a timestamp; every
 *     sampled timestamp at midnight UTC (a date column) is declined too.
 */

/**
 * The largest file the stats worker reads: it holds about 1.5 bytes for each of the file's
 * (typed arrays of the rows, then of the events; the file itself is read in slices, see
 * quick-read-chunks.ts). Past DuckDB's memory budget (read-raw-table.ts) the file is read by
 * the worker alone, and DuckDB makes no tables of it. A larger file goes to DuckDB's path,
 * which refuses it before reading with the sizes named.
 */
export const QUICK_READ_MAX_BYTES = 2 * 1024 ** 3;

export type QuickRead =
  | {
      ok: true;
      /** The header's names, exactly as the raw table's columns would be. */
      columns: string[];
      /** What detectMapping picks; format is always 'iso', time ''. */
      mapping: ColumnMapping;
      /** rowsRead = data rows the scanner saw; events; skipped = the sum of skipped.byReason (checkRowsAddUp holds). */
      figures: DatasetFigures;
      /** Each user's events together, in (time, row) order. */
      events: EventColumns;
      /** Url of each event in the same order (-1 = empty cell), or null without a url column. */
      url: UrlColumn | null;
      /** The campaign column's cell of each event as a code: -1 empty or blank, equal codes = equal text. */
      split: { column: string; codes: Int32Array } | null;
      /**
       * The users' ids: user u's (in event order) is key codes[u] of `keys`. Kept as bytes, to
       * be decoded only if the session list is asked for (DuckDB's tables need not exist for it).
       */
      userIds: { keys: DictionaryKeys; codes: Int32Array };
      /** Share of the first ZONE_SAMPLE_ROWS events (file order) whose timestamp has no zone. */
      zonelessShare: number;
      /** As datasetFiguresSql's counts (most first) and skippedExamplesSql (file order, with the file line) give them. */
      skipped: { byReason: { reason: SkipReason; count: number }[]; examples: SkippedRow[] };
    }
  /** Declined; or, with `failed`, gone wrong (a bug): the caller reads the file with DuckDB and says so. */
  | { ok: false; reason: string; failed?: string };

const decline = (reason: string) => ({ ok: false as const, reason });

/** A header name DuckDB keeps as it is (no renaming, no trimming, nothing quoted inside). */
function headerProblem(names: string[]): string | null {
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') return 'an empty header name';
    if (name.trim() !== name) return `header name ${JSON.stringify(name)} has surrounding whitespace`;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for.
    if (/["'\u0000-\u001f\u007f]/.test(name)) return `header name ${JSON.stringify(name)} has a quote or a control character`;
    const folded = name.toLowerCase();
    if (seen.has(folded)) return `header name ${JSON.stringify(name)} is repeated`;
    seen.add(folded);
  }
  return null;
}

/** What the header and the first rows settled: how to read the rest of the file. */
export interface QuickPlan {
  dialect: { delimiter: string; quote: string };
  /** Where the data rows start, and where the sampled rows end. */
  headerEnd: number;
  sampleEnd: number;
  /** A quoted field was met in the sampled rows (past them, a first one is declined). */
  quotesSeen: boolean;
  names: string[];
  mapping: ColumnMapping;
  roles: Uint8Array;
  splitColumn: string | null;
  splitIsUrl: boolean;
  bytesPerRow: number;
  /** Where a second reader may take over (a line start), or null: see QuickPartSpec. */
  part: QuickPartSpec | null;
}

/**
 * The second half of a big file, for a second worker to read at the same time as the first
 * half (the machine's other core is idle meanwhile): its bytes are the header line and
 * bytes [from, end) of the file.
 */
export interface QuickPartSpec {
  headerEnd: number;
  from: number;
  dialect: { delimiter: string; quote: string };
  roles: number[];
  quotesSeen: boolean;
  bytesPerRow: number;
}

/**
 * A second reader's rows: codes into its own dictionaries (their keys as bytes, for the first
 * reader's dictionaries to take in), and its skipped rows described (rows counted from its first).
 */
export interface QuickPart {
  rows: number;
  /** The first `rows` of each code and time column (views of the reader's arrays: handing them over copies nothing). */
  userCodes: Int32Array;
  times: Float64Array;
  urlCodes: Int32Array;
  splitCodes: Int32Array;
  userKeys: DictionaryKeys;
  urlKeys: DictionaryKeys;
  splitKeys: DictionaryKeys;
  readable: number;
  zonelessFlags: Uint8Array;
  skippedCounts: Record<SkipReason, number>;
  skippedExamples: SkippedRow[];
}

/** The buffers of a part's arrays, to hand it between threads without copying. */
export function partBuffers(part: QuickPart): ArrayBuffer[] {
  const arrays = [part.userCodes, part.times, part.urlCodes, part.splitCodes, part.zonelessFlags];
  for (const keys of [part.userKeys, part.urlKeys, part.splitKeys]) arrays.push(keys.pool, keys.offsets, keys.lengths);
  return arrays.map((a) => a.buffer as ArrayBuffer);
}

/** From this size on, a file is read in two halves at once (smaller ones are quick enough alone). */
export const QUICK_READ_SPLIT_FROM_BYTES = 16 * 1024 ** 2;

/** Reads a whole UTF-8 CSV/TSV file, or declines. `delimiter` and `quote` as sniffFile's firstLine guessed them. */
export function quickRead(
  bytes: Uint8Array,
  dialect: { delimiter: string; quote: string },
  options: { splitAt?: number; chunkBytes?: number } = {},
): QuickRead {
  const plan = planQuickRead(bytes, dialect);
  if (!plan.ok) return plan;
  // Tests read the two halves one after the other, at a split point of their choosing, and
  // in pieces of a size of their choosing (as the stats worker reads a file: see quick-read-chunks.ts).
  if (options.splitAt !== undefined) plan.plan.part = partSpecAt(plan.plan, options.splitAt);
  const spec = options.splitAt === undefined ? null : plan.plan.part;
  const part = spec ? readQuickPart(partBytes(bytes, spec), spec, options.chunkBytes) : null;
  if (part !== null && !part.ok) return part;
  const scan = scanQuickRows(plan.plan, spec ? bytes.subarray(0, spec.from) : bytes, part !== null, options.chunkBytes);
  if (!scan.ok) return scan;
  return joinQuickRead(plan.plan, scan.scan, part?.part ?? null);
}

/** The bytes a second reader reads: the header line, then the file from `spec.from`. */
export function partBytes(bytes: Uint8Array, spec: QuickPartSpec): Uint8Array {
  const out = new Uint8Array(spec.headerEnd + bytes.length - spec.from);
  out.set(bytes.subarray(0, spec.headerEnd));
  out.set(bytes.subarray(spec.from), spec.headerEnd);
  return out;
}

/** How much of a file the plan reads first (cut at its last line break): the sampled rows fit in it, mostly. */
export const QUICK_READ_HEAD_BYTES = 4 * 1024 ** 2;

/** How much of a file the plan reads when the first QUICK_READ_HEAD_BYTES hold too few rows (wide rows); never the whole of a big file. */
export const QUICK_READ_WIDE_HEAD_BYTES = 64 * 1024 ** 2;

/**
 * The first `headBytes` (QUICK_READ_HEAD_BYTES) of a file of `fileSize` bytes (`bytes` holds at least
 * those), cut after their last line break; all of a smaller file.
 */
export function fileHead(bytes: Uint8Array, fileSize: number, headBytes = QUICK_READ_HEAD_BYTES): Uint8Array {
  if (fileSize <= headBytes) return bytes.subarray(0, fileSize);
  const head = bytes.subarray(0, headBytes);
  return head.subarray(0, head.lastIndexOf(10) + 1);
}

/**
 * Reads the header and the first rows from `head` (the file, or its first lines: fileHead),
 * or declines; `needsWholeFile` when the head holds fewer rows than the sample takes.
 */
export function planQuickRead(
  head: Uint8Array,
  dialect: { delimiter: string; quote: string },
  fileSize = head.length,
): { ok: true; plan: QuickPlan } | { ok: false; reason: string; needsWholeFile?: boolean } {
  const bytes = head;
  if (fileSize > QUICK_READ_MAX_BYTES) return decline(`larger than ${QUICK_READ_MAX_BYTES} bytes`);
  const delimiter = dialect.delimiter.charCodeAt(0);
  if (dialect.delimiter.length !== 1 || !(delimiter === 44 || delimiter === 59 || delimiter === 9 || delimiter === 124)) {
    return decline(`delimiter ${JSON.stringify(dialect.delimiter)}`);
  }
  if (dialect.quote !== '"' && dialect.quote !== '') return decline(`quote ${JSON.stringify(dialect.quote)}`);
  const scanner = new RowScanner(bytes, delimiter, dialect.quote === '"');

  const names = scanner.header();
  if (typeof names === 'string') return decline(names);
  if (names.length < 2) return decline('fewer than two columns');
  const nameProblem = headerProblem(names);
  if (nameProblem) return decline(nameProblem);

  const sample = scanner.sample(
    PROFILE_SAMPLE_ROWS,
    profiledColumns(names).map((c) => names.indexOf(c)),
  );
  if (typeof sample === 'string') return decline(sample);
  if (sample.rows < PROFILE_SAMPLE_ROWS && head.length < fileSize)
    return { ...decline('the first lines read hold fewer rows than the sample'), needsWholeFile: true };
  if (sample.rows === 0) return decline('no data rows');
  const profiles = sampleProfiles(bytes, names, sample);
  const guess = detectMapping(profiles);
  if (!guess) return decline('detectMapping found no mapping');
  // The page asks which columns to use: DuckDB's read keeps the raw table for the answer.
  if (guess.uncertain.length > 0) return decline('the user or timestamp column is uncertain');
  const { mapping } = guess;
  const tsProfile = profiles.find((p) => p.column === mapping.timestamp);
  if (!tsProfile || tsProfile.isoMidnight === tsProfile.iso) return decline('every sampled timestamp is midnight UTC (a date column)');
  if (mapping.format !== 'iso' || mapping.time !== '') return decline(`timestamp format ${mapping.format}${mapping.time ? ' with a time-of-day column' : ''}`);
  if (!guess.userByName) return decline('no column is named like a user id');
  // DuckDB's read says which product's export this is (and adds the columns some need).
  if (guess.vendor) return decline(`a ${guess.vendor.vendor} export`);
  // Only the timestamp column's profile is computed in full: any other column whose name
  // ranks as high could be DuckDB's pick.
  const rank = timestampNameRank(mapping.timestamp);
  if (rank === Infinity) return decline(`timestamp column "${mapping.timestamp}" was not found by name`);
  if (names.some((n) => n !== mapping.timestamp && timestampNameRank(n) <= rank)) return decline('another column is named like a timestamp');
  const splitColumn = detectCampaignColumn(names);
  // The url column can be the campaign column too (a referrer column picked for its urls).
  const splitIsUrl = splitColumn !== null && splitColumn === mapping.url;
  const roleColumns: [string, number][] = [
    [mapping.user, ROLE_USER],
    [mapping.timestamp, ROLE_TS],
    [mapping.url, ROLE_URL],
    [splitIsUrl ? '' : (splitColumn ?? ''), ROLE_SPLIT],
  ];
  const roles = new Uint8Array(names.length);
  for (const [column, role] of roleColumns) {
    if (column === '') continue;
    const index = names.indexOf(column);
    if (roles[index] !== 0) return decline(`column "${column}" has two roles`);
    roles[index] = role;
  }
  return {
    ok: true,
    plan: {
      dialect,
      headerEnd: scanner.headerEnd,
      sampleEnd: scanner.sampleEnd(sample),
      quotesSeen: scanner.quotesSeen,
      names,
      mapping,
      roles,
      splitColumn,
      splitIsUrl,
      bytesPerRow: scanner.bytesPerRow(sample),
      part: null,
    },
  };
}

/**
 * Where a second reader may take over a file of `fileSize` bytes: the line start after the
 * first line break in `probe` (the file's bytes from `probeAt`, at or past the middle and
 * past the sampled rows), or null for a file too small to share.
 */
export function splitPoint(plan: QuickPlan, fileSize: number, probe: Uint8Array, probeAt: number): number | null {
  if (fileSize < QUICK_READ_SPLIT_FROM_BYTES || probeAt < plan.sampleEnd) return null;
  const lineEnd = probe.indexOf(10);
  const from = probeAt + lineEnd + 1;
  return lineEnd < 0 || from >= fileSize ? null : from;
}

/** Lets a second reader take over at `from` (a line start past the sampled rows). */
export function partSpecAt(plan: QuickPlan, from: number): QuickPartSpec {
  return { headerEnd: plan.headerEnd, from, dialect: plan.dialect, roles: Array.from(plan.roles), quotesSeen: plan.quotesSeen, bytesPerRow: plan.bytesPerRow };
}

/** How the planned rows are read, by either reader. */
type RowReading = Pick<QuickPlan, 'dialect' | 'quotesSeen' | 'bytesPerRow'> & { roles: Uint8Array };

/** The rows read so far, or why they decline. */
type RowsRead = { ok: true; rows: Omit<QuickScan, 'firstHalf'> } | { ok: false; reason: string };

/**
 * Reads data rows into dictionary codes, piece by piece (quick-read-chunks.ts): each piece is
 * a file's header line, then whole lines (the whole file, either half, or a slice of them);
 * the rows of each piece go on from the last piece's, into the same arrays and dictionaries.
 */
export class QuickRowsReader {
  private readonly users = new ByteDictionary(new Uint8Array(0));
  private readonly urls = new ByteDictionary(new Uint8Array(0));
  private readonly splits = new ByteDictionary(new Uint8Array(0));
  private scanned: ScannedRows | null = null;
  /** The skipped rows' examples, their cells decoded while their piece was at hand. */
  private readonly examples: SkippedRow[] = [];

  /** `rowsBytes`: the bytes of all the pieces' rows (sizes the arrays once). */
  constructor(
    private readonly how: RowReading,
    private readonly zonelessFlags: boolean,
    private readonly rowsBytes: number,
  ) {}

  /** Reads one piece's rows; a reason when they decline (then the whole read does). */
  take(piece: Uint8Array): string | null {
    const { how } = this;
    const scanner = new RowScanner(piece, how.dialect.delimiter.charCodeAt(0), how.dialect.quote === '"');
    const names = scanner.header();
    if (typeof names === 'string' || names.length !== how.roles.length) return 'the header differs from the planned one';
    scanner.quotesSeen = how.quotesSeen;
    for (const dictionary of [this.users, this.urls, this.splits]) dictionary.rebind(piece);
    const described = this.scanned?.skipped.examples.length ?? 0;
    const scanned = scanner.rows(how.roles, how.bytesPerRow, new IsoInstantReader(piece), this.users, this.urls, this.splits, {
      zonelessFlags: this.zonelessFlags,
      rowsBytes: this.rowsBytes,
      more: this.scanned,
    });
    if (typeof scanned === 'string') return scanned;
    // A later piece's or half's rows are numbered far below the sampled rows: any first
    // quote in them is one DuckDB's sniffer would not see (the first rows' scanner declines it itself).
    if (!how.quotesSeen && scanner.quotesSeen) return "a quoted field, below the rows DuckDB's sniffer is sure to see";
    this.scanned = scanned;
    this.examples.push(...describeSkipped(piece, { counts: scanned.skipped.counts, examples: scanned.skipped.examples.slice(described) }).examples);
    return null;
  }

  /** The rows of every piece taken. */
  done(): Omit<QuickScan, 'firstHalf'> {
    if (this.scanned === null) throw new Error('no piece of the file was read');
    return { scanned: this.scanned, examples: this.examples, users: this.users, urls: this.urls, splits: this.splits };
  }
}

/**
 * The data rows of `bytes` (a file's header line, then rows: the whole file, or either half)
 * read into dictionary codes, or why they decline; in pieces of `chunkBytes` when given (tests).
 */
function readRows(bytes: Uint8Array, how: RowReading, zonelessFlags: boolean, headerEnd: number, chunkBytes = bytes.length): RowsRead {
  const reader = new QuickRowsReader(how, zonelessFlags, bytes.length - headerEnd);
  for (const piece of linePieces(bytes, headerEnd, headerEnd, bytes.length, Math.max(1, chunkBytes))) {
    const problem = reader.take(piece);
    if (problem !== null) return decline(problem);
  }
  return { ok: true, rows: reader.done() };
}

/** A second reader's half (partBytes of the file), or why it declines. */
export function readQuickPart(bytes: Uint8Array, spec: QuickPartSpec, chunkBytes?: number): { ok: true; part: QuickPart } | { ok: false; reason: string } {
  const read = readRows(bytes, quickPartReading(spec), true, spec.headerEnd, chunkBytes);
  return read.ok ? { ok: true, part: quickPart(read.rows) } : decline(`second half: ${read.reason}`);
}

/** How a second reader reads its rows. */
export function quickPartReading(spec: QuickPartSpec): RowReading {
  return { ...spec, roles: Uint8Array.from(spec.roles) };
}

/** A second reader's rows, as they cross to the first reader. */
export function quickPart(rows: Omit<QuickScan, 'firstHalf'>): QuickPart {
  const { scanned, users, urls, splits } = rows;
  const n = scanned.rows;
  return {
    rows: n,
    // Views, not copies: a copy is fresh memory (slow to touch the first time), 100 MB at 10M events.
    userCodes: scanned.userCodes.subarray(0, n),
    times: scanned.times.subarray(0, n),
    urlCodes: scanned.urlCodes.subarray(0, n),
    splitCodes: scanned.splitCodes.subarray(0, n),
    userKeys: users.keys(),
    urlKeys: urls.keys(),
    splitKeys: splits.keys(),
    readable: scanned.readable,
    zonelessFlags: scanned.zonelessFlags ?? new Uint8Array(0),
    skippedCounts: scanned.skipped.counts,
    skippedExamples: rows.examples,
  };
}

/** The plan's rows read: up to the second half's start when `firstHalf`, else all. */
export interface QuickScan {
  scanned: ScannedRows;
  /** The skipped rows' first few, described (row and line numbers from the read's first row). */
  examples: SkippedRow[];
  /** The rows read are the first half (a QuickPart must join them). */
  firstHalf: boolean;
  users: ByteDictionary;
  urls: ByteDictionary;
  splits: ByteDictionary;
}

/**
 * Reads the data rows of `bytes`: the whole file, or its first half (bytes up to
 * plan.part.from) when a second reader reads the rest.
 */
export function scanQuickRows(
  plan: QuickPlan,
  bytes: Uint8Array,
  firstHalf: boolean,
  chunkBytes?: number,
): { ok: true; scan: QuickScan } | { ok: false; reason: string } {
  if (firstHalf && bytes.length !== plan.part?.from) return decline('the first half does not end where the second starts');
  const read = readRows(bytes, plan, false, plan.headerEnd, chunkBytes);
  return read.ok ? { ok: true, scan: { ...read.rows, firstHalf } } : read;
}

/** Joins the rows read (and the second half's, when there is one) and makes the columns. */
export function joinQuickRead(plan: QuickPlan, scan: QuickScan, part: QuickPart | null): QuickRead {
  const { names, mapping, splitColumn, splitIsUrl } = plan;
  if ((part !== null) !== scan.firstHalf) return decline(part ? 'a second half for a whole read' : 'a first half without its second');
  const { scanned, users, urls, splits } = scan;
  const read = part
    ? joinHalves(scan, part, { urls: mapping.url !== '' || splitIsUrl, splits: splitColumn !== null && !splitIsUrl })
    : {
        rows: scanned.rows,
        userCodes: scanned.userCodes,
        times: scanned.times,
        urlCodes: scanned.urlCodes,
        splitCodes: scanned.splitCodes,
        userCount: users.size,
        urlLabels: mapping.url ? urls.labels() : [],
        splitLabels: splitColumn && !splitIsUrl ? splits.labels() : [],
        zoneless: scanned.zoneless,
        readable: scanned.readable,
        skipped: { byReason: skippedCounts(scanned.skipped.counts), examples: scan.examples },
      };

  // The url and split codes are put in event order with the times (random reads of them afterwards cost as much again).
  const carried = [mapping.url || splitIsUrl ? read.urlCodes : null, splitColumn && !splitIsUrl ? read.splitCodes : null];
  const ordered = eventOrder(
    read.userCodes,
    read.userCount,
    read.times,
    read.rows,
    carried.filter((c) => c !== null),
  );
  const { order, users: userCount, starts } = ordered;
  if (order.length === 0) return decline('no row has both a user id and a readable timestamp');
  const n = order.length;
  const gaps = new Float64Array(n);
  const times = ordered.times.length === n ? ordered.times : ordered.times.slice(0, n);
  const rows = new Float64Array(n);
  let first = Infinity;
  let last = -Infinity;
  for (let u = 0; u < read.userCount; u++) {
    const end = starts[u + 1] as number;
    let previous = Number.NaN;
    for (let k = starts[u] as number; k < end; k++) {
      const t = times[k] as number;
      gaps[k] = k === starts[u] ? -1 : t - previous;
      rows[k] = (order[k] as number) + 1;
      previous = t;
    }
    // Each user's events are in time order: the first and last bound the user's times.
    if (end > (starts[u] as number)) {
      first = Math.min(first, times[starts[u] as number] as number);
      last = Math.max(last, times[end - 1] as number);
    }
  }
  // Users with events, in code order: the order of the users' runs of events (eventOrder).
  const userIdCodes = new Int32Array(userCount);
  for (let c = 0, u = 0; c < read.userCount; c++) if ((starts[c + 1] as number) > (starts[c] as number)) userIdCodes[u++] = c;
  const inOrder = (column: 0 | 1): Int32Array => {
    const codes = ordered.carried[carried[0] === null ? column - 1 : column] as Int32Array;
    return codes.length === n ? codes : codes.slice(0, n);
  };
  const url = mapping.url ? { codes: inOrder(0), labels: read.urlLabels } : null;
  let split: { column: string; codes: Int32Array } | null = null;
  if (splitColumn) {
    const blank = (splitIsUrl ? read.urlLabels : read.splitLabels).map((label, code) => (label.trim() === '' ? -1 : code));
    // The url codes serve both when the url column is the campaign column too: the split's are a copy.
    const codes = splitIsUrl ? inOrder(0).slice() : inOrder(1);
    for (let k = 0; k < n; k++) if ((codes[k] as number) >= 0) codes[k] = blank[codes[k] as number] as number;
    split = { column: splitColumn, codes };
  }
  // Three counts made apart: the rows the scanner saw, the events ordered, the rows it skipped by reason.
  const figures = countedFigures({ rowsRead: read.rows, events: n, users: userCount, firstEventUs: first, lastEventUs: last }, read.skipped.byReason);
  const problem = checkRowsAddUp(figures, read.skipped.byReason);
  if (problem) return { ok: false, reason: problem, failed: problem };
  return {
    ok: true,
    columns: names,
    mapping,
    figures,
    events: { gaps, times, rows, users: userCount },
    url,
    split,
    userIds: { keys: scan.users.keys(), codes: userIdCodes },
    zonelessShare: read.zoneless / Math.min(read.readable, ZONE_SAMPLE_ROWS),
    skipped: read.skipped,
  };
}

/**
 * The two halves as one file's rows: the second half's keys taken into the first half's
 * dictionaries (new values appended, so codes stay in order of first appearance), its rows
 * numbered on from the first's. Code columns not `needed` are not joined (empty): each is a
 * fresh array of every row, and fresh memory is slow to touch the first time.
 */
function joinHalves(scan: QuickScan, part: QuickPart, needed: { urls: boolean; splits: boolean }) {
  const first = scan.scanned;
  const n1 = first.rows;
  const n = n1 + part.rows;
  // The first half's columns take the second's rows in place when they have room (the first
  // half is read with room for the whole file: see quickScan); else both go into new ones.
  const joined = (a: Int32Array, b: Int32Array, dictionary: ByteDictionary, keys: DictionaryKeys) => {
    const remap = new Int32Array(keys.offsets.length);
    for (let c = 0; c < remap.length; c++) {
      const offset = keys.offsets[c] as number;
      remap[c] = dictionary.codeIn(keys.pool, offset, offset + (keys.lengths[c] as number));
    }
    let codes = a.subarray(0, n);
    if (a.length < n) {
      codes = new Int32Array(n);
      codes.set(a.subarray(0, n1));
    }
    for (let r = 0; r < part.rows; r++) {
      const c = b[r] as number;
      codes[n1 + r] = c < 0 ? c : (remap[c] as number);
    }
    return codes;
  };
  const userCodes = joined(first.userCodes, part.userCodes, scan.users, part.userKeys);
  const urlCodes = needed.urls ? joined(first.urlCodes, part.urlCodes, scan.urls, part.urlKeys) : new Int32Array(0);
  const splitCodes = needed.splits ? joined(first.splitCodes, part.splitCodes, scan.splits, part.splitKeys) : new Int32Array(0);
  let times = first.times.subarray(0, n);
  if (first.times.length < n) {
    times = new Float64Array(n);
    times.set(first.times.subarray(0, n1));
  }
  times.set(part.times, n1);
  // The zone note counts the first ZONE_SAMPLE_ROWS readable timestamps of the whole file.
  let zoneless = first.zoneless;
  for (let k = 0; k < Math.min(ZONE_SAMPLE_ROWS - Math.min(first.readable, ZONE_SAMPLE_ROWS), part.zonelessFlags.length); k++)
    zoneless += part.zonelessFlags[k] as number;
  const counts = { ...first.skipped.counts };
  for (const reason of Object.keys(counts) as SkipReason[]) counts[reason] += part.skippedCounts[reason];
  const partExamples = part.skippedExamples.map((e) => ({ ...e, row: e.row + n1, line: (e.line ?? 0) + n1 }));
  return {
    rows: n,
    userCodes,
    times,
    urlCodes,
    splitCodes,
    userCount: scan.users.size,
    urlLabels: scan.urls.labels(),
    splitLabels: scan.splits.labels(),
    zoneless,
    readable: first.readable + part.readable,
    skipped: { byReason: skippedCounts(counts), examples: [...scan.examples, ...partExamples].slice(0, SKIPPED_EXAMPLES) },
  };
}

function describeSkipped(bytes: Uint8Array, skipped: SkippedCells): Extract<QuickRead, { ok: true }>['skipped'] {
  const decoder = new TextDecoder();
  const text = (cell: [number, number] | null) => (cell === null ? null : decoder.decode(bytes.subarray(cell[0], cell[1])));
  // No line breaks inside fields and no blank lines (declined otherwise), and the header is line 1.
  const examples = skipped.examples.map(
    (e): SkippedRow => ({
      row: e.row + 1,
      line: e.row + 2,
      reason: e.reason,
      user: text(e.user),
      timestamp: text(e.timestamp),
    }),
  );
  return { byReason: skippedCounts(skipped.counts), examples };
}
