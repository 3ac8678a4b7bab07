import fc from 'fast-check';
import type { Boundary, ColumnMapping } from '../domain/types';
import { minutesToUs } from '../domain/threshold';
import type { SqlRules } from '../sql/dialect-rules-sql';
import { referenceRuleSessions, type RuleEvent } from './reference-rules';

/*
 * Random clickstreams and rule settings for running the SQL panel's queries (text and typed
 * input, every rule) on real engines, with the answer of the independent reference
 * (reference-rules.ts, which the page's own sessionizer is tested against). Times sit on a
 * grid of whole minutes, so gaps of exactly the threshold or the maximum duration are common,
 * with ±1 µs neighbours; days around the DST changes of America/New_York.
 */

export interface CaseEvent {
  user: string;
  tsUs: number;
  campaign: string;
}

export interface RuleCase {
  /** In row order (the table's insertion order); not in time order. */
  events: CaseEvent[];
  thresholdMinutes: number;
  boundary: Boundary;
  rules: SqlRules;
  excludeUsersOverEvents: number | null;
}

/** The table every case is written to: row_id (the row's index), user_id, ts, url, campaign. */
export const CASE_COLUMNS = ['row_id', 'user_id', 'ts', 'url', 'campaign'] as const;
export const TEXT_MAPPING: ColumnMapping = { user: 'user_id', timestamp: 'ts', time: '', url: 'url', format: 'iso' };

export const NEW_YORK = 'America/New_York';

const BASES = [
  Date.UTC(2024, 2, 9, 22, 0), // New York springs forward on 2024-03-10 (07:00Z)
  Date.UTC(2024, 10, 2, 22, 0), // and falls back on 2024-11-03 (06:00Z)
  Date.UTC(2024, 4, 1, 1, 30),
];

const eventsArb = (distinctTimes: boolean) =>
  fc
    .record({
      base: fc.constantFrom(...BASES),
      unitMinutes: fc.constantFrom(1, 5, 15),
      events: fc.array(
        fc.record({
          user: fc.constantFrom('a', 'b', 'c 1'),
          step: fc.nat(120),
          nudgeUs: fc.constantFrom(0, 0, 0, 1, -1),
          campaign: fc.constantFrom('', ' ', 'x', 'y'),
        }),
        { minLength: 1, maxLength: 45 },
      ),
    })
    .map(({ base, unitMinutes, events }) => {
      const list = events.map((e) => ({ user: e.user, tsUs: base * 1000 + e.step * unitMinutes * 60_000_000 + e.nudgeUs, campaign: e.campaign }));
      if (!distinctTimes) return list;
      // Engines without a row order take equal timestamps in any order; where that order
      // decides a cut (maximum events, column change), their cases keep instants distinct.
      const seen = new Set<string>();
      return list.filter((e) => {
        const key = `${e.user}@${e.tsUs}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    });

export const rulesArb: fc.Arbitrary<SqlRules> = fc.record({
  maxDurationMinutes: fc.constantFrom(null, 30, 45, 61),
  maxEvents: fc.constantFrom(null, 1, 2, 3, 5),
  midnightTimeZone: fc.constantFrom(null, NEW_YORK, 'UTC', 'Asia/Kolkata'),
  splitColumn: fc.constantFrom(null, 'campaign'),
});

/** A case; `rules` fixes the rules (one rule alone), else random combinations. */
export function ruleCaseArb(options: { rules?: fc.Arbitrary<SqlRules>; orderless?: boolean } = {}): fc.Arbitrary<RuleCase> {
  return fc
    .record({
      thresholdMinutes: fc.constantFrom(30, 10, 60),
      boundary: fc.constantFrom<Boundary>('ge', 'gt'),
      rules: options.rules ?? rulesArb,
      excludeUsersOverEvents: fc.constantFrom(null, null, null, 4, 12),
    })
    .chain((settings) => {
      const orderMatters = options.orderless === true && (settings.rules.maxEvents !== null || settings.rules.splitColumn !== null);
      return eventsArb(orderMatters).map((events) => ({ ...settings, events }));
    });
}

/** One rule alone, for the table of single-rule runs. */
export const SINGLE_RULES: readonly [string, SqlRules][] = [
  ['maximum duration 45 min', { maxDurationMinutes: 45, maxEvents: null, midnightTimeZone: null, splitColumn: null }],
  ['maximum events 3', { maxDurationMinutes: null, maxEvents: 3, midnightTimeZone: null, splitColumn: null }],
  ['midnight in America/New_York', { maxDurationMinutes: null, maxEvents: null, midnightTimeZone: NEW_YORK, splitColumn: null }],
  ['column change', { maxDurationMinutes: null, maxEvents: null, midnightTimeZone: null, splitColumn: 'campaign' }],
  ['no further rule', { maxDurationMinutes: null, maxEvents: null, midnightTimeZone: null, splitColumn: null }],
];

/** ISO 8601 UTC text with microseconds, as the page reads it. */
export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = us - ms * 1000;
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

export function caseRows(c: RuleCase): string[][] {
  return c.events.map((e, row) => [String(row), e.user, isoMicros(e.tsUs), `/p${row}`, e.campaign]);
}

/** session_id of every row the reference keeps (rows of excluded users are absent). */
export function expectedSessionIds(c: RuleCase): Map<number, string> {
  const counts = new Map<string, number>();
  for (const e of c.events) counts.set(e.user, (counts.get(e.user) ?? 0) + 1);
  const limit = c.excludeUsersOverEvents;
  const events: RuleEvent[] = c.events
    .map((e, row) => ({ row, user: e.user, tsUs: e.tsUs, split: e.campaign }))
    .filter((e) => limit === null || (counts.get(e.user) ?? 0) <= limit);
  return referenceRuleSessions(events, {
    thresholdUs: minutesToUs(c.thresholdMinutes),
    boundary: c.boundary,
    maxDurationUs: c.rules.maxDurationMinutes === null ? null : minutesToUs(c.rules.maxDurationMinutes),
    maxEvents: c.rules.maxEvents,
    timeZone: c.rules.midnightTimeZone,
    split: c.rules.splitColumn !== null,
  });
}

/** The sessions export's rows the reference implies: session_id, user_id, start_time, end_time, duration_seconds, event_count. */
export function expectedSessionRows(c: RuleCase): string[][] {
  const ids = expectedSessionIds(c);
  const sessions = new Map<string, { user: string; min: number; max: number; count: number }>();
  for (const [row, id] of ids) {
    const e = c.events[row];
    if (!e) continue;
    const s = sessions.get(id) ?? { user: e.user, min: e.tsUs, max: e.tsUs, count: 0 };
    s.min = Math.min(s.min, e.tsUs);
    s.max = Math.max(s.max, e.tsUs);
    s.count += 1;
    sessions.set(id, s);
  }
  return [...sessions].map(([id, s]) => [
    id,
    s.user,
    new Date(Math.floor(s.min / 1000)).toISOString(),
    new Date(Math.floor(s.max / 1000)).toISOString(),
    String(Math.round((s.max - s.min) / 1000) / 1000),
    String(s.count),
  ]);
}

/** What to compare of a sessions query's row (by the header's names), in expectedSessionRows' order. */
export function sessionRowOf(header: readonly string[], row: readonly unknown[]): string[] {
  const cell = (name: string) => row[header.indexOf(name)];
  return [
    String(cell('session_id')),
    String(cell('user_id')),
    String(cell('start_time')),
    String(cell('end_time')),
    String(Number(cell('duration_seconds'))),
    String(Number(cell('event_count'))),
  ];
}

export const byFirstCell = (a: readonly string[], b: readonly string[]): number => ((a[0] ?? '') < (b[0] ?? '') ? -1 : (a[0] ?? '') > (b[0] ?? '') ? 1 : 0);
