import type { Boundary, ColumnMapping, TimestampFormat } from '../domain/types';
import { TIMESTAMP_FORMAT_LABELS } from '../domain/types';
import { minutesToUs } from '../domain/threshold';
import { exportedColumnNames, renamedExportColumns } from '../domain/export-columns';
import { rowidColumn } from './rowid-sql';
import {
  foldedCutsSql,
  hardCut,
  hasWalkedRules,
  NO_SQL_RULES,
  positiveCount,
  rulesLines,
  sessionSteps,
  sortedEventsSql,
  splitText,
  type SessionStepsInput,
  type SqlRules,
  type Step,
} from './dialect-rules-sql';

export type { SqlRules } from './dialect-rules-sql';
export { NO_SQL_RULES } from './dialect-rules-sql';

/*
 * The page's sessionization as SQL for other engines (the SQL panel), and as PySpark.
 *
 * One generator: every query is built from the same steps, and a dialect table says how each
 * engine spells the few things that differ (quoting, regular expressions, casts, dates,
 * keeping the original columns, formatting an instant). The steps:
 *
 *   src       the table's rows: the original columns, the user id (blank -> NULL) and the
 *             timestamp text, trimmed of spaces as the page trims it
 *   fields    the parts of the timestamp text, cut out by one regular expression per format
 *             (the same grammar as the page and its reference parser), as whole numbers;
 *             PostgreSQL first keeps the texts that match it (step `matched`), then cuts the
 *             parts out of those by position (postgresCut)
 *   parsed    the instant in microseconds since the epoch (UTC): days since 1970-01-01 from
 *             the engine's own date function, plus the time of day, the fraction and the
 *             offset; NULL when a part is out of range (month 13, 30 February, hour 24, ...)
 *   gaps      each event's gap to the same user's previous event (LAG), in microseconds
 *   numbered  session_number = running count of session starts (gap NULL or >= threshold)
 *
 * Why parts and arithmetic rather than each engine's timestamp parser: the parsers differ in
 * what they accept (PostgreSQL reads '24:00:00' and errors on a bad date instead of
 * returning NULL, Snowflake's DATE_FROM_PARTS rolls 30 February over to March, Spark reads a
 * zone-less text in the session time zone), while integer arithmetic on validated parts
 * gives every engine the same instant, to the microsecond, whatever its session time zone.
 * Every intermediate text is made of digits only before it is cast, so no row can make the
 * query fail: an unreadable timestamp becomes NULL and its row is left out, as on the page.
 *
 * Equal timestamps: the gap between them is 0, which never reaches a positive threshold, so
 * they are in one session whatever their order. The running count uses a RANGE frame so
 * that peers (equal timestamps) share one count even where an engine orders them
 * differently in the two window passes. Only DuckDB has a row order (rowid); it is used as
 * the tie-break, exactly as the page does.
 */

export type Dialect = 'duckdb' | 'postgres' | 'spark' | 'bigquery' | 'snowflake';

export const DIALECTS: readonly Dialect[] = ['duckdb', 'postgres', 'spark', 'bigquery', 'snowflake'];

export const DIALECT_LABELS: Record<Dialect, string> = {
  duckdb: 'DuckDB',
  postgres: 'PostgreSQL',
  spark: 'Spark SQL',
  bigquery: 'BigQuery',
  snowflake: 'Snowflake',
};

export interface DialectQuerySpec {
  dialect: Dialect;
  /** The table name as the person typed it: `clicks`, `analytics.clicks`, `"My table"`. */
  table: string;
  mapping: ColumnMapping;
  thresholdMinutes: number;
  boundary: Boundary;
  /**
   * The table's columns (the file's), in order. The helper columns the query adds are named
   * so that none of them can be one of these, and a column named like session_id or
   * session_number is returned under the name exportedColumnNames gives it, as the page's
   * export does. Without them, a table column named like a helper would be taken for it.
   */
  columns?: readonly string[];
  /**
   * What the query reads in place of the quoted table name, written as is (a dbt model's
   * `{{ source(...) }}`); `table` still names the table in the header comment.
   */
  relation?: string;
  /** `text` when absent. */
  input?: SqlInput;
  /** The rules beyond the gap and the boundary; none when absent. */
  rules?: SqlRules;
  /** Users with more events than this are left out entirely, before sessionizing; null or absent: none. */
  excludeUsersOverEvents?: number | null;
}

export type PysparkSpec = Omit<DialectQuerySpec, 'dialect'>;

/**
 * What the table holds: `text`, the file's columns as text exactly as in the file (the
 * timestamp text is parsed by the query); `typed`, the timestamp column already an instant
 * (a TIMESTAMP, or for an epoch format the number in the unit the page detected) and the
 * user column the ids (NULL or '' for none): the query is then the short one.
 */
export type SqlInput = 'text' | 'typed';

export const SQL_INPUTS: readonly SqlInput[] = ['text', 'typed'];

/** A table name that cannot be used; the message says why and what is accepted. */
export class TableNameError extends Error {
  override name = 'TableNameError';
}

// ---------------------------------------------------------------------------------------
// Regular expressions: written once with named groups, rendered for each engine.
//
// Only constructs that PostgreSQL (ARE), RE2 (DuckDB, BigQuery), Java (Spark) and POSIX ERE
// (Snowflake) read alike: bracket classes, {m,n}, ?, *, |, groups, anchors. No backslash at
// all, so no engine's string-literal escaping can change a pattern.
// ---------------------------------------------------------------------------------------

const FIELDS = ['y', 'mo', 'd', 'h', 'mi', 's', 'frac', 'sign', 'oh', 'om', 'first', 'sep1', 'second', 'sep2', 'mon', 'zeros', 'whole'] as const;
type Field = (typeof FIELDS)[number];
const isField = (name: string): name is Field => (FIELDS as readonly string[]).includes(name);

const ISO_RE =
  '^(?<y>[0-9]{4})[-/](?<mo>[0-9]{2})[-/](?<d>[0-9]{2})' +
  '(?:[T ](?<h>[0-9]{2}):(?<mi>[0-9]{2})(?::(?<s>[0-9]{2})(?:[.](?<frac>[0-9]+))?)?' +
  '(?:Z| UTC| ?(?<sign>[+-])(?<oh>[0-9]{2})(?::?(?<om>[0-9]{2}))?)?)?$';

const DAY_MONTH_RE =
  '^(?<first>[0-9]{1,2})(?<sep1>[/.-])(?<second>[0-9]{1,2})(?<sep2>[/.-])(?<y>[0-9]{4})' +
  '(?: (?<h>[0-9]{1,2}):(?<mi>[0-9]{2})(?::(?<s>[0-9]{2})(?:[.](?<frac>[0-9]{1,6}))?)?)?$';

const CLF_RE =
  '^(?<d>[0-9]{2})/(?<mon>[A-Za-z]{3})/(?<y>[0-9]{4}):(?<h>[0-9]{2}):(?<mi>[0-9]{2}):(?<s>[0-9]{2})' + '(?: (?<sign>[+-])(?<oh>[0-9]{2})(?<om>[0-9]{2}))?$';

/** Leading zeros sit outside `whole`, so `whole` has at most 19 significant digits (BIGINT). */
const EPOCH_RE = '^(?<sign>[+-]?)(?<zeros>0*)(?<whole>[0-9]{0,19})(?:[.](?<frac>[0-9]*))?$';

/** Every group capturing (for engines that number groups), and the 1-based number of each name. */
function numberedPattern(template: string): { pattern: string; index: Map<string, number> } {
  const index = new Map<string, number>();
  let count = 0;
  const pattern = template.replace(/\((\?<([a-z0-9]+)>|\?:)?/g, (_m, _prefix: string | undefined, name: string | undefined) => {
    count += 1;
    if (name) index.set(name, count);
    return '(';
  });
  return { pattern, index };
}

/** Only the named group capturing (RE2: BigQuery's REGEXP_EXTRACT allows one group, DuckDB's regexp_extract nine). */
function singleGroupPattern(template: string, field: Field): string {
  return template.replace(/\((\?<([a-z0-9]+)>|\?:)?/g, (_m, _prefix: string | undefined, name: string | undefined) => (name === field ? '(' : '(?:'));
}

function groupNumber(template: string, field: Field): number {
  const n = numberedPattern(template).index.get(field);
  if (n === undefined) throw new Error(`The pattern has no group named ${field}.`);
  return n;
}

// ---------------------------------------------------------------------------------------
// PostgreSQL: the fields cut out of a text that matched its template
//
// PostgreSQL tells whether a text matches one of these patterns quickly (`~`: 2-3 µs a text,
// measured on PostgreSQL 15), but reporting the groups (regexp_match) took it ten to a
// hundred times as long, varying from run to run: after finding the match, its engine works
// out where each group begins and ends, which costs far more than the match. So the
// PostgreSQL query matches each text once with `~` (step `matched`) and cuts the fields out
// of a matched text with string functions (all of ISO's take about as long as the `~`). A
// cut is correct only on a text that matched its template (on any other text it may give
// anything): the comment by each template's cuts says why they are correct, from the
// template. A cut of NULL is NULL, and a group that takes no part gives NULL or '', so
// coalesce(cut, '') reads as coalesce(group, '') did. postgres.integration.test.ts checks
// every cut against the group PostgreSQL reports (POSTGRES.group) on generated, edge and
// mangled texts.
// ---------------------------------------------------------------------------------------

/** SQL for one field, given SQL for a text that matched the template (or NULL). */
type Cut = (matched: string) => string;

/**
 * ISO_RE fixes where the date and HH:MM are: yyyy-mm-dd at 1-10, T or space at 11, hh:mi at
 * 12-16 (a date alone ends at 10: the cuts beyond it are ''). Position 17 is ':' exactly when
 * the seconds follow, at 18-19 (no zone starts with ':'). The fraction's '.' is the only '.'
 * (the date separators are - and /), and its digits end where the zone starts (Z, a space
 * before UTC or a sign, a sign) or at the end. From 17 on, + or - can only be the zone's
 * sign; two digits (hours) follow it, then, when there are minutes, they are the last two
 * characters, after an optional ':'.
 */
const isoAfterSign = (m: string): string => `split_part(translate(substr(${m}, 17), '-', '+'), '+', 2)`;
const ISO_CUTS: Partial<Record<Field, Cut>> = {
  y: (m) => `substr(${m}, 1, 4)`,
  mo: (m) => `substr(${m}, 6, 2)`,
  d: (m) => `substr(${m}, 9, 2)`,
  h: (m) => `substr(${m}, 12, 2)`,
  mi: (m) => `substr(${m}, 15, 2)`,
  s: (m) => `CASE WHEN substr(${m}, 17, 1) = ':' THEN substr(${m}, 18, 2) END`,
  frac: (m) => `split_part(translate(split_part(${m}, '.', 2), 'Z+-', '   '), ' ', 1)`,
  sign: (m) => `CASE WHEN strpos(substr(${m}, 17), '+') > 0 THEN '+' WHEN strpos(substr(${m}, 17), '-') > 0 THEN '-' END`,
  oh: (m) => `left(${isoAfterSign(m)}, 2)`,
  om: (m) => `right(substr(${isoAfterSign(m)}, 3), 2)`,
};

/**
 * DAY_MONTH_RE: the date, then optionally one space and the time. The date's only
 * non-digits are its two separators (each /, . or -) and it ends with the 4-digit year. The
 * time is h:mi, :ss, then '.' and the fraction: its only '.' is the fraction's.
 */
const dayMonthDate = (m: string, n: number): string => `split_part(translate(split_part(${m}, ' ', 1), '.-', '//'), '/', ${n})`;
const dayMonthTime = (m: string): string => `split_part(${m}, ' ', 2)`;
const DAY_MONTH_CUTS: Partial<Record<Field, Cut>> = {
  first: (m) => dayMonthDate(m, 1),
  sep1: (m) => `substr(translate(${m}, '0123456789', ''), 1, 1)`,
  second: (m) => dayMonthDate(m, 2),
  sep2: (m) => `substr(translate(${m}, '0123456789', ''), 2, 1)`,
  y: (m) => dayMonthDate(m, 3),
  h: (m) => `split_part(${dayMonthTime(m)}, ':', 1)`,
  mi: (m) => `split_part(${dayMonthTime(m)}, ':', 2)`,
  s: (m) => `split_part(split_part(${dayMonthTime(m)}, ':', 3), '.', 1)`,
  frac: (m) => `split_part(${dayMonthTime(m)}, '.', 2)`,
};

/** CLF_RE fixes every position: dd/Mon/yyyy:hh:mi:ss at 1-20, then optionally a space and ±hhmm at 22-26. */
const CLF_CUTS: Partial<Record<Field, Cut>> = {
  d: (m) => `substr(${m}, 1, 2)`,
  mon: (m) => `substr(${m}, 4, 3)`,
  y: (m) => `substr(${m}, 8, 4)`,
  h: (m) => `substr(${m}, 13, 2)`,
  mi: (m) => `substr(${m}, 16, 2)`,
  s: (m) => `substr(${m}, 19, 2)`,
  sign: (m) => `substr(${m}, 22, 1)`,
  oh: (m) => `substr(${m}, 23, 2)`,
  om: (m) => `substr(${m}, 25, 2)`,
};

/**
 * EPOCH_RE: an optional sign, digits, then optionally '.' and more digits. `zeros` (0*, as
 * many as it can take) gets every leading zero of the whole digits and `whole` the rest: the
 * text matches only when the rest fits in `whole`'s 19 digits, so no shorter `zeros` is tried.
 */
const epochWholeDigits = (m: string): string => `split_part(ltrim(${m}, '+-'), '.', 1)`;
const EPOCH_CUTS: Partial<Record<Field, Cut>> = {
  sign: (m) => `CASE WHEN left(${m}, 1) IN ('+', '-') THEN left(${m}, 1) END`,
  zeros: (m) => `left(${epochWholeDigits(m)}, length(${epochWholeDigits(m)}) - length(ltrim(${epochWholeDigits(m)}, '0')))`,
  whole: (m) => `ltrim(${epochWholeDigits(m)}, '0')`,
  frac: (m) => `split_part(${m}, '.', 2)`,
};

/** The cuts of each template, by the template itself: a cut is right only for its template. */
const POSTGRES_CUTS = new Map<string, Partial<Record<Field, Cut>>>([
  [ISO_RE, ISO_CUTS],
  [DAY_MONTH_RE, DAY_MONTH_CUTS],
  [CLF_RE, CLF_CUTS],
  [EPOCH_RE, EPOCH_CUTS],
]);

function postgresCut(matched: string, template: string, field: Field): string {
  const cut = POSTGRES_CUTS.get(template)?.[field];
  if (!cut) throw new Error(`No PostgreSQL cut for the group ${field} of ${template}.`);
  return cut(matched);
}

// ---------------------------------------------------------------------------------------
// The dialect table
// ---------------------------------------------------------------------------------------

/** How the original columns travel through the steps and come back at the end. */
type Carry =
  | { kind: 'exclude'; keyword: 'EXCLUDE' | 'EXCEPT' } // SELECT * EXCLUDE (helpers)
  | {
      kind: 'record';
      wrap: (alias: string) => string;
      unwrap: (column: string) => string;
      /** One field of the row value, by its quoted name. */
      field: (column: string, quotedName: string) => string;
    }; // one row value

interface DialectTable {
  label: string;
  /** Quotes one identifier exactly as given. */
  ident(name: string): string;
  /** How the engine resolves an unquoted identifier (PostgreSQL folds to lower case, Snowflake to upper). */
  foldBare(part: string): string;
  /** Unquoted table-name parts accepted as typed. */
  barePart: RegExp;
  /** A string literal. */
  str(value: string): string;
  textType: string;
  bigintType: string;
  decimalType(precision: number, scale?: number): string;
  /** A whole-number literal beyond BIGINT (BigQuery reads bare ones as INT64 only). */
  bigLiteral(digits: string): string;
  /** Removes leading and trailing whitespace: the page's set (WHITESPACE). */
  trim(x: string): string;
  /** True when `pattern` matches somewhere in x (patterns carry their own anchors). */
  matches(x: string, template: string): string;
  /** The text of a named group, or '' when the group or the whole pattern does not match. */
  group(x: string, template: string, field: Field): string;
  concat(parts: string[]): string;
  mod(a: string, b: string): string;
  /** Integer division of non-negative integers. */
  idiv(a: string, b: string): string;
  /** Days since 1970-01-01 of a valid date given as whole numbers. */
  epochDays(y: string, m: string, d: string): string;
  /** An instant in µs as ISO 8601 UTC text with milliseconds: 2024-05-01T10:00:00.123Z. */
  isoMillis(us: string): string;
  /**
   * Engines whose regular expressions are slow to report groups match each text once,
   * without asking for groups (step `matched`: the text, or NULL when it does not match), and
   * cut the fields out of the matched text (`cut`, NULL or '' where the group would take no
   * part); `fence` keeps the optimizer from inlining a step's expressions into every later
   * reference, which would repeat the match.
   */
  matchOnce: { matched(x: string, template: string): string; cut(matched: string, template: string, field: Field): string; fence: string } | null;
  carry: Carry;
  /** A column expression giving the table's own row order, when the engine has one. */
  rowOrder: ((alias: string) => string) | null;
  /** First and last non-NULL url of a session in (time, row order), when there is a row order. */
  firstLastByRowOrder: ((url: string, ts: string, ord: string) => [string, string]) | null;
  /** Lines added to the header comment. */
  notes: string[];
  /** The local calendar day of an instant in µs, in an IANA zone (the midnight rule). */
  localDay(us: string, zone: string): string;
  /** A typed table's TIMESTAMP column as µs since the epoch. */
  timestampUs(column: string): string;
  /** How the rules that depend on the session so far are walked (dialect-rules-sql.ts). */
  walk: 'recursive' | 'aggregate';
}

/**
 * What the page trims from user ids and timestamp texts (src/sql/timestamp-sql.ts trimSql):
 * space, tab, LF, VT, FF, CR, no-break space, byte order mark.
 */
const WHITESPACE = [0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0xa0, 0xfeff];
/** The set as chr() calls (DuckDB, PostgreSQL: chr takes a Unicode code point in UTF-8). */
const chrWhitespace = `(${WHITESPACE.map((c) => (c === 0x20 ? "' '" : `chr(${c})`)).join(' || ')})`;
/** The set as a literal with \uXXXX escapes (Spark, BigQuery and Snowflake read them in '...'). */
const escapedWhitespace = `'${WHITESPACE.map((c) => `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`).join('')}'`;

const doubleQuoted = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const standardString = (value: string): string => `'${value.replaceAll("'", "''")}'`;
/** Spark and Snowflake read backslash escapes inside '...'; BigQuery does too and has no ''. */
const backslashString = (value: string): string => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n').replaceAll('\r', '\\r')}'`;
const asciiLower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const asciiUpper = (s: string): string => s.replace(/[a-z]/g, (c) => c.toUpperCase());
const SIMPLE_PART = /^[A-Za-z_][A-Za-z0-9_$]*$/;

const DUCKDB: DialectTable = {
  label: 'DuckDB',
  ident: doubleQuoted,
  foldBare: (p) => p,
  barePart: SIMPLE_PART,
  str: standardString,
  textType: 'VARCHAR',
  bigintType: 'BIGINT',
  decimalType: (p, s = 0) => `DECIMAL(${p},${s})`,
  bigLiteral: (v) => v,
  trim: (x) => `trim(${x}, ${chrWhitespace})`,
  matches: (x, t) => `regexp_matches(${x}, ${standardString(numberedPattern(t).pattern)})`,
  // RE2 numbers at most 9 groups in regexp_extract: one capturing group per extraction.
  group: (x, t, f) => `regexp_extract(${x}, ${standardString(singleGroupPattern(t, f))}, 1)`,
  concat: (parts) => parts.join(' || '),
  mod: (a, b) => `((${a}) % (${b}))`,
  idiv: (a, b) => `((${a}) // (${b}))`,
  epochDays: (y, m, d) => `(make_date(${y}, ${m}, ${d}) - DATE '1970-01-01')`,
  isoMillis: (us) => `strftime(make_timestamp(${us}), '%Y-%m-%dT%H:%M:%S.%gZ')`,
  matchOnce: null,
  carry: { kind: 'exclude', keyword: 'EXCLUDE' },
  rowOrder: (alias) => `${alias}.rowid`,
  firstLastByRowOrder: (url, ts, ord) => [`arg_min(${url}, (${ts}, ${ord}))`, `arg_max(${url}, (${ts}, ${ord}))`],
  notes: [
    "DuckDB 1.0 or later. Equal timestamps keep the table's row order (rowid), as on the page, so the",
    "table must be a table, not a view: CREATE TABLE clicks AS FROM read_csv('clicks.csv', all_varchar = true);",
  ],
  // Time zones need DuckDB's ICU extension (in the native builds; DuckDB-WASM may lack it).
  localDay: (us, zone) => `CAST((make_timestamp(${us}) AT TIME ZONE 'UTC') AT TIME ZONE ${standardString(zone)} AS DATE)`,
  timestampUs: (c) => `epoch_us(${c})`,
  walk: 'recursive',
};

const postgresMatches = (x: string, template: string): string => `(${x} ~ ${standardString(numberedPattern(template).pattern)})`;

const POSTGRES: DialectTable = {
  label: 'PostgreSQL',
  ident: doubleQuoted,
  foldBare: asciiLower,
  barePart: SIMPLE_PART,
  str: standardString,
  textType: 'text',
  bigintType: 'bigint',
  decimalType: (p, s = 0) => `numeric(${p},${s})`,
  bigLiteral: (v) => v,
  trim: (x) => `btrim(${x}, ${chrWhitespace})`,
  matches: postgresMatches,
  // The queries cut the fields instead (matchOnce); the tests check the cuts against this.
  group: (x, t, f) => `coalesce((regexp_match(${x}, ${standardString(numberedPattern(t).pattern)}))[${groupNumber(t, f)}], '')`,
  concat: (parts) => parts.join(' || '),
  mod: (a, b) => `mod(${a}, ${b})`,
  idiv: (a, b) => `((${a}) / (${b}))`,
  epochDays: (y, m, d) => `(make_date(CAST(${y} AS integer), CAST(${m} AS integer), CAST(${d} AS integer)) - DATE '1970-01-01')`,
  isoMillis: (us) => `to_char(TIMESTAMP '1970-01-01 00:00:00' + ${us} * INTERVAL '1 microsecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  // regexp_match is slow (see postgresCut); `~` alone is fast, and inlined steps would repeat
  // it for every use of a field: match once, fence the steps.
  matchOnce: {
    matched: (x, t) => `CASE WHEN ${postgresMatches(x, t)} THEN ${x} END`,
    cut: postgresCut,
    fence: ' MATERIALIZED',
  },
  carry: { kind: 'record', wrap: (alias) => alias, unwrap: (column) => `(${column}).*`, field: (column, name) => `(${column}).${name}` },
  rowOrder: null,
  firstLastByRowOrder: null,
  notes: ['PostgreSQL 12 or later (AS MATERIALIZED). Column names are case-sensitive here: they are quoted as in the file.'],
  localDay: (us, zone) =>
    `CAST((TIMESTAMP '1970-01-01 00:00:00' + ${us} * INTERVAL '1 microsecond') AT TIME ZONE 'UTC' AT TIME ZONE ${standardString(zone)} AS date)`,
  timestampUs: (c) => `CAST(EXTRACT(EPOCH FROM ${c}) * 1000000 AS bigint)`,
  walk: 'recursive',
};

const SPARK: DialectTable = {
  label: 'Spark SQL',
  ident: (name) => `\`${name.replaceAll('`', '``')}\``,
  foldBare: (p) => p,
  barePart: SIMPLE_PART,
  str: backslashString,
  textType: 'STRING',
  bigintType: 'BIGINT',
  decimalType: (p, s = 0) => `DECIMAL(${p},${s})`,
  bigLiteral: (v) => v,
  trim: (x) => `trim(BOTH ${escapedWhitespace} FROM ${x})`,
  matches: (x, t) => `(${x} RLIKE ${backslashString(numberedPattern(t).pattern)})`,
  group: (x, t, f) => `coalesce(regexp_extract(${x}, ${backslashString(numberedPattern(t).pattern)}, ${groupNumber(t, f)}), '')`,
  concat: (parts) => `concat(${parts.join(', ')})`,
  mod: (a, b) => `mod(${a}, ${b})`,
  idiv: (a, b) => `((${a}) div (${b}))`,
  epochDays: (y, m, d) => `unix_date(make_date(CAST(${y} AS INT), CAST(${m} AS INT), CAST(${d} AS INT)))`,
  isoMillis: (us) => {
    const ntz = `(TIMESTAMP_NTZ '1970-01-01 00:00:00' + make_dt_interval(0, 0, 0, CAST(${us} AS DECIMAL(20,0)) / 1000000))`;
    return `concat(date_format(${ntz}, 'yyyy-MM-dd'), 'T', date_format(${ntz}, 'HH:mm:ss.SSS'), 'Z')`;
  },
  matchOnce: null,
  carry: { kind: 'record', wrap: (alias) => `struct(${alias}.*)`, unwrap: (column) => `${column}.*`, field: (column, name) => `${column}.${name}` },
  rowOrder: null,
  firstLastByRowOrder: null,
  notes: ['Spark 3.4 or later (TIMESTAMP_NTZ for the sessions times); Databricks SQL. No session time zone is used.'],
  // from_utc_timestamp gives the zone's wall clock as if it were UTC: its micros / 1 day is the local day.
  localDay: (us, zone) => `floor(unix_micros(from_utc_timestamp(timestamp_micros(${us}), ${backslashString(zone)})) / 86400000000)`,
  timestampUs: (c) => `unix_micros(${c})`,
  walk: 'aggregate',
};

const BIGQUERY: DialectTable = {
  label: 'BigQuery',
  ident: (name) => `\`${name.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('\n', '\\n').replaceAll('\r', '\\r')}\``,
  foldBare: (p) => p,
  // Project ids carry dashes, dataset and table names may start with a digit.
  barePart: /^[A-Za-z0-9_][A-Za-z0-9_-]*$/,
  str: backslashString,
  textType: 'STRING',
  bigintType: 'INT64',
  decimalType: () => 'NUMERIC',
  // The same value as the literal NUMERIC '…', spelled as a cast that node-sql-parser's BigQuery grammar also reads.
  bigLiteral: (v) => `CAST('${v}' AS NUMERIC)`,
  trim: (x) => `TRIM(${x}, ${escapedWhitespace})`,
  matches: (x, t) => `REGEXP_CONTAINS(${x}, ${backslashString(numberedPattern(t).pattern)})`,
  group: (x, t, f) => `COALESCE(REGEXP_EXTRACT(${x}, ${backslashString(singleGroupPattern(t, f))}), '')`,
  concat: (parts) => `CONCAT(${parts.join(', ')})`,
  mod: (a, b) => `MOD(${a}, ${b})`,
  idiv: (a, b) => `DIV(${a}, ${b})`,
  epochDays: (y, m, d) => `UNIX_DATE(DATE(${y}, ${m}, ${d}))`,
  isoMillis: (us) => `FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E3SZ', TIMESTAMP_MICROS(${us}), 'UTC')`,
  matchOnce: null,
  carry: { kind: 'exclude', keyword: 'EXCEPT' },
  rowOrder: null,
  firstLastByRowOrder: null,
  notes: ['GoogleSQL. Write the table as project.dataset.table or dataset.table.'],
  localDay: (us, zone) => `DATE(TIMESTAMP_MICROS(${us}), ${backslashString(zone)})`,
  timestampUs: (c) => `UNIX_MICROS(${c})`,
  walk: 'recursive',
};

const SNOWFLAKE: DialectTable = {
  label: 'Snowflake',
  ident: doubleQuoted,
  foldBare: asciiUpper,
  barePart: SIMPLE_PART,
  str: backslashString,
  textType: 'VARCHAR',
  bigintType: 'INTEGER',
  decimalType: (p, s = 0) => `NUMBER(${p},${s})`,
  bigLiteral: (v) => v,
  trim: (x) => `TRIM(${x}, ${escapedWhitespace})`,
  matches: (x, t) => `REGEXP_LIKE(${x}, ${backslashString(numberedPattern(t).pattern)})`,
  group: (x, t, f) => `COALESCE(REGEXP_SUBSTR(${x}, ${backslashString(numberedPattern(t).pattern)}, 1, 1, 'e', ${groupNumber(t, f)}), '')`,
  concat: (parts) => parts.join(' || '),
  mod: (a, b) => `MOD(${a}, ${b})`,
  idiv: (a, b) => `FLOOR((${a}) / (${b}))`,
  epochDays: (y, m, d) => `DATEDIFF(day, DATE '1970-01-01', DATE_FROM_PARTS(${y}, ${m}, ${d}))`,
  isoMillis: (us) => `TO_CHAR(TO_TIMESTAMP_NTZ(${us}, 6), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"')`,
  matchOnce: null,
  carry: { kind: 'exclude', keyword: 'EXCLUDE' },
  rowOrder: null,
  firstLastByRowOrder: null,
  notes: ['Column names are case-sensitive here: they are quoted as in the file (an unquoted table name is upper-cased, as Snowflake does).'],
  localDay: (us, zone) => `CAST(CONVERT_TIMEZONE('UTC', ${backslashString(zone)}, TO_TIMESTAMP_NTZ(${us}, 6)) AS DATE)`,
  timestampUs: (c) => `DATE_PART(EPOCH_MICROSECOND, ${c})`,
  walk: 'recursive',
};

const TABLE: Record<Dialect, DialectTable> = {
  duckdb: DUCKDB,
  postgres: POSTGRES,
  spark: SPARK,
  bigquery: BIGQUERY,
  snowflake: SNOWFLAKE,
};

// ---------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------

/**
 * The typed table name, quoted for the dialect. Parts are separated by dots (at most three:
 * catalog/project, schema/dataset, table); each part is either a plain name (letters, digits,
 * `_`; resolved as the engine resolves an unquoted name) or quoted with "..." or `...`
 * (kept exactly). Anything else is refused.
 */
export function quoteTableName(dialect: Dialect, typed: string): string {
  return tableNameParts(dialect, typed)
    .map((p) => TABLE[dialect].ident(p.name))
    .join('.');
}

/** One part of a table name as the engine resolves it, and whether it was typed in quotes. */
export interface TableNamePart {
  name: string;
  quoted: boolean;
}

/** The typed table name's parts (see quoteTableName), unquoted: what the engine resolves each to. */
export function tableNameParts(dialect: Dialect, typed: string): TableNamePart[] {
  const d = TABLE[dialect];
  const text = typed.trim();
  if (text === '') throw new TableNameError("Type the name of the table that holds the file's rows.");
  if (text.includes('\u0000')) throw new TableNameError('A table name cannot contain a NUL character.');
  const parts: TableNamePart[] = [];
  let i = 0;
  while (i <= text.length) {
    let part: string;
    const quoted = text[i] === '"' || text[i] === '`';
    const open = text[i];
    if (open === '"' || open === '`') {
      let j = i + 1;
      part = '';
      for (;;) {
        const c = text[j];
        if (c === undefined) throw new TableNameError(`The quoted name starting at character ${i + 1} of "${typed}" is not closed with ${open}.`);
        if (c === open) {
          if (text[j + 1] === open) {
            part += open;
            j += 2;
            continue;
          }
          break;
        }
        part += c;
        j += 1;
      }
      if (part === '') throw new TableNameError('A quoted name cannot be empty.');
      i = j + 1;
    } else {
      const end = text.indexOf('.', i);
      const raw = text.slice(i, end === -1 ? text.length : end);
      if (!d.barePart.test(raw)) {
        throw new TableNameError(
          `"${raw}" is not a plain ${d.label} name (letters, digits and _${dialect === 'bigquery' ? ', -' : ''}); put a name with other characters in double quotes or backticks.`,
        );
      }
      part = d.foldBare(raw);
      i += raw.length;
    }
    parts.push({ name: part, quoted });
    if (i === text.length) break;
    if (text[i] !== '.') throw new TableNameError(`Expected a dot after a quoted name in "${typed}".`);
    i += 1;
    if (i === text.length) throw new TableNameError(`"${typed}" ends with a dot.`);
  }
  if (parts.length > 3) throw new TableNameError(`"${typed}" has ${parts.length} parts; at most three (catalog.schema.table) are allowed.`);
  return parts;
}

function quoteColumn(d: DialectTable, name: string): string {
  if (name.includes('\u0000')) throw new Error('A column name cannot contain a NUL character.');
  return d.ident(name);
}

/** Text safe inside a line comment (-- or #): control and line-separator characters escaped. */
function commentText(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---------------------------------------------------------------------------------------
// Timestamp parsing
// ---------------------------------------------------------------------------------------

/** The whole-number parts every format resolves to, as SQL expressions over the fields step. */
interface Parts {
  /** Conditions that together make the parts a real instant. */
  valid: string[];
  y: string;
  mo: string;
  d: string;
  h: string;
  mi: string;
  s: string;
  micros: string;
  /** Minutes east of UTC. */
  offset: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Field columns of the fields step: [column name, SQL]. */
interface FieldPlan {
  columns: [string, string][];
  parts: Parts | null;
  /** Epoch formats: the µs value directly. */
  epochUs: string | null;
}

function daysInMonth(d: DialectTable, y: string, m: string): string {
  const leap = `(${d.mod(y, '4')} = 0 AND (${d.mod(y, '100')} <> 0 OR ${d.mod(y, '400')} = 0))`;
  return `CASE WHEN ${m} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
}

const TEMPLATES: Record<TimestampFormat, string> = {
  iso: ISO_RE,
  dmy: DAY_MONTH_RE,
  mdy: DAY_MONTH_RE,
  clf: CLF_RE,
  'epoch-s': EPOCH_RE,
  'epoch-ms': EPOCH_RE,
  'epoch-us': EPOCH_RE,
};

function planFields(d: DialectTable, format: TimestampFormat, h: string): FieldPlan {
  const t = `${h}ts_text`;
  const m = d.matchOnce;
  const txt = (template: string, field: Field): string => (m ? `coalesce(${m.cut(`${h}matched_text`, template, field)}, '')` : d.group(t, template, field));
  const num = (template: string, field: Field): string => `CAST(${d.concat([d.str('0'), txt(template, field)])} AS ${d.bigintType})`;
  const matches = (template: string): string => (m ? `${h}matched_text IS NOT NULL` : d.matches(t, template));
  const micros = (frac: string) => `CAST(rpad(substr(${frac}, 1, 6), 6, '0') AS ${d.bigintType})`;
  const offset = `(CASE WHEN ${h}sign = '-' THEN -1 ELSE 1 END) * (${h}oh * 60 + ${h}om)`;
  const clock = `${h}h <= 23 AND ${h}mi <= 59 AND ${h}s <= 59`;
  const zone = `${h}oh <= 23 AND ${h}om <= 59`;
  const date = (y: string, m: string, day: string) => [`${y} >= 1 AND ${m} BETWEEN 1 AND 12`, `${day} BETWEEN 1 AND ${daysInMonth(d, y, m)}`];

  switch (format) {
    case 'iso': {
      const re = ISO_RE;
      return {
        columns: [
          [`${h}shape`, `${matches(re)} AND substr(${t}, 5, 1) = substr(${t}, 8, 1)`],
          [`${h}y`, num(re, 'y')],
          [`${h}mo`, num(re, 'mo')],
          [`${h}d`, num(re, 'd')],
          [`${h}h`, num(re, 'h')],
          [`${h}mi`, num(re, 'mi')],
          [`${h}s`, num(re, 's')],
          [`${h}frac`, txt(re, 'frac')],
          [`${h}sign`, txt(re, 'sign')],
          [`${h}oh`, num(re, 'oh')],
          [`${h}om`, num(re, 'om')],
        ],
        parts: {
          valid: [`${h}shape`, ...date(`${h}y`, `${h}mo`, `${h}d`), clock, zone],
          y: `${h}y`,
          mo: `${h}mo`,
          d: `${h}d`,
          h: `${h}h`,
          mi: `${h}mi`,
          s: `${h}s`,
          micros: micros(`${h}frac`),
          offset,
        },
        epochUs: null,
      };
    }
    case 'dmy':
    case 'mdy': {
      const re = DAY_MONTH_RE;
      const [day, month] = format === 'dmy' ? [`${h}first`, `${h}second`] : [`${h}second`, `${h}first`];
      return {
        columns: [
          [`${h}shape`, `${matches(re)} AND ${txt(re, 'sep1')} = ${txt(re, 'sep2')}`],
          [`${h}first`, num(re, 'first')],
          [`${h}second`, num(re, 'second')],
          [`${h}y`, num(re, 'y')],
          [`${h}h`, num(re, 'h')],
          [`${h}mi`, num(re, 'mi')],
          [`${h}s`, num(re, 's')],
          [`${h}frac`, txt(re, 'frac')],
        ],
        parts: {
          valid: [`${h}shape`, ...date(`${h}y`, month, day), clock],
          y: `${h}y`,
          mo: month,
          d: day,
          h: `${h}h`,
          mi: `${h}mi`,
          s: `${h}s`,
          micros: micros(`${h}frac`),
          offset: '0',
        },
        epochUs: null,
      };
    }
    case 'clf': {
      const re = CLF_RE;
      const month = `CASE lower(${txt(re, 'mon')}) ${MONTHS.map((m, i) => `WHEN '${m}' THEN ${i + 1}`).join(' ')} END`;
      return {
        columns: [
          [`${h}shape`, matches(re)],
          [`${h}d`, num(re, 'd')],
          [`${h}mo`, month],
          [`${h}y`, num(re, 'y')],
          [`${h}h`, num(re, 'h')],
          [`${h}mi`, num(re, 'mi')],
          [`${h}s`, num(re, 's')],
          [`${h}sign`, txt(re, 'sign')],
          [`${h}oh`, num(re, 'oh')],
          [`${h}om`, num(re, 'om')],
        ],
        parts: {
          valid: [`${h}shape AND ${h}mo IS NOT NULL`, ...date(`${h}y`, `${h}mo`, `${h}d`), clock, zone],
          y: `${h}y`,
          mo: `${h}mo`,
          d: `${h}d`,
          h: `${h}h`,
          mi: `${h}mi`,
          s: `${h}s`,
          micros: '0',
          offset,
        },
        epochUs: null,
      };
    }
    case 'epoch-s':
    case 'epoch-ms':
    case 'epoch-us': {
      // µs = whole * 10^k + the first k fraction digits + 1 when the next digit is 5 or more
      // (half away from zero, on the magnitude): exact decimal arithmetic, no float.
      const k = { 'epoch-s': 6, 'epoch-ms': 3, 'epoch-us': 0 }[format];
      const re = EPOCH_RE;
      const dec = d.decimalType(20);
      const scaled =
        k === 0
          ? `CAST(${d.concat([d.str('0'), `${h}whole`])} AS ${dec})`
          : `CAST(${d.concat([d.str('0'), `${h}whole`])} AS ${dec}) * ${10 ** k} + CAST(${d.concat([d.str('0'), `rpad(substr(${h}frac, 1, ${k}), ${k}, '0')`])} AS ${dec})`;
      const magnitude = `(${scaled} + CASE WHEN substr(${h}frac, ${k + 1}, 1) >= '5' THEN 1 ELSE 0 END)`;
      return {
        columns: [
          // At least one digit: '', '+', '.' and '-.' match the pattern but are no number.
          [`${h}shape`, `${matches(re)} AND ${d.concat([txt(re, 'zeros'), txt(re, 'whole'), txt(re, 'frac')])} <> ''`],
          [`${h}sign`, txt(re, 'sign')],
          [`${h}whole`, txt(re, 'whole')],
          [`${h}frac`, txt(re, 'frac')],
        ],
        parts: null,
        epochUs:
          `CASE WHEN ${h}shape AND ${magnitude} <= CASE WHEN ${h}sign = '-' THEN ${d.bigLiteral('9223372036854775808')} ELSE ${d.bigLiteral('9223372036854775807')} END` +
          ` THEN CAST(CASE WHEN ${h}sign = '-' THEN -${magnitude} ELSE ${magnitude} END AS ${d.bigintType}) END`,
      };
    }
  }
}

function parsedUsSql(d: DialectTable, plan: FieldPlan, nl: string): string {
  if (plan.epochUs !== null) return plan.epochUs;
  const p = plan.parts;
  if (!p) throw new Error('unreachable: a format without parts or epoch value');
  const micros = p.micros === '0' ? '' : ` + ${p.micros}`;
  const offset = p.offset === '0' ? '' : `${nl}    - ${p.offset} * 60000000`;
  return (
    `CASE WHEN ${p.valid.join(`${nl}    AND `)}${nl}  THEN ${d.epochDays(p.y, p.mo, p.d)} * 86400000000` +
    `${nl}    + (${p.h} * 3600 + ${p.mi} * 60 + ${p.s}) * 1000000${micros}${offset}${nl}  END`
  );
}

// ---------------------------------------------------------------------------------------
// The query
// ---------------------------------------------------------------------------------------

function thresholdUsOf(minutes: number): number {
  const us = minutesToUs(minutes);
  if (!(Number.isFinite(minutes) && Number.isSafeInteger(us) && us > 0)) {
    throw new RangeError(`The threshold must be a positive number of minutes of at least 1 µs, got ${minutes}.`);
  }
  return us;
}

function describeThreshold(minutes: number, us: number): string {
  return `${minutes} minute${minutes === 1 ? '' : 's'} = ${us} µs`;
}

/** The prefix of the helper columns a query adds (`__user`, `__ts_us`, …) for an ordinary table. */
const DEFAULT_HELPER_PREFIX = '__';

/**
 * The helper columns' prefix: `__`, or as many more underscores as it takes for no table
 * column to start with it, so that no helper can be a table column (whatever the case).
 */
function helperPrefix(columns: readonly string[] = []): string {
  let prefix = DEFAULT_HELPER_PREFIX;
  while (columns.some((c) => c.startsWith(prefix))) prefix += '_';
  return prefix;
}

/** The steps from trimmed text (`__ts_text` in `from`) to `__ts_us`: [matched,] fields, parsed. */
function parseSteps(d: DialectTable, format: TimestampFormat, from: string, nl: string, end: string, h: string): Step[] {
  const plan = planFields(d, format, h);
  const steps: Step[] = [];
  let source = from;
  if (d.matchOnce) {
    steps.push(['matched', `SELECT *,${nl}${d.matchOnce.matched(`${h}ts_text`, TEMPLATES[format])} AS ${h}matched_text${end}FROM ${source}`, true]);
    source = 'matched';
  }
  // Fenced: where fields are cut from the matched text (matchOnce), each field is used several
  // times in parsed, and inlining would repeat its cut at every use.
  steps.push(['fields', `SELECT *,${nl}${plan.columns.map(([name, sql]) => `${sql} AS ${name}`).join(`,${nl}`)}${end}FROM ${source}`, true]);
  steps.push(['parsed', `SELECT *,${nl}${parsedUsSql(d, plan, nl)} AS ${h}ts_us${end}FROM fields`, true]);
  return steps;
}

function stepHead(d: DialectTable, [name, , fenced]: Step): string {
  return `${name} AS${fenced && d.matchOnce ? d.matchOnce.fence : ''}`;
}

interface Built {
  ctes: Step[];
  /** The helper columns' prefix (helperPrefix). */
  h: string;
  /** Whether events are ordered by the table's row order after their instant. */
  ordered: boolean;
  /** Helper columns added to the original ones (for EXCLUDE / EXCEPT). */
  helpers: string[];
  order: string;
  thresholdUs: number;
  /** True when a step is recursive (WITH RECURSIVE). */
  recursive: boolean;
}

/** A typed table's timestamp column as µs since the epoch: the instant, or the epoch number scaled. */
function typedUsSql(d: DialectTable, column: string, format: TimestampFormat): string {
  const scale = { 'epoch-s': 1000000, 'epoch-ms': 1000, 'epoch-us': 1 } as const;
  if (format === 'epoch-s' || format === 'epoch-ms' || format === 'epoch-us') {
    const factor = scale[format];
    return factor === 1 ? `CAST(${column} AS ${d.bigintType})` : `CAST(round(${column} * ${factor}) AS ${d.bigintType})`;
  }
  return d.timestampUs(column);
}

/** The original column `name` in the steps after src (carried as is, or inside the row value). */
function carriedColumn(d: DialectTable, h: string, name: string): string {
  return d.carry.kind === 'exclude' ? quoteColumn(d, name) : d.carry.field(`${h}row`, quoteColumn(d, name));
}

/** src [-> fields -> parsed] -> gaps -> numbered (and the rules' steps), shared by the events and sessions queries. */
function buildSteps(d: DialectTable, spec: DialectQuerySpec, withUrl: boolean): Built {
  const { mapping } = spec;
  const typed = spec.input === 'typed';
  const rules = spec.rules ?? NO_SQL_RULES;
  const h = helperPrefix(spec.columns);
  const thresholdUs = thresholdUsOf(spec.thresholdMinutes);
  const table = spec.relation ?? quoteTableName(spec.dialect, spec.table);
  const col = (name: string) => `${h}src.${quoteColumn(d, name)}`;
  const user = col(mapping.user);

  const helpers: string[] = [];
  const srcItems: string[] = [];
  if (d.carry.kind === 'exclude') srcItems.push(`${h}src.*`);
  else {
    srcItems.push(`${d.carry.wrap(`${h}src`)} AS ${h}row`);
    helpers.push(`${h}row`);
  }
  // DuckDB's rowid is the row order, unless a table column named rowid hides it.
  const rowOrder = spec.columns && rowidColumn(spec.columns) !== null ? null : d.rowOrder;
  const ordered = rowOrder !== null;
  if (rowOrder) {
    srcItems.push(`${rowOrder(`${h}src`)} AS ${h}ord`);
    helpers.push(`${h}ord`);
  }
  if (typed) {
    srcItems.push(`CAST(${user} AS ${d.textType}) AS ${h}user`, `${typedUsSql(d, col(mapping.timestamp), mapping.format)} AS ${h}ts_us`);
    helpers.push(`${h}user`, `${h}ts_us`);
  } else {
    const rawText = mapping.time ? d.concat([d.trim(col(mapping.timestamp)), d.str(' '), d.trim(col(mapping.time))]) : col(mapping.timestamp);
    srcItems.push(`CASE WHEN ${d.trim(user)} = '' THEN NULL ELSE ${user} END AS ${h}user`);
    srcItems.push(`${d.trim(rawText)} AS ${h}ts_text`);
    helpers.push(`${h}user`, `${h}ts_text`);
  }
  if (withUrl) {
    srcItems.push(`${mapping.url ? (typed ? `CAST(${col(mapping.url)} AS ${d.textType})` : col(mapping.url)) : `CAST(NULL AS ${d.textType})`} AS ${h}url`);
    helpers.push(`${h}url`);
  }

  const order = ordered ? `${h}ts_us, ${h}ord` : `${h}ts_us`;
  const ctes: Step[] = [['src', `SELECT\n    ${srcItems.join(',\n    ')}\n  FROM ${table} AS ${h}src`]];
  if (!typed) {
    const plan = planFields(d, spec.mapping.format, h);
    helpers.push(...plan.columns.map(([name]) => name), `${h}ts_us`);
    if (d.matchOnce) helpers.push(`${h}matched_text`);
    ctes.push(...parseSteps(d, mapping.format, 'src', '\n    ', '\n  ', h));
  }
  const session = sessionSteps(d, {
    h,
    from: typed ? 'src' : 'parsed',
    valid: typed ? `${h}user IS NOT NULL AND ${h}user <> '' AND ${h}ts_us IS NOT NULL` : `${h}user IS NOT NULL AND ${h}ts_us IS NOT NULL`,
    order,
    thresholdUs,
    boundary: spec.boundary,
    rules,
    excludeUsersOverEvents: spec.excludeUsersOverEvents ?? null,
    splitValue: rules.splitColumn === null ? null : carriedColumn(d, h, rules.splitColumn),
  });
  ctes.push(...session.steps);
  helpers.push(...session.helpers);
  return { ctes, h, ordered, helpers, order, thresholdUs, recursive: session.recursive };
}

function header(d: DialectTable, spec: DialectQuerySpec | PysparkSpec, thresholdUs: number, returns: string, prefix: string, label = d.label): string {
  const hidden = d.rowOrder !== null && spec.columns !== undefined && rowidColumn(spec.columns) !== null;
  const notes = hidden
    ? [
        d.notes[0]?.replace(/ Equal timestamps keep.*$/, '') ?? '',
        "The table has a column named rowid, which hides DuckDB's row order: among equal timestamps,",
        'first_url and last_url are the smallest and largest url text there, and the rows come in any order.',
      ]
    : spec.input === 'typed' && d.rowOrder !== null
      ? [...d.notes.slice(0, 1), 'table must be a table, not a view.']
      : d.notes;
  const walked = hasWalkedRules(spec.rules ?? NO_SQL_RULES);
  const ties =
    walked && (d.rowOrder === null || hidden)
      ? ['Among equal timestamps this engine has no row order: the maximum-events and column-change cuts take them in any order.']
      : [];
  if (walked) {
    ties.push(
      d.walk === 'recursive'
        ? "The walk (a recursive CTE) takes one step per event of the longest run of a user's events that no gap or midnight cuts."
        : "The walk folds each run of a user's events that no gap or midnight cuts, as one array.",
    );
    if (d === BIGQUERY) ties.push('BigQuery stops a recursive CTE after 500 iterations: a longer run fails the query (leave such users out, e.g. bots).');
  }
  const { mapping } = spec;
  const op = spec.boundary === 'gt' ? '>' : '>=';
  const lines = [
    `Sessionization for ${label}, generated by Sessionizer: the same result as the page's export.`,
    `Rule: per user, events in time order. The first event starts session 1; an event whose gap to the`,
    `  same user's previous event is ${op} ${describeThreshold(spec.thresholdMinutes, thresholdUs)} starts the next session${spec.boundary === 'gt' ? ' (boundary "gt": a gap of exactly the threshold does not)' : ''}.`,
    walked ? `  A gap between equal timestamps never cuts (the rules below may cut between them).` : `  Equal timestamps are always in one session.`,
    ...rulesLines(spec.rules ?? NO_SQL_RULES, spec.excludeUsersOverEvents ?? null, commentText),
    ...(spec.input === 'typed'
      ? [
          `Reads ${commentText(spec.table)}, typed: ${commentText(mapping.timestamp)} holds ${typedTimestampText(mapping.format)}, ${commentText(mapping.user)} the user ids` +
            `${mapping.url ? `, url = ${commentText(mapping.url)}` : ''}.`,
          `Rows with a NULL or empty user id or a NULL timestamp are left out.`,
        ]
      : [
          `Reads ${commentText(spec.table)}: every column as text, exactly as in the file.`,
          `Mapping: user = ${commentText(mapping.user)}, timestamp = ${commentText(mapping.timestamp)} (${TIMESTAMP_FORMAT_LABELS[mapping.format]}${mapping.format === 'dmy' || mapping.format === 'mdy' ? ', read as UTC' : ''})` +
            `${mapping.time ? `, time of day = ${commentText(mapping.time)}` : ''}, url = ${mapping.url ? commentText(mapping.url) : 'none'}.`,
          `Rows with a blank user id or an unreadable timestamp are left out.`,
        ]),
    returns,
    ...notes,
    ...ties,
  ];
  return lines.map((l) => `${prefix} ${l}`).join('\n');
}

/** What a typed table's timestamp column holds (the header, the panel's note). */
export function typedTimestampText(format: TimestampFormat): string {
  if (format === 'epoch-s') return 'epoch seconds (a number)';
  if (format === 'epoch-ms') return 'epoch milliseconds (a number)';
  if (format === 'epoch-us') return 'epoch microseconds (a number)';
  return 'instants (a TIMESTAMP)';
}

function withClause(d: DialectTable, ctes: Step[], recursive = false): string {
  return `WITH${recursive ? ' RECURSIVE' : ''}\n${ctes.map((step) => `${stepHead(d, step)} (\n  ${step[1]}\n)`).join(',\n')}`;
}

/** One row per event: the original columns, then session_id and session_number (the events export). */
export function sessionizationQuery(spec: DialectQuerySpec): string {
  const d = TABLE[spec.dialect];
  const steps = buildSteps(d, spec, false);
  const { h } = steps;
  const sessionId = d.concat([`${h}user`, d.str('-'), `CAST(${h}n AS ${d.textType})`]);
  const columns = spec.columns ?? [];
  const carry = d.carry;
  let original: string;
  if (renamedExportColumns(columns).length > 0) {
    // Listed one by one, as the page's export names them (no engine renames within a star alike).
    const names = exportedColumnNames(columns);
    original = columns
      .map((c, i) => {
        const quoted = quoteColumn(d, c);
        return `${carry.kind === 'exclude' ? quoted : carry.field(`${h}row`, quoted)} AS ${quoteColumn(d, names[i] ?? c)}`;
      })
      .join(',\n  ');
  } else {
    original = carry.kind === 'exclude' ? `* ${carry.keyword} (${steps.helpers.join(', ')})` : carry.unwrap(`${h}row`);
  }
  return `${header(d, spec, steps.thresholdUs, 'Returns one row per event: the original columns, session_id (<user id>-<n>) and session_number (n).', '--')}
${withClause(d, steps.ctes, steps.recursive)}
SELECT ${original},
  ${sessionId} AS session_id,
  CAST(${h}n AS ${d.bigintType}) AS session_number
FROM numbered
ORDER BY ${h}user, ${steps.order}`;
}

/** One row per session, with the columns of the page's sessions export. */
export function sessionsQuery(spec: DialectQuerySpec): string {
  const d = TABLE[spec.dialect];
  const steps = buildSteps(d, spec, true);
  const { h } = steps;
  const sessionId = d.concat([`${h}user`, d.str('-'), `CAST(${h}n AS ${d.textType})`]);
  let firstLast: [string, string];
  const ctes = [...steps.ctes];
  let from = 'numbered';
  if (!spec.mapping.url) {
    firstLast = [`CAST(NULL AS ${d.textType})`, `CAST(NULL AS ${d.textType})`];
  } else if (d.firstLastByRowOrder && steps.ordered) {
    firstLast = d.firstLastByRowOrder(`${h}url`, `${h}ts_us`, `${h}ord`);
  } else {
    // Without a row order: the url at the session's first (last) instant that has one; among
    // equal instants the smallest (largest) url text, so that the result is deterministic.
    ctes.push([
      'bounds',
      `SELECT *,
    min(CASE WHEN ${h}url IS NOT NULL THEN ${h}ts_us END) OVER (PARTITION BY ${h}user, ${h}n) AS ${h}first_url_us,
    max(CASE WHEN ${h}url IS NOT NULL THEN ${h}ts_us END) OVER (PARTITION BY ${h}user, ${h}n) AS ${h}last_url_us
  FROM numbered`,
    ]);
    from = 'bounds';
    firstLast = [`min(CASE WHEN ${h}ts_us = ${h}first_url_us THEN ${h}url END)`, `max(CASE WHEN ${h}ts_us = ${h}last_url_us THEN ${h}url END)`];
  }
  const durationMs = d.idiv(`max(${h}ts_us) - min(${h}ts_us) + 500`, '1000');
  return `${header(d, spec, steps.thresholdUs, 'Returns one row per session: session_id, user_id, session_number, start_time and end_time (ISO 8601 UTC, ms), duration_seconds, event_count, first_url, last_url.', '--')}
${withClause(d, ctes, steps.recursive)}
SELECT
  ${sessionId} AS session_id,
  ${h}user AS user_id,
  CAST(${h}n AS ${d.bigintType}) AS session_number,
  ${d.isoMillis(`min(${h}ts_us)`)} AS start_time,
  ${d.isoMillis(`max(${h}ts_us)`)} AS end_time,
  CAST(CAST(${durationMs} AS ${d.decimalType(20)}) / 1000 AS ${d.decimalType(18, 3)}) AS duration_seconds,
  CAST(count(*) AS ${d.bigintType}) AS event_count,
  ${firstLast[0]} AS first_url,
  ${firstLast[1]} AS last_url
FROM ${from}
GROUP BY ${h}user, ${h}n
ORDER BY ${h}user, ${h}n`;
}

/**
 * For tests and docs: a query over `source` (columns `id` and `text`) returning `id` and
 * `ts_us`, the instant the generated queries read from each text (NULL when unreadable).
 */
export function timestampProbeQuery(dialect: Dialect, format: TimestampFormat, source: string): string {
  const d = TABLE[dialect];
  const h = DEFAULT_HELPER_PREFIX;
  const steps: Step[] = [['src', `SELECT id, ${d.trim('text')} AS ${h}ts_text FROM (${source}) AS ${h}in`], ...parseSteps(d, format, 'src', ' ', ' ', h)];
  return `WITH\n${steps.map((step) => `${stepHead(d, step)} (${step[1]})`).join(',\n')}\nSELECT id, ${h}ts_us AS ts_us FROM parsed ORDER BY id`;
}

/**
 * For tests: over `source` (columns `id` and `text`), each group of `format`'s pattern as the
 * dialect's queries cut it from the matched text (column `cut_<group>`) and as the engine's own
 * regular expression reads it (`group_<group>`), both '' where the group takes no part or the
 * text does not match. Only for a dialect that cuts fields (matchOnce).
 */
export function fieldCutsProbeQuery(dialect: Dialect, format: TimestampFormat, source: string): string {
  const d = TABLE[dialect];
  const m = d.matchOnce;
  if (!m) throw new Error(`${d.label} reads the groups themselves: there are no cuts to probe.`);
  const h = DEFAULT_HELPER_PREFIX;
  const template = TEMPLATES[format];
  const groups = [...numberedPattern(template).index.keys()].map((g) => {
    if (!isField(g)) throw new Error(`The pattern's group ${g} is not a field.`);
    return g;
  });
  const columns = groups.flatMap((g) => [
    `coalesce(${m.cut(`${h}matched_text`, template, g)}, '') AS ${d.ident(`cut_${g}`)}`,
    `${d.group(`${h}ts_text`, template, g)} AS ${d.ident(`group_${g}`)}`,
  ]);
  const steps: Step[] = [
    ['src', `SELECT id, ${d.trim('text')} AS ${h}ts_text FROM (${source}) AS ${h}in`],
    ['matched', `SELECT *, ${m.matched(`${h}ts_text`, template)} AS ${h}matched_text FROM src`, true],
  ];
  return `WITH\n${steps.map((step) => `${stepHead(d, step)} (${step[1]})`).join(',\n')}\nSELECT id, ${columns.join(', ')} FROM matched ORDER BY id`;
}

// ---------------------------------------------------------------------------------------
// PySpark
// ---------------------------------------------------------------------------------------

const py = (value: string): string => JSON.stringify(value);
/** A long Spark SQL expression kept on its lines: a triple-quoted string where nothing in it needs escaping. */
const pyBlock = (value: string): string => (/["\\]/.test(value) ? py(value.replace(/\n\s*/g, ' ')) : `"""${value}"""`);

/**
 * The same sessionization as a PySpark DataFrame program: the Spark SQL expressions of the
 * Spark dialect for parsing, DataFrame windows for the gaps and the running count. Leaves
 * `events` (the events export) and `sessions` (the sessions export) as DataFrames.
 */
export function pysparkCode(spec: PysparkSpec): string {
  const d = SPARK;
  const full: DialectQuerySpec = { ...spec, dialect: 'spark' };
  const thresholdUs = thresholdUsOf(spec.thresholdMinutes);
  const table = quoteTableName('spark', spec.table);
  const { mapping } = spec;
  const h = helperPrefix(spec.columns);
  // withColumn replaces a column of the same name (ignoring case): where the file has its own
  // session_id or session_number, the computed ones are made under helper names, renamed last.
  const renamed = renamedExportColumns(spec.columns ?? []);
  const [sid, sn] = renamed.length > 0 ? [`${h}session_id`, `${h}session_number`] : ['session_id', 'session_number'];
  const computed = (name: string, as: string) => (name === as ? py(as) : `F.col(${py(name)}).alias(${py(as)})`);
  const renames =
    renamed.length > 0
      ? `\n# The file's own columns named like the computed ones, renamed as in the page's export.\nrenamed = {${renamed.map((r) => `${py(r.column)}: ${py(r.exportedAs)}`).join(', ')}}`
      : '';
  const originalCol = renamed.length > 0 ? 'F.col("`" + c.replace("`", "``") + "`").alias(renamed.get(c, c))' : 'F.col("`" + c.replace("`", "``") + "`")';
  const col = (name: string) => quoteColumn(d, name);
  const user = col(mapping.user);
  const typed = spec.input === 'typed';
  let withColumns: [string, string][];
  if (typed) {
    withColumns = [
      [`${h}user`, `CAST(${user} AS STRING)`],
      [`${h}url`, mapping.url ? `CAST(${col(mapping.url)} AS STRING)` : 'CAST(NULL AS STRING)'],
      [`${h}ts_us`, typedUsSql(d, col(mapping.timestamp), mapping.format)],
    ];
  } else {
    const rawText = mapping.time ? d.concat([d.trim(col(mapping.timestamp)), d.str(' '), d.trim(col(mapping.time))]) : col(mapping.timestamp);
    const plan = planFields(d, mapping.format, h);
    withColumns = [
      [`${h}user`, `CASE WHEN ${d.trim(user)} = '' THEN NULL ELSE ${user} END`],
      [`${h}ts_text`, d.trim(rawText)],
      [`${h}url`, mapping.url ? col(mapping.url) : 'CAST(NULL AS STRING)'],
      ...plan.columns,
      [`${h}ts_us`, parsedUsSql(d, plan, ' ')],
    ];
  }
  const rules = spec.rules ?? NO_SQL_RULES;
  const steps: SessionStepsInput = {
    h,
    from: 'parsed',
    valid: typed ? `${h}user IS NOT NULL AND ${h}user <> '' AND ${h}ts_us IS NOT NULL` : `${h}user IS NOT NULL AND ${h}ts_us IS NOT NULL`,
    order: `${h}ts_us`,
    thresholdUs,
    boundary: spec.boundary,
    rules,
    excludeUsersOverEvents: spec.excludeUsersOverEvents ?? null,
    splitValue: rules.splitColumn === null ? null : col(rules.splitColumn),
  };
  const firstLast = mapping.url
    ? `    F.expr("min_by(${h}url, CASE WHEN ${h}url IS NOT NULL THEN ${h}ts_us END)").alias("first_url"),
    F.expr("max_by(${h}url, CASE WHEN ${h}url IS NOT NULL THEN ${h}ts_us END)").alias("last_url"),`
    : `    F.lit(None).cast("string").alias("first_url"),
    F.lit(None).cast("string").alias("last_url"),`;
  return `${header(d, full, thresholdUs, 'Leaves two DataFrames: events (the original columns, session_id, session_number) and sessions (the sessions export).', '#', 'PySpark')}
# Equal timestamps: first_url and last_url take any one of the urls at that instant.
from pyspark.sql import SparkSession, Window, functions as F

spark = SparkSession.builder.getOrCreate()
clicks = spark.table(${py(table)})${renames}
original = [${originalCol} for c in clicks.columns]

parsed = clicks
for name, sql in [
${withColumns.map(([name, sql]) => `    (${py(name)}, ${py(sql)}),`).join('\n')}
]:
    parsed = parsed.withColumn(name, F.expr(sql))
${pysparkNumbering(d, steps, sn, sid)}

events = numbered.orderBy("${h}user", "${h}ts_us").select(*original, ${computed(sid, 'session_id')}, ${computed(sn, 'session_number')})

sessions = numbered.groupBy("${h}user", ${py(sn)}).agg(
    F.first(${py(sid)}).alias("session_id"),
    F.expr(${py(d.isoMillis(`min(${h}ts_us)`))}).alias("start_time"),
    F.expr(${py(d.isoMillis(`max(${h}ts_us)`))}).alias("end_time"),
    F.expr(${py(`CAST(CAST(${d.idiv(`max(${h}ts_us) - min(${h}ts_us) + 500`, '1000')} AS DECIMAL(20,0)) / 1000 AS DECIMAL(18,3))`)}).alias("duration_seconds"),
    F.count(F.lit(1)).alias("event_count"),
${firstLast}
).select(
    "session_id", F.col("${h}user").alias("user_id"), ${computed(sn, 'session_number')}, "start_time", "end_time",
    "duration_seconds", "event_count", "first_url", "last_url",
).orderBy("user_id", "session_number")`;
}

/** The PySpark lines from `parsed` (every row, with the helper columns) to `numbered` (session numbers and ids). */
function pysparkNumbering(d: DialectTable, input: SessionStepsInput, sn: string, sid: string): string {
  const { h, rules } = input;
  const lines = [`parsed = parsed.where(${py(input.valid)})`];
  if (input.excludeUsersOverEvents !== null) {
    const limit = positiveCount(input.excludeUsersOverEvents, 'The events limit per user');
    lines.push(
      `# Users with more than ${limit} events are left out before sessionizing.`,
      `parsed = parsed.withColumn("${h}user_events", F.count(F.lit(1)).over(Window.partitionBy("${h}user"))).where("${h}user_events <= ${limit}")`,
    );
  }
  lines.push(
    '',
    `by_user = Window.partitionBy("${h}user").orderBy("${h}ts_us")`,
    '# RANGE frame: equal timestamps share one running count.',
    'running = by_user.rangeBetween(Window.unboundedPreceding, Window.currentRow)',
    `gaps = parsed.withColumn("${h}gap_us", F.col("${h}ts_us") - F.lag("${h}ts_us").over(by_user))`,
  );
  if (rules.midnightTimeZone !== null) {
    lines.push(
      `gaps = gaps.withColumn("${h}day", F.expr(${py(d.localDay(`${h}ts_us`, rules.midnightTimeZone))}))`,
      `gaps = gaps.withColumn("${h}prev_day", F.lag("${h}day").over(by_user))`,
    );
  }
  lines.push(`cut = F.when(F.expr(${py(hardCut(input))}), 1).otherwise(0)`);
  const walked = hasWalkedRules(rules);
  if (!walked) {
    lines.push(`numbered = gaps.withColumn(${py(sn)}, F.sum(cut).over(running))`);
  } else {
    const split = rules.splitColumn !== null && input.splitValue !== null;
    lines.push(
      `segments = gaps.withColumn("${h}seg", F.sum(cut).over(running))`,
      `ordered = segments.withColumn("${h}i", F.row_number().over(Window.partitionBy("${h}user", "${h}seg").orderBy("${h}ts_us")))`,
    );
    if (split && input.splitValue) lines.push(`ordered = ordered.withColumn("${h}split", F.expr(${py(splitText(d, input.splitValue))}))`);
    lines.push(
      '# Maximum duration, maximum events and the column change depend on where the session was cut so far:',
      "# each segment's events, in order, folded by aggregate() into a cut flag per event.",
      'walk = (',
      `    ordered.groupBy("${h}user", "${h}seg")`,
      `    .agg(F.expr(${py(sortedEventsSql(input, split))}).alias("${h}evs"))`,
      `    .select("${h}user", "${h}seg", F.explode(F.expr(${pyBlock(foldedCutsSql(d, input, split))})).alias("${h}step"))`,
      `    .select("${h}user", "${h}seg", F.col("${h}step.i").alias("${h}i"), F.col("${h}step.cut").alias("${h}cut"))`,
      ')',
      `in_order = Window.partitionBy("${h}user").orderBy("${h}seg", "${h}i").rowsBetween(Window.unboundedPreceding, Window.currentRow)`,
      `numbered = ordered.join(walk, ["${h}user", "${h}seg", "${h}i"]).withColumn(${py(sn)}, F.sum(F.when(F.col("${h}cut"), 1).otherwise(0)).over(in_order))`,
    );
  }
  lines.push(`numbered = numbered.withColumn(${py(sid)}, F.concat(F.col("${h}user"), F.lit("-"), F.col(${py(sn)}).cast("string")))`);
  return lines.join('\n');
}
