import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SessionRules } from './rules';
import type { UserSessionRow } from './types';
import { sessionBreaks, type BreakRule } from './session-breaks';

const MIN = 60_000_000;
const BASE = Date.UTC(2024, 2, 9, 20) * 1000; // the evening before New York's DST change

const localDate = (zone: string, us: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Math.floor(us / 1000)));

/**
 * One user's events cut the obvious way (as src/test/reference-rules.ts does), noting at each
 * cut every rule that holds there; the sessions as the timeline gets them.
 */
function cut(times: number[], splits: string[], thresholdUs: number, rules: SessionRules) {
  const sessions: UserSessionRow[] = [];
  const fired: BreakRule[][] = [];
  let start = 0;
  let count = 0;
  let last: string | null = null;
  times.forEach((t, i) => {
    const value = splits[i]?.trim() ? (splits[i] as string) : null;
    const why: BreakRule[] = [];
    if (i === 0) why.push('first');
    else {
      const prev = times[i - 1] as number;
      const gap = t - prev;
      if (rules.boundary === 'ge' ? gap >= thresholdUs : gap > thresholdUs) why.push('gap');
      if (rules.maxDurationMinutes !== null && t - start >= rules.maxDurationMinutes * MIN) why.push('max-duration');
      if (rules.maxEvents !== null && count >= rules.maxEvents) why.push('max-events');
      if (rules.midnightTimeZone !== null && localDate(rules.midnightTimeZone, t) > localDate(rules.midnightTimeZone, prev)) why.push('midnight');
      if (rules.splitColumn !== null && value !== null && last !== null && value !== last) why.push('split-column');
    }
    if (why.length > 0) {
      sessions.push({ sessionNumber: sessions.length + 1, startUs: t, endUs: t, eventCount: 0, firstUrl: null, lastUrl: null, gapBeforeUs: null });
      fired.push(why);
      start = t;
      count = 0;
      last = null;
    }
    const s = sessions[sessions.length - 1] as UserSessionRow;
    s.endUs = t;
    s.eventCount++;
    count++;
    if (value !== null) last = value;
  });
  return { sessions, fired };
}

describe('sessionBreaks names the rules that cut each session, as a walk over the events finds them', () => {
  it('on random events with every combination of rules', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ minutes: fc.integer({ min: 0, max: 2000 }), split: fc.constantFrom('', 'google', 'mail') }), { minLength: 1, maxLength: 40 }),
        fc.record({
          boundary: fc.constantFrom<'ge' | 'gt'>('ge', 'gt'),
          maxDurationMinutes: fc.option(fc.constantFrom(30, 90, 240), { nil: null }),
          maxEvents: fc.option(fc.constantFrom(1, 2, 5), { nil: null }),
          midnightTimeZone: fc.option(fc.constantFrom('UTC', 'America/New_York'), { nil: null }),
          splitColumn: fc.option(fc.constant('utm_source'), { nil: null }),
        }),
        fc.constantFrom(10, 30, 60),
        (spec, rules, gap) => {
          const sorted = [...spec].sort((a, b) => a.minutes - b.minutes);
          const { sessions, fired } = cut(
            sorted.map((e) => BASE + e.minutes * MIN),
            sorted.map((e) => e.split),
            gap * MIN,
            rules,
          );
          const breaks = sessionBreaks(sessions, gap * MIN, rules);
          sessions.forEach((s, i) => {
            const why = fired[i] as BreakRule[];
            // The split rule is named only when nothing else explains the cut (its values are not fetched).
            const others = why.filter((r) => r !== 'split-column');
            expect(breaks.get(s.sessionNumber)?.rules, `session ${s.sessionNumber}`).toEqual(others.length > 0 ? others : why);
          });
        },
      ),
      { seed: 19, numRuns: 400 },
    );
  });

  it('says it in words', () => {
    const row = (n: number, startMin: number, endMin: number, events: number): UserSessionRow => ({
      sessionNumber: n,
      startUs: BASE + startMin * MIN,
      endUs: BASE + endMin * MIN,
      eventCount: events,
      firstUrl: null,
      lastUrl: null,
      gapBeforeUs: null,
    });
    const rules: SessionRules = { boundary: 'ge', maxDurationMinutes: null, maxEvents: 2, midnightTimeZone: null, splitColumn: null };
    const breaks = sessionBreaks([row(1, 0, 10, 2), row(2, 40, 45, 2)], 30 * MIN, rules);
    expect(breaks.get(1)?.text).toBe("the user's first event");
    expect(breaks.get(2)?.text).toBe('gap 30 min ≥ 30 min; the session held its maximum of 2 events');
  });
});
