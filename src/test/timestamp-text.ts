import fc from 'fast-check';
import type { TimestampFormat } from '../domain/types';

/*
 * Writes a known instant as timestamp text, in any of the ways a file may spell it for a
 * given format, for property tests: the text must read back as exactly that instant.
 * Each format has a record of spelling choices; a choice that cannot carry the instant
 * (no seconds when the seconds are not zero, a date alone for a time past midnight, a
 * whole-hour offset for +05:45) falls back to a fuller spelling.
 */

/** Instants drawn by the generators: 1950-01-01 .. 2100-01-01 UTC, in microseconds. */
export const MIN_US = Date.UTC(1950, 0, 1) * 1000;
export const MAX_US = Date.UTC(2100, 0, 1) * 1000;

/** Offsets that occur (minutes east of UTC), the odd ones included. */
export const OFFSET_MINUTES = [0, 60, -60, 120, 330, 345, 525, 765, 840, -210, -300, -570, -720];

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micros: number;
}

/** The wall-clock reading of `us` at `offsetMinutes` east of UTC. */
function wallClock(us: number, offsetMinutes: number): Wall {
  const local = us + offsetMinutes * 60_000_000;
  const micros = ((local % 1_000_000) + 1_000_000) % 1_000_000;
  const d = new Date((local - micros) / 1000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    micros,
  };
}

type FractionStyle = 'six' | 'short' | 'extra';

/** ".123456", or the shortest exact ".123", or ".123456" plus digits that must be ignored. */
function fractionText(micros: number, style: FractionStyle, extra: string): string {
  const six = pad(micros, 6);
  if (style === 'six') return `.${six}`;
  if (style === 'extra') return `.${six}${extra}`;
  return `.${six.replace(/0+$/, '') || '0'}`;
}

/** ":SS[.f]" for the seconds part, or '' when `wantShort` and nothing is lost. */
function secondsText(w: Wall, wantShort: boolean, fraction: FractionStyle | 'none', extra: string): string {
  if (wantShort && w.second === 0 && w.micros === 0) return '';
  const f = fraction === 'none' && w.micros === 0 ? '' : fractionText(w.micros, fraction === 'none' ? 'short' : fraction, extra);
  return `:${pad(w.second, 2)}${f}`;
}

const fractionArb = fc.constantFrom<FractionStyle | 'none'>('none', 'six', 'short', 'extra');
const extraDigitsArb = fc.stringMatching(/^\d{1,3}$/);
const spacesArb = fc.constantFrom('', '', ' ', '  ');

const isoChoices = fc.record({
  dateSep: fc.constantFrom('-', '/'),
  timeSep: fc.constantFrom('T', ' '),
  dateOnly: fc.boolean(),
  noSeconds: fc.boolean(),
  fraction: fractionArb,
  extra: extraDigitsArb,
  zone: fc.constantFrom('none', 'Z', 'UTC', 'offset'),
  offset: fc.constantFrom(...OFFSET_MINUTES),
  offsetStyle: fc.constantFrom('+HH:MM', '+HHMM', '+HH'),
  spaceBeforeOffset: fc.boolean(),
  pad: spacesArb,
});
type IsoChoices = typeof isoChoices extends fc.Arbitrary<infer T> ? T : never;

function isoText(us: number, c: IsoChoices): string {
  const offset = c.zone === 'offset' ? c.offset : 0;
  const w = wallClock(us, offset);
  const date = [pad(w.year, 4), pad(w.month, 2), pad(w.day, 2)].join(c.dateSep);
  const midnight = w.hour === 0 && w.minute === 0 && w.second === 0 && w.micros === 0;
  if (c.dateOnly && midnight && c.zone === 'none') return `${c.pad}${date}${c.pad}`;
  let zone = '';
  if (c.zone === 'Z') zone = 'Z';
  else if (c.zone === 'UTC') zone = ' UTC';
  else if (c.zone === 'offset') {
    const sign = offset < 0 ? '-' : '+';
    const [h, m] = [pad(Math.floor(Math.abs(offset) / 60), 2), pad(Math.abs(offset) % 60, 2)];
    const style = c.offsetStyle === '+HH' && m !== '00' ? '+HH:MM' : c.offsetStyle;
    zone = `${c.spaceBeforeOffset ? ' ' : ''}${sign}${h}${style === '+HH:MM' ? `:${m}` : style === '+HHMM' ? m : ''}`;
  }
  // HH:MM with a zone is not read by the app (a known discrepancy, pinned in
  // timestamp-sql.reference.test.ts), so the generators keep the seconds there.
  const seconds = secondsText(w, c.noSeconds && zone === '', c.fraction, c.extra);
  return `${c.pad}${date}${c.timeSep}${pad(w.hour, 2)}:${pad(w.minute, 2)}${seconds}${zone}${c.pad}`;
}

const dayMonthChoices = fc.record({
  sep: fc.constantFrom('/', '.', '-'),
  padDate: fc.boolean(),
  padHour: fc.boolean(),
  dateOnly: fc.boolean(),
  noSeconds: fc.boolean(),
  // strptime's %f takes at most 6 digits: no 'extra' here.
  fraction: fc.constantFrom<FractionStyle | 'none'>('none', 'six', 'short'),
  pad: spacesArb,
});
type DayMonthChoices = typeof dayMonthChoices extends fc.Arbitrary<infer T> ? T : never;

function dayMonthText(us: number, order: 'dmy' | 'mdy', c: DayMonthChoices): string {
  const w = wallClock(us, 0);
  const [first, second] = order === 'dmy' ? [w.day, w.month] : [w.month, w.day];
  const width = c.padDate ? 2 : 1;
  const date = [pad(first, width), pad(second, width), pad(w.year, 4)].join(c.sep);
  const midnight = w.hour === 0 && w.minute === 0 && w.second === 0 && w.micros === 0;
  if (c.dateOnly && midnight) return `${c.pad}${date}${c.pad}`;
  const time = `${pad(w.hour, c.padHour ? 2 : 1)}:${pad(w.minute, 2)}${secondsText(w, c.noSeconds, c.fraction, '')}`;
  return `${c.pad}${date} ${time}${c.pad}`;
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const clfChoices = fc.record({ zone: fc.boolean(), offset: fc.constantFrom(...OFFSET_MINUTES), upper: fc.boolean() });
type ClfChoices = typeof clfChoices extends fc.Arbitrary<infer T> ? T : never;

/** Web-log text; the format has whole seconds only, so `us` must be a whole second. */
function clfText(us: number, c: ClfChoices): string {
  const offset = c.zone ? c.offset : 0;
  const w = wallClock(us, offset);
  const name = MONTH_NAMES[w.month - 1] ?? '';
  const zone = c.zone ? ` ${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60), 2)}${pad(Math.abs(offset) % 60, 2)}` : '';
  return `${pad(w.day, 2)}/${c.upper ? name.toUpperCase() : name}/${w.year}:${pad(w.hour, 2)}:${pad(w.minute, 2)}:${pad(w.second, 2)}${zone}`;
}

const epochChoices = fc.record({
  plus: fc.boolean(),
  /** Write the fraction even when it is zero, with this many trailing zeros added. */
  trailingZeros: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  pad: spacesArb,
});
type EpochChoices = typeof epochChoices extends fc.Arbitrary<infer T> ? T : never;

/** `us` in units of 10^digits microseconds, as an exact decimal. */
function epochText(us: number, digits: number, c: EpochChoices): string {
  const sign = us < 0 ? '-' : c.plus ? '+' : '';
  const abs = String(Math.abs(us)).padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  let fraction = abs.slice(abs.length - digits).replace(/0+$/, '');
  if (c.trailingZeros !== null && digits > 0) fraction = abs.slice(abs.length - digits) + '0'.repeat(c.trailingZeros);
  return `${c.pad}${sign}${whole}${fraction ? `.${fraction}` : ''}${c.pad}`;
}

/** Text spellings of the instant `us` in `format` (for clf, `us` must be whole seconds). */
export function timestampTextArb(format: TimestampFormat, us: number): fc.Arbitrary<string> {
  switch (format) {
    case 'iso':
      return isoChoices.map((c) => isoText(us, c));
    case 'dmy':
    case 'mdy':
      return dayMonthChoices.map((c) => dayMonthText(us, format, c));
    case 'clf':
      return clfChoices.map((c) => clfText(us, c));
    case 'epoch-s':
      return epochChoices.map((c) => epochText(us, 6, c));
    case 'epoch-ms':
      return epochChoices.map((c) => epochText(us, 3, c));
    case 'epoch-us':
      return epochChoices.map((c) => epochText(us, 0, c));
  }
}

/** An instant in the generators' range, often on a whole second, minute or day. */
export function instantArb(format: TimestampFormat): fc.Arbitrary<number> {
  const any = fc.integer({ min: MIN_US, max: MAX_US });
  const round = (unit: number) => any.map((us) => Math.floor(us / unit) * unit);
  if (format === 'clf') return round(1_000_000);
  return fc.oneof(any, round(1_000), round(1_000_000), round(60_000_000), round(86_400_000_000));
}

/** An instant and one of its spellings. */
export function timestampSampleArb(format: TimestampFormat): fc.Arbitrary<{ us: number; text: string }> {
  return instantArb(format).chain((us) => timestampTextArb(format, us).map((text) => ({ us, text })));
}
