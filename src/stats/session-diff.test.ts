import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NO_RULES, type SessionRules } from '../domain/rules';
import { localDayIndex, localMidnightsUs } from '../domain/midnights';
import { referenceRuleSessions, type ReferenceRules, type RuleEvent } from '../test/reference-rules';
import { referenceDiff } from '../test/reference-diff';
import { markSessionStarts, type RuleInputs } from './session-stats';
import { sessionDiff } from './session-diff';

const MIN = 60_000_000;
const BASE = Date.UTC(2024, 2, 9, 20) * 1000; // the evening before New York's DST change

/** The events as the stats worker holds them: by user, then time and row. */
function columnsOf(events: RuleEvent[]) {
  const sorted = [...events].sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : a.tsUs - b.tsUs || a.row - b.row));
  const n = sorted.length;
  const gaps = new Float64Array(n);
  const times = new Float64Array(n);
  const rows = new Float64Array(n);
  const codes = new Int32Array(n);
  const dictionary = new Map<string, number>();
  sorted.forEach((e, i) => {
    const prev = sorted[i - 1];
    gaps[i] = prev && prev.user === e.user ? e.tsUs - prev.tsUs : -1;
    times[i] = e.tsUs;
    rows[i] = e.row;
    if (e.split.trim() === '') codes[i] = -1;
    else {
      if (!dictionary.has(e.split)) dictionary.set(e.split, dictionary.size);
      codes[i] = dictionary.get(e.split) as number;
    }
  });
  const users = new Set(events.map((e) => e.user)).size;
  const inputs = (r: SessionRules): RuleInputs => {
    if (r.midnightTimeZone === null) return { localDays: null, splitCodes: codes };
    const midnights = localMidnightsUs(r.midnightTimeZone, Math.min(...times), Math.max(...times));
    return { localDays: Int32Array.from(times, (t) => localDayIndex(midnights, t)), splitCodes: codes };
  };
  return { columns: { gaps, times, rows, users }, inputs, sorted };
}

const reference = (rules: SessionRules, gapMinutes: number): ReferenceRules => ({
  thresholdUs: gapMinutes * MIN,
  boundary: rules.boundary,
  maxDurationUs: rules.maxDurationMinutes === null ? null : rules.maxDurationMinutes * MIN,
  maxEvents: rules.maxEvents,
  timeZone: rules.midnightTimeZone,
  split: rules.splitColumn !== null,
});

function compare(events: RuleEvent[], a: { gap: number; rules: SessionRules }, b: { gap: number; rules: SessionRules }) {
  const { columns, inputs, sorted } = columnsOf(events);
  const startsA = markSessionStarts(columns, a.gap * MIN, a.rules, inputs(a.rules));
  const startsB = markSessionStarts(columns, b.gap * MIN, b.rules, inputs(b.rules));
  const diff = sessionDiff(columns.gaps, columns.rows, startsA, startsB, 1000);
  const expected = referenceDiff(events, referenceRuleSessions(events, reference(a.rules, a.gap)), referenceRuleSessions(events, reference(b.rules, b.gap)));
  const userOfRow = new Map(sorted.map((e) => [e.row, e.user]));
  const changed = diff.changedUsers.map((u) => userOfRow.get(u.row)).sort();
  return { diff, expected, changed };
}

const RULES = fc.record({
  boundary: fc.constantFrom<'ge' | 'gt'>('ge', 'gt'),
  maxDurationMinutes: fc.option(fc.constantFrom(30, 60, 240), { nil: null }),
  maxEvents: fc.option(fc.constantFrom(1, 2, 5), { nil: null }),
  midnightTimeZone: fc.option(fc.constantFrom('UTC', 'America/New_York'), { nil: null }),
  splitColumn: fc.option(fc.constant('campaign'), { nil: null }),
});

const EVENTS = fc
  .array(
    fc.record({
      user: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
      minutes: fc.oneof(fc.integer({ min: 0, max: 1440 }), fc.constantFrom(0, 10, 30, 60, 90)),
      split: fc.constantFrom('', '', 'google', 'mail', ' '),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((spec) => spec.map((e, i): RuleEvent => ({ row: i + 1, user: e.user, tsUs: BASE + e.minutes * MIN, split: e.split })));

describe('sessionDiff (the worker) agrees with the reference sessionizer', () => {
  it('between two thresholds with the same rules: sessions, sessions in one cut only, users changed', () => {
    fc.assert(
      fc.property(EVENTS, RULES, fc.constantFrom(5, 15, 30), fc.constantFrom(30, 60, 120), (events, rules, low, high) => {
        const { diff, expected, changed } = compare(events, { gap: low, rules }, { gap: high, rules });
        expect({ ...diff, changedUsers: changed }).toEqual({ ...expected, usersChanged: expected.usersChanged.length, changedUsers: expected.usersChanged });
      }),
      { seed: 16, numRuns: 300 },
    );
  });

  it('between two sets of rules (a preset against the current settings)', () => {
    fc.assert(
      fc.property(EVENTS, RULES, RULES, fc.constantFrom(15, 30), (events, rulesA, rulesB, gap) => {
        const { diff, expected, changed } = compare(events, { gap, rules: rulesA }, { gap, rules: rulesB });
        expect({ ...diff, changedUsers: changed }).toEqual({ ...expected, usersChanged: expected.usersChanged.length, changedUsers: expected.usersChanged });
      }),
      { seed: 17, numRuns: 300 },
    );
  });

  it('with the gap rule alone, every session at the higher threshold is a union of sessions at the lower', () => {
    // u: 0, 10, 40, 45, 100 (gaps 10, 30, 5, 55). At 30: {0,10} {40,45} {100}; at 60: one session.
    const events: RuleEvent[] = [0, 10, 40, 45, 100].map((m, i) => ({ row: i + 1, user: 'u', tsUs: BASE + m * MIN, split: '' }));
    const { diff } = compare(events, { gap: 30, rules: NO_RULES }, { gap: 60, rules: NO_RULES });
    expect(diff).toMatchObject({ sessionsA: 3, sessionsB: 1, onlyA: 3, onlyB: 1, usersChanged: 1 });
    expect(diff.changedUsers).toEqual([{ row: 1, sessionsA: 3, sessionsB: 1 }]);
  });

  it('lists at most `limit` changed users but counts them all', () => {
    const events: RuleEvent[] = ['a', 'b', 'c'].flatMap((user, u) => [0, 45].map((m, i) => ({ row: u * 2 + i + 1, user, tsUs: BASE + m * MIN, split: '' })));
    const { columns } = columnsOf(events);
    const diff = sessionDiff(columns.gaps, columns.rows, markSessionStarts(columns, 30 * MIN, NO_RULES), markSessionStarts(columns, 60 * MIN, NO_RULES), 2);
    expect(diff.usersChanged).toBe(3);
    expect(diff.changedUsers.map((u) => u.row)).toEqual([1, 3]);
  });
});
