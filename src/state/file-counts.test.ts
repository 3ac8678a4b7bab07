import { beforeAll, describe, expect, it } from 'vitest';
import { settled } from '../test/settled';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { inProcessIngest } from '../ingest/row-ingest';
import type { Engine } from '../engine/engine';
import { AppStore } from './app-store';
import { countFileRows } from './file-counts';
import { LoadError } from './load-errors';
import type { Dataset } from './types';
import { clickLines } from '../test/file-source';

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

const file = clickLines;

// Read by the quick read: one row without a user id.
const BASE = file('base.csv', ['a,2024-05-01T10:00:00Z,/', ',2024-05-01T10:01:00Z,/', 'b,2024-05-01T10:02:00Z,/']);
// Read by DuckDB: 10 rows, one already loaded (left out on request), one malformed line (two
// fields for three), two unreadable timestamps, one missing timestamp, one missing user id.
const LATE = file('late.csv', [
  'a,2024-05-01T10:00:00Z,/',
  'c,2024-05-01T11:00:00Z,/c',
  'c,yesterday,/c',
  'd,2024-05-01T11:05:00Z,/d',
  'c,2024-05-01T11:10:00Z /c',
  'd,,/d',
  'e,soon,/e',
  ',2024-05-01T11:20:00Z,/',
  'e,2024-05-01T11:30:00Z,/e',
  'f,2024-05-01T11:40:00Z,/f',
]);

const LATE_SKIPPED = [
  { reason: 'malformed line', count: 1 },
  { reason: 'unreadable timestamp', count: 2 },
  { reason: 'missing timestamp', count: 1 },
  { reason: 'missing user id', count: 1 },
];

async function appended(): Promise<{ store: AppStore; dataset: Dataset }> {
  const statements: string[] = [];
  const recording = withQuery(engine, (row) => row, statements);
  const store = new AppStore({ engine: Promise.resolve(recording), ingestRows: inProcessIngest });
  await store.loadFile(BASE);
  await settled(store);
  // Read by the quick read (DuckDB never sessionized it); its file carries its own counts.
  expect(statements.filter((sql) => sql.includes('lag(ts_us) OVER'))).toEqual([]);
  expect(store.getState().dataset?.files).toEqual([
    {
      name: 'base.csv',
      firstRowid: 0,
      rows: 3,
      rowsRead: 3,
      rejected: 0,
      duplicatesDropped: 0,
      events: 2,
      skippedByReason: [{ reason: 'missing user id', count: 1 }],
    },
  ]);
  await store.appendFile(LATE, true);
  await settled(store);
  expect(store.getState().error).toBeNull();
  const dataset = store.getState().dataset;
  if (!dataset) throw new Error('no dataset');
  return { store, dataset };
}

describe("each file's rows are counted: rows read = events + skipped by reason", () => {
  it("counts an appended file's skipped rows by reason over its own rows, apart from the rows left out as already loaded", async () => {
    const { dataset } = await appended();
    expect(dataset.files.map((f) => [f.name, f.rowsRead, f.rejected, f.duplicatesDropped, f.events])).toEqual([
      ['base.csv', 3, 0, 0, 2],
      ['late.csv', 9, 1, 1, 4],
    ]);
    expect(dataset.files.map((f) => f.skippedByReason)).toEqual([[{ reason: 'missing user id', count: 1 }], LATE_SKIPPED]);
    expect(dataset.events.figures).toMatchObject({ rowsRead: 12, events: 6, skipped: 6 });
  });

  it("counts a file left alone by a removal from the dataset's figures", async () => {
    const { store } = await appended();
    await store.removeFile(0);
    await settled(store);
    expect(store.getState().dataset?.files.map((f) => [f.name, f.rowsRead, f.events, f.skippedByReason])).toEqual([['late.csv', 9, 4, LATE_SKIPPED]]);
  });

  // A wrong count from the reader or from the tables stops the job with the file and the numbers.
  const broken: { name: string; dataset: (d: Dataset) => Dataset; engine: (e: Engine) => Engine; error: string }[] = [
    {
      name: "a file's rows read one too many",
      dataset: (d) => ({ ...d, files: d.files.map((f, i) => (i === 1 ? { ...f, rowsRead: f.rowsRead + 1 } : f)) }),
      engine: (e) => e,
      error: 'late.csv: rows do not add up: 10 rows read, 4 events and 5 skipped (1 unaccounted for). Please report this.',
    },
    {
      name: 'an unreadable timestamp not counted',
      dataset: (d) => d,
      engine: (e) => withQuery(e, (row) => ({ ...row, 'f1 unreadable timestamp': 1 })),
      error: 'late.csv: rows do not add up: 9 rows read, 4 events and 4 skipped (1 unaccounted for). Please report this.',
    },
    {
      name: 'an event counted in the wrong file',
      dataset: (d) => d,
      engine: (e) => withQuery(e, (row) => ({ ...row, f0: 3, f1: 3 })),
      error: 'base.csv: rows do not add up: 3 rows read, 3 events and 1 skipped (1 more than read). Please report this.',
    },
  ];
  for (const b of broken) {
    it(`catches a broken count: ${b.name}`, async () => {
      const { dataset } = await appended();
      expect(await countFileRows(engine, dataset)).toEqual(dataset.files);
      const error = await countFileRows(b.engine(engine), b.dataset(dataset)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LoadError);
      expect((error as LoadError).message).toBe(b.error);
    });
  }
});

/** The engine with each row of its query results changed by `change`; `statements` records what it ran. */
function withQuery(inner: Engine, change: (row: Record<string, number>) => Record<string, number>, statements: string[] = []): Engine {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'exec')
        return (sql: string) => {
          statements.push(sql);
          return target.exec(sql);
        };
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return async (sql: string) => {
        statements.push(sql);
        return (await target.query<Record<string, number>>(sql)).map(change);
      };
    },
  });
}
