import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_RULES, rulesKey } from '../domain/rules';
import { createLocalStatsEngine, type StatsEngine } from '../stats/stats-engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { settled } from '../test/settled';
import { AppStore } from './app-store';
import { clickstreamSource } from '../test/file-source';

/*
 * Defects 1 and 2 of issue 13, found by people using the page, each as the sequence that
 * showed it. (Defects 3 and 4 are in exports.test.ts and dialect-sql.test.ts, 5 in the
 * loader's tests.)
 */

let engine: NodeEngine;
beforeEach(async () => {
  engine = await createNodeEngine();
});
afterEach(() => engine.close());

const clickstream = (name: string, events: number, seed: number) => clickstreamSource(name, events, seed);

/** A store whose stats engine counts the session numberings it is asked for, by threshold and rules. */
function countingStore(): { store: AppStore; numberings: Map<string, number> } {
  const local = createLocalStatsEngine();
  const numberings = new Map<string, number>();
  const stats: StatsEngine = {
    ...local,
    sessionNumbersIpc: (key, thresholdUs, rules) => {
      const asked = `${key}|${thresholdUs}|${rulesKey(rules)}`;
      numberings.set(asked, (numberings.get(asked) ?? 0) + 1);
      return local.sessionNumbersIpc(key, thresholdUs, rules);
    },
  };
  return { store: new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest, stats }), numberings };
}

const newStore = () => new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });

describe('defects of issue 13', () => {
  it('1: with a rule beyond the gap and a timeline shown, "Most sessions" shares the timeline\'s session-number table', async () => {
    // The timeline asks for the numbering first; "Most sessions" asks while it is being made.
    // Before, each missed the cache and made its own table, and whichever finished last
    // dropped the other's while it was in use ("Table session_numbers_N does not exist").
    const { store, numberings } = countingStore();
    await store.loadFile(clickstream('clicks.csv', 5_000, 21));
    store.setRules({ ...NO_RULES, maxEvents: 3 });
    await settled(store);
    const user = (await store.queries.suggestUsers('', 1))[0]?.userId;
    if (!user) throw new Error('no user');
    store.selectUser(user);
    const top = await store.queries.topUsers('sessions');
    // An export and another click at once, at a new threshold, ask for another numbering together.
    store.setGapMinutes(20);
    await settled(store);
    const [again, file] = await Promise.all([
      store.queries.topUsers('sessions'),
      store.queries.exportFile('sessions', 'csv'),
      store.queries.topUsers('sessions'),
    ]);
    await settled(store);
    expect(store.getState().error).toBeNull();
    expect(store.getState().timeline?.userId).toBe(user);
    expect(top.rows.length).toBeGreaterThan(0);
    expect(again.rows.length).toBeGreaterThan(0);
    expect(file).not.toBeNull();
    // Each numbering was made once, however many asked for it at once.
    expect([...numberings.values()]).toEqual([1, 1]);
  });

  it('2: a second file dropped while DuckDB still reads the first is shown, and nothing is lost', async () => {
    const store = newStore();
    const first = store.loadFile(clickstream('first.csv', 20_000, 22));
    await first;
    // The first is on screen from the quick read; DuckDB is still making its tables.
    expect(store.getState().background).not.toBeNull();
    await store.loadFile(clickstream('second.csv', 5_000, 23));
    await settled(store);
    const s = store.getState();
    expect(s.dataset?.raw.fileName).toBe('second.csv');
    expect(s).toMatchObject({ status: 'ready', error: null, background: null });
    expect(s.sqlProblem).toBeNull();
    expect(s.dataset?.events.figures.events).toBe(5_000);
    expect(await store.queries.exportFile('events', 'csv')).not.toBeNull();
  });
});
