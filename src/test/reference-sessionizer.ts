import type { Boundary, SessionStats, SkipReason, TimestampFormat } from '../domain/types';

/*
 * An independent reference for the app's sessionization SQL: plain TypeScript written from
 * the rules (ui-contract.md "Reading timestamps" and "Sessionization rule"), sharing no
 * code with src/sql, and written the obvious way so that it is easy to trust. Tests run
 * the SQL in DuckDB and compare.
 *
 * Instants are microseconds since the epoch, UTC. Arithmetic is done in BigInt: a double
 * only holds whole microseconds up to 2^53 µs (about 2255), and float multiplication of an
 * epoch decimal would lose the last digits.
 */

const US_PER_SECOND = 1_000_000n;
const US_PER_DAY = 86_400n * US_PER_SECOND;
const INT64_MAX = 2n ** 63n - 1n;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
 * Not Date.UTC: that maps years 0–99 to 1900–1999. */
function daysFromCivil(year: number, month: number, day: number): bigint {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return BigInt(era * 146_097 + doe - 719_468);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction of a second as written (any number of digits); digits past 6 are dropped. */
  fraction: string;
  /** East of UTC, in minutes. */
  offsetMinutes: number;
}

/** The instant of a wall-clock reading, or null when a field is out of range. */
function civilToUs(c: Civil): bigint | null {
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > daysInMonth(c.year, c.month)) return null;
  if (c.hour > 23 || c.minute > 59 || c.second > 59) return null;
  const seconds = BigInt((c.hour * 60 + c.minute) * 60 + c.second - c.offsetMinutes * 60);
  const micros = BigInt(`${c.fraction}000000`.slice(0, 6));
  return daysFromCivil(c.year, c.month, c.day) * US_PER_DAY + seconds * US_PER_SECOND + micros;
}

const num = (text: string | undefined): number => (text === undefined ? 0 : Number(text));

/** Minutes east of UTC of a written offset (none: UTC), or null when out of range. */
function offsetMinutes(sign: string | undefined, hours: string | undefined, minutes: string | undefined): number | null {
  if (sign === undefined) return 0;
  if (num(hours) > 23 || num(minutes) > 59) return null;
  return (sign === '-' ? -1 : 1) * (num(hours) * 60 + num(minutes));
}

// ISO 8601 / SQL text: date with '-' or '/', then optionally 'T' or ' ' and HH:MM[:SS[.f]]
// and a zone: Z, [ ]±HH[:MM], [ ]±HHMM, or ' UTC'. A date alone is midnight UTC.
const ISO = /^(\d{4})([-/])(\d{2})\2(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z| UTC| ?([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

function parseIso(text: string): bigint | null {
  const m = ISO.exec(text);
  if (!m) return null;
  // Group 9 (the zone as written) is not needed: Z, UTC and no zone at all are all UTC.
  const [, y, , mo, d, h, mi, s, fraction, , sign, oh, om] = m;
  const offset = offsetMinutes(sign, oh, om);
  if (offset === null) return null;
  return civilToUs({
    year: num(y),
    month: num(mo),
    day: num(d),
    hour: num(h),
    minute: num(mi),
    second: num(s),
    fraction: fraction ?? '',
    offsetMinutes: offset,
  });
}

// 31/12/2024 [23:59[:59[.ffffff]]] (or 12/31/2024), one separator out of / . - throughout.
const DAY_MONTH = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/;

function parseDayMonth(text: string, order: 'dmy' | 'mdy'): bigint | null {
  const m = DAY_MONTH.exec(text);
  if (!m) return null;
  const [, first, , second, y, h, mi, s, fraction] = m;
  const [day, month] = order === 'dmy' ? [first, second] : [second, first];
  return civilToUs({
    year: num(y),
    month: num(month),
    day: num(day),
    hour: num(h),
    minute: num(mi),
    second: num(s),
    fraction: fraction ?? '',
    offsetMinutes: 0,
  });
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// Common Log Format: 10/Oct/2000:13:55:36 -0700 (the zone may be missing: UTC).
const CLF = /^(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: ([+-])(\d{2})(\d{2}))?$/;

function parseClf(text: string): bigint | null {
  const m = CLF.exec(text);
  if (!m) return null;
  const [, d, monthName, y, h, mi, s, sign, oh, om] = m;
  const month = MONTHS.indexOf((monthName ?? '').toLowerCase()) + 1;
  const offset = offsetMinutes(sign, oh, om);
  if (offset === null) return null;
  return civilToUs({
    year: num(y),
    month,
    day: num(d),
    hour: num(h),
    minute: num(mi),
    second: num(s),
    fraction: '',
    offsetMinutes: offset,
  });
}

const EPOCH_DIGITS: Record<'epoch-s' | 'epoch-ms' | 'epoch-us', number> = { 'epoch-s': 6, 'epoch-ms': 3, 'epoch-us': 0 };
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** An epoch decimal scaled to microseconds exactly; sub-microsecond digits round half away from zero. */
function parseEpoch(text: string, unitDigits: number): bigint | null {
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const [, sign = '', whole = '', fraction = ''] = m;
  if (whole === '' && fraction === '') return null;
  // value = digits / 10^fraction.length units; µs = value * 10^unitDigits
  const scaled = BigInt(whole + fraction) * 10n ** BigInt(unitDigits);
  const divisor = 10n ** BigInt(fraction.length);
  let us = scaled / divisor;
  if ((scaled % divisor) * 2n >= divisor) us += 1n;
  if (sign === '-' ? us > INT64_MAX + 1n : us > INT64_MAX) return null; // BIGINT range
  return sign === '-' ? -us : us;
}

/** Blank: empty or only whitespace. */
function isBlank(text: string | null): boolean {
  return text === null || text.trim() === '';
}

/** Microseconds since the epoch (UTC) of a timestamp text, or null when it cannot be read. */
export function referenceParseTimestampUs(text: string, format: TimestampFormat): number | null {
  const t = text.trim();
  let us: bigint | null;
  switch (format) {
    case 'iso':
      us = parseIso(t);
      break;
    case 'dmy':
    case 'mdy':
      us = parseDayMonth(t, format);
      break;
    case 'clf':
      us = parseClf(t);
      break;
    case 'epoch-s':
    case 'epoch-ms':
    case 'epoch-us':
      us = parseEpoch(t, EPOCH_DIGITS[format]);
      break;
  }
  return us === null ? null : Number(us);
}

export interface ReferenceRow {
  /** 1-based data row of the file. */
  row: number;
  user: string | null;
  ts: string | null;
}

export interface ReferenceEvent {
  row: number;
  user: string;
  tsUs: number;
  sessionNumber: number;
  sessionId: string;
}

export interface ReferenceSkip {
  row: number;
  reason: SkipReason;
  /** The user id, or null when it is blank. */
  user: string | null;
  timestamp: string | null;
}

export interface ReferenceResult {
  /** Valid rows, in row order. */
  events: ReferenceEvent[];
  /** Rows left out, in row order. */
  skipped: ReferenceSkip[];
}

/**
 * Sessionizes rows by the rule: per user, in (time, row) order, the first event starts
 * session 1 and an event whose gap to the previous one reaches the threshold (`ge`: >=,
 * `gt`: >) starts the next.
 */
export function referenceSessionize(rows: readonly ReferenceRow[], format: TimestampFormat, thresholdUs: number, boundary: Boundary): ReferenceResult {
  const skipped: ReferenceSkip[] = [];
  const byUser = new Map<string, { row: number; tsUs: number }[]>();
  for (const { row, user, ts } of rows) {
    const tsUs = ts === null ? null : referenceParseTimestampUs(ts, format);
    if (user === null || isBlank(user)) {
      skipped.push({ row, reason: 'missing user id', user: null, timestamp: ts });
    } else if (isBlank(ts)) {
      skipped.push({ row, reason: 'missing timestamp', user, timestamp: ts });
    } else if (tsUs === null) {
      skipped.push({ row, reason: 'unreadable timestamp', user, timestamp: ts });
    } else {
      const list = byUser.get(user) ?? [];
      list.push({ row, tsUs });
      byUser.set(user, list);
    }
  }

  const events: ReferenceEvent[] = [];
  for (const [user, list] of byUser) {
    list.sort((a, b) => a.tsUs - b.tsUs || a.row - b.row);
    let sessionNumber = 0;
    let previous: number | null = null;
    for (const { row, tsUs } of list) {
      const gap = previous === null ? null : tsUs - previous;
      if (gap === null || (boundary === 'ge' ? gap >= thresholdUs : gap > thresholdUs)) sessionNumber += 1;
      previous = tsUs;
      events.push({ row, user, tsUs, sessionNumber, sessionId: `${user}-${sessionNumber}` });
    }
  }
  events.sort((a, b) => a.row - b.row);
  skipped.sort((a, b) => a.row - b.row);
  return { events, skipped };
}

/** Middle value, or the mean of the two middle values; 0 for no values. */
function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

/** The session figures the page shows, from sessionized events (all 0 when there are none). */
export function referenceSessionStats(events: readonly ReferenceEvent[]): SessionStats {
  const sessions = new Map<string, { user: string; first: number; last: number; count: number }>();
  for (const e of events) {
    const key = JSON.stringify([e.user, e.sessionNumber]);
    const current = sessions.get(key) ?? { user: e.user, first: e.tsUs, last: e.tsUs, count: 0 };
    current.first = Math.min(current.first, e.tsUs);
    current.last = Math.max(current.last, e.tsUs);
    current.count += 1;
    sessions.set(key, current);
  }
  const list = [...sessions.values()];
  if (list.length === 0) {
    return {
      sessions: 0,
      sessionsPerUser: 0,
      medianDurationSeconds: 0,
      meanDurationSeconds: 0,
      medianEventsPerSession: 0,
      singleEventShare: 0,
    };
  }
  const durations = list.map((s) => (s.last - s.first) / 1e6);
  const users = new Set(list.map((s) => s.user)).size;
  return {
    sessions: list.length,
    sessionsPerUser: list.length / users,
    medianDurationSeconds: median(durations),
    meanDurationSeconds: durations.reduce((a, b) => a + b, 0) / list.length,
    medianEventsPerSession: median(list.map((s) => s.count)),
    singleEventShare: list.filter((s) => s.count === 1).length / list.length,
  };
}
