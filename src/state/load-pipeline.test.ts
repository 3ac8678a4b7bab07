import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import type { Engine } from '../engine/engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { QUICK_READ_SPLIT_FROM_BYTES } from '../ingest/quick-read';
import { createLocalStatsEngine, type StatsEngine } from '../stats/stats-engine';
import { NO_RULES } from '../domain/rules';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { settled } from '../test/settled';
import { AppStore, type AppState } from './app-store';
import type { FileSource } from './raw-table';
import { clickstreamSource, textSource } from '../test/file-source';
import { generateClickstream } from '../../scripts/clickstream-generator.mjs';
import { memoryInUseSql } from '../sql/storage-sql';
import { NO_SESSION_FILTER } from '../domain/session-list';
import { MEMORY_BUDGET_BYTES } from './read-raw-table';

/*
 * The load pipeline as the store uses it: a clean CSV file is read by the stats worker (the
 * quick read) and shown from it; DuckDB then reads the file's cells and takes the worker's
 * events over, so there is one reading of the timestamps and one sessionization.
 */

let engine: NodeEngine;
beforeEach(async () => {
  engine = await createNodeEngine();
});
afterEach(() => engine.close());

const csv = textSource;
const clickstream = (name: string, events: number, seed: number) => clickstreamSource(name, events, seed, 0.05);

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
  return {
    figures: s.dataset?.events.figures,
    mapping: s.dataset?.events.mapping,
    stats: s.result?.stats,
    views: s.result?.views,
    curve: s.result?.curve,
    comparison: s.comparison?.rows,
  };
}

/** The engine, with every statement DuckDB runs recorded. */
function recording(): { engine: Engine; statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    engine: {
      ...engine,
      exec: (sql: string) => {
        statements.push(sql);
        return engine.exec(sql);
      },
      query: <Row extends object>(sql: string) => {
        statements.push(sql);
        return engine.query<Row>(sql);
      },
    },
  };
}

/** Every row of an events table, in one order, to compare two builds of it. */
async function eventRows(table: string): Promise<unknown[]> {
  return engine.query(`SELECT row_number::DOUBLE AS r, user_id, ts_us::DOUBLE AS ts, url, gap_us::DOUBLE AS gap FROM "${table}" ORDER BY row_number`);
}

describe('the quick read', () => {
  it('shows a clean file from the stats worker; DuckDB takes its events over, with no second reading of the timestamps', async () => {
    const recorded = recording();
    const store = newStore(createLocalStatsEngine(), recorded.engine);
    const ready = readyStates(store);
    await store.loadFile(CLEAN);
    await settled(store);
    const quick = ready.find((s) => s.background !== null);
    expect(quick, 'a ready state before DuckDB had its tables').toBeDefined();
    if (!quick) return;
    const final = store.getState();
    expect(final).toMatchObject({ status: 'ready', background: null, sqlProblem: null, error: null });
    // The same dataset throughout: nothing replaced or reconciled once DuckDB was done, only
    // DuckDB's column profiles added (the quick read has none: the mapping panel's evidence).
    expect(final.dataset?.events).toBe(quick.dataset?.events);
    expect(final.dataset?.raw).toBe(quick.dataset?.raw);
    expect(quick.dataset?.profiles).toEqual([]);
    expect(final.dataset?.profiles.map((p) => p.column)).toEqual(final.dataset?.raw.columns);
    expect(final.dataset?.events.figures).toMatchObject({ rowsRead: 20_000, events: 20_000, skipped: 0 });
    // DuckDB never sessionized the file itself (no window over its timestamps).
    expect(recorded.statements.filter((sql) => sql.includes('lag(ts_us) OVER'))).toEqual([]);
  });

  it('gives the figures, charts, comparison and events table that DuckDB alone gives', async () => {
    const quick = newStore();
    await quick.loadFile(CLEAN);
    await settled(quick);
    const alone = newStore(withoutQuickRead());
    await alone.loadFile(CLEAN);
    await settled(alone);
    expect(figuresOf(quick.getState())).toEqual(figuresOf(alone.getState()));
    const [a, b] = [quick.getState().dataset?.events.table, alone.getState().dataset?.events.table];
    if (!a || !b) throw new Error('not loaded');
    expect(await eventRows(a)).toEqual(await eventRows(b));
    for (const minutes of [0.5, 7, 30, 240]) {
      quick.setGapMinutes(minutes);
      alone.setGapMinutes(minutes);
      await settled(quick);
      await settled(alone);
      expect(figuresOf(quick.getState())).toEqual(figuresOf(alone.getState()));
    }
  });

  it("lines the worker's events up with DuckDB's rows by position: skipped rows and a column named rowid change nothing", async () => {
    // Every 7th row without a user id, every 11th without a timestamp, every 13th with one
    // that is no date: rows that made no event, between the ones that did.
    const [header, ...lines] = [...generateClickstream({ seed: 5, events: 3_000, outOfOrder: 0.05 })];
    const holed = lines.map((line, i) => {
      const [user, ts, ...rest] = line.split(',');
      const cells = [i % 7 === 3 ? '' : user, i % 11 === 5 ? '' : i % 13 === 8 ? 'soon' : ts, ...rest];
      return `${i},${cells.join(',')}`;
    });
    const file = csv('holed.csv', `rowid,${header}\n${holed.join('\n')}\n`);
    const quick = newStore();
    const ready = readyStates(quick);
    await quick.loadFile(file);
    await settled(quick);
    expect(
      ready.some((s) => s.background !== null),
      'the quick read took the file',
    ).toBe(true);
    const alone = newStore(withoutQuickRead());
    await alone.loadFile(file);
    await settled(alone);
    expect(quick.getState()).toMatchObject({ status: 'ready', sqlProblem: null, error: null });
    expect(quick.getState().dataset?.events.figures.skipped).toBeGreaterThan(700);
    expect(figuresOf(quick.getState())).toEqual(figuresOf(alone.getState()));
    const [a, b] = [quick.getState().dataset?.events.table, alone.getState().dataset?.events.table];
    if (!a || !b) throw new Error('not loaded');
    expect(await eventRows(a)).toEqual(await eventRows(b));
  });

  it('reads a big file in two halves at once with a helper engine, as DuckDB does', async () => {
    const big = clickstream('big.csv', 320_000, 5);
    expect(big.size).toBeGreaterThan(QUICK_READ_SPLIT_FROM_BYTES);
    const helper = createLocalStatsEngine();
    let halves = 0;
    const counting: StatsEngine = {
      ...helper,
      quickPart: (data, spec) => {
        halves++;
        return helper.quickPart(data, spec);
      },
    };
    const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest, stats: createLocalStatsEngine(), quickHelper: counting });
    const ready = readyStates(store);
    await store.loadFile(big);
    await settled(store);
    expect(halves).toBe(1);
    expect(
      ready.some((s) => s.background !== null),
      'shown from the quick read',
    ).toBe(true);
    const final = store.getState();
    expect(final).toMatchObject({ status: 'ready', background: null, sqlProblem: null, error: null });
    const alone = newStore(withoutQuickRead());
    await alone.loadFile(big);
    await settled(alone);
    expect(figuresOf(final)).toEqual(figuresOf(alone.getState()));
  }, 60_000);

  it("exports at once after the load: the export waits for DuckDB's tables", async () => {
    const store = newStore();
    await store.loadFile(CLEAN);
    const file = await store.queries.exportFile('events', 'csv');
    expect(store.getState().error).toBeNull();
    if (!file) throw new Error('no export');
    const rows = Papa.parse<Record<string, string>>(new TextDecoder().decode(await file.bytes()), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(20_000);
    expect(new Set(rows.map((r) => r.session_id)).size).toBe(store.getState().result?.stats.sessions);
  });

  it('when DuckDB cannot make its tables, the figures stay and only what needs SQL says why', async () => {
    const failing: Engine = {
      ...engine,
      insertArrowIpc: (table, ipc, create) =>
        table.startsWith('handover_') ? Promise.reject(new Error('simulated failure')) : engine.insertArrowIpc(table, ipc, create),
    };
    const store = newStore(createLocalStatsEngine(), failing);
    await store.loadFile(OTHER);
    await settled(store);
    await store.loadFile(CLEAN);
    await settled(store);
    const s = store.getState();
    expect(s).toMatchObject({ status: 'ready', error: null, background: null });
    expect(s.dataset?.raw.fileName).toBe('clean.csv');
    expect(s.sqlProblem).toMatch(/clean\.csv.*simulated failure/);
    expect(await store.queries.exportFile('events', 'csv')).toBeNull();
    expect(store.getState().error).toMatch(/^clean\.csv: the events export was not made: simulated failure/);
    store.setGapMinutes(31);
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', error: null, result: { gapMinutes: 31 } });
  });

  it("a file past DuckDB's memory is read by the worker alone: exact figures, the session list, and the page says which SQL features are off", async () => {
    // DuckDB reports nearly all of its memory in use, so that the budget check refuses the
    // file as it would a 2 GB one, without a giant file.
    const full: Engine = {
      ...engine,
      query: <Row extends object>(sql: string) =>
        sql === memoryInUseSql() ? Promise.resolve([{ bytes: MEMORY_BUDGET_BYTES - 1024 } as Row]) : engine.query<Row>(sql),
    };
    const reference = newStore(withoutQuickRead());
    await reference.loadFile(CLEAN);
    await settled(reference);
    const tablesBefore = await tableCount();
    const store = newStore(createLocalStatsEngine(), full);
    await store.loadFile(CLEAN);
    await settled(store);
    const s = store.getState();
    expect(s).toMatchObject({ status: 'ready', error: null, background: null });
    expect(figuresOf(s)).toEqual(figuresOf(reference.getState()));
    expect(s.sqlProblem).toMatch(/^clean\.csv was read by the page alone: DuckDB in the browser holds about 3\.0 GB/);
    expect(s.sqlProblem).toMatch(/the session list work; what needs DuckDB is off for this file: exports, user timelines/);
    // DuckDB made no table of it.
    expect(await tableCount()).toBe(tablesBefore);
    const query = { filter: NO_SESSION_FILTER, sort: 'start', direction: 'asc', offset: 0, limit: 50 } as const;
    const page = await store.queries.sessionPage(query);
    const expected = await reference.queries.sessionPage(query);
    if (!page?.ok || !expected?.ok) throw new Error('no session list');
    expect(page.value).toEqual(expected.value);
    expect(await store.queries.exportFile('events', 'csv')).toBeNull();
    expect(store.getState().error).toMatch(/^clean\.csv: the events export was not made: is too large for this page/);
    store.setGapMinutes(31);
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', result: { gapMinutes: 31 } });
    expect(figuresOf(store.getState()).stats).toBeDefined();
  });

  it('DuckDB reading other rows than the quick read is said, never hidden', async () => {
    const local = createLocalStatsEngine();
    // One event lost on its way to DuckDB: the tables would describe another reading of the file.
    const lossy: StatsEngine = {
      ...local,
      eventsByRowIpc: async (key, rowsRead) => {
        const { tableFromIPC, tableToIPC } = await import('apache-arrow');
        const all = tableFromIPC(await local.eventsByRowIpc(key, rowsRead));
        return tableToIPC(all.slice(1), 'stream');
      },
    };
    const store = newStore(lossy);
    await store.loadFile(CLEAN);
    await settled(store);
    expect(store.getState().sqlProblem).toMatch(/DuckDB read 20000 rows \(19999 events\) of clean\.csv, where the page read 20000 rows \(20000 events\)/);
    expect(store.getState().dataset?.events.figures.events).toBe(20_000);
  });

  it('a quick read that fails (a bug, not a decline) leaves the file to DuckDB, and the page says so', async () => {
    const broken: StatsEngine = {
      ...createLocalStatsEngine(),
      quickScan: async () => {
        throw new Error('simulated bug');
      },
    };
    const store = newStore(broken);
    await store.loadFile(CLEAN);
    await settled(store);
    const s = store.getState();
    expect(s).toMatchObject({ status: 'ready', error: null, background: null });
    expect(s.dataset?.notes.join(' ')).toMatch(/quick first reading of this file failed \(simulated bug\); DuckDB read it instead/);
    expect(s.dataset?.events.figures.events).toBe(20_000);
  });

  it('a quick read that fails after its rows were read (DuckDB reading the raw table by then) leaves one raw table, read the general way', async () => {
    const before = await tableCount();
    const local = createLocalStatsEngine();
    const broken: StatsEngine = {
      ...local,
      quickJoin: async (key, part) => {
        await local.quickJoin(key, part);
        await local.release(key);
        throw new Error('simulated bug in the sort');
      },
    };
    const { engine: recorded, statements } = recording();
    const store = new AppStore({ engine: Promise.resolve(recorded), ingestRows: inProcessIngest, stats: broken, readRawWhileSorting: true });
    await store.loadFile(CLEAN);
    await settled(store);
    const s = store.getState();
    expect(s).toMatchObject({ status: 'ready', error: null, background: null });
    expect(s.dataset?.notes.join(' ')).toMatch(/quick first reading of this file failed \(simulated bug in the sort\)/);
    expect(s.dataset?.events.figures.events).toBe(20_000);
    // The early read (the quick read's dialect, auto_detect off) came first, then the general one.
    const reads = statements.filter((sql) => sql.includes('read_csv('));
    expect(reads[0]).toMatch(/auto_detect = false/);
    expect(reads.length).toBeGreaterThan(1);
    expect(await tableCount()).toBe(before + 2);
  });

  it('a file loaded while DuckDB still reads the previous one wins, and leaves no tables behind', async () => {
    const before = await tableCount();
    const store = newStore();
    await store.loadFile(CLEAN);
    await store.loadFile(OTHER);
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', error: null, background: null });
    expect(store.getState().dataset?.raw.fileName).toBe('other.csv');
    expect(await tableCount()).toBe(before + 2);
  });

  it("changing the column mapping at once waits for DuckDB's tables, then applies", async () => {
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

  it("a quick read that fails mid-way leaves nothing of it in the stats engine (the file's bytes are not held)", async () => {
    const local = createLocalStatsEngine();
    const broken: StatsEngine = {
      ...local,
      quickScan: async () => {
        throw new Error('simulated worker error');
      },
    };
    const store = newStore(broken);
    await store.loadFile(CLEAN);
    await settled(store);
    const key = store.getState().dataset?.events.table;
    if (!key) throw new Error('not loaded');
    expect(store.getState().dataset?.notes.join(' ')).toMatch(/simulated worker error/);
    // A quick read still under way for the key would join here instead of failing.
    await expect(local.quickJoin(key, null)).rejects.toThrow(/no quick read of .* is under way/);
  });
});

/**
 * An engine whose hand-over of the quick read's events to DuckDB is held until `open()`,
 * and then fails while `failing` is set: DuckDB's side of a quick-read dataset, held.
 */
function gatedHandover(): { engine: Engine; failing: boolean; open: () => void } {
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const gated = {
    failing: false,
    open: () => open(),
    engine: {
      ...engine,
      insertArrowIpc: async (table: string, ipc: Uint8Array, create: boolean) => {
        if (table.startsWith('handover_')) {
          await gate;
          if (gated.failing) throw new Error('simulated failure');
        }
        return engine.insertArrowIpc(table, ipc, create);
      },
    } as Engine,
  };
  return gated;
}

/** other.csv loaded, then clean.csv on screen from its quick read while DuckDB's side of it is held. */
async function cleanHeldOverOther(failing: boolean): Promise<{ store: AppStore; held: ReturnType<typeof gatedHandover> }> {
  const held = gatedHandover();
  held.failing = failing;
  const store = newStore(createLocalStatsEngine(), held.engine);
  await store.loadFile(OTHER);
  await store.loadFile(CLEAN);
  expect(store.getState().background, 'clean.csv shown from the quick read').not.toBeNull();
  return { store, held };
}

describe('the quick read, under races and failures', () => {
  it('a second file dropped while DuckDB still reads the first is shown, and the first leaves nothing behind', async () => {
    const before = await tableCount();
    const { store, held } = await cleanHeldOverOther(false);
    const second = store.loadFile(clickstream('third.csv', 5_000, 5));
    await second;
    expect(store.getState()).toMatchObject({ status: 'ready', error: null });
    expect(store.getState().dataset?.raw.fileName).toBe('third.csv');
    held.open();
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', error: null, background: null, sqlProblem: null });
    expect(store.getState().dataset?.raw.fileName).toBe('third.csv');
    expect(await tableCount()).toBe(before + 2);
  });

  it("an export asked for while DuckDB still reads the file says DuckDB's failure", async () => {
    const { store, held } = await cleanHeldOverOther(true);
    const exported = store.queries.exportFile('events', 'csv');
    held.open();
    expect(await exported).toBeNull();
    await settled(store);
    expect(store.getState().dataset?.raw.fileName).toBe('clean.csv');
    expect(store.getState().error).toMatch(/^clean\.csv: the events export was not made: simulated failure/);
  });

  it("a mapping change that needs DuckDB's failed tables fails, and the dataset stays as it was", async () => {
    const { store, held } = await cleanHeldOverOther(true);
    const mapping = store.getState().dataset?.events.mapping;
    if (!mapping) throw new Error('not loaded');
    const changed = store.setMapping({ ...mapping, url: '' });
    held.open();
    await changed;
    await settled(store);
    const s = store.getState();
    expect(s.error).toMatch(/simulated failure/);
    expect(s.dataset?.raw.fileName).toBe('clean.csv');
    expect(s.dataset?.events.mapping.url).toBe('url');
  });

  it('a late file added while DuckDB still reads the file waits for its tables, then is added', async () => {
    const { store, held } = await cleanHeldOverOther(false);
    const appended = store.appendFile(clickstream('late.csv', 1_000, 9));
    held.open();
    await appended;
    await settled(store);
    expect(store.getState().error).toBeNull();
    expect(store.getState().dataset?.files.map((f) => f.name)).toEqual(['clean.csv', 'late.csv']);
  });

  it('user suggestions and the most active users are none, not an error, when DuckDB has no tables', async () => {
    const { store, held } = await cleanHeldOverOther(true);
    const suggested = store.queries.suggestUsers('u');
    const top = store.queries.topUsers('sessions');
    held.open();
    await expect(suggested).resolves.toEqual([]);
    await expect(top).resolves.toMatchObject({ rows: [] });
    await settled(store);
    expect(store.getState().sqlProblem).toMatch(/simulated failure/);
  });

  it('a timeline asked for while DuckDB still reads the file does not hold threshold changes back, and comes once the tables exist', async () => {
    const { store, held } = await cleanHeldOverOther(false);
    store.selectUser('u00001');
    store.setGapMinutes(31);
    await new Promise<void>((resolve) => {
      const check = () => {
        if (store.getState().result?.gapMinutes === 31) resolve();
      };
      store.subscribe(check);
      check();
    });
    expect(store.getState().background, 'the threshold change came while DuckDB was held').not.toBeNull();
    expect(store.getState().timeline).toBeNull();
    held.open();
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', error: null, background: null, timeline: { userId: 'u00001' } });
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

  for (const [path, stats] of [
    ['quick read', createLocalStatsEngine],
    ['DuckDB alone', withoutQuickRead],
  ] as const) {
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
