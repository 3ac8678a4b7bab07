import { gapBinOf, gapBins } from '../domain/gap-bins';
import { EVENTS_PER_SESSION_BINS, type SessionDistributionRow, type TopPageRow } from '../sql/explore-sql';

/*
 * The threshold-dependent charts (session durations, events per session, top entry and
 * exit pages) from the same session starts as the figures, in the same pass budget. They
 * must equal sessionViewsSql's rows; the tests check that.
 */

export interface UrlColumn {
  /** Dictionary code of each event's url in the events table's order; -1 = no url. */
  codes: Int32Array;
  labels: string[];
}

export interface SessionViews {
  distribution: SessionDistributionRow[];
  /** null without a url column. */
  pages: TopPageRow[] | null;
}

export const TOP_PAGES = 10;

function eventsBin(n: number): number {
  const i = EVENTS_PER_SESSION_BINS.findIndex((b) => b.high === null || n <= b.high);
  return i < 0 ? EVENTS_PER_SESSION_BINS.length - 1 : i;
}

function topPages(kind: 'entry' | 'exit', counts: Map<number, number>, labels: readonly string[], limit: number): TopPageRow[] {
  const rows = [...counts].map(([code, sessions]) => ({ kind, url: code < 0 ? null : (labels[code] ?? null), sessions }));
  rows.sort((a, b) => b.sessions - a.sessions || (a.url === null ? 1 : b.url === null ? -1 : a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  return rows.slice(0, limit);
}

export function sessionViews(times: Float64Array, starts: Uint8Array, url: UrlColumn | null, pagesLimit = TOP_PAGES): SessionViews {
  const durationCounts = new Float64Array(gapBins().length);
  const eventCounts = new Float64Array(EVENTS_PER_SESSION_BINS.length);
  const entries = new Map<number, number>();
  const exits = new Map<number, number>();
  const n = times.length;
  let start = 0;
  let count = 0;
  let entry = -1;
  let exit = -1;
  const close = (end: number) => {
    const d = gapBinOf(end - start);
    const e = eventsBin(count);
    durationCounts[d] = (durationCounts[d] ?? 0) + 1;
    eventCounts[e] = (eventCounts[e] ?? 0) + 1;
    entries.set(entry, (entries.get(entry) ?? 0) + 1);
    exits.set(exit, (exits.get(exit) ?? 0) + 1);
  };
  for (let i = 0; i < n; i++) {
    if (starts[i] === 1) {
      if (count > 0) close(times[i - 1] as number);
      start = times[i] as number;
      count = 0;
      entry = -1;
      exit = -1;
    }
    count++;
    if (url) {
      const code = url.codes[i] as number;
      if (code >= 0) {
        if (entry < 0) entry = code;
        exit = code;
      }
    }
  }
  if (count > 0) close(times[n - 1] as number);
  const distribution: SessionDistributionRow[] = [
    ...gapBins().map((b) => ({ kind: 'duration' as const, bin: b.bin, low: b.lowUs / 1e6, high: b.highUs === null ? null : b.highUs / 1e6, count: durationCounts[b.bin] ?? 0 })),
    ...EVENTS_PER_SESSION_BINS.map((b, i) => ({ kind: 'events' as const, bin: i, low: b.low, high: b.high, count: eventCounts[i] ?? 0 })),
  ];
  const pages = url ? [...topPages('entry', entries, url.labels, pagesLimit), ...topPages('exit', exits, url.labels, pagesLimit)] : null;
  return { distribution, pages };
}
