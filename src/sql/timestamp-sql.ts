import type { TimestampFormat } from '../domain/types';
import { quoteString } from './quote';

/*
 * Timestamp text -> microseconds since the epoch (BIGINT, UTC), or NULL when unreadable.
 * DuckDB-WASM has no ICU offline, so everything stays in core functions: TRY_CAST to
 * TIMESTAMPTZ applies a written offset (and reads text without one as UTC), strptime
 * covers the day/month orders, and epoch numbers are scaled in DECIMAL(38,6) so that
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

/** SQL for the instant in `text` (a VARCHAR expression) as epoch microseconds. */
export function timestampUsSql(text: string, format: TimestampFormat): string {
  const t = `trim(${text})`;
  switch (format) {
    case 'iso': {
      // "2024-05-01 10:00:00 +05:30": DuckDB wants the offset attached to the time.
      const attached = `regexp_replace(${t}, '\\s+([+-]\\d\\d(:?\\d\\d)?)$', '\\1')`;
      return `epoch_us(TRY_CAST(${attached} AS TIMESTAMPTZ))`;
    }
    case 'dmy':
    case 'mdy':
      return `epoch_us(try_strptime(${t}, ${listLiteral(dayMonthFormats(format))}))`;
    case 'clf':
      return `epoch_us(try_strptime(${t}, ${listLiteral(['%d/%b/%Y:%H:%M:%S %z', '%d/%b/%Y:%H:%M:%S'])}))`;
    case 'epoch-s':
    case 'epoch-ms':
    case 'epoch-us':
      return `TRY_CAST(round(TRY_CAST(${t} AS DECIMAL(38,6)) * ${EPOCH_SCALE[format]}) AS BIGINT)`;
  }
}

/** The text to parse: the timestamp column, or a date column joined with a time-of-day column. */
export function timestampTextSql(dateColumn: string, timeColumn: string | null): string {
  if (timeColumn === null) return `CAST(${dateColumn} AS VARCHAR)`;
  return `(trim(CAST(${dateColumn} AS VARCHAR)) || ' ' || trim(CAST(${timeColumn} AS VARCHAR)))`;
}
