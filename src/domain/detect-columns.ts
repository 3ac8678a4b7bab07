import { dateLike, judgeTimestampCandidates, judgeUserCandidates, userUncertainty, type UncertainRole } from './role-candidates';
import { TIMESTAMP_FORMAT_LABELS, type ColumnMapping, type ColumnProfile, type TimestampFormat } from './types';
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
  'email',
  'useremail',
  'customer',
  'login',
  'person',
  'member',
  'account',
  'actorid',
  'playerid',
  'profileid',
  'contactid',
  'subscriberid',
  'ipaddr',
  'remoteip',
  'sourceip',
  'cip',
];
/** Words that, with an id-like ending (customer_number, hashed_user_id), name a user column. */
const USER_WORDS = ['user', 'visitor', 'customer', 'client', 'member', 'account', 'device', 'cookie', 'person', 'player', 'subscriber', 'profile', 'shopper'];
const ID_ENDINGS = ['id', 'key', 'hash', 'uuid', 'guid', 'number', 'num', 'no', 'token'];
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
  'eventts',
  'hittime',
  'clicktime',
  'visittime',
  'requesttime',
  'logtime',
  'accesstime',
  'timestamputc',
  'datetimeutc',
  'tstamp',
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
  const name = normalizeName(column);
  const i = names.indexOf(name);
  if (i >= 0) return i;
  // A plural ("timestamps", "users") names the same role, after every exact name.
  if (names !== URL_NAMES && name.length > 3 && name.endsWith('s') && names.includes(name.slice(0, -1))) return names.length;
  // A user id named in other words ranks after every exact name.
  if (names === USER_NAMES && USER_WORDS.some((w) => name.includes(w)) && ID_ENDINGS.some((e) => name.endsWith(e) && name.length > e.length))
    return names.length;
  return Infinity;
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
  /** Roles neither names nor values decide: the page asks (their mapping fields are ''). */
  uncertain: UncertainRole[];
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

/** Columns a person chose for a role (answering the mapping question): taken as they are. */
export type ChosenColumns = Partial<Pick<ColumnMapping, 'user' | 'timestamp'>>;

/**
 * Returns null when no column reads as timestamps or no other column can be the user.
 * `uncertain` lists the roles the names and values leave open (their mapping field is '');
 * `chosen` fixes roles a person answered, and the others are detected around them.
 */
export function detectMapping(profiles: readonly ColumnProfile[], chosen: ChosenColumns = {}): MappingGuess | null {
  const guesses = new Map<string, TimestampGuess>();
  for (const p of profiles) {
    const g = guessTimestampFormat(p);
    if (g && g.share >= MIN_TIMESTAMP_SHARE) guesses.set(p.column, g);
  }
  const vendor = chosen.user === undefined && chosen.timestamp === undefined ? vendorGuess(profiles, guesses) : null;
  if (vendor) return vendor;
  const uncertain: UncertainRole[] = [];
  const timestampColumns = profiles.filter((p) => guesses.has(p.column));
  const chosenTs = chosen.timestamp === undefined ? undefined : profiles.find((p) => p.column === chosen.timestamp);
  if (timestampColumns.length === 0 && !chosenTs) return null;
  const byName = [...timestampColumns].sort((a, b) => nameRank(a.column, TIMESTAMP_NAMES) - nameRank(b.column, TIMESTAMP_NAMES));
  const named = byName[0] && nameRank(byName[0].column, TIMESTAMP_NAMES) < Infinity ? byName[0] : null;
  const byValues = judgeTimestampCandidates(
    timestampColumns.flatMap((profile) => {
      const reading = guesses.get(profile.column);
      return reading ? [{ profile, reading, dateOnly: dateOnly(profile, reading) }] : [];
    }),
    (format) => TIMESTAMP_FORMAT_LABELS[format],
  );
  const ts = chosenTs ?? named ?? byValues.best;
  if (!ts) return null;
  const tsGuess = guesses.get(ts.column) ?? guessTimestampFormat(ts) ?? { format: 'iso', share: 0, ambiguous: false };
  if (!chosenTs && !named && byValues.doubt) uncertain.push(byValues.doubt);

  // A date-only column beside a time-of-day column, as in many web-server logs.
  let time = '';
  if (dateOnly(ts, tsGuess)) {
    const timeCol = profiles
      .filter((p) => p.column !== ts.column && p.nonEmpty > 0 && p.timeOfDay / p.nonEmpty >= 0.8)
      .sort((a, b) => nameRank(a.column, TIME_OF_DAY_NAMES) - nameRank(b.column, TIME_OF_DAY_NAMES))[0];
    if (timeCol && timeCol.column !== chosen.user) time = timeCol.column;
  }

  const taken = new Set([ts.column, time]);
  if (chosen.user !== undefined) taken.add(chosen.user);
  const urlCol = pickByName(profiles, URL_NAMES, taken) ?? profiles.find((p) => !taken.has(p.column) && p.nonEmpty > 0 && p.urlLike / p.nonEmpty >= 0.5);
  if (urlCol) taken.add(urlCol.column);

  // Never a date (GA4's event_date) as the user; a name decides, else the values (role-candidates.ts).
  const usable = profiles.filter((p) => !taken.has(p.column) && p.nonEmpty > 0 && !dateLike(p, guesses.get(p.column)));
  const userNamed = pickByName(usable, USER_NAMES, taken);
  let user = chosen.user ?? userNamed?.column;
  if (user === undefined) {
    const candidates = judgeUserCandidates(
      profiles.filter((p) => !taken.has(p.column)),
      guesses,
      (column) => nameRank(column, TIMESTAMP_NAMES) < Infinity || nameRank(column, TIME_OF_DAY_NAMES) < Infinity,
    );
    if (candidates.length === 0) return null;
    const doubt = userUncertainty(candidates);
    if (doubt) uncertain.push(doubt);
    user = doubt ? '' : (candidates[0]?.column ?? '');
  }

  const open = new Set(uncertain.map((u) => u.role));
  return {
    mapping: { user, timestamp: open.has('timestamp') ? '' : ts.column, time, url: urlCol?.column ?? '', format: tsGuess.format },
    timestamp: tsGuess,
    userByName: userNamed !== undefined && chosen.user === undefined,
    vendor: null,
    uncertain,
  };
}

/** A timestamp column holding dates without a time of day (a log's date beside its time column). */
function dateOnly(p: ColumnProfile, guess: TimestampGuess): boolean {
  return guess.format === 'iso' ? p.isoMidnight === p.iso : (guess.format === 'dmy' || guess.format === 'mdy') && p.withClock === 0;
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
    uncertain: [],
  };
}

function pickByName(profiles: readonly ColumnProfile[], names: readonly string[], taken: Set<string>): ColumnProfile | undefined {
  return profiles
    .filter((p) => !taken.has(p.column) && nameRank(p.column, names) < Infinity)
    .sort((a, b) => nameRank(a.column, names) - nameRank(b.column, names))[0];
}
