import { countAtMost } from './sorted-search';

/*
 * Local midnights of an IANA time zone as UTC instants, computed with Intl (DuckDB-WASM has
 * no time zone database offline). A day's midnight is found from the zone's offset at
 * that day's noon and checked against the offset at the candidate instant, which handles
 * DST days (a zone that skips midnight starts its day at the first instant that exists).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC in milliseconds at `utcMs` (local = utc + offset). */
export function offsetMs(timeZone: string, utcMs: number): number {
  const parts = formatter(timeZone).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The first instant (ms) of a local calendar day: the first instant whose local wall time
 * is at or past that day's 00:00. Local wall time only moves forward (bar the hour a
 * fall-back repeats), so a binary search over the widest span of offsets (-12 h..+14 h)
 * finds it, also where a DST jump skips midnight itself.
 */
function localDayStartMs(timeZone: string, year: number, month: number, day: number): number {
  const wallMidnight = Date.UTC(year, month, day);
  // The usual case first: one offset lookup, confirmed by a second.
  const guess = wallMidnight - offsetMs(timeZone, wallMidnight);
  const atOrPast = (t: number) => t + offsetMs(timeZone, t) >= wallMidnight;
  if (atOrPast(guess) && !atOrPast(guess - 1000)) return guess;
  let lo = wallMidnight - 15 * 3600_000;
  let hi = wallMidnight + 13 * 3600_000;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (atOrPast(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Every local midnight of `timeZone` from the day before `fromUs` to the day after `toUs`,
 * in microseconds, ascending. An event's local day is the number of midnights at or
 * before it.
 */
export function localMidnightsUs(timeZone: string, fromUs: number, toUs: number): number[] {
  const fromMs = Math.floor(fromUs / 1000);
  const toMs = Math.floor(toUs / 1000);
  const start = new Date(fromMs + offsetMs(timeZone, fromMs) - 86_400_000);
  const end = toMs + offsetMs(timeZone, toMs) + 86_400_000;
  const midnights: number[] = [];
  for (let d = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()); d <= end; d += 86_400_000) {
    const day = new Date(d);
    midnights.push(localDayStartMs(timeZone, day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()) * 1000);
  }
  return midnights;
}

/** Index of the local day containing `us`: the count of midnights <= us (binary search). */
export function localDayIndex(midnights: readonly number[], us: number): number {
  return countAtMost(midnights, us);
}
