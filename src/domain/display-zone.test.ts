import { describe, expect, it } from 'vitest';
import { displayZones, formatInZone, isoUtcMs } from './display-zone';

describe('times in the display zone', () => {
  it.each([
    ['UTC', Date.UTC(2024, 2, 10, 6, 59, 59, 999) * 1000, '2024-03-10 06:59:59.999 UTC'],
    ['America/New_York', Date.UTC(2024, 2, 10, 6, 59, 59, 999) * 1000, '2024-03-10 01:59:59.999 EST'],
    ['America/New_York', Date.UTC(2024, 2, 10, 7) * 1000, '2024-03-10 03:00:00.000 EDT'],
    ['Europe/Berlin', Date.UTC(2024, 9, 27, 0, 30) * 1000, '2024-10-27 02:30:00.000 GMT+2'],
    ['Europe/Berlin', Date.UTC(2024, 9, 27, 1, 30) * 1000, '2024-10-27 02:30:00.000 GMT+1'],
  ])('shows an instant as wall time in %s', (zone, us, text) => {
    expect(formatInZone(us, zone)).toBe(text);
  });

  it('keeps data attributes UTC with milliseconds', () => {
    expect(isoUtcMs(Date.UTC(2024, 4, 1, 10) * 1000 + 123_456)).toBe('2024-05-01T10:00:00.123Z');
  });

  it('offers UTC first, then the browser zone, then IANA zones, each once', () => {
    const zones = displayZones();
    expect(zones[0]).toBe('UTC');
    expect(zones[1]).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(zones).toContain('Europe/Berlin');
    expect(new Set(zones).size).toBe(zones.length);
  });
});
