import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settled } from '../test/settled';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { AppStore } from './app-store';
import { textSource } from '../test/file-source';

// A fresh engine per test: table counts are part of what is checked.
let engine: NodeEngine;
beforeEach(async () => {
  engine = await createNodeEngine();
});
afterEach(() => engine.close());

const csv = textSource;

const A = csv('a.csv', 'user_id,timestamp\nu1,2024-05-01T10:00:00Z\nu1,2024-05-01T10:30:00Z\nu2,2024-05-01T10:00:00Z\n');
const B = csv('b.csv', 'visitor,ts\nv1,1714557600\nv1,1714557660\nv2,1714557600\nv3,1714557600\n');

const newStore = () => new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });

async function tableCount(): Promise<number> {
  const [row] = await engine.query<{ n: number }>('SELECT count(*)::DOUBLE AS n FROM duckdb_tables() WHERE NOT temporary');
  return row?.n ?? -1;
}

describe('AppStore', () => {
  it('a failed load keeps the dataset on screen and says which file failed', async () => {
    const store = newStore();
    await store.loadFile(A);
    await store.loadFile(csv('bad.csv', 'user_id,colour\nu1,red\n'));
    await settled(store);
    const s = store.getState();
    expect(s.status).toBe('error');
    expect(s.error).toMatch(/^bad\.csv: /);
    expect(s.dataset?.raw.fileName).toBe('a.csv');
    expect(s.result?.stats.sessions).toBe(3);
    store.setGapMinutes(31);
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', error: null, result: { gapMinutes: 31 } });
    expect(store.getState().result?.stats.sessions).toBe(2);
  });

  it('the last of overlapping loads wins, and the overtaken one leaves no tables behind', async () => {
    const before = await tableCount();
    const store = newStore();
    const first = store.loadFile(A);
    const second = store.loadFile(B);
    await Promise.all([first, second]);
    await settled(store);
    const s = store.getState();
    expect(s.status).toBe('ready');
    expect(s.error).toBeNull();
    expect(s.dataset?.raw.fileName).toBe('b.csv');
    expect(s.dataset?.events.figures.users).toBe(3);
    expect(await tableCount()).toBe(before + 2);
  });

  it('loading files in a row keeps only the last dataset in memory', async () => {
    const before = await tableCount();
    const store = newStore();
    for (let i = 0; i < 5; i++) await store.loadFile(i % 2 ? A : B);
    await settled(store);
    expect(await tableCount()).toBe(before + 2);
  });

  it('rapid threshold changes end on the last value, computed for it', async () => {
    const store = newStore();
    await store.loadFile(A);
    for (const minutes of [1, 5, 60, 29, 31, 30, 45]) store.setGapMinutes(minutes);
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', gapMinutes: 45, result: { gapMinutes: 45 } });
    expect(store.getState().result?.stats.sessions).toBe(2);
  });

  it('a mapping change re-sessionizes and drops the old events table', async () => {
    const before = await tableCount();
    const store = newStore();
    await store.loadFile(B);
    const mapping = store.getState().dataset?.events.mapping;
    if (!mapping) throw new Error('not loaded');
    expect(mapping).toMatchObject({ user: 'visitor', timestamp: 'ts', format: 'epoch-s' });
    await store.setMapping({ ...mapping, format: 'epoch-ms' });
    await settled(store);
    expect(store.getState().status).toBe('ready');
    // As milliseconds, v1's two events are 60 ms apart: still one session each.
    expect(store.getState().dataset?.events.mapping.format).toBe('epoch-ms');
    expect(store.getState().result?.stats.sessions).toBe(3);
    expect(await tableCount()).toBe(before + 2);
  });

  it('a mapping that reads no timestamps is refused and the previous mapping stays', async () => {
    const store = newStore();
    await store.loadFile(A);
    const mapping = store.getState().dataset?.events.mapping;
    if (!mapping) throw new Error('not loaded');
    await store.setMapping({ ...mapping, format: 'dmy' });
    await settled(store);
    const s = store.getState();
    expect(s.status).toBe('error');
    expect(s.error).toMatch(/a\.csv: no row has both a user id/);
    expect(s.dataset?.events.mapping.format).toBe('iso');
    expect(s.result?.stats.sessions).toBe(3);
  });
});

describe('while DuckDB starts', () => {
  it('a clean CSV is read and its figures shown before DuckDB has started; its tables follow once it has', async () => {
    let start: (started: NodeEngine) => void = () => {};
    const starting = new Promise<NodeEngine>((resolve) => {
      start = resolve;
    });
    const store = new AppStore({ engine: starting, ingestRows: inProcessIngest });
    await store.loadFile(A);
    expect(store.getState()).toMatchObject({ status: 'ready', error: null, dataset: { raw: { fileName: 'a.csv' } }, result: { stats: { sessions: 3 } } });
    const before = await tableCount();
    start(engine);
    await settled(store);
    expect(await tableCount()).toBeGreaterThan(before);
    expect(store.getState().sqlProblem).toBeNull();
  });
});

describe('limits', () => {
  // Files whose first bytes are a clickstream: only their declared size matters here.
  const head = new TextEncoder().encode('user_id,timestamp\nu1,2024-05-01T10:00:00Z\n');

  it('reads a clean CSV too large for DuckDB in the stats worker alone, and says which SQL features are off', async () => {
    const store = newStore();
    await store.loadFile(A);
    await store.loadFile({ name: 'huge.csv', size: 900 * 1024 ** 2, data: head });
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', error: null, dataset: { raw: { fileName: 'huge.csv' } } });
    expect(store.getState().sqlProblem).toMatch(
      /^huge\.csv was read by the page alone: DuckDB in the browser holds about 3\.0 GB, and reading this file into it would need about 3\.5 GB/,
    );
    expect(store.getState().sqlProblem).toMatch(/what needs DuckDB is off for this file: exports/);
  });

  it('refuses a file too large for the page before reading it, and keeps the dataset', async () => {
    const store = newStore();
    await store.loadFile(A);
    await store.loadFile({ name: 'huger.csv', size: 2.5 * 1024 ** 3, data: head });
    await settled(store);
    expect(store.getState().error).toMatch(/^huger\.csv: is too large for this page/);
    expect(store.getState().error).toMatch(/The page reads a clean UTF-8 CSV or TSV by itself up to 2\.0 GB; this file is 2\.5 GB\./);
    expect(store.getState().dataset?.raw.fileName).toBe('a.csv');
  });
});

describe('order of actions', () => {
  it('a file chosen while the sample is still being fetched wins', async () => {
    const store = newStore();
    const sample = `data:text/csv,${encodeURIComponent('user_id,timestamp\ns1,2024-05-01T10:00:00Z\n')}`;
    const fetching = store.loadUrl('sample.csv', sample);
    const chosen = store.loadFile(B);
    await Promise.all([fetching, chosen]);
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', error: null });
    expect(store.getState().dataset?.raw.fileName).toBe('b.csv');
  });

  it('a sample that cannot be fetched says so and keeps the dataset', async () => {
    const store = newStore();
    await store.loadFile(A);
    await store.loadUrl('sample.csv', 'http://127.0.0.1:9/nothing.csv');
    await settled(store);
    expect(store.getState().error).toMatch(/^sample\.csv: could not be fetched from http:\/\/127\.0\.0\.1:9\/nothing\.csv/);
    expect(store.getState().dataset?.raw.fileName).toBe('a.csv');
  });

  it('shows the figures before the preset comparison, and a threshold change made meanwhile is answered before it', async () => {
    const store = newStore();
    // What each store update brought: the result's threshold, and whether the comparison is in.
    const seen: string[] = [];
    let changed = false;
    store.subscribe(() => {
      const s = store.getState();
      const entry = `${s.status} ${s.result?.gapMinutes ?? '-'} ${s.comparison ? 'compared' : '-'}`;
      if (seen.at(-1) !== entry) seen.push(entry);
      // The moment the figures are on screen, the threshold moves.
      if (s.status === 'ready' && !changed) {
        changed = true;
        store.setGapMinutes(31);
      }
    });
    await store.loadFile(A);
    await settled(store);
    expect(seen).toContain('ready 30 -');
    const answered = seen.indexOf('ready 31 -');
    expect(answered).toBeGreaterThan(-1);
    expect(seen.findIndex((e) => e.endsWith('compared'))).toBeGreaterThan(answered);
    const s = store.getState();
    expect(s.comparison?.rows).toHaveLength(7);
    expect(s.comparison?.rows.find((r) => r.preset === 'ga4')?.stats.sessions).toBe(3);
  });
});
