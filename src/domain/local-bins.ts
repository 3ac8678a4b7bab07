import { localMidnightsUs, offsetMs } from './midnights';
import type { TimeBinUnit } from './session-list';

/*
 * Calendar bins (local days or local hours) of an IANA zone as UTC instants, for counting
 * session starts. A day is from one local midnight to the next (23 or 25 hours across a DST
 * change); an hour bin is named by its local wall-clock hour, so the hour a fall-back
 * repeats (01:00 EDT, then 01:00 EST) is one bin of two hours, and the hour a spring-forward
 * skips has no bin.
 */

/** 15 minutes: every zone's offset (and so every local hour's start) is a multiple of it. */
const QUARTER_HOUR_MS = 900_000;

/** `YYYY-MM-DD` (day) or `YYYY-MM-DDTHH` (hour) of an instant, local to the zone. */
export function localBinLabel(timeZone: string, unit: TimeBinUnit, us: number): string {
  const ms = Math.floor(us / 1000);
  return new Date(ms + offsetMs(timeZone, ms)).toISOString().slice(0, unit === 'day' ? 10 : 13);
}

export interface LocalBins {
  /** Each bin's first instant (µs), ascending; a bin ends where the next begins. */
  edges: number[];
  /** Each edge's label; a repeated hour's two edges share one. */
  labels: string[];
}

/** The bins from the one holding `fromUs` to the one holding `toUs`. */
export function localBins(timeZone: string, unit: TimeBinUnit, fromUs: number, toUs: number): LocalBins {
  const edges: number[] = [];
  const labels: string[] = [];
  if (unit === 'day') {
    for (const midnight of localMidnightsUs(timeZone, fromUs, toUs)) {
      edges.push(midnight);
      labels.push(localBinLabel(timeZone, 'day', midnight));
    }
  } else {
    // The label of every quarter hour from an hour before to an hour after: an edge wherever it changes.
    const first = Math.floor(fromUs / 1000 / QUARTER_HOUR_MS) * QUARTER_HOUR_MS - 3_600_000;
    const last = Math.floor(toUs / 1000) + 3_600_000;
    let previous = '';
    for (let ms = first; ms <= last; ms += QUARTER_HOUR_MS) {
      const label = localBinLabel(timeZone, 'hour', ms * 1000);
      if (label !== previous) {
        edges.push(ms * 1000);
        labels.push(label);
        previous = label;
      }
    }
  }
  // Keep the bins from the one holding fromUs to the one holding toUs.
  let lo = 0;
  while (lo + 1 < edges.length && (edges[lo + 1] as number) <= fromUs) lo++;
  let hi = lo;
  while (hi + 1 < edges.length && (edges[hi + 1] as number) <= toUs) hi++;
  return { edges: edges.slice(lo, hi + 1), labels: labels.slice(lo, hi + 1) };
}
