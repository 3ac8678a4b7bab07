import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { generateClickstream } from '../../scripts/clickstream-generator.mjs';
import type { Engine } from '../engine/engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { QUICK_READ_SPLIT_FROM_BYTES } from '../ingest/quick-read';
import { createLocalStatsEngine, type StatsEngine } from '../stats/stats-engine';
import { NO_RULES } from '../domain/rules';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { settled } from '../test/settled';
import { AppStore, type AppState } from './app-store';
import type { QuickLoaded } from './load-pipeline';
import type { FileSource } from './dataset-loader';

/*
 * The quick first read as the store uses it: a clean CSV file's figures are on screen before
 * DuckDB has read the file, DuckDB's tables follow, and whatever DuckDB says wins.
 */

let engine: NodeEngine;
beforeEach(async () => {
  engine = await createNodeEngine();
});
afterEach(() => engine.close());

function csv(name: string, text: string): FileSource {
  const data = new TextEncoder().encode(text);
  return { name, size: data.length, data };
}

function clickstream(name: string, events: number, seed: number): FileSource {
  return csv(name, `${[...generateClickstream({ seed, events, outOfOrder: 0.05 })].join('\n')}\n`);
}

const CLEAN = clickstream('clean.csv', 20_000, 3);
const OTHER = clickstream('other.csv', 5_000, 4);

function newStore(stats: StatsEngine = createLocalStatsEngine(), engineUsed: Engine = engine): AppStore {
  return new AppStore({ engine: Promise.resolve(engineUsed), ingestRows: inProcessIngest, stats });
}

/** A stats engine that never reads files itself: DuckDB's path alone. */
function withoutQuickRead(): StatsEngine {
  return { ...createLocalStatsEngine(), quickPlan: async () => ({ ok: false, reason: 'switched off for the test' }) };
}

/** Every state the store showed as ready, for asserting what was on screen on the way. */
function readyStates(store: AppStore): AppState[] {
  const states: AppState[] = [];
  store.subscribe(() => {
    const s = store.getState();
    if (s.status === 'ready') states.push(s);
  });
  return states;
}

async function tableCount(): Promise<number> {
  const [row] = await engine.query<{ n: number }>('SELECT count(*)::DOUBLE AS n FROM duckdb_tables() WHERE NOT temporary');
  return row?.n ?? -1;
}

function figuresOf(s: AppState) {
  return { figures: s.dataset?.events.figures, mapping: s.dataset?.events.mapping, stats: s.result?.stats, views: s.result?.views, curve: s.result?.curve, comparison: s.comparison?.rows };
}

describe('the quick first read', () => {
  it('shows a clean file before DuckDB has read it, and DuckDB agrees once it has', async () => {
    const store = newStore();
    const ready = readyStates(store);
    await store.loadFile(CLEAN);
    await settled(store);
    const quick = ready.find((s) => s.background !== null);
    expect(quick, 'a ready state from the quick read').toBeDefined();
    if (!quick) return;
    expect(quick.dataset?.profiles).toEqual([]);
    const final = store.getState();
    expect(final).toMatchObject({ status: 'ready', background: null, error: null });
    expect(final.dataset?.profiles.length).toBeGreaterThan(0);
    expect(final.dataset?.notes.join(' ')).not.toMatch(/differed/);
    expect(figuresOf(final)).toEqual(figuresOf(quick));
    expect(final.dataset?.events.figures).toMatchObject({ rowsRead: 20_000, events: 20_000, skipped: 0 });
  });

  it('gives the figures, charts and preset comparison that DuckDB alone gives', async () => {
    const quick = newStore();
    await quick.loadFile(CLEAN);
    await settled(quick);
    const alone = newStore(withoutQuickRead());
    await alone.loadFile(CLEAN);
    await settled(alone);
    expect(figuresOf(quick.getState())).toEqual(figuresOf(alone.getState()));
    for (const minutes of [0.5, 7, 30, 240]) {
      quick.setGapMinutes(minutes);
      alone.setGapMinutes(minutes);
      await settled(quick);
      await settled(alone);
      expect(figuresOf(quick.getState())).toEqual(figuresOf(alone.getState()));
    }
  });

  it('reads a big file in two halves at once with a helper engine, as DuckDB does', async () => {
    const big = clickstream('big.csv', 320_000, 5);
    expect(big.size).toBeGreaterThan(QUICK_READ_SPLIT_FROM_BYTES);
    const helper = createLocalStatsEngine();
    let halves = 0;
    const counting: StatsEngine = { ...helper, quickPart: (data, spec) => { halves++; return helper.quickPart(data, spec); } };
    const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest, stats: createLocalStatsEngine(), quickHelper: counting });
    const ready = readyStates(store);
    await store.loadFile(big);
    await settled(store);
    expect(halves).toBe(1);
    expect(ready.some((s) => s.background !== null), 'shown from the quick read').toBe(true);
    const final = store.getState();
    expect(final).toMatchObject({ status: 'ready', background: null, error: null });
    expect(final.dataset?.notes.join(' ')).not.toMatch(/differed|failed/);
    const alone = newStore(withoutQuickRead());
    await alone.loadFile(big);
    await settled(alone);
    expect(figuresOf(final)).toEqual(figuresOf(alone.getState()));
  }, 60_000);

  it('exports at once after the load: the export waits for DuckDB\'s tables', async () => {
    const store = newStore();
    await store.loadFile(CLEAN);
    const file = await store.exportFile('events', 'csv');
    expect(store.getState().error).toBeNull();
    if (!file) throw new Error('no export');
    const rows = Papa.parse<Record<string, string>>(new TextDecoder().decode(file.bytes), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(20_000);
    expect(new Set(rows.map((r) => r.session_id)).size).toBe(store.getState().result?.stats.sessions);
  });

  it('when DuckDB cannot read what the quick read did, the previous dataset comes back with the error', async () => {
    let failing = false;
    const flaky: Engine = {
      ...engine,
      exec: (sql) => (failing && sql.includes('lag(ts_us) OVER') ? Promise.reject(new Error('simulated failure')) : engine.exec(sql)),
    };
    const store = newStore(createLocalStatsEngine(), flaky);
    await store.loadFile(OTHER);
    await settled(store);
    const before = store.getState();
    failing = true;
    const ready = readyStates(store);
    await store.loadFile(CLEAN);
    await settled(store);
    expect(ready.some((s) => s.dataset?.raw.fileName === 'clean.csv'), 'the quick read was shown').toBe(true);
    const after = store.getState();
    expect(after.status).toBe('error');
    expect(after.error).toMatch(/^clean\.csv: .*simulated failure/);
    expect(after.dataset?.raw.fileName).toBe('other.csv');
    failing = false;
    store.setGapMinutes(31);
    store.setGapMinutes(30);
    await settled(store);
    expect(figuresOf(store.getState())).toEqual(figuresOf(before));
  });

  for (const [what, spoil] of [
    ['events', (read: QuickLoaded) => ({ ...read, checksum: read.checksum + 1 })],
    ['urls', (read: QuickLoaded) => ({ ...read, urls: read.urls && { ...read.urls, distinct: read.urls.distinct - 1 } })],
  ] as const) {
    it(`a quick read that DuckDB disagrees with (${what}) gives way to DuckDB's result, and says so`, async () => {
      const local = createLocalStatsEngine();
      const wrong: StatsEngine = {
        ...local,
        quickJoin: async (key, part) => {
          const read = await local.quickJoin(key, part);
          return read.ok ? spoil(read) : read;
        },
      };
      const store = newStore(wrong);
      await store.loadFile(CLEAN);
      await settled(store);
      const s = store.getState();
      expect(s.status).toBe('ready');
      expect(s.dataset?.notes.join(' ')).toContain(`differed from DuckDB's (${what})`);
      const alone = newStore(withoutQuickRead());
      await alone.loadFile(CLEAN);
      await settled(alone);
      expect(figuresOf(s)).toEqual(figuresOf(alone.getState()));
    });
  }

  it('a quick read that fails (a bug, not a decline) leaves the file to DuckDB, and the page says so', async () => {
    const broken: StatsEngine = { ...createLocalStatsEngine(), quickScan: async () => { throw new Error('simulated bug'); } };
    const store = newStore(broken);
    await store.loadFile(CLEAN);
    await settled(store);
    const s = store.getState();
    expect(s).toMatchObject({ status: 'ready', error: null, background: null });
    expect(s.dataset?.notes.join(' ')).toMatch(/quick first reading of this file failed \(simulated bug\); DuckDB read it instead/);
    expect(s.dataset?.events.figures.events).toBe(20_000);
  });

  it('a file loaded while DuckDB still reads the previous one wins, and leaves no tables behind', async () => {
    const before = await tableCount();
    const store = newStore();
    const first = store.loadFile(CLEAN);
    await first;
    const second = store.loadFile(OTHER);
    await second;
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', error: null, background: null });
    expect(store.getState().dataset?.raw.fileName).toBe('other.csv');
    expect(await tableCount()).toBe(before + 2);
  });

  it('changing the column mapping at once waits for DuckDB\'s tables, then applies', async () => {
    const store = newStore();
    await store.loadFile(CLEAN);
    const mapping = store.getState().dataset?.events.mapping;
    if (!mapping) throw new Error('not loaded');
    await store.setMapping({ ...mapping, url: '' });
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', error: null });
    expect(store.getState().dataset?.events.mapping.url).toBe('');
    expect(store.getState().result?.views.pages).toBeNull();
  });
});

/**
 * An engine whose events-table build (the lag() step) fails once `failing` is set, but only
 * after `open()`: DuckDB's read of a file is held while the quick read is on screen. `once`:
 * the builds held at the gate fail, what is asked for after them does not.
 */
function gatedFailure(once = false): { engine: Engine; failing: boolean; open: () => void } {
  let open = () => {};
  const gate = new Promise<void>((resolve) => { open = resolve; });
  const gated = {
    failing: false,
    open: () => open(),
    engine: {
      ...engine,
      exec: async (sql: string) => {
        if (gated.failing && sql.includes('lag(ts_us) OVER')) {
          await gate;
          if (once) gated.failing = false;
          throw new Error('simulated failure');
        }
        return engine.exec(sql);
      },
    } as Engine,
  };
  return gated;
}

/** other.csv loaded, then clean.csv on screen from its quick read while DuckDB's read of it is held at the gate, to fail. */
async function cleanHeldOverOther(once: boolean): Promise<{ store: AppStore; flaky: ReturnType<typeof gatedFailure> }> {
  const flaky = gatedFailure(once);
  const store = newStore(createLocalStatsEngine(), flaky.engine);
  await store.loadFile(OTHER);
  await settled(store);
  flaky.failing = true;
  await store.loadFile(CLEAN);
  expect(store.getState().background, 'clean.csv shown from the quick read').not.toBeNull();
  return { store, flaky };
}

describe('the quick first read, under races and failures', () => {
  it('two quick reads in a row whose DuckDB reads both fail bring back a dataset that still has its tables and columns', async () => {
    const flaky = gatedFailure();
    const store = newStore(createLocalStatsEngine(), flaky.engine);
    await store.loadFile(OTHER);
    await settled(store);
    flaky.failing = true;
    const ready = readyStates(store);
    await store.loadFile(CLEAN);
    await store.loadFile(clickstream('third.csv', 5_000, 5));
    expect(ready.some((s) => s.dataset?.raw.fileName === 'third.csv'), 'the second quick read was shown').toBe(true);
    flaky.open();
    await settled(store);
    flaky.failing = false;
    expect(store.getState().error).toMatch(/^third\.csv: .*simulated failure/);
    // Whatever is on screen now must still be usable: its figures recomputed, its rows exported.
    store.setGapMinutes(31);
    await settled(store);
    expect(store.getState().error).toBeNull();
    if (store.getState().dataset) {
      await store.exportFile('events', 'csv');
      expect(store.getState().error).toBeNull();
    }
  });

  it('a quick read that fails mid-way leaves nothing of it in the stats engine (the file\'s bytes are not held)', async () => {
    const local = createLocalStatsEngine();
    const broken: StatsEngine = { ...local, quickScan: async () => { throw new Error('simulated worker error'); } };
    const store = newStore(broken);
    await store.loadFile(CLEAN);
    await settled(store);
    const key = store.getState().dataset?.events.table;
    if (!key) throw new Error('not loaded');
    expect(store.getState().dataset?.notes.join(' ')).toMatch(/simulated worker error/);
    // A quick read still under way for the key would join here instead of failing.
    await expect(local.quickJoin(key, null)).rejects.toThrow(/no quick read of .* is under way/);
  });

  it('an export asked for while DuckDB still reads the file keeps DuckDB\'s failure on screen, not a missing-table error', async () => {
    const { store, flaky } = await cleanHeldOverOther(false);
    const exported = store.exportFile('events', 'csv');
    flaky.open();
    expect(await exported).toBeNull();
    await settled(store);
    expect(store.getState().dataset?.raw.fileName).toBe('other.csv');
    expect(store.getState().error).toMatch(/^clean\.csv: .*simulated failure/);
  });

  it('a mapping change asked for on the quick-read dataset is not applied to the dataset that comes back when DuckDB fails', async () => {
    const { store, flaky } = await cleanHeldOverOther(true);
    const mapping = store.getState().dataset?.events.mapping;
    if (!mapping) throw new Error('not loaded');
    const changed = store.setMapping({ ...mapping, url: '' });
    flaky.open();
    await changed;
    await settled(store);
    const s = store.getState();
    expect(s.dataset?.raw.fileName).toBe('other.csv');
    expect(s.dataset?.events.mapping.url).toBe('url');
  });

  it('a file appended to the quick-read dataset is not appended to the dataset that comes back when DuckDB fails', async () => {
    const { store, flaky } = await cleanHeldOverOther(true);
    const appended = store.appendFile(clickstream('late.csv', 1_000, 9));
    flaky.open();
    await appended;
    await settled(store);
    expect(store.getState().dataset?.files.map((f) => f.name)).toEqual(['other.csv']);
  });

  it('user suggestions asked for while DuckDB still reads the file are none, not an error, when DuckDB fails', async () => {
    const { store, flaky } = await cleanHeldOverOther(false);
    const suggested = store.suggestUsers('u');
    flaky.open();
    await expect(suggested).resolves.toEqual([]);
    await settled(store);
    expect(store.getState().dataset?.raw.fileName).toBe('other.csv');
  });

  it('a timeline asked for while DuckDB still reads the file does not hold threshold changes back, and comes once the tables exist', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const held: Engine = {
      ...engine,
      exec: async (sql: string) => {
        if (sql.includes('lag(ts_us) OVER')) await gate;
        return engine.exec(sql);
      },
    };
    const store = newStore(createLocalStatsEngine(), held);
    await store.loadFile(CLEAN);
    expect(store.getState().background).not.toBeNull();
    store.selectUser('u00001');
    store.setGapMinutes(31);
    await new Promise<void>((resolve) => {
      const check = () => { if (store.getState().result?.gapMinutes === 31) resolve(); };
      store.subscribe(check);
      check();
    });
    expect(store.getState().background, 'the threshold change came while DuckDB was held').not.toBeNull();
    expect(store.getState().timeline).toBeNull();
    release();
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', error: null, background: null, timeline: { userId: 'u00001' } });
  });

  it('the most active users asked for while DuckDB still reads the file are none, not an error, when DuckDB fails', async () => {
    const { store, flaky } = await cleanHeldOverOther(false);
    const top = store.topUsers('sessions');
    flaky.open();
    await expect(top).resolves.toEqual({ key: '', rows: [] });
    await settled(store);
    expect(store.getState().dataset?.raw.fileName).toBe('other.csv');
  });

  it('a failure while checking DuckDB\'s tables against the quick read is said, not swallowed', async () => {
    const checkFails: Engine = {
      ...engine,
      query: <Row extends object>(sql: string) => (sql.includes('% 1013') ? Promise.reject(new Error('simulated check failure')) : engine.query<Row>(sql)),
    };
    const store = newStore(createLocalStatsEngine(), checkFails);
    await store.loadFile(CLEAN);
    await settled(store);
    const s = store.getState();
    expect(s.background).toBeNull();
    expect(`${s.error ?? ''} ${s.dataset?.notes.join(' ')}`).toMatch(/simulated check failure/);
  });
});

describe('a split rule across loads', () => {
  const onDevice = { ...NO_RULES, splitColumn: 'device' };

  async function sessionsFresh(file: FileSource, stats: StatsEngine): Promise<number | undefined> {
    const store = newStore(stats);
    store.setRules(onDevice);
    await store.loadFile(file);
    await settled(store);
    return store.getState().result?.stats.sessions;
  }

  for (const [path, stats] of [['quick read', createLocalStatsEngine], ['DuckDB alone', withoutQuickRead]] as const) {
    it(`splits a newly loaded file on its own column, not on the previous file's (${path})`, async () => {
      const store = newStore(stats());
      await store.loadFile(OTHER);
      store.setRules(onDevice);
      await settled(store);
      await store.loadFile(CLEAN);
      await settled(store);
      expect(store.getState()).toMatchObject({ status: 'ready', error: null, rules: onDevice });
      expect(store.getState().result?.stats.sessions).toBe(await sessionsFresh(CLEAN, stats()));
    });
  }

  it('turns the rule off, and says so, for a file without its column', async () => {
    const store = newStore();
    await store.loadFile(OTHER);
    store.setRules(onDevice);
    await settled(store);
    const narrow = csv('narrow.csv', 'user_id,timestamp,url\nu1,2024-05-01T10:00:00Z,/a\nu1,2024-05-01T10:10:00Z,/b\n');
    await store.loadFile(narrow);
    await settled(store);
    const s = store.getState();
    expect(s).toMatchObject({ status: 'ready', error: null, rules: NO_RULES });
    expect(s.dataset?.notes.join(' ')).toMatch(/"device".*not in this file/);
    expect(s.result?.stats.sessions).toBe(1);
  });
});

