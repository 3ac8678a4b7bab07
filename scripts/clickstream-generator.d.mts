// Types of clickstream-generator.mjs for the TypeScript side (the project does not check JS).
// Keep in step with the JSDoc there; `tsc --allowJs --checkJs` on the .mjs checks that JSDoc.

export type TimestampFormat = 'iso' | 'dmy' | 'mdy' | 'clf' | 'epoch-s' | 'epoch-ms' | 'epoch-us';

export interface ClickstreamOptions {
  /** Determines every random choice. */
  seed: number | string;
  /** Exact number of event rows (after the header). */
  events: number;
  /** Distinct users, bots included; default `round(events / 13)`. At most `events`. */
  users?: number;
  /** How many of the users are bots; default `round(users / 1000)` (at least 1 from 20 users on). */
  bots?: number;
  /** Fraction (0 to 1) of rows written late, by at most MAX_LATE_MS; default 0. */
  outOfOrder?: number;
  /** How timestamps are written; default `iso` (2024-05-01T10:00:00.123Z). */
  format?: TimestampFormat;
  /** First instant of the period (ISO 8601); default 2024-05-01T00:00:00.000Z. */
  start?: string;
  /** Length of the period in days; default 28. */
  days?: number;
  /** Yield the header line first; default true. */
  header?: boolean;
}

export const COLUMNS: readonly string[];
export const TIMESTAMP_FORMATS: readonly TimestampFormat[];
/** The longest delay of a late (out-of-order) row, in milliseconds. */
export const MAX_LATE_MS: number;

/** The header, then exactly `events` lines, without terminators; options are checked at once. */
export function generateClickstream(options: ClickstreamOptions): Generator<string, void, undefined>;

export function hashSeed(seed: number | string): number;
export function deriveSeed(base: number, ...parts: number[]): number;
export function formatTimestamp(ms: number, format: TimestampFormat): string;
export function userId(index: number, users: number): string;

/** sfc32, seeded with a 32-bit integer. */
export class Rng {
  constructor(seed: number);
  uint32(): number;
  next(): number;
  int(n: number): number;
  normal(): number;
  logNormal(median: number, sigma: number): number;
  exponential(mean: number): number;
  pick<T>(items: readonly T[]): T;
}
