import type { TimestampFormat } from '../domain/types';
import { quoteString } from './quote';

/*
 * Timestamp text -> microseconds since the epoch (BIGINT, UTC), or NULL when unreadable.
 * DuckDB-WASM has no ICU offline, so everything stays in core functions: TRY_CAST to
 * TIMESTAMPTZ applies a written offset (and reads text without one as UTC), strptime
 * covers the day/month orders, and epoch numbers are scaled in DECIMAL(38,12) so that
 * microseconds survive (DOUBLE would round them away).
 */

const TIMES = ['%H:%M:%S.%f', '%H:%M:%S', '%H:%M', ''];

function dayMonthFormats(order: 'dmy' | 'mdy'): string[] {
  const formats: string[] = [];
  for (const sep of ['/', '.', '-']) {
    const date = order === 'dmy' ? `%d${sep}%m${sep}%Y` : `%m${sep}%d${sep}%Y`;
    for (const time of TIMES) formats.push(time ? `${date} ${time}` : date);
  }
  return formats;
}

function listLiteral(items: string[]): string {
  return `[${items.map(quoteString).join(', ')}]`;
}

const EPOCH_SCALE: Record<'epoch-s' | 'epoch-ms' | 'epoch-us', number> = {
  'epoch-s': 1_000_000,
  'epoch-ms': 1_000,
  'epoch-us': 1,
};

/** Whitespace as people's files have it: SQL trim() alone strips only spaces. */
export function trimSql(text: string): string {
  return `trim(${text}, ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13) || chr(160) || chr(65279))`;
}

/** The characters trimSql strips, as a regular expression class (RE2). */
const TRIMMED_CLASS = '[ \\t\\n\\x0B\\f\\r\\x{00A0}\\x{FEFF}]';

/** SQL for the instant in `text` (a VARCHAR expression) as epoch microseconds. */
export function timestampUsSql(text: string, format: TimestampFormat): string {
  const t = trimSql(text);
  switch (format) {
    case 'iso': {
      // Most files need only a plain cast, guarded by cheap string tests: it reads them at a
      // tenth of the cost of the careful reading below. COALESCE tries that only where it is NULL.
      const fast = `CASE WHEN substr(${text}, 5, 1) IN ('-', '/') AND NOT contains(${text}, ' 24:') AND NOT contains(${text}, 'T24:') THEN epoch_us(TRY_CAST(${text} AS TIMESTAMPTZ)) END`;
      // DuckDB wants an offset attached to the time ("10:00:00 +05:30" -> "10:00:00+05:30")
      // and seconds before a zone ("10:00Z" -> "10:00:00Z").
      const attached = `regexp_replace(${trimSql(text)}, '\\s+([+-]\\d\\d(:?\\d\\d)?)$', '\\1')`;
      const withSeconds = `regexp_replace(${attached}, '^(\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d)(\\s*([Zz]|[+-]\\d|UTC))', '\\1:00\\2')`;
      // The cast reads hour 24 as the next midnight and "02-02-02" as the year 2 AD: ISO text
      // has a four-digit year and no hour 24. Both checks read the untrimmed text (leading
      // whitespace allowed) so that the trimmed text is written once: DuckDB computes an
      // expression written twice for every row, before the COALESCE could skip it (5x the
      // cost of the whole reading at a million rows).
      const careful = `CASE WHEN regexp_matches(${text}, '^${TRIMMED_CLASS}*\\d{4}[-/]') AND NOT regexp_matches(${text}, '[T ]24:') THEN epoch_us(TRY_CAST(${withSeconds} AS TIMESTAMPTZ)) END`;
      return `COALESCE(${fast}, ${careful})`;
    }
    case 'dmy':
    case 'mdy':
      // strptime's %Y takes a two-digit year as the year 24 AD: require four digits.
      return `CASE WHEN regexp_matches(${t}, '^\\d{1,2}[./-]\\d{1,2}[./-]\\d{4}') THEN epoch_us(try_strptime(${t}, ${listLiteral(dayMonthFormats(format))})) END`;
    case 'clf':
      return `epoch_us(try_strptime(${t}, ${listLiteral(['%d/%b/%Y:%H:%M:%S %z', '%d/%b/%Y:%H:%M:%S'])}))`;
    case 'epoch-s':
    case 'epoch-ms':
    case 'epoch-us':
      // DECIMAL keeps every digit a file has to the microsecond (a DOUBLE would not).
      return `TRY_CAST(round(TRY_CAST(${t} AS DECIMAL(38,12)) * ${EPOCH_SCALE[format]}) AS BIGINT)`;
  }
}

/** The text to parse: the timestamp column, or a date column joined with a time-of-day column. */
export function timestampTextSql(dateColumn: string, timeColumn: string | null): string {
  if (timeColumn === null) return `CAST(${dateColumn} AS VARCHAR)`;
  return `(${trimSql(`CAST(${dateColumn} AS VARCHAR)`)} || ' ' || ${trimSql(`CAST(${timeColumn} AS VARCHAR)`)})`;
}
