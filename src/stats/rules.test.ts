import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { settled } from '../test/settled';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { AppStore } from '../state/app-store';
import { NO_RULES, type SessionRules } from '../domain/rules';
import { referenceRuleSessions, type RuleEvent } from '../test/reference-rules';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

const MIN = 60_000_000;
const BASE = Date.UTC(2024, 2, 9, 20) * 1000; // the evening before New York's DST change

function csvOf(events: RuleEvent[]): Uint8Array {
  const lines = ['user_id,timestamp,campaign', ...events.map((e) => `${e.user},${e.tsUs},${e.split}`)];
  return new TextEncoder().encode(lines.join('\n'));
}

/** Loads `events` with the given threshold and rules; returns session_id by row and the sessions figure. */
async function appSessions(events: RuleEvent[], gapMinutes: number, rules: SessionRules) {
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest }, gapMinutes);
  const data = csvOf(events);
  await store.loadFile({ name: 'rules.csv', size: data.length, data });
  const mapping = store.getState().dataset?.events.mapping;
  if (!mapping) throw new Error(store.getState().error ?? 'not loaded');
  if (mapping.format !== 'epoch-us') await store.setMapping({ ...mapping, format: 'epoch-us' });
  store.setRules(rules);
  await settled(store);
  const file = await store.queries.exportFile('events', 'csv');
  if (!file) throw new Error(store.getState().error ?? 'no export');
  const rows = Papa.parse<Record<string, string>>(new TextDecoder().decode(await file.bytes()), { header: true, skipEmptyLines: true }).data;
  const byRow = new Map<string, string>();
  for (const r of rows) byRow.set(`${r.user_id}|${r.timestamp}|${r.campaign ?? ''}`, r.session_id ?? '');
  return { byRow, sessions: store.getState().result?.stats.sessions };
}

async function expectMatchesReference(events: RuleEvent[], gapMinutes: number, rules: SessionRules) {
  const expected = referenceRuleSessions(events, {
    thresholdUs: gapMinutes * MIN,
    boundary: rules.boundary,
    maxDurationUs: rules.maxDurationMinutes === null ? null : rules.maxDurationMinutes * MIN,
    maxEvents: rules.maxEvents,
    timeZone: rules.midnightTimeZone,
    split: rules.splitColumn !== null,
  });
  const { byRow, sessions } = await appSessions(events, gapMinutes, rules);
  for (const e of events) expect(byRow.get(`${e.user}|${e.tsUs}|${e.split}`), `row ${e.row}`).toBe(expected.get(e.row));
  expect(sessions).toBe(new Set(expected.values()).size);
}

describe('further session rules agree with the reference', () => {
  const events = (spec: [string, number, string?][]): RuleEvent[] =>
    spec.map(([user, minutes, split], i) => ({ row: i + 1, user, tsUs: BASE + minutes * MIN, split: split ?? '' }));

  it('max duration cuts at start + limit (an event exactly at the limit starts a new session)', async () => {
    await expectMatchesReference(
      events([
        ['a', 0],
        ['a', 20],
        ['a', 40],
        ['a', 60],
        ['a', 61],
      ]),
      30,
      { ...NO_RULES, maxDurationMinutes: 60 },
    );
  });

  it('max events starts event N+1 anew', async () => {
    await expectMatchesReference(
      events([
        ['a', 0],
        ['a', 1],
        ['a', 2],
        ['a', 3],
        ['a', 4],
      ]),
      30,
      { ...NO_RULES, maxEvents: 2 },
    );
  });

  it('midnight in New York, across the DST change', async () => {
    // BASE is 16:00 EDT-less EST (UTC-5) on 9 March; 8 h later is past local midnight.
    await expectMatchesReference(
      events([
        ['a', 0],
        ['a', 200],
        ['a', 300],
        ['a', 420],
        ['a', 480],
      ]),
      600,
      { ...NO_RULES, midnightTimeZone: 'America/New_York' },
    );
  });

  it('a campaign change splits; empty values do not', async () => {
    await expectMatchesReference(
      events([
        ['a', 0, 'x'],
        ['a', 1, ''],
        ['a', 2, 'x'],
        ['a', 3, 'y'],
        ['a', 4, ' '],
        ['a', 5, 'y'],
        ['b', 0, ''],
        ['b', 1, 'z'],
      ]),
      30,
      { ...NO_RULES, splitColumn: 'campaign' },
    );
  });

  it('on random events with every combination of rules', async () => {
    const event = fc.record({
      user: fc.constantFrom('u1', 'u2', 'u3'),
      minutes: fc.oneof(fc.integer({ min: 0, max: 1440 }), fc.constantFrom(0, 30, 60, 90, 300, 301)),
      split: fc.constantFrom('', '', 'google', 'mail', ' '),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 40 }),
        fc.record({
          boundary: fc.constantFrom<'ge' | 'gt'>('ge', 'gt'),
          maxDurationMinutes: fc.option(fc.constantFrom(30, 60, 240), { nil: null }),
          maxEvents: fc.option(fc.constantFrom(1, 2, 5), { nil: null }),
          midnightTimeZone: fc.option(fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'), { nil: null }),
          splitColumn: fc.option(fc.constant('campaign'), { nil: null }),
        }),
        fc.constantFrom(15, 30, 60),
        async (spec, rules, gap) => {
          // Distinct (user, time, campaign) triples, so that export rows map back to events.
          const seen = new Set<string>();
          const list = spec
            .map((e, i) => ({ row: i + 1, user: e.user, tsUs: BASE + e.minutes * MIN + i, split: e.split }))
            .filter((e) => !seen.has(`${e.user}|${e.tsUs}`) && seen.add(`${e.user}|${e.tsUs}`));
          await expectMatchesReference(list, gap, rules);
        },
      ),
      { seed: 11, numRuns: 40 },
    );
  });
});
