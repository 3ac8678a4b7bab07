import type { ColumnProfile, TimestampFormat } from './types';

/*
 * When no column is named for a role, which columns could play it, judged from their first
 * rows' values, and whether the values decide it. The page asks (mapping question) rather
 * than show figures from a guess when they do not: two or more columns fit equally well, or
 * none fits at all. detect-columns.ts decides by names first and calls these only then.
 */

export type QuestionRole = 'user' | 'timestamp';

/** `likely`: fits the role; `possible`: fits, but worse than another; `never`: not preselected. */
export type CandidateVerdict = 'likely' | 'possible' | 'never';

export interface RoleCandidate {
  column: string;
  verdict: CandidateVerdict;
  /** Why, in words a person reads (what the first rows hold). */
  why: string;
}

/** A role the values leave open: why, and the columns to choose from (best first). */
export interface UncertainRole {
  role: QuestionRole;
  reason: string;
  candidates: RoleCandidate[];
}

/** How a column reads as timestamps (detect-columns.ts' TimestampGuess has this shape). */
export interface TimestampReading {
  format: TimestampFormat;
  share: number;
}

/** This many different values or fewer, each in 4 rows or more on average, is a flag or a category. */
const TINY_DISTINCT = 3;
const TINY_ROWS_PER_VALUE = 4;
/** Below this share of the first rows' values read, a timestamp column not named as one is in doubt. */
const WEAK_TIMESTAMP_SHARE = 0.8;
/** Timestamp columns whose shares differ by less than this read "equally well". */
const EQUAL_SHARE = 0.05;

const rows = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;
const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * Dates and times are not user ids: a column read as timestamps (ISO text, day/month, web
 * log) or holding compact dates (20240501, as GA4's event_date). Epoch-like numbers are not
 * counted here: numeric ids have the same magnitudes.
 */
export function dateLike(p: ColumnProfile, reading: TimestampReading | undefined): boolean {
  if (reading && !reading.format.startsWith('epoch')) return true;
  const median = p.numericMedian;
  return p.numeric === p.nonEmpty && median !== null && median >= 19_000_101 && median <= 21_001_231 && p.distinct * 20 <= p.nonEmpty;
}

/**
 * Judges each column (not taken by another role, not empty) as the user id, by its values.
 * Never: dates or times, a constant (one value over two rows or more). Worse than another
 * (only when one without that flaw exists): mostly empty beside a fuller column, three values
 * or fewer each in four rows or more on average (a flag or category). Among the rest, by how
 * much they look like an id that repeats (users have several events): repeating values first,
 * then urls, numbers with decimals or numbers that rarely repeat (a page, an amount, a
 * measure), then values all different or read as epoch times. The best are `likely`, the
 * others `possible`.
 */
export function judgeUserCandidates(
  profiles: readonly ColumnProfile[],
  readings: ReadonlyMap<string, TimestampReading>,
  namedAsTime: (column: string) => boolean,
): RoleCandidate[] {
  const judged = profiles
    .filter((p) => p.nonEmpty > 0)
    .map((p) => {
      const reading = readings.get(p.column);
      if (dateLike(p, reading) || p.timeOfDay * 2 > p.nonEmpty) return { p, quality: -1, why: 'its values are dates or times' };
      if (namedAsTime(p.column)) return { p, quality: -1, why: 'named like a timestamp' };
      if (p.distinct === 1 && p.nonEmpty >= 2) return { p, quality: -1, why: `one value in ${rows(p.nonEmpty)}: every event would be one user` };
      return { p, quality: 0, why: '' };
    });
  const pool = judged.filter((j) => j.quality >= 0);
  const fullest = Math.max(0, ...pool.map((j) => j.p.nonEmpty));
  const sparse = (p: ColumnProfile) => p.nonEmpty * 2 < fullest;
  const tiny = (p: ColumnProfile) => p.distinct <= TINY_DISTINCT && p.nonEmpty >= TINY_ROWS_PER_VALUE * p.distinct;
  const anyNotTiny = pool.some((j) => !tiny(j.p) && !sparse(j.p));
  for (const j of pool) {
    const { p } = j;
    const perValue = p.nonEmpty / p.distinct;
    if (sparse(p)) j.why = `only ${rows(p.nonEmpty)} of the first ${fullest.toLocaleString('en-US')} have a value`;
    else if (tiny(p) && anyNotTiny) j.why = `only ${p.distinct} different values in ${rows(p.nonEmpty)}: more like a flag or a category`;
    else if (readings.has(p.column)) {
      j.quality = 1;
      j.why = 'its numbers also read as epoch times';
    } else if (p.distinct === p.nonEmpty) {
      j.quality = 1;
      j.why = `every value is different (${rows(p.nonEmpty)}): one event per user, like a row or event id`;
    } else if (p.urlLike * 2 > p.nonEmpty) {
      j.quality = 2;
      j.why = 'its values are urls or paths (a page or a referrer)';
    } else if (p.numeric === p.nonEmpty && perValue < 2) {
      j.quality = 2;
      j.why = `numbers that rarely repeat (${p.distinct.toLocaleString('en-US')} different in ${rows(p.nonEmpty)}): more like a measure than an id`;
    } else if (p.numeric === p.nonEmpty && p.decimal * 2 > p.nonEmpty) {
      j.quality = 2;
      j.why = 'numbers with decimals: more like an amount or a measure than an id';
    } else {
      j.quality = 3;
      j.why = `${p.distinct.toLocaleString('en-US')} different values in ${rows(p.nonEmpty)} (each about ${perValue < 10 ? perValue.toFixed(1) : Math.round(perValue)} times)`;
    }
  }
  const best = Math.max(...pool.map((j) => j.quality));
  const verdict = (quality: number): CandidateVerdict => (quality < 0 ? 'never' : quality === best ? 'likely' : 'possible');
  return judged
    .map(({ p, quality, why }) => ({ column: p.column, verdict: verdict(quality), why, quality }))
    .sort((a, b) => b.quality - a.quality)
    .map(({ quality: _, ...candidate }) => candidate);
}

/** The user question, or null when the values single one column out (judged as above). */
export function userUncertainty(candidates: readonly RoleCandidate[]): UncertainRole | null {
  const likely = candidates.filter((c) => c.verdict === 'likely');
  if (likely.length === 1) return null;
  const reason =
    likely.length > 1
      ? `No column is named like a user id, and ${likely.length} columns fit equally well by their values.`
      : candidates.some((c) => c.verdict === 'possible')
        ? 'No column is named like a user id, and none fits well by its values.'
        : 'No column is named like a user id, and the only candidates hold dates, times or a single value.';
  return { role: 'user', reason, candidates: [...candidates] };
}

/**
 * Judges the columns that read as timestamps (share ≥ the detection's minimum), none named
 * as one: the best reads the largest share of its values (among equals, one with times of
 * day beats dates alone). Doubt: the best reads under 80% of its values, or two or more
 * read equally well.
 */
export function judgeTimestampCandidates(
  columns: readonly { profile: ColumnProfile; reading: TimestampReading; dateOnly: boolean }[],
  formatLabel: (format: TimestampFormat) => string,
): { best: ColumnProfile | null; doubt: UncertainRole | null } {
  const sorted = [...columns].sort((a, b) => b.reading.share - a.reading.share);
  const top = sorted[0];
  if (!top) return { best: null, doubt: null };
  const equal = sorted.filter((c) => top.reading.share - c.reading.share < EQUAL_SHARE);
  const withTimes = equal.filter((c) => !c.dateOnly);
  const rivals = withTimes.length > 0 ? withTimes : equal;
  const best = rivals[0]?.profile ?? top.profile;
  const weak = top.reading.share < WEAK_TIMESTAMP_SHARE;
  if (rivals.length < 2 && !weak) return { best, doubt: null };
  const candidates: RoleCandidate[] = sorted.map((c) => ({
    column: c.profile.column,
    verdict: rivals.includes(c) && !weak ? 'likely' : 'possible',
    why: `${percent(c.reading.share)} of its values read as ${formatLabel(c.reading.format)}${c.dateOnly ? ' (dates without a time of day)' : ''}`,
  }));
  const reason = weak
    ? `No column is named like a timestamp, and the best, "${top.profile.column}", reads only ${percent(top.reading.share)} of its values.`
    : `No column is named like a timestamp, and ${rivals.length} columns read equally well as timestamps.`;
  return { best, doubt: { role: 'timestamp', reason, candidates } };
}
