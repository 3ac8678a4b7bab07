import { beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { settled } from '../test/settled';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { inProcessIngest } from '../ingest/row-ingest';
import { NO_RULES } from '../domain/rules';
import { AppStore } from './app-store';
import { clickLines } from '../test/file-source';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

const file = clickLines;

// Sessions at 30 min: a 10:00-10:10 | a 11:00 | b 10:00 | c 10:00-10:20
const BASE = file('base.csv', [
  'a,2024-05-01T10:00:00Z,/',
  'a,2024-05-01T10:10:00Z,/x',
  'a,2024-05-01T11:00:00Z,/y',
  'b,2024-05-01T10:00:00Z,/',
  'c,2024-05-01T10:00:00Z,/',
  'c,2024-05-01T10:20:00Z,/z',
]);
// a 10:35 bridges 10:10 and 11:00 (merge); b 10:15 extends b; d is new (created).
const LATE = file('late.csv', ['a,2024-05-01T10:35:00Z,/late', 'b,2024-05-01T10:15:00Z,/late', 'd,2024-05-01T09:00:00Z,/new']);

const newStore = () => new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest });

describe('appending a late file', () => {
  it('reports merged, extended and created sessions, and equals a fresh load of both files', async () => {
    const store = newStore();
    await store.loadFile(BASE);
    expect(store.getState().result?.stats.sessions).toBe(4);
    await store.appendFile(LATE);
    await settled(store);
    const s = store.getState();
    expect(s.error).toBeNull();
    expect(s.dataset?.lastAppend?.changes).toEqual({ merged: 1, extended: 1, split: 0, created: 1, touchedUsers: 3 });
    expect(s.dataset?.files.map((f) => [f.name, f.rowsRead, f.firstRowid])).toEqual([
      ['base.csv', 6, 0],
      ['late.csv', 3, 6],
    ]);
    expect(s.dataset?.lastAppend?.examples.map((e) => `${e.user_id}-${e.session_number}:${e.change}`)).toEqual(['a-1:merged', 'b-1:extended', 'd-1:created']);

    const fresh = newStore();
    const both = file('both.csv', [
      ...new TextDecoder()
        .decode(BASE.data as Uint8Array)
        .split('\n')
        .slice(1),
      ...new TextDecoder()
        .decode(LATE.data as Uint8Array)
        .split('\n')
        .slice(1),
    ]);
    await fresh.loadFile(both);
    expect(s.result?.stats).toEqual(fresh.getState().result?.stats);
    expect(s.dataset?.events.figures).toEqual(fresh.getState().dataset?.events.figures);

    const changed = await store.queries.exportChangedSessions();
    const rows = Papa.parse<Record<string, string>>(new TextDecoder().decode(await changed?.bytes()), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.session_id)).toEqual(['a-1', 'b-1', 'd-1']);
    expect(changed?.name).toBe('base.changed-sessions.gap-30m.csv');
  });

  it('reports a split when a late event pushes a session over the event cap', async () => {
    const store = newStore();
    await store.loadFile(file('cap.csv', ['a,2024-05-01T10:00:00Z,/', 'a,2024-05-01T10:02:00Z,/', 'a,2024-05-01T10:04:00Z,/']));
    store.setRules({ ...NO_RULES, maxEvents: 3 });
    await settled(store);
    expect(store.getState().result?.stats.sessions).toBe(1);
    await store.appendFile(file('early.csv', ['a,2024-05-01T10:01:00Z,/early']));
    await settled(store);
    const c = store.getState().dataset?.lastAppend?.changes;
    expect(c).toMatchObject({ split: 1 });
    expect(store.getState().result?.stats.sessions).toBe(2);
  });

  it('refuses the same file twice, and leaves out overlapping rows on request', async () => {
    const store = newStore();
    await store.loadFile(BASE);
    await store.appendFile(BASE);
    await settled(store);
    expect(store.getState().error).toMatch(/^base\.csv: every one of its 6 rows is already loaded/);
    expect(store.getState().dataset?.files).toHaveLength(1);
    const overlap = file('overlap.csv', ['a,2024-05-01T10:00:00Z,/', 'e,2024-05-01T12:00:00Z,/e']);
    await store.appendFile(overlap, true);
    await settled(store);
    expect(store.getState().dataset?.events.figures.events).toBe(7);
    expect(store.getState().dataset?.lastAppend?.duplicates).toBe(1);
    expect(store.getState().dataset?.files.at(-1)).toMatchObject({ name: 'overlap.csv', rows: 1, duplicatesDropped: 1 });
  });

  it('removes an appended file again', async () => {
    const store = newStore();
    await store.loadFile(BASE);
    const before = store.getState().result?.stats;
    await store.appendFile(LATE);
    await settled(store);
    await store.removeFile(1);
    await settled(store);
    expect(store.getState().dataset?.files.map((f) => f.name)).toEqual(['base.csv']);
    expect(store.getState().result?.stats).toEqual(before);
  });

  it('maps an appended file whose header names differ', async () => {
    const store = newStore();
    await store.loadFile(BASE);
    const data = new TextEncoder().encode('visitor_id,event_time,page\na,2024-05-01T10:35:00Z,/late\n');
    await store.appendFile({ name: 'renamed.csv', size: data.length, data });
    await settled(store);
    expect(store.getState().error).toBeNull();
    expect(store.getState().dataset?.lastAppend?.changes.merged).toBe(1);
  });
});

describe('per-file accounting', () => {
  it('each file: rows read = events + skipped', async () => {
    const store = newStore();
    await store.loadFile(file('one.csv', ['a,2024-05-01T10:00:00Z,/', ',2024-05-01T10:00:00Z,/', 'b,nope,/']));
    await store.appendFile(file('two.csv', ['c,2024-05-01T10:00:00Z,/', 'd,bad,/']));
    await settled(store);
    const files = store.getState().dataset?.files ?? [];
    expect(files.map((f) => [f.name, f.rowsRead, f.events])).toEqual([
      ['one.csv', 3, 1],
      ['two.csv', 2, 1],
    ]);
    expect(store.getState().dataset?.events.figures).toMatchObject({ rowsRead: 5, events: 2, skipped: 3 });
  });
});
