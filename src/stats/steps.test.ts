import { describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { Rng } from '../../scripts/clickstream-generator.mjs';
import { NO_RULES } from '../domain/rules';
import { NO_SESSION_FILTER, type SessionPageQuery } from '../domain/session-list';
import { createLocalStatsEngine } from './stats-engine';
import { runStepsPausing, sortSteps, runSteps, type Steps, type StepsRunner } from './steps';

describe('sortSteps', () => {
  it.each([0, 1, 65_535, 65_536, 65_537, 200_003])('sorts %i items stably, as Array.prototype.sort does', (n) => {
    const rng = new Rng(n + 1);
    const items = Array.from({ length: n }, (_, i) => ({ key: Math.floor(rng.next() * 1000), i }));
    const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
    const sorted = runSteps(sortSteps(items, byKey));
    expect(sorted).toEqual([...items].sort(byKey));
    expect(items.map((x) => x.i)).toEqual(Array.from({ length: n }, (_, i) => i));
  });
});

describe('runStepsPausing', () => {
  it('gives way between slices and returns what the steps return', async () => {
    let pauses = 0;
    function* busy(): Steps<string> {
      for (let step = 0; step < 4; step++) {
        const until = performance.now() + 10;
        while (performance.now() < until) {
          // a slice of work longer than a slice
        }
        yield;
      }
      return 'done';
    }
    const run = runStepsPausing(async () => {
      pauses++;
    });
    expect(await run(busy())).toBe('done');
    expect(pauses).toBeGreaterThanOrEqual(3);
  });
});

/** The columns of `users` users with `perUser` events each (gaps of 1 to 60 minutes), and the users' ids, as the worker receives them. */
function columnsIpc(users: number, perUser: number) {
  const n = users * perUser;
  const gap = new Float64Array(n);
  const ts = new Float64Array(n);
  const row = new Float64Array(n);
  const rng = new Rng(7);
  for (let i = 0; i < n; i++) {
    const first = i % perUser === 0;
    // Gaps of 1 to 60 minutes: the 30 minute threshold cuts about half of them.
    gap[i] = first ? -1 : Math.floor(1 + rng.next() * 60) * 60e6;
    ts[i] = first ? (i / perUser) * 1e6 : (ts[i - 1] as number) + (gap[i] as number);
    row[i] = i + 1;
  }
  const ids = Array.from({ length: users }, (_, u) => `user-${String(users - u).padStart(6, '0')}`);
  return {
    events: tableToIPC(tableFromArrays({ gap, ts, row })),
    userIds: tableToIPC(tableFromArrays({ row: Float64Array.from(ids, (_, u) => u * perUser + 1), user_id: ids })),
  };
}

describe('a session view made in steps', () => {
  const query: SessionPageQuery = { filter: NO_SESSION_FILTER, sort: 'start', direction: 'asc', offset: 0, limit: 5 };

  it("lets a threshold change's figures through, and answers as the engine that runs it at once", async () => {
    const { events, userIds } = columnsIpc(20_000, 20);
    let pauses = 0;
    // The worker's pause, played by a macrotask at every step (not every 8 ms, so the
    // test does not depend on this machine's speed): requests made meanwhile run first.
    const everyStep: StepsRunner = async (steps) => {
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        pauses++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const pausing = createLocalStatsEngine(everyStep);
    const atOnce = createLocalStatsEngine();
    for (const stats of [pausing, atOnce]) {
      await stats.load('k', events.slice(), 20_000);
      await stats.loadUserIds('k', userIds.slice());
    }
    const answered: string[] = [];
    const page = pausing.sessionPage('k', 30 * 60e6, NO_RULES, query).then((p) => {
      answered.push('page');
      return p;
    });
    // Asked after the page, answered before it: the page gives way while it runs.
    await new Promise((resolve) => setImmediate(resolve));
    const figures = await pausing.computeWithViews('k', 5 * 60e6, NO_RULES);
    answered.push('figures');
    expect(await page).toEqual(await atOnce.sessionPage('k', 30 * 60e6, NO_RULES, query));
    expect(figures).toEqual(await atOnce.computeWithViews('k', 5 * 60e6, NO_RULES));
    expect(answered).toEqual(['figures', 'page']);
    expect(pauses).toBeGreaterThan(0);
    // Sessions over time after the page: one view at a time, the table reused, the same answer.
    expect(await pausing.sessionsOverTime('k', 30 * 60e6, NO_RULES, 'UTC', 'day')).toEqual(
      await atOnce.sessionsOverTime('k', 30 * 60e6, NO_RULES, 'UTC', 'day'),
    );
  });
});
