import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { settled } from '../test/settled';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { referenceSessionize } from '../test/reference-sessionizer';
import { inProcessIngest } from '../ingest/row-ingest';
import { minutesToUs } from '../domain/threshold';
import { AppStore } from './app-store';
import { textSource } from '../test/file-source';

/*
 * The store while the page asks which columns of a file to use: what was shown before stays
 * (status and figures), the file's raw table is kept for the answer and read once, the answer
 * loads it, and cancelling or loading another file drops what it held.
 */

let engine: NodeEngine;
beforeEach(async () => {
  engine = await createNodeEngine();
});
afterEach(() => engine.close());

const newStore = () => new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });

async function tableNames(): Promise<string[]> {
  const rows = await engine.query<{ name: string }>('SELECT table_name AS name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1');
  return rows.map((r) => r.name);
}

const KNOWN = textSource('known.csv', 'user_id,timestamp\nu1,2024-05-01T10:00:00Z\nu1,2024-05-01T10:30:00Z\nu2,2024-05-01T10:00:00Z\n');

/** Two columns of repeating ids, neither named as a user: the page asks which is the user. */
function ambiguousLines(): { text: string; rows: { a: string; b: string; ts: string }[] } {
  const rows = Array.from({ length: 60 }, (_, i) => ({
    a: `a${i % 7}`,
    b: `b${(i * 5) % 9}`,
    ts: new Date(Date.UTC(2024, 4, 1, 8) + i * 11 * 60_000 + (i % 3) * 47 * 60_000).toISOString(),
  }));
  return { text: `col_a,col_b,moment\n${rows.map((r) => `${r.a},${r.b},${r.ts}`).join('\n')}\n`, rows };
}
const ASKED = textSource('asked.csv', ambiguousLines().text);

describe('the mapping question in the store', () => {
  it('asking keeps the dataset shown before, its status and figures; the question names the file, the candidates and their values', async () => {
    const store = newStore();
    await store.loadFile(KNOWN);
    await settled(store);
    const sessionsBefore = store.getState().result?.stats.sessions;
    await store.loadFile(ASKED);
    await settled(store);
    const s = store.getState();
    expect(s.status).toBe('ready');
    expect(s.dataset?.raw.fileName).toBe('known.csv');
    expect(s.result?.stats.sessions).toBe(sessionsBefore);
    expect(s.question?.fileName).toBe('asked.csv');
    expect(s.question?.mapping).toMatchObject({ user: '', timestamp: 'moment' });
    const user = s.question?.roles.find((r) => r.role === 'user');
    expect(user?.reason).toMatch(/No column is named like a user id/);
    const byColumn = Object.fromEntries((user?.candidates ?? []).map((c) => [c.column, c]));
    expect(byColumn.col_a).toMatchObject({ verdict: 'likely' });
    expect(byColumn.col_b).toMatchObject({ verdict: 'likely' });
    expect(byColumn.col_a?.samples.length).toBeGreaterThan(0);
    expect(byColumn.col_a?.samples.every((v) => /^a\d$/.test(v))).toBe(true);
  });

  it('with nothing loaded before, asking leaves the status empty', async () => {
    const store = newStore();
    await store.loadFile(ASKED);
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'empty', dataset: null, question: { fileName: 'asked.csv' } });
  });

  it('the answer loads the file from the raw table read before (the file is not read again), with the reference figures', async () => {
    const store = newStore();
    await store.loadFile(KNOWN);
    await store.loadFile(ASKED);
    await settled(store);
    const rawTable = store.getState().question && (await tableNames()).find((t) => t.startsWith('raw_') && t !== store.getState().dataset?.raw.table);
    await store.answerQuestion({ user: 'col_b' });
    await settled(store);
    const s = store.getState();
    expect(s.question).toBeNull();
    expect(s.status).toBe('ready');
    expect(s.dataset?.raw.fileName).toBe('asked.csv');
    expect(s.dataset?.raw.table).toBe(rawTable);
    expect(s.dataset?.events.mapping).toMatchObject({ user: 'col_b', timestamp: 'moment' });
    const { rows } = ambiguousLines();
    const reference = referenceSessionize(
      rows.map((r, i) => ({ row: i + 1, user: r.b, ts: r.ts })),
      'iso',
      minutesToUs(s.gapMinutes),
      'ge',
    );
    expect(s.result?.stats.sessions).toBe(new Set(reference.events.map((e) => e.sessionId)).size);
    expect(s.dataset?.events.figures.events).toBe(reference.events.length);
    // The dataset before and the question's hold are gone: only the new dataset's tables remain.
    expect(await tableNames()).toEqual([s.dataset?.events.table, s.dataset?.raw.table].sort());
  });

  it('cancel drops the file asked about and leaks no table; the dataset before stays', async () => {
    const store = newStore();
    await store.loadFile(KNOWN);
    await settled(store);
    const before = await tableNames();
    await store.loadFile(ASKED);
    await settled(store);
    expect((await tableNames()).length).toBe(before.length + 1);
    store.cancelQuestion();
    await settled(store);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(store.getState()).toMatchObject({ status: 'ready', question: null, dataset: { raw: { fileName: 'known.csv' } } });
    expect(await tableNames()).toEqual(before);
  });

  it('loading another file while asking drops the question and its raw table', async () => {
    const store = newStore();
    await store.loadFile(ASKED);
    await settled(store);
    await store.loadFile(KNOWN);
    await settled(store);
    const s = store.getState();
    expect(s.question).toBeNull();
    expect(s.dataset?.raw.fileName).toBe('known.csv');
    expect(await tableNames()).toEqual([s.dataset?.events.table, s.dataset?.raw.table].sort());
  });

  it('an answer that cannot load (a column of no timestamps) shows the error and keeps the question open', async () => {
    const store = newStore();
    await store.loadFile(KNOWN);
    await store.loadFile(ASKED);
    await settled(store);
    await store.answerQuestion({ user: 'col_a', timestamp: 'col_b' });
    await settled(store);
    const s = store.getState();
    expect(s.status).toBe('error');
    expect(s.error).toMatch(/^asked\.csv: /);
    expect(s.question?.fileName).toBe('asked.csv');
    expect(s.dataset?.raw.fileName).toBe('known.csv');
    await store.answerQuestion({ user: 'col_a' });
    await settled(store);
    expect(store.getState()).toMatchObject({ status: 'ready', question: null, dataset: { events: { mapping: { user: 'col_a' } } } });
  });
});
