import { describe, expect, it } from 'vitest';
import { localDayIndex, localMidnightsUs, offsetMs } from './midnights';

const us = (iso: string) => Date.parse(iso) * 1000;

describe('local midnights', () => {
  it('UTC midnights are whole days', () => {
    const m = localMidnightsUs('UTC', us('2024-05-01T10:00:00Z'), us('2024-05-02T10:00:00Z'));
    expect(m).toContain(us('2024-05-01T00:00:00Z'));
    expect(m).toContain(us('2024-05-02T00:00:00Z'));
  });

  it('New York midnights move with daylight saving time', () => {
    const m = localMidnightsUs('America/New_York', us('2024-03-09T12:00:00Z'), us('2024-03-11T12:00:00Z'));
    expect(m).toContain(us('2024-03-10T05:00:00Z')); // EST, UTC-5
    expect(m).toContain(us('2024-03-11T04:00:00Z')); // EDT, UTC-4
  });

  it('a zone whose DST jump skips midnight starts the day at the jump', () => {
    // America/Santiago 2024-09-08: clocks go from 00:00 to 01:00 (UTC-4 -> UTC-3).
    const m = localMidnightsUs('America/Santiago', us('2024-09-07T12:00:00Z'), us('2024-09-09T12:00:00Z'));
    expect(m).toContain(us('2024-09-08T04:00:00Z'));
    expect(offsetMs('America/Santiago', Date.parse('2024-09-08T04:00:00Z'))).toBe(-3 * 3600_000);
  });

  it('counts the local day of an instant', () => {
    const m = localMidnightsUs('Asia/Kolkata', us('2024-05-01T00:00:00Z'), us('2024-05-03T00:00:00Z'));
    // 18:29:59 UTC is 23:59:59 IST; 18:30 UTC is the next local day.
    expect(localDayIndex(m, us('2024-05-01T18:30:00Z')) - localDayIndex(m, us('2024-05-01T18:29:59Z'))).toBe(1);
    expect(localDayIndex(m, us('2024-05-01T18:29:59Z')) - localDayIndex(m, us('2024-05-01T00:00:00Z'))).toBe(0);
  });
});
