/*
 * Times shown in a chosen zone: UTC, the browser's zone, or any IANA zone the runtime knows.
 * Data attributes stay UTC; only the text people read follows the zone.
 */

const FALLBACK_ZONES = [
  'America/Los_Angeles',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
];

/** The browser's own zone (UTC where the runtime cannot say). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** UTC first, then the browser's zone, then every IANA zone the runtime lists (a short list where it lists none). */
export function displayZones(): string[] {
  const listed = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : FALLBACK_ZONES;
  return [...new Set(['UTC', browserTimeZone(), ...listed])];
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `2024-05-01 06:00:00.123 EDT`: an instant (µs) as wall time in the zone, with the zone's abbreviation. */
export function formatInZone(us: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      fractionalSecondDigits: 3,
      timeZoneName: 'short',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(Math.floor(us / 1000))).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}.${p.fractionalSecond} ${p.timeZoneName}`;
}

/** ISO 8601 UTC with milliseconds and `Z`, for data attributes. */
export function isoUtcMs(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}
