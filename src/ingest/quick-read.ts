import { detectMapping, timestampNameRank } from '../domain/detect-columns';
import { detectCampaignColumn } from '../domain/presets';
import type { ColumnMapping, DatasetFigures, SkippedRow, SkipReason } from '../domain/types';
import { ZONE_SAMPLE_ROWS } from '../sql/events-sql';
import { PROFILE_SAMPLE_ROWS, profiledColumns } from '../sql/profile-sql';
import type { EventColumns } from '../stats/gap-columns';
import type { UrlColumn } from '../stats/session-figures';
import { ByteDictionary } from './byte-dictionary';
import { IsoInstantReader } from './iso-instant';
import { sampleProfiles } from './quick-read-profile';
import { ROLE_SPLIT, ROLE_TS, ROLE_URL, ROLE_USER, RowScanner, type SkippedCells } from './quick-read-scan';
import { eventOrder } from './quick-read-order';

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

export const QUICK_READ_MAX_BYTES = 256 * 1024 ** 2;

export type QuickRead =
  | {
      ok: true;
      /** The header's names, exactly as the raw table's columns would be. */
      columns: string[];
      /** What detectMapping picks; format is always 'iso', time ''. */
      mapping: ColumnMapping;
      /** rowsRead = data rows; skipped = rows without a user id or a readable timestamp. */
      figures: DatasetFigures;
      /** Each user's events together, in (time, row) order. */
      events: EventColumns;
      /** Url of each event in the same order (-1 = empty cell), or null without a url column. */
      url: UrlColumn | null;
      /** The campaign column's cell of each event as a code: -1 empty or blank, equal codes = equal text. */
      split: { column: string; codes: Int32Array } | null;
      /** Share of the first ZONE_SAMPLE_ROWS events (file order) whose timestamp has no zone. */
      zonelessShare: number;
      /** As skippedCountsSql (most first) and skippedExamplesSql (file order, with the file line) give them. */
      skipped: { byReason: { reason: SkipReason; count: number }[]; examples: SkippedRow[] };
    }
  | { ok: false; reason: string };

const decline = (reason: string): QuickRead => ({ ok: false, reason });

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

/** Reads a whole UTF-8 CSV/TSV file, or declines. `delimiter` and `quote` as sniffFile's firstLine guessed them. */
export function quickRead(bytes: Uint8Array, dialect: { delimiter: string; quote: string }): QuickRead {
  if (bytes.length > QUICK_READ_MAX_BYTES) return decline(`larger than ${QUICK_READ_MAX_BYTES} bytes`);
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

  const sample = scanner.sample(PROFILE_SAMPLE_ROWS, profiledColumns(names).map((c) => names.indexOf(c)));
  if (typeof sample === 'string') return decline(sample);
  if (sample.rows === 0) return decline('no data rows');
  const guess = detectMapping(sampleProfiles(bytes, names, sample));
  if (!guess) return decline('detectMapping found no mapping');
  const { mapping } = guess;
  if (mapping.format !== 'iso' || mapping.time !== '') return decline(`timestamp format ${mapping.format}${mapping.time ? ' with a time-of-day column' : ''}`);
  if (!guess.userByName) return decline('no column is named like a user id');
  // Only the timestamp column's profile is computed in full: any other column whose name
  // ranks as high could be DuckDB's pick.
  const rank = timestampNameRank(mapping.timestamp);
  if (rank === Infinity) return decline(`timestamp column "${mapping.timestamp}" was not found by name`);
  if (names.some((n) => n !== mapping.timestamp && timestampNameRank(n) <= rank)) return decline('another column is named like a timestamp');
  const splitColumn = detectCampaignColumn(names);
  // The url column can be the campaign column too (a referrer column picked for its urls).
  const splitIsUrl = splitColumn !== null && splitColumn === mapping.url;
  const roleColumns: [string, number][] = [[mapping.user, ROLE_USER], [mapping.timestamp, ROLE_TS], [mapping.url, ROLE_URL], [splitIsUrl ? '' : (splitColumn ?? ''), ROLE_SPLIT]];
  const roles = new Uint8Array(names.length);
  for (const [column, role] of roleColumns) {
    if (column === '') continue;
    const index = names.indexOf(column);
    if (roles[index] !== 0) return decline(`column "${column}" has two roles`);
    roles[index] = role;
  }

  const iso = new IsoInstantReader(bytes);
  const users = new ByteDictionary(bytes);
  const urls = new ByteDictionary(bytes);
  const splits = new ByteDictionary(bytes);
  const read = scanner.rows(roles, sample, iso, users, urls, splits);
  if (typeof read === 'string') return decline(read);
  if (read.allMidnight) return decline('every sampled timestamp is midnight UTC (a date column)');

  const { order, users: userCount, starts } = eventOrder(read.userCodes, users.size, read.times, read.rows);
  if (order.length === 0) return decline('no row has both a user id and a readable timestamp');
  const n = order.length;
  const gaps = new Float64Array(n);
  const times = new Float64Array(n);
  const rows = new Float64Array(n);
  let first = Infinity;
  let last = -Infinity;
  for (let u = 0; u < users.size; u++) {
    const end = starts[u + 1] as number;
    let previous = Number.NaN;
    for (let k = starts[u] as number; k < end; k++) {
      const r = order[k] as number;
      const t = read.times[r] as number;
      gaps[k] = k === starts[u] ? -1 : t - previous;
      times[k] = t;
      rows[k] = r + 1;
      previous = t;
    }
    // Each user's events are in time order: the first and last bound the user's times.
    if (end > (starts[u] as number)) {
      first = Math.min(first, times[starts[u] as number] as number);
      last = Math.max(last, times[end - 1] as number);
    }
  }
  const url = mapping.url ? { codes: reordered(read.urlCodes, order), labels: urls.labels() } : null;
  let split: { column: string; codes: Int32Array } | null = null;
  if (splitColumn) {
    const blank = (splitIsUrl ? urls : splits).labels().map((label, code) => (label.trim() === '' ? -1 : code));
    const codes = reordered(splitIsUrl ? read.urlCodes : read.splitCodes, order);
    for (let k = 0; k < n; k++) if ((codes[k] as number) >= 0) codes[k] = blank[codes[k] as number] as number;
    split = { column: splitColumn, codes };
  }
  return {
    ok: true,
    columns: names,
    mapping,
    figures: { rowsRead: read.rows, events: n, skipped: read.rows - n, users: userCount, firstEventUs: first, lastEventUs: last },
    events: { gaps, times, rows, users: userCount },
    url,
    split,
    zonelessShare: read.zoneless / Math.min(read.readable, ZONE_SAMPLE_ROWS),
    skipped: describeSkipped(bytes, read.skipped),
  };
}

function describeSkipped(bytes: Uint8Array, skipped: SkippedCells): Extract<QuickRead, { ok: true }>['skipped'] {
  const decoder = new TextDecoder();
  const text = (cell: [number, number] | null) => (cell === null ? null : decoder.decode(bytes.subarray(cell[0], cell[1])));
  const byReason = (Object.entries(skipped.counts) as [SkipReason, number][])
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1));
  // No line breaks inside fields and no blank lines (declined otherwise), and the header is line 1.
  const examples = skipped.examples.map((e): SkippedRow => ({
    row: e.row + 1, line: e.row + 2, reason: e.reason, user: text(e.user), timestamp: text(e.timestamp),
  }));
  return { byReason, examples };
}

function reordered(codes: Int32Array, order: Int32Array): Int32Array {
  const out = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = codes[order[k] as number] as number;
  return out;
}

/**
 * The value the store compares with eventsChecksumSql's: per event
 * (gap % 100003) * (row % 1009) + (ts % 100003) * (row % 1013), summed (exact in a double
 * up to 10M events: each term is below 2.1e8).
 */
export function eventsChecksum(events: EventColumns): number {
  const { gaps, times, rows } = events;
  let sum = 0;
  for (let i = 0; i < gaps.length; i++) {
    const row = rows[i] as number;
    sum += ((gaps[i] as number) % 100003) * (row % 1009) + ((times[i] as number) % 100003) * (row % 1013);
  }
  return sum;
}
