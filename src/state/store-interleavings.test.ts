import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { minutesToUs } from '../domain/threshold';
import { NO_RULES } from '../domain/rules';
import { inProcessIngest } from '../ingest/row-ingest';
import { createLocalStatsEngine, type StatsEngine } from '../stats/stats-engine';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { referenceSessionize, referenceSessionStats } from '../test/reference-sessionizer';
import { settled } from '../test/settled';
import { AppStore, type AppState } from './app-store';
import type { FileSource } from './raw-table';

/*
 * The store under every order of completion fast-check's scheduler tries: each call the
 * store makes to DuckDB and to the stats engine resolves when the scheduler says, so loads,
 * mapping changes, appends, removals, exports, timeline and most-active requests, and
 * threshold and rule changes overlap in orders no timing test would reach. Reads may fail
 * (a file DuckDB cannot take over, a file with no timestamps). Properties:
 * - the dataset shown is always one that finished loading (or none), with its handle alive;
 * - no table is used after it is dropped;
 * - every job ends;
 * - once settled, the figures shown equal the reference sessionizer's for the file and
 *   threshold shown.
 */

let real: NodeEngine;
beforeAll(async () => {
  real = await createNodeEngine();
});
afterAll(() => real.close());

interface TestFile {
  source: FileSource;
  /** The rows, for the reference (null: a file that must fail to load). */
  rows: { user: string; ts: string }[] | null;
}

function file(name: string, rows: { user: string; ts: string }[] | null, text?: string): TestFile {
  const body = text ?? `user_id,timestamp,url\n${(rows ?? []).map((r, i) => `${r.user},${r.ts},/p${i % 3}`).join('\n')}\n`;
  const data = new TextEncoder().encode(body);
  return { source: { name, size: data.length, data }, rows };
}

const at = (minutes: number) => new Date(Date.UTC(2024, 4, 1, 10) + minutes * 60_000).toISOString();
const rowsOf = (users: string[], minutes: number[]) => minutes.map((m, i) => ({ user: users[i % users.length] ?? 'u', ts: at(m) }));

const FILES: TestFile[] = [
  file('a.csv', rowsOf(['u1', 'u2'], [0, 5, 31, 40, 100, 130, 131, 200])),
  file('b.csv', rowsOf(['v1', 'v2', 'v3'], [0, 1, 2, 30, 60, 61, 62, 300, 301])),
  file('c.csv', rowsOf(['w1'], [0, 29, 59, 90, 150])),
  file('bad.csv', null, 'user_id,colour\nu1,red\nu2,blue\n'),
];
const LATE = file('late.csv', rowsOf(['u1', 'u9'], [1, 45, 46]));

type Op =
  | { kind: 'load'; file: number; handoverFails: boolean }
  | { kind: 'gap'; minutes: number }
  | { kind: 'rules' }
  | { kind: 'mapping' }
  | { kind: 'append' }
  | { kind: 'remove' }
  | { kind: 'export' }
  | { kind: 'timeline' }
  | { kind: 'top' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('load' as const), file: fc.integer({ min: 0, max: FILES.length - 1 }), handoverFails: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('gap' as const), minutes: fc.constantFrom(1, 10, 30, 45, 120) }) },
  fc.constant({ kind: 'rules' as const }),
  fc.constant({ kind: 'mapping' as const }),
  fc.constant({ kind: 'append' as const }),
  fc.constant({ kind: 'remove' as const }),
  fc.constant({ kind: 'export' as const }),
  fc.constant({ kind: 'timeline' as const }),
  fc.constant({ kind: 'top' as const }),
);

/** Table names a statement mentions (the app quotes every table name). */
const quotedNames = (sql: string) => new Set([...sql.matchAll(/"([a-z_]+_\d+(?:_\d+)?(?:_[a-z]+)?)"/g)].map((m) => m[1] as string));

describe('the store under any interleaving', () => {
  const storeProperty = () =>
    fc.asyncProperty(fc.scheduler(), fc.array(opArb, { minLength: 1, maxLength: 6 }), async (s, ops) => {
      const dropped = new Set<string>();
      const usedAfterDrop: string[] = [];
      /** Files whose hand-over to DuckDB fails (their SQL side: the figures stay), and each read's file. */
      const failingHandover = new Set<string>();
      const fileOfRead = new Map<string, string>();
      const check = (sql: string) => {
        const changes = [...sql.matchAll(/(DROP TABLE IF EXISTS|CREATE (?:OR REPLACE )?(?:TEMP )?TABLE|RENAME TO) "([^"]+)"/g)];
        const made = new Set(changes.filter((m) => !m[1]?.startsWith('DROP')).map((m) => m[2] as string));
        if (changes.length === 0 || made.size > 0) {
          for (const name of quotedNames(sql)) if (dropped.has(name) && !made.has(name)) usedAfterDrop.push(`${name} in ${sql.slice(0, 80)}`);
        }
        for (const [, what, name] of changes) {
          if (what?.startsWith('DROP')) dropped.add(name as string);
          else dropped.delete(name as string);
        }
      };
      // Each statement runs when the scheduler lets it start, so statements of different jobs
      // reach DuckDB in any order (a drop before another job's query, or after).
      const later = <T>(label: string, run: () => Promise<T>): Promise<T> => s.schedule(Promise.resolve(label), label).then(run);
      const engine: Engine = {
        ...real,
        query: <Row extends object>(sql: string) =>
          later('query', () => {
            check(sql);
            return real.query<Row>(sql);
          }),
        queryIpc: (sql) =>
          later('queryIpc', () => {
            check(sql);
            return real.queryIpc(sql);
          }),
        // An export's COPY stalls until every dataset job has ended: the dataset it reads is
        // replaced (and disposed) while it is still under way.
        exec: (sql) =>
          later('exec', async () => {
            if (/^COPY \(/.test(sql)) await jobsEnded;
            check(sql);
            return real.exec(sql);
          }),
        registerFile: (name, data) => {
          const read = FILES.find((f) => f.source.data === data);
          if (read) fileOfRead.set(name.replace(/^upload_(\d+)\.csv$/, 'handover_$1'), read.source.name);
          return real.registerFile(name, data);
        },
        insertArrowIpc: (table, ipc, create) => {
          if (failingHandover.has(fileOfRead.get(table) ?? '')) return later('handover', () => Promise.reject(new Error('simulated hand-over failure')));
          return later('insert', () => {
            if (create) dropped.delete(table);
            return real.insertArrowIpc(table, ipc, create);
          });
        },
      };
      const local = createLocalStatsEngine();
      const stats: StatsEngine = Object.fromEntries(
        Object.entries(local).map(([name, call]) => [name, (...args: unknown[]) => s.schedule((call as (...a: unknown[]) => Promise<unknown>)(...args), name)]),
      ) as unknown as StatsEngine;
      const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest, stats });

      const shownProblems: string[] = [];
      store.subscribe(() => {
        const st = store.getState() as AppState & { handle?: { disposed: boolean } | null };
        if (st.dataset && st.handle?.disposed) shownProblems.push(`${st.dataset.raw.fileName} shown after its handle was disposed`);
        if (st.dataset && !st.result) shownProblems.push(`${st.dataset.raw.fileName} shown without figures`);
      });

      const pending: Promise<unknown>[] = [];
      /** The dataset jobs (loads, mapping changes, appends, removals), apart from lookups and exports. */
      const jobs: Promise<unknown>[] = [];
      let endJobs = () => {};
      const jobsEnded = new Promise<void>((resolve) => {
        endJobs = resolve;
      });
      /** The file of the last dataset job asked for, when it was a load (latest wins). */
      let lastLoad: TestFile | null = null;
      const perform = (op: Op): void => {
        if ((op.kind === 'mapping' || op.kind === 'append' || op.kind === 'remove') && store.getState().dataset) lastLoad = null;
        switch (op.kind) {
          case 'load': {
            const f = FILES[op.file] as TestFile;
            if (op.handoverFails) failingHandover.add(f.source.name);
            lastLoad = f;
            jobs.push(store.loadFile(f.source));
            return;
          }
          case 'gap':
            store.setGapMinutes(op.minutes);
            return;
          case 'rules':
            store.setRules({ ...NO_RULES, maxEvents: 2 });
            return;
          case 'mapping': {
            const m = store.getState().dataset?.events.mapping;
            if (m) jobs.push(store.setMapping({ ...m, url: m.url ? '' : 'url' }));
            return;
          }
          case 'append':
            jobs.push(store.appendFile(LATE.source));
            return;
          case 'remove':
            jobs.push(store.removeFile(1));
            return;
          case 'export':
            pending.push(store.queries.exportFile('sessions', 'csv'));
            return;
          case 'timeline':
            store.selectUser('u1');
            return;
          case 'top':
            pending.push(store.queries.topUsers('sessions'));
            return;
        }
      };
      // A dataset on screen first, then each action is taken when the scheduler says: between
      // any two completions of the work already under way.
      perform({ kind: 'load', file: 0, handoverFails: false });
      await s.waitFor(settled(store));
      const actions = s.scheduleSequence(ops.map((op) => ({ label: op.kind, builder: async () => perform(op) })));
      await s.waitFor(actions.task);
      // Every job and request ends, whatever order their steps complete in.
      await s.waitFor(Promise.all(jobs));
      // Whatever the jobs' ends set going (disposing the datasets they replaced) runs first.
      await s.waitAll();
      endJobs();
      await s.waitFor(Promise.all(pending));
      await s.waitFor(settled(store));
      await s.waitAll();

      // Whatever is shown is whole: its DuckDB tables answer (or it says why it has none).
      const final = store.getState();
      if (final.dataset && final.sqlProblem === null) {
        const exported = store.queries.exportFile('events', 'csv');
        await s.waitFor(exported);
        expect(await exported, store.getState().error ?? '').not.toBeNull();
      }
      expect(shownProblems).toEqual([]);
      expect(usedAfterDrop).toEqual([]);
      const st = store.getState();
      if (process.env.DEBUG_INTERLEAVINGS) console.log(JSON.stringify(ops), st.status, st.dataset?.raw.fileName, st.error, st.sqlProblem);
      expect(st.status).not.toBe('loading');
      // The last load asked for wins when it can be read; a file that cannot leaves an error naming it.
      const last = lastLoad as TestFile | null;
      if (last?.rows) expect(st.dataset?.raw.fileName).toBe(last.source.name);
      if (last && !last.rows) expect(st.error).toMatch(new RegExp(`^${last.source.name}: `));
      if (!st.dataset || !st.result) return;
      // The figures shown are the reference's for the file shown (a file with an appended
      // or removed file, or another mapping, is compared by its events only).
      const shown = FILES.find((f) => f.source.name === st.dataset?.raw.fileName);
      const plain = st.dataset.files.length === 1 && st.dataset.events.mapping.user === 'user_id' && st.result.rules.maxEvents === null;
      if (shown?.rows && plain) {
        const reference = referenceSessionize(
          shown.rows.map((r, i) => ({ row: i + 1, user: r.user, ts: r.ts })),
          'iso',
          minutesToUs(st.result.gapMinutes),
          'ge',
        );
        const expected = referenceSessionStats(reference.events);
        expect(st.result.stats.sessions).toBe(expected.sessions);
        expect(st.dataset.events.figures.events).toBe(reference.events.length);
        expect(st.result.gapMinutes).toBe(st.gapMinutes);
      }
    });

  it('shows only finished datasets, never uses a dropped table, ends every job, and shows the reference figures', async () => {
    await fc.assert(storeProperty(), { numRuns: 40 });
  }, 240_000);

  // Found in CI: a rules change computed for the dataset a mapping change was replacing failed
  // ("no columns are loaded"), and the views loop stopped, leaving the new dataset 'loading'
  // for ever (ops: timeline, mapping, rules).
  it('computes the views of the dataset shown when a view of the one it replaced fails', async () => {
    await fc.assert(storeProperty(), { seed: -1264677661, path: '340', numRuns: 1, endOnFailure: true, timeout: 60_000 });
  }, 120_000);
});
