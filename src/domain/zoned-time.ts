import { localMidnightsUs, offsetMs } from './midnights';

/*
 * Instants shown in a chosen IANA zone (the page's display zone), with Intl: the wall time
 * `YYYY-MM-DD HH:MM:SS` and the zone's short name, never the browser's own zone unless it
 * is the one chosen.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface ZonedParts {
  date: string;
  time: string;
  zone: string;
}

/**
 * The parts already formatted, by zone and whole second (all that the parts show). The
 * timeline lanes label every session they draw, and each threshold change draws them again,
 * mostly at the same starts: formatToParts costs tens of microseconds a call.
 */
const partsBySecond = new Map<string, Map<number, ZonedParts>>();
const PARTS_KEPT = 50_000;

export function zonedParts(us: number, timeZone: string): ZonedParts {
  const second = Math.floor(us / 1e6);
  let zone = partsBySecond.get(timeZone);
  const known = zone?.get(second);
  if (known) return known;
  const parts = formatter(timeZone).formatToParts(new Date(Math.floor(us / 1000)));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const made = { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}:${get('second')}`, zone: get('timeZoneName') };
  if (!zone || zone.size >= PARTS_KEPT) {
    zone = new Map();
    partsBySecond.set(timeZone, zone);
  }
  zone.set(second, made);
  return made;
}

/** `2024-05-01 10:00:00 EDT`; `fraction` adds the milliseconds, or the microseconds where there are any. */
export function formatZoned(us: number, timeZone: string, fraction = false): string {
  const { date, time, zone } = zonedParts(us, timeZone);
  if (!fraction) return `${date} ${time} ${zone}`;
  const micros = ((us % 1_000_000) + 1_000_000) % 1_000_000;
  const digits = micros % 1000 === 0 ? String(micros / 1000).padStart(3, '0') : String(micros).padStart(6, '0');
  return `${date} ${time}.${digits} ${zone}`;
}

const TICK_STEPS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200];
const DAY_US = 86_400e6;

/**
 * About `target` round instants across [fromUs, toUs] in the zone's wall time: multiples of
 * a step up to 12 h, else local midnights (every day, or every few), so a day tick is a
 * day's start there, DST days included.
 */
export function zonedTicks(fromUs: number, toUs: number, timeZone: string, target = 6): number[] {
  const span = toUs - fromUs;
  if (!(span > 0)) return [];
  const stepS = TICK_STEPS_S.find((s) => span / (s * 1e6) <= target);
  if (stepS === undefined) {
    const every = Math.max(1, Math.ceil(span / DAY_US / target));
    return localMidnightsUs(timeZone, fromUs, toUs).filter((m, i) => m >= fromUs && m <= toUs && i % every === 0);
  }
  const step = stepS * 1e6;
  const offsetUs = offsetMs(timeZone, Math.floor(fromUs / 1000)) * 1000;
  const ticks: number[] = [];
  for (let local = Math.ceil((fromUs + offsetUs) / step) * step; local - offsetUs <= toUs; local += step) ticks.push(local - offsetUs);
  return ticks;
}

/** A tick's label: the date for day ticks, else the wall time (with the date when the span is over a day). */
export function zonedTickLabel(us: number, spanUs: number, timeZone: string): string {
  const { date, time } = zonedParts(us, timeZone);
  if (spanUs > 6 * DAY_US) return date;
  if (spanUs > DAY_US / 2) return `${date.slice(5)} ${time.slice(0, 5)}`;
  return spanUs > 600e6 ? time.slice(0, 5) : time;
}
