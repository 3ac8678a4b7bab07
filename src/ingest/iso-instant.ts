/*
 * The one timestamp shape the quick read accepts, read from bytes:
 *   YYYY-MM-DD(T| )HH:MM:SS(.f{1,6})?(Z|[+-]HH:MM)?
 * with a real calendar date, hour 00-23, minute and second 00-59, offset hours 00-14. DuckDB's
 * TIMESTAMPTZ cast (timestampUsSql's 'iso') reads every such text to the same instant; the
 * years are kept to 1900-2200 so that every instant in microseconds is exact in a double.
 */

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;

const US_PER_SECOND = 1_000_000;
const FRACTION_SCALE = [0, 100_000, 10_000, 1_000, 100, 10, 1];

/** Days from 1970-01-01 to the proleptic Gregorian date (Date.UTC would read years 0-99 as 19xx). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Reads ISO instants from one buffer, remembering the last date (rows of a day come together). */
export class IsoInstantReader {
  /** Whether the last instant read carried a zone (Z or an offset). */
  zoned = false;
  private lastDateKey = -1;
  private lastDayUs = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** Microseconds since the epoch of bytes[start, end), or NaN when they are not the accepted shape. */
  read(start: number, end: number): number {
    const b = this.bytes;
    const length = end - start;
    if (length < 19) return Number.NaN;
    const digit = (i: number) => {
      const d = (b[start + i] as number) - 48;
      return d >= 0 && d <= 9 ? d : -1000;
    };
    const two = (i: number) => digit(i) * 10 + digit(i + 1);
    if (b[start + 4] !== 45 || b[start + 7] !== 45 || b[start + 13] !== 58 || b[start + 16] !== 58) return Number.NaN;
    const separator = b[start + 10];
    if (separator !== 84 && separator !== 32) return Number.NaN;
    const year = two(0) * 100 + two(2);
    const month = two(5);
    const day = two(8);
    const hour = two(11);
    const minute = two(14);
    const second = two(17);
    // A non-digit makes its field negative (see digit), so a date key is only ever a real date's.
    if (year < 0 || month < 0 || day < 0) return Number.NaN;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
    const dateKey = year * 416 + month * 32 + day;
    if (dateKey !== this.lastDateKey) {
      if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
      this.lastDateKey = dateKey;
      this.lastDayUs = daysFromCivil(year, month, day) * 86_400 * US_PER_SECOND;
    }
    let at = 19;
    let fraction = 0;
    if (at < length && b[start + at] === 46) {
      const from = ++at;
      while (at < length && at - from < 7) {
        const d = digit(at);
        if (d < 0) break;
        fraction = fraction * 10 + d;
        at++;
      }
      const digits = at - from;
      if (digits < 1 || digits > 6) return Number.NaN;
      fraction *= FRACTION_SCALE[digits] as number;
    }
    let offsetSeconds = 0;
    this.zoned = at < length;
    if (at < length) {
      const sign = b[start + at];
      if (sign === 90 && at + 1 === length) {
        // Z
      } else if ((sign === 43 || sign === 45) && at + 6 === length && b[start + at + 3] === 58) {
        const oh = two(at + 1);
        const om = two(at + 4);
        if (oh < 0 || oh > 14 || om < 0 || om > 59) return Number.NaN;
        offsetSeconds = (sign === 43 ? 1 : -1) * (oh * 3600 + om * 60);
      } else {
        return Number.NaN;
      }
    }
    return this.lastDayUs + ((hour * 60 + minute) * 60 + second - offsetSeconds) * US_PER_SECOND + fraction;
  }
}
