import type { Boundary, SessionDistributionRow, SessionStats, TopPageRow, UrlColumn } from '../domain/types';
import { gapBinEdges, gapBins } from '../domain/gap-bins';
import { EVENTS_PER_SESSION_BINS } from '../domain/session-bins';
import { quickselect } from './select';

/*
 * Every threshold-dependent figure and chart from one set of session starts, in one pass
 * over the events and none over sorted arrays: a slider step at a million events must
 * leave time for the page to draw. The medians come from histograms the charts need
 * anyway: the bin that holds the middle rank is found by counting, and only that bin's
 * values are selected among. Must equal sessionStatsSql and sessionViewsSql exactly; the
 * tests check both, and a sort-based reference on random sessions.
 */

export interface SessionViews {
  distribution: SessionDistributionRow[];
  /** null without a url column. */
  pages: TopPageRow[] | null;
}

export const TOP_PAGES = 10;

/** Buffers of the events' length, reused by every threshold change. */
export interface FiguresScratch {
  /** Each session's duration in µs. */
  durations: Float64Array;
  /** Each session's selection bin (durationBin below). */
  durationBins: Uint8Array;
}

export function figuresScratch(events: number): FiguresScratch {
  return { durations: new Float64Array(events), durationBins: new Uint8Array(events) };
}

/** SessionTallies's unit of durationCarries. */
export const DURATION_CARRY = 2 ** 52;

/** Event counts up to this are counted exactly; longer sessions are kept for selection. */
export const COUNTED_EVENTS = 1024;

/** Selection bins (durationBin): one for the zero durations, then one per gap bin. */
export const DURATION_BINS = gapBins().length + 1;

const EDGES = gapBinEdges();
const FIRST_EDGE = EDGES[0] ?? 0;

/**
 * For each slice of the whole milliseconds (a power of two cut in 16), how many edges lie at
 * or below its smallest value: a slice is narrower than the gap between two edges (a factor
 * 1.26), so a duration's bin is this or one more.
 */
const EDGES_BELOW_SLICE: Uint8Array = (() => {
  const table = new Uint8Array(32 * 16);
  for (let octave = 4; octave < 32; octave++)
    for (let sub = 0; sub < 16; sub++) {
      const lowestUs = (16 + sub) * 2 ** (octave - 4) * 1000;
      table[octave * 16 + sub] = EDGES.filter((e) => e <= lowestUs).length;
    }
  return table;
})();
const LAST_EDGE = EDGES.at(-1) ?? 0;

/**
 * gapBinOf for a duration (the count of edges at or below it), without its binary search
 * (whose mispredicted branches cost more than the rest of a session's bookkeeping) nor a
 * logarithm: the leading bits of the whole milliseconds give the count to within one, and
 * the exact integer edge settles it.
 */
export function durationGapBin(us: number): number {
  if (us < FIRST_EDGE) return 0;
  if (us >= LAST_EDGE) return EDGES.length;
  // FIRST_EDGE (0.1 s) <= us < LAST_EDGE (< 2^32 ms): at least 100 ms, so the octave is at least 6.
  const ms = Math.floor(us / 1000);
  const octave = 31 - Math.clz32(ms);
  let bin = EDGES_BELOW_SLICE[octave * 16 + ((ms >>> (octave - 4)) & 15)] as number;
  if (bin < EDGES.length && (EDGES[bin] as number) <= us) bin++;
  return bin;
}

/**
 * Selection bins of a duration: 0 for exactly 0 (single-event sessions, and ties), then
 * gap bin k at k + 1, so the many zero durations never need selecting among.
 */
export const durationBin = (us: number) => (us === 0 ? 0 : durationGapBin(us) + 1);

/** EVENTS_PER_SESSION_BINS's index of each event count up to the last closed bin's edge. */
const EVENTS_BIN_OF_COUNT: Uint8Array = (() => {
  const last = EVENTS_PER_SESSION_BINS.at(-2)?.high ?? 0;
  const table = new Uint8Array(last + 1);
  for (let n = 1; n <= last; n++) table[n] = EVENTS_PER_SESSION_BINS.findIndex((b) => b.high === null || n <= b.high);
  return table;
})();

/** Sessions per code, for entry and exit pages: index code + 1 (0 = no url). */
function topPages(kind: 'entry' | 'exit', counts: Int32Array, labels: readonly string[], limit: number): TopPageRow[] {
  const rows: TopPageRow[] = [];
  const before = (a: TopPageRow, b: TopPageRow) =>
    a.sessions > b.sessions || (a.sessions === b.sessions && (b.url === null ? a.url !== null : a.url !== null && a.url < b.url));
  for (let i = 0; i < counts.length; i++) {
    const sessions = counts[i] as number;
    if (sessions === 0) continue;
    const last = rows.at(-1);
    if (rows.length === limit && last && sessions < last.sessions) continue;
    const row: TopPageRow = { kind, url: i === 0 ? null : (labels[i - 1] ?? null), sessions };
    // Insertion into a list of at most `limit` rows: a handful of comparisons per code.
    let at = rows.length;
    while (at > 0 && before(row, rows[at - 1] as TopPageRow)) at--;
    if (at < limit) {
      rows.splice(at, 0, row);
      if (rows.length > limit) rows.pop();
    }
  }
  return rows;
}

/** The k-th smallest count (0-based), from exact counts up to COUNTED_EVENTS and the longer ones (`kthLonger`). */
function kthCount(histogram: Float64Array, kthLonger: (k: number) => number, k: number): number {
  let seen = 0;
  for (let c = 1; c < histogram.length; c++) {
    seen += histogram[c] as number;
    if (k < seen) return c;
  }
  return kthLonger(k - seen);
}

/** The selection bin that holds the k-th smallest duration (0-based), and the durations before that bin. */
export function durationRankBin(binCounts: Float64Array, k: number): { bin: number; before: number } {
  let bin = 0;
  let before = 0;
  while (bin < binCounts.length - 1 && k >= before + (binCounts[bin] as number)) before += binCounts[bin++] as number;
  return { bin, before };
}

/** The k-th smallest duration (0-based): counted to its bin, selected among that bin's values. */
function kthDuration(scratch: FiguresScratch, sessions: number, binCounts: Float64Array, k: number): number {
  const { bin, before } = durationRankBin(binCounts, k);
  if (bin === 0) return 0;
  const { durations, durationBins } = scratch;
  // The bin's durations only (not a buffer of the events' length: 240 MB at 30M events, held for good).
  const picked = new Float64Array(binCounts[bin] as number);
  let m = 0;
  for (let s = 0; s < sessions; s++) if (durationBins[s] === bin) picked[m++] = durations[s] as number;
  return quickselect(picked.subarray(0, m), k - before);
}

/** The median as DuckDB's quantile_cont(0.5): the mean of the middle two for an even count. */
function medianOf(n: number, kth: (k: number) => number): number {
  if (n === 0) return 0;
  const upper = kth(n >> 1);
  return n % 2 === 1 ? upper : (kth((n >> 1) - 1) + upper) / 2;
}

/** The gap rule alone: a session starts at a user's first event (gap -1) and at a gap reaching the threshold. */
export interface GapCuts {
  gaps: Float64Array;
  thresholdUs: number;
  boundary: Boundary;
}

/**
 * The figures and the threshold-dependent chart data of the sessions that `cuts` make:
 * the session starts marked (1) by markSessionStarts, or the gap rule's cuts read from the gaps.
 */
export function sessionFigures(
  times: Float64Array,
  cuts: Uint8Array | GapCuts,
  users: number,
  url: UrlColumn | null,
  scratch: FiguresScratch = figuresScratch(times.length),
  pagesLimit = TOP_PAGES,
): { stats: SessionStats; views: SessionViews } {
  const n = times.length;
  const { durations, durationBins } = scratch;
  const binCounts = new Float64Array(DURATION_BINS);
  const countHistogram = new Float64Array(COUNTED_EVENTS + 1);
  const longer = new Float64Array(Math.floor(n / (COUNTED_EVENTS + 1)) + 1);
  const codes = url?.codes ?? null;
  const entries = new Int32Array(url ? url.labels.length + 1 : 0);
  const exits = new Int32Array(entries.length);
  // The starts marked, or the gap rule's cuts read from the gaps directly (no pass to mark them first).
  const marks = cuts instanceof Uint8Array ? cuts : null;
  const gaps = cuts instanceof Uint8Array ? null : cuts.gaps;
  const thresholdUs = cuts instanceof Uint8Array ? 0 : cuts.thresholdUs;
  const ge = cuts instanceof Uint8Array || cuts.boundary === 'ge';
  let sessions = 0;
  let longerCount = 0;
  let durationSum = 0;
  let durationCarries = 0;
  let singles = 0;
  // Session by session, in one loop over the events: every user's first event is a start,
  // so the first event is one; a session ends where the next starts (or at the end).
  let first = 0;
  for (let end = 1; end <= n; end++) {
    if (end < n) {
      if (marks) {
        if (marks[end] === 0) continue;
      } else {
        const gap = (gaps as Float64Array)[end] as number;
        if (!(gap < 0 || (ge ? gap >= thresholdUs : gap > thresholdUs))) continue;
      }
    }
    const count = end - first;
    const duration = (times[end - 1] as number) - (times[first] as number);
    const bin = durationBin(duration);
    durations[sessions] = duration;
    durationBins[sessions] = bin;
    binCounts[bin] = (binCounts[bin] as number) + 1;
    durationSum += duration;
    if (durationSum >= DURATION_CARRY) [durationSum, durationCarries] = [durationSum - DURATION_CARRY, durationCarries + 1];
    if (count === 1) singles++;
    if (count <= COUNTED_EVENTS) countHistogram[count] = (countHistogram[count] as number) + 1;
    else longer[longerCount++] = count;
    if (codes) {
      let entry = first;
      while (entry < end && (codes[entry] as number) < 0) entry++;
      let exit = end - 1;
      while (exit > entry && (codes[exit] as number) < 0) exit--;
      const entryCode = entry < end ? (codes[entry] as number) : -1;
      const exitCode = entry < end ? (codes[exit] as number) : -1;
      entries[entryCode + 1] = (entries[entryCode + 1] as number) + 1;
      exits[exitCode + 1] = (exits[exitCode + 1] as number) + 1;
    }
    sessions++;
    first = end;
  }

  const tallies = { sessions, binCounts, countHistogram, longerCount, durationSum, durationCarries, singles, entries, exits };
  const kthLonger = (k: number) => quickselect(longer.subarray(0, longerCount), k);
  return figuresOfTallies(tallies, users, url, (k) => kthDuration(scratch, sessions, binCounts, k), kthLonger, pagesLimit);
}

/** What the figures need of a set of sessions, besides their durations and long sessions' event counts. */
export interface SessionTallies {
  sessions: number;
  /** Sessions by selection bin (durationBin) of their duration. */
  binCounts: Float64Array;
  /** Sessions by event count, up to COUNTED_EVENTS. */
  countHistogram: Float64Array;
  /** Sessions of more than COUNTED_EVENTS events. */
  longerCount: number;
  /**
   * The durations' sum, exact in two parts: durationSum (whole µs, 0 <= it < 2^52) plus
   * durationCarries × 2^52 (a duration is below 2^52 µs, 142 years). A sum past 2^53 in
   * one double would round, differently in each order of adding.
   */
  durationSum: number;
  durationCarries: number;
  singles: number;
  /** Sessions by entry and exit url code + 1 (0 = no url); empty without a url column. */
  entries: Int32Array;
  exits: Int32Array;
}

/**
 * The figures and chart data of sessions from their tallies, the k-th smallest duration
 * (0-based) and the k-th smallest event count among the sessions longer than COUNTED_EVENTS.
 */
export function figuresOfTallies(
  tallies: SessionTallies,
  users: number,
  url: UrlColumn | null,
  kthDurationOf: (k: number) => number,
  kthLonger: (k: number) => number,
  pagesLimit = TOP_PAGES,
): { stats: SessionStats; views: SessionViews } {
  const { sessions, binCounts, countHistogram, longerCount, durationSum, durationCarries, singles, entries, exits } = tallies;
  const totalUs = durationCarries === 0 ? durationSum : Number(BigInt(durationCarries) * BigInt(DURATION_CARRY) + BigInt(durationSum));
  const eventCounts = new Float64Array(EVENTS_PER_SESSION_BINS.length);
  for (let c = 1; c < countHistogram.length; c++) {
    const b = EVENTS_BIN_OF_COUNT[c] ?? EVENTS_PER_SESSION_BINS.length - 1;
    eventCounts[b] = (eventCounts[b] as number) + (countHistogram[c] as number);
  }
  eventCounts[EVENTS_PER_SESSION_BINS.length - 1] = (eventCounts[EVENTS_PER_SESSION_BINS.length - 1] as number) + longerCount;
  const distribution: SessionDistributionRow[] = [
    ...gapBins().map((b) => ({
      kind: 'duration' as const,
      bin: b.bin,
      low: b.lowUs / 1e6,
      high: b.highUs === null ? null : b.highUs / 1e6,
      // Gap bin 0 holds the zero durations (selection bin 0) and the rest of [0, 0.1 s).
      count: (binCounts[b.bin + 1] as number) + (b.bin === 0 ? (binCounts[0] as number) : 0),
    })),
    ...EVENTS_PER_SESSION_BINS.map((b, i) => ({ kind: 'events' as const, bin: i, low: b.low, high: b.high, count: eventCounts[i] as number })),
  ];
  const pages = url ? [...topPages('entry', entries, url.labels, pagesLimit), ...topPages('exit', exits, url.labels, pagesLimit)] : null;

  const stats: SessionStats =
    sessions === 0
      ? { sessions: 0, sessionsPerUser: 0, medianDurationSeconds: 0, meanDurationSeconds: 0, medianEventsPerSession: 0, singleEventShare: 0 }
      : {
          sessions,
          sessionsPerUser: users > 0 ? sessions / users : 0,
          medianDurationSeconds: medianOf(sessions, kthDurationOf) / 1e6,
          meanDurationSeconds: totalUs / sessions / 1e6,
          medianEventsPerSession: medianOf(sessions, (k) => kthCount(countHistogram, kthLonger, k)),
          singleEventShare: singles / sessions,
        };
  return { stats, views: { distribution, pages } };
}
