import type { ColumnMapping, ColumnProfile, TimestampFormat } from './types';
import { isVendorColumn, recognizeVendor, type VendorShape } from './vendor-shapes';

/*
 * Guesses the column mapping from header names first and from the values second. Names are
 * compared lower-cased without punctuation, so "User ID", "user_id" and "userId" all match.
 */

const USER_NAMES = [
  'userid',
  'user',
  'visitorid',
  'visitor',
  'uid',
  'clientid',
  'anonymousid',
  'customerid',
  'fullvisitorid',
  'distinctid',
  'personid',
  'deviceid',
  'cookieid',
  'memberid',
  'accountid',
  'sessionuserid',
  'username',
  'ip',
  'ipaddress',
  'clientip',
  'remoteaddr',
  'remotehost',
  'host',
];
const TIMESTAMP_NAMES = [
  'timestamp',
  'ts',
  'eventtimestamp',
  'eventtime',
  'datetime',
  'time',
  'createdat',
  'occurredat',
  'loggedat',
  'eventdate',
  'timeutc',
  'utctime',
  'clienttime',
  'servertime',
  'date',
  'when',
  'epoch',
];
const TIME_OF_DAY_NAMES = ['time', 'timeofday', 'hour', 'eventtime', 'clock'];
const URL_NAMES = [
  'url',
  'pageurl',
  'page',
  'path',
  'pagepath',
  'uri',
  'requesturi',
  'request',
  'pagelocation',
  'location',
  'href',
  'pagename',
  'screen',
  'screenname',
  'event',
  'eventname',
  'action',
];

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function nameRank(column: string, names: readonly string[]): number {
  const i = names.indexOf(normalizeName(column));
  return i < 0 ? Infinity : i;
}

/** Epoch unit from the typical magnitude: seconds up to ~5138, then ms, then µs. */
export function epochFormatFor(median: number): TimestampFormat | null {
  if (median >= 1e8 && median < 1e11) return 'epoch-s';
  if (median >= 1e11 && median < 1e14) return 'epoch-ms';
  if (median >= 1e14 && median < 1e17) return 'epoch-us';
  return null;
}

export interface TimestampGuess {
  format: TimestampFormat;
  /** Share of non-empty sample values the format reads. */
  share: number;
  /** Day/month order could not be told from the sample (every day ≤ 12). */
  ambiguous: boolean;
}

export function guessTimestampFormat(p: ColumnProfile): TimestampGuess | null {
  if (p.nonEmpty === 0) return null;
  const candidates: [TimestampFormat, number][] = [
    ['iso', p.iso],
    ['clf', p.clf],
    ['mdy', p.mdy],
    ['dmy', p.dmy],
  ];
  const epoch = p.numericMedian === null ? null : epochFormatFor(p.numericMedian);
  if (epoch && p.numeric >= p.iso) candidates.unshift([epoch, p.numeric]);
  let best: [TimestampFormat, number] | null = null;
  for (const c of candidates) if (!best || c[1] > best[1]) best = c;
  if (!best || best[1] === 0) return null;
  // With every day ≤ 12 both orders read everything: we say month/day and flag it.
  const ambiguous = (best[0] === 'mdy' || best[0] === 'dmy') && p.mdy === p.dmy;
  return { format: best[0], share: best[1] / p.nonEmpty, ambiguous };
}

export interface MappingGuess {
  mapping: ColumnMapping;
  timestamp: TimestampGuess;
  /** The user column was found by its name, not guessed from its values. */
  userByName: boolean;
  /** The analytics product whose export this is, when its columns say so (vendor-shapes.ts). */
  vendor: VendorShape | null;
}

/** Where the name stands among the names a timestamp column is looked for by (Infinity: not one). */
export function timestampNameRank(column: string): number {
  return nameRank(column, TIMESTAMP_NAMES);
}

/** True for a name the detection looks for (user, timestamp, time of day or url). */
export function isRoleName(column: string): boolean {
  const name = normalizeName(column);
  return [USER_NAMES, TIMESTAMP_NAMES, TIME_OF_DAY_NAMES, URL_NAMES].some((names) => names.includes(name)) || isVendorColumn(column);
}

const MIN_TIMESTAMP_SHARE = 0.5;

/** Returns null when no column reads as timestamps or no other column can be the user. */
export function detectMapping(profiles: readonly ColumnProfile[]): MappingGuess | null {
  const guesses = new Map<string, TimestampGuess>();
  for (const p of profiles) {
    const g = guessTimestampFormat(p);
    if (g && g.share >= MIN_TIMESTAMP_SHARE) guesses.set(p.column, g);
  }
  const vendor = vendorGuess(profiles, guesses);
  if (vendor) return vendor;
  const timestampColumns = profiles.filter((p) => guesses.has(p.column));
  if (timestampColumns.length === 0) return null;
  const byName = [...timestampColumns].sort((a, b) => nameRank(a.column, TIMESTAMP_NAMES) - nameRank(b.column, TIMESTAMP_NAMES));
  const named = byName[0] && nameRank(byName[0].column, TIMESTAMP_NAMES) < Infinity ? byName[0] : null;
  const bestShare = [...timestampColumns].sort((a, b) => (guesses.get(b.column)?.share ?? 0) - (guesses.get(a.column)?.share ?? 0))[0];
  const ts = named ?? bestShare;
  if (!ts) return null;
  const tsGuess = guesses.get(ts.column);
  if (!tsGuess) return null;

  // A date-only column beside a time-of-day column, as in many web-server logs.
  let time = '';
  const dateOnly = tsGuess.format === 'iso' ? ts.isoMidnight === ts.iso : (tsGuess.format === 'dmy' || tsGuess.format === 'mdy') && ts.withClock === 0;
  if (dateOnly) {
    const timeCol = profiles
      .filter((p) => p.column !== ts.column && p.nonEmpty > 0 && p.timeOfDay / p.nonEmpty >= 0.8)
      .sort((a, b) => nameRank(a.column, TIME_OF_DAY_NAMES) - nameRank(b.column, TIME_OF_DAY_NAMES))[0];
    if (timeCol) time = timeCol.column;
  }

  const taken = new Set([ts.column, time]);
  const urlCol = pickByName(profiles, URL_NAMES, taken) ?? profiles.find((p) => !taken.has(p.column) && p.nonEmpty > 0 && p.urlLike / p.nonEmpty >= 0.5);
  if (urlCol) taken.add(urlCol.column);

  // Never a date (GA4's event_date) as the user; never an empty column, nor a constant when the values decide.
  const usable = profiles.filter((p) => !taken.has(p.column) && p.nonEmpty > 0 && !dateLike(p, guesses.get(p.column)));
  const userNamed = pickByName(usable, USER_NAMES, taken);
  const userCol =
    userNamed ?? usable.find((p) => !guesses.has(p.column) && p.distinct < p.nonEmpty && p.distinct > 1) ?? usable.find((p) => p.distinct > 1) ?? usable[0];
  if (!userCol) return null;

  return {
    mapping: { user: userCol.column, timestamp: ts.column, time, url: urlCol?.column ?? '', format: tsGuess.format },
    timestamp: tsGuess,
    userByName: userNamed !== undefined,
    vendor: null,
  };
}

/**
 * Dates and times are not user ids: a column read as timestamps (ISO text, day/month, web
 * log) or holding compact dates (20240501, as GA4's event_date). Epoch-like numbers are not
 * counted here: numeric ids have the same magnitudes.
 */
function dateLike(p: ColumnProfile, guess: TimestampGuess | undefined): boolean {
  if (guess && !guess.format.startsWith('epoch')) return true;
  const median = p.numericMedian;
  return p.numeric === p.nonEmpty && median !== null && median >= 19_000_101 && median <= 21_001_231 && p.distinct * 20 <= p.nonEmpty;
}

/** The mapping a recognised product export documents, when its timestamp column reads as such. */
function vendorGuess(profiles: readonly ColumnProfile[], guesses: Map<string, TimestampGuess>): MappingGuess | null {
  const vendor = recognizeVendor(profiles.map((p) => p.column));
  const timestamp = vendor ? guesses.get(vendor.timestamp) : undefined;
  if (!vendor || !timestamp) return null;
  const present = new Set(profiles.filter((p) => p.nonEmpty > 0).map((p) => p.column));
  const url = vendor.urls.find((u) => present.has(u)) ?? '';
  return {
    mapping: { user: vendor.user, timestamp: vendor.timestamp, time: '', url, format: timestamp.format },
    timestamp,
    userByName: true,
    vendor,
  };
}

function pickByName(profiles: readonly ColumnProfile[], names: readonly string[], taken: Set<string>): ColumnProfile | undefined {
  return profiles
    .filter((p) => !taken.has(p.column) && nameRank(p.column, names) < Infinity)
    .sort((a, b) => nameRank(a.column, names) - nameRank(b.column, names))[0];
}
