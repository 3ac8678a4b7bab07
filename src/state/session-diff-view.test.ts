import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { settled } from '../test/settled';
import { NO_RULES, type SessionRules } from '../domain/rules';
import { PRESETS, presetRules } from '../domain/presets';
import { referenceRuleSessions, type ReferenceRules, type RuleEvent } from '../test/reference-rules';
import { referenceDiff } from '../test/reference-diff';
import { AppStore } from './app-store';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterAll(() => engine.close());

const MIN = 60_000_000;
const BASE = Date.UTC(2024, 2, 9, 20) * 1000;

function csvOf(events: RuleEvent[]): Uint8Array {
  const lines = ['user_id,timestamp,utm_source', ...events.map((e) => `${e.user},${new Date(e.tsUs / 1000).toISOString()},${e.split}`)];
  return new TextEncoder().encode(lines.join('\n'));
}

const reference = (rules: SessionRules, gapMinutes: number): ReferenceRules => ({
  thresholdUs: gapMinutes * MIN,
  boundary: rules.boundary,
  maxDurationUs: rules.maxDurationMinutes === null ? null : rules.maxDurationMinutes * MIN,
  maxEvents: rules.maxEvents,
  timeZone: rules.midnightTimeZone,
  split: rules.splitColumn !== null,
});

async function loaded(events: RuleEvent[], gapMinutes: number, rules: SessionRules): Promise<AppStore> {
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest }, gapMinutes);
  const data = csvOf(events);
  await store.loadFile({ name: 'diff.csv', size: data.length, data });
  store.setRules(rules);
  await settled(store);
  return store;
}

/** The diff on the page and its changed users' ids, against the reference's. */
async function expectDiff(store: AppStore, events: RuleEvent[], a: [number, SessionRules], b: [number, SessionRules]) {
  await settled(store);
  const view = store.getState().sessionDiff;
  if (!view) throw new Error(store.getState().error ?? 'no comparison');
  const expected = referenceDiff(events, referenceRuleSessions(events, reference(a[1], a[0])), referenceRuleSessions(events, reference(b[1], b[0])));
  const ids = await store.queries.usersOfRows(view.diff.changedUsers.map((u) => u.row));
  expect({
    sessionsA: view.diff.sessionsA,
    sessionsB: view.diff.sessionsB,
    onlyA: view.diff.onlyA,
    onlyB: view.diff.onlyB,
    usersChanged: view.diff.changedUsers.map((u) => ids.get(u.row)).sort(),
  }).toEqual(expected);
  expect(view.diff.usersChanged).toBe(expected.usersChanged.length);
  expect(store.getState().result?.stats.sessions).toBe(expected.sessionsA);
  return { view, expected };
}

describe('the compared threshold (store, stats worker and DuckDB) agrees with the reference sessionizer', () => {
  it('a known answer: 3 sessions at 30 min become 1 at 60 min (merged 3), one user of two changes', async () => {
    // u1: 0, 10, 40, 45, 100 min (gaps 10, 30, 5, 55); u2: 0, 5 (never changes).
    const events: RuleEvent[] = [
      ...[0, 10, 40, 45, 100].map((m, i) => ({ row: i + 1, user: 'u1', tsUs: BASE + m * MIN, split: '' })),
      ...[0, 5].map((m, i) => ({ row: i + 6, user: 'u2', tsUs: BASE + m * MIN, split: '' })),
    ];
    const store = await loaded(events, 30, NO_RULES);
    store.setCompareGapMinutes(60);
    const { view } = await expectDiff(store, events, [30, NO_RULES], [60, NO_RULES]);
    expect(view.merged).toBe(3);
    expect(view.diff).toMatchObject({ sessionsA: 4, sessionsB: 2, usersChanged: 1 });
    // The threshold moves: the comparison follows (now 60 against 30; merged still counts the lower's).
    store.setGapMinutes(60);
    store.setCompareGapMinutes(30);
    const moved = await expectDiff(store, events, [60, NO_RULES], [30, NO_RULES]);
    expect(moved.view.merged).toBe(3);
    store.setCompareGapMinutes(null);
    await settled(store);
    expect(store.getState().sessionDiff).toBeNull();
  });

  it('on random events, with rules on, against a second threshold and against a preset', async () => {
    const event = fc.record({
      user: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5'),
      minutes: fc.integer({ min: 0, max: 2000 }),
      split: fc.constantFrom('', 'google', 'mail'),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 50 }),
        fc.record({
          boundary: fc.constantFrom<'ge' | 'gt'>('ge', 'gt'),
          maxDurationMinutes: fc.option(fc.constantFrom(60, 240), { nil: null }),
          maxEvents: fc.option(fc.constantFrom(2, 5), { nil: null }),
          midnightTimeZone: fc.option(fc.constant('America/New_York'), { nil: null }),
          splitColumn: fc.option(fc.constant('utm_source'), { nil: null }),
        }),
        fc.constantFrom(10, 30),
        fc.constantFrom(5, 60, 240),
        async (spec, rules, gap, compared) => {
          // Distinct (user, instant) pairs: the CSV's rows are then the events in any order.
          const seen = new Set<string>();
          const events = spec
            .map((e, i): RuleEvent => ({ row: i + 1, user: e.user, tsUs: BASE + e.minutes * MIN, split: e.split }))
            .filter((e) => !seen.has(`${e.user}|${e.tsUs}`) && seen.add(`${e.user}|${e.tsUs}`))
            .map((e, i) => ({ ...e, row: i + 1 }));
          const store = await loaded(events, gap, rules);
          store.setCompareGapMinutes(compared);
          await expectDiff(store, events, [gap, rules], [compared, rules]);
          const matomo = PRESETS.find((p) => p.id === 'matomo');
          if (!matomo) throw new Error('no Matomo preset');
          store.setPresetContext('America/New_York', 'utm_source');
          store.setComparePreset('matomo');
          await expectDiff(store, events, [gap, rules], [matomo.gapMinutes, presetRules(matomo, 'America/New_York', 'utm_source')]);
        },
      ),
      { seed: 18, numRuns: 12 },
    );
  }, 120_000);
});
