import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { NO_RULES, type SessionRules } from '../domain/rules';
import { createLocalStatsEngine } from './stats-engine';
import { addSummaryCounts, summaryOfCounts, type SummaryCounts } from './session-stats';

/*
 * The preset comparison asks for a summary in parts (users whose events start in a range),
 * so that a threshold change can come between two requests: the parts must add up to the
 * summary of the whole, whatever the part size and the rules.
 */

const MIN = 60_000_000;

/** Events of users, each a list of gaps (µs) after a first event at its own start time. */
function eventsIpc(users: { startUs: number; gaps: number[] }[]) {
  const gap: number[] = [];
  const ts: number[] = [];
  for (const u of users) {
    let t = u.startUs;
    gap.push(-1);
    ts.push(t);
    for (const g of u.gaps) {
      t += g;
      gap.push(g);
      ts.push(t);
    }
  }
  const row = ts.map((_, i) => i + 1);
  return tableToIPC(tableFromArrays({ gap: Float64Array.from(gap), ts: Float64Array.from(ts), row: Float64Array.from(row) }));
}

const RULES: SessionRules[] = [
  NO_RULES,
  { ...NO_RULES, boundary: 'gt' },
  { ...NO_RULES, maxDurationMinutes: 45, maxEvents: 5 },
  { ...NO_RULES, midnightTimeZone: 'America/New_York' },
  { ...NO_RULES, midnightTimeZone: 'Asia/Kolkata', maxEvents: 3, boundary: 'gt' },
];

describe('summaryCountsPart', () => {
  it('adds up, part by part, to the summary of all the events, for any part size and rules', async () => {
    const gap = fc.oneof(fc.constantFrom(30 * MIN, 30 * MIN + 1, 30 * MIN - 1, 0), fc.integer({ min: 0, max: 20 * 60 * MIN }));
    const user = fc.record({ startUs: fc.integer({ min: 1.7e15, max: 1.7e15 + 1e11 }), gaps: fc.array(gap, { maxLength: 15 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(user, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(...RULES),
        async (users, partEvents, rules) => {
          const stats = createLocalStatsEngine();
          await stats.load('e', eventsIpc(users), users.length);
          const whole = await stats.computeSummary('e', 30 * MIN, rules);
          let counts: SummaryCounts = { sessions: 0, singles: 0, durationUs: 0 };
          let parts = 0;
          for (let from = 0, events = 1; from < events; parts++) {
            const part = await stats.summaryCountsPart('e', 30 * MIN, rules, from, from + partEvents);
            expect(part.end).toBeGreaterThan(from);
            counts = addSummaryCounts(counts, part.counts);
            events = part.events;
            from = part.end;
          }
          expect(summaryOfCounts(counts)).toEqual(whole);
          expect(parts).toBeLessThanOrEqual(users.length);
        },
      ),
      { numRuns: 150 },
    );
  });
});
