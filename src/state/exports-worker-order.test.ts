import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { AppStore } from './app-store';
import { inProcessIngest } from '../ingest/row-ingest';
import { createLocalStatsEngine } from '../stats/stats-engine';
import { exportCsv, exportParquet, writeParquetHere, type OrderedEvents } from './exports';
import { NO_RULES } from '../domain/rules';

/*
 * The events export ordered by the stats worker (export-order.ts) must write the same bytes
 * as SQL's ORDER BY user_id, ts_us, row_number: users whose byte order differs from first
 * appearance and from a case-folding or locale order, equal instants, events out of time
 * order, rows that made no event, on both load paths.
 */

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const FILE = [
  'ts,user,url,note',
  '2024-05-01T10:00:00Z,b,/1,x',
  '2024-05-01T10:00:00Z,B,/2,=1+2',
  '2024-05-01T09:00:00Z,b,/3,',
  '2024-05-01T10:00:00Z,b,/4,tie with the first',
  ',a,/5,no time',
  '2024-05-01T10:05:00Z,é,/6,',
  '2024-05-01T10:06:00Z,z,/7,',
  '2024-05-01T10:07:00Z,😀,/8,',
  '2024-05-01T10:08:00Z,～,/9,',
  '2024-05-01T10:09:00Z,10,/10,',
  '2024-05-01T10:10:00Z,9,,',
  '2024-05-01T12:00:00Z,b,/11,a later session',
  '2024-05-01T10:11:00Z,  ,/12,blank user',
  '2024-05-01T10:12:00Z,a,/13,',
  '2024-05-01T11:50:00Z,B,/14,',
  '2024-05-01T11:51:00Z,B,,no url',
  '2024-05-01T13:00:00Z,B,"",quoted empty url',
  '2024-05-01T13:01:00Z,B," ",blank url',
  '2024-05-01T15:00:00Z,z,,a session without a url',
  '2024-05-01T15:01:00Z,z,,',
].join('\n');

async function loaded(text: string) {
  const stats = createLocalStatsEngine();
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest, stats }, 30);
  const bytes = new TextEncoder().encode(text);
  await store.loadFile({ name: 'order.csv', size: bytes.length, data: bytes });
  await store.queries.tablesReady();
  const { dataset, result, error } = store.getState();
  expect(error).toBeNull();
  if (!dataset || !result) throw new Error('not loaded');
  return { stats, dataset, result };
}

const text = async (file: { bytes(): Promise<Uint8Array> }) => new TextDecoder().decode(await file.bytes());

describe('the events export in the stats worker’s order', () => {
  // A blank line above the header makes DuckDB read the file alone (no quick read).
  it.each([
    ['quick read', FILE],
    ['DuckDB alone', `\n${FILE}`],
  ])('%s: the same bytes as SQL’s sort, CSV and Parquet, and the worker did place them', async (_path, file) => {
    const { stats, dataset, result } = await loaded(file);
    const warn = vi.spyOn(console, 'warn');
    const placed: boolean[] = [];
    const withOrderedEvents = async <T>(make: (name: string) => Promise<OrderedEvents>, use: (o: OrderedEvents) => Promise<T>): Promise<T> => {
      const ordered = await make(`ordered_test_${placed.length}`);
      placed.push(ordered.byWorker);
      try {
        return await use(ordered);
      } finally {
        await engine.exec(`DROP TABLE IF EXISTS ${ordered.table}`);
      }
    };
    for (const safe of [false, true]) {
      const bySql = await exportCsv(engine, dataset, result, null, 'events', safe);
      const byWorker = await exportCsv(engine, dataset, result, null, 'events', safe, null, { stats, withOrderedEvents });
      expect(await text(byWorker)).toBe(await text(bySql));
    }
    const parquetBySql = await exportParquet(engine, dataset, result, null, 'events', writeParquetHere);
    const parquetByWorker = await exportParquet(engine, dataset, result, null, 'events', writeParquetHere, { stats, withOrderedEvents });
    expect(await parquetByWorker.bytes()).toEqual(await parquetBySql.bytes());
    expect(placed).toEqual([true, true, true]);
    expect(warn).not.toHaveBeenCalled();
    expect((await text(await exportCsv(engine, dataset, result, null, 'events'))).split('\n').slice(1, 5)).toEqual([
      '2024-05-01T10:09:00Z,10,/10,,10-1,1',
      '2024-05-01T10:10:00Z,9,,,9-1,1',
      '2024-05-01T10:00:00Z,B,/2,=1+2,B-1,1',
      '2024-05-01T11:50:00Z,B,/14,,B-2,2',
    ]);
  });

  it.each([
    ['quick read', FILE],
    ['DuckDB alone', `\n${FILE}`],
    ['no url column', FILE.replace(/^ts,user,url,note/, 'ts,user,page,note')],
    [
      'ids and urls that need quotes, formula starts, instants between milliseconds and before 1970',
      [
        'ts,user,url',
        '2024-05-01T10:00:00.000100Z,"x,""y",/a',
        '2024-05-01T10:00:01.000600Z,"x,""y","/b,c"',
        '2024-05-01T10:00:00Z,-minus,"/say ""hi"""',
        '2024-05-01T10:00:00.0005Z,-minus,=cmd',
        '1969-12-31T23:59:59.999500Z,@at,"line',
        'break"',
        '2024-05-01T10:00:00Z,"",/empty user',
        '2024-05-01T10:00:00Z,\ttab,+plus',
      ].join('\n'),
    ],
  ])('%s: the sessions export from the worker’s sessions, the same bytes as SQL’s', async (_path, file) => {
    const { stats, dataset, result } = await loaded(file);
    const warn = vi.spyOn(console, 'warn');
    for (const safe of [false, true]) {
      const bySql = await exportCsv(engine, dataset, result, null, 'sessions', safe);
      const byWorker = await exportCsv(engine, dataset, result, null, 'sessions', safe, null, { stats });
      expect(await text(byWorker)).toBe(await text(bySql));
    }
    const parquetBySql = await exportParquet(engine, dataset, result, null, 'sessions', writeParquetHere);
    const parquetByWorker = await exportParquet(engine, dataset, result, null, 'sessions', writeParquetHere, { stats });
    expect(await parquetByWorker.bytes()).toEqual(await parquetBySql.bytes());
    expect(warn).not.toHaveBeenCalled();
  });

  it('numbers the sessions by the other rules too (the worker’s numbering)', async () => {
    const { stats, dataset, result } = await loaded(FILE);
    const rules = { ...NO_RULES, maxEvents: 2 };
    const ruled = { ...result, rules };
    const sessionTable = 'order_rule_numbers';
    await engine.insertArrowIpc(sessionTable, await stats.sessionNumbersIpc(result.eventsTable, 30 * 60e6, rules), true);
    const bySql = await exportCsv(engine, dataset, ruled, sessionTable, 'events');
    const byWorker = await exportCsv(engine, dataset, ruled, sessionTable, 'events', false, null, { stats });
    expect(await text(byWorker)).toBe(await text(bySql));
    const sessionsBySql = await exportCsv(engine, dataset, ruled, sessionTable, 'sessions');
    const sessionsByWorker = await exportCsv(engine, dataset, ruled, sessionTable, 'sessions', false, null, { stats });
    expect(await text(sessionsByWorker)).toBe(await text(sessionsBySql));
    await engine.exec(`DROP TABLE ${sessionTable}`);
  });

  it('falls back to SQL’s sort when the worker does not hold the events', async () => {
    const { dataset, result } = await loaded(FILE);
    const bySql = await exportCsv(engine, dataset, result, null, 'events');
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fallback = await exportCsv(engine, dataset, result, null, 'events', false, null, { stats: createLocalStatsEngine() });
    expect(await text(fallback)).toBe(await text(bySql));
    const sessionsBySql = await exportCsv(engine, dataset, result, null, 'sessions');
    const sessionsFallback = await exportCsv(engine, dataset, result, null, 'sessions', false, null, { stats: createLocalStatsEngine() });
    expect(await text(sessionsFallback)).toBe(await text(sessionsBySql));
    expect(console.warn).toHaveBeenCalledTimes(2);
  });
});
