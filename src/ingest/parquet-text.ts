import type { ParquetParsers, SchemaElement } from 'hyparquet';
import { cellText } from './row-batches';

/*
 * The text a Parquet value becomes in the raw table, which holds text as a CSV would:
 * - TIMESTAMP (millis, micros, nanos) as ISO 8601 to the microsecond: with `Z` when the
 *   column is adjusted to UTC (and for the legacy TIMESTAMP_* and INT96 types), without a
 *   zone when it is a wall-clock time (isAdjustedToUTC false), which the page then reads
 *   as UTC and says so. Nanoseconds are cut to the microsecond, the page's precision.
 * - DATE as `YYYY-MM-DD`; INT64/INT32 as their digits (epochs are then read by magnitude,
 *   as in a CSV); DECIMAL with its scale's digits; booleans as `true`/`false`.
 * - JSON columns keep their text; binary that is not UTF-8 becomes `0x` and hex digits.
 * - An instant outside what a date can hold keeps its number (the row is then skipped as
 *   an unreadable timestamp, and listed).
 */

const floorDiv = (a: bigint, b: bigint): bigint => {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
};

/** ISO 8601 UTC with the microseconds when there are any, or null when no Date holds it. */
export function isoFromMicros(micros: bigint): string | null {
  const ms = floorDiv(micros, 1000n);
  const rest = Number(micros - ms * 1000n);
  const date = new Date(Number(ms));
  if (Math.abs(Number(ms)) > 8.64e15 || Number.isNaN(date.getTime())) return null;
  const base = date.toISOString();
  return rest === 0 ? base : `${base.slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}

const instant = (micros: bigint, raw: bigint): string => isoFromMicros(micros) ?? raw.toString();
const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder();

function bytesText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
  }
}

/** hyparquet's parsers, returning the text above instead of Dates and parsed JSON. */
export const parquetParsers: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (ms: bigint) => instant(ms * 1000n, ms),
  timestampFromMicroseconds: (us: bigint) => instant(us, us),
  timestampFromNanoseconds: (ns: bigint) => instant(floorDiv(ns, 1000n), ns),
  dateFromDays: (days: number) => {
    const date = new Date(days * 86_400_000);
    return Number.isNaN(date.getTime()) ? String(days) : date.toISOString().slice(0, 10);
  },
  stringFromBytes: (bytes: Uint8Array) => bytes && lenient.decode(bytes),
  jsonFromBytes: (bytes: Uint8Array) => bytes && lenient.decode(bytes),
};

/** A column's own rule for its values' text, where its type needs one beyond cellText. */
export type TypedText = ((value: unknown) => string | null) | undefined;

export function typedText(element: SchemaElement): TypedText {
  const logical = element.logical_type;
  if (logical?.type === 'TIMESTAMP' && !logical.isAdjustedToUTC) {
    // A wall-clock time: the instant's text without the zone it was never in.
    return (value) => (typeof value === 'string' && value.endsWith('Z') ? value.slice(0, -1) : cellText(value));
  }
  if (element.converted_type === 'DECIMAL') {
    const scale = Math.min(Math.max(element.scale ?? 0, 0), 100);
    return (value) => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(scale) : cellText(value));
  }
  return undefined;
}

/** A Parquet value as text: the column's typed rule, else binary as UTF-8 or hex, else cellText. */
export function parquetCellText(value: unknown, typed: TypedText): string | null {
  if (value === null || value === undefined) return null;
  if (typed) return typed(value);
  if (value instanceof Uint8Array) return bytesText(value);
  return cellText(value);
}
