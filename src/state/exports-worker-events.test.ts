import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNodeEngine, type NodeEngine } from '../test/node-engine';
import { settled } from '../test/settled';
import { AppStore } from './app-store';
import { inProcessIngest } from '../ingest/row-ingest';
import { createLocalStatsEngine, type StatsEngine } from '../stats/stats-engine';
import { ExportCancelledError, exportCsv, type ExportOptions } from './exports';
import { NO_RULES } from '../domain/rules';

/*
 * The events CSV written by the stats worker from the file's own bytes (events-export.ts)
 * must be the bytes SQL writes (its sort of the raw table's cells, then COPY): quoting,
 * empty cells quoted or not (both NULL to DuckDB's read), other delimiters, CRLF, a BOM, a file column named
 * session_id, spreadsheet-safe on and off, ids that need quotes, rows that made no event,
 * the rules' numbering, a user filter, and windows, slices and chunks small enough to split.
 * A dataset of two files is written by SQL.
 */

let engine: NodeEngine;
beforeAll(async () => {
  engine = await createNodeEngine();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const ROWS = [
  ['ts', 'user', 'url', 'session_id', 'note'],
  ['2024-05-01T10:00:00Z', 'b', '/1', 's1', '"x, with comma"'],
  ['2024-05-01T10:00:00Z', '"c,d"', '/2', '', '"say ""hi"" twice"'],
  ['2024-05-01T09:00:00Z', 'b', '"/3"', 's3', '""'],
  ['2024-05-01T10:00:00Z', 'b', '/4', '', '=1+2'],
  ['not a time', 'a', '/5', '', 'no time'],
  ['2024-05-01T10:05:00Z', 'é', '/6', '-x', '@at'],
  ['', 'z', '/7', '', 'empty time'],
  ['2024-05-01T10:06:00Z', 'z', '', '""', '+plus'],
  ['2024-05-01T12:00:00Z', 'b', '/11', '', 'a "quoted" word'],
  ['2024-05-01T10:10:00Z', '=u', '/12', '', ''],
  ['2024-05-01T10:11:00Z', '-u', '/13', '', ' spaced '],
  ['2024-05-01T10:12:00Z', 'semi;colon', '/14', '', 'pipe|tab'],
  ['2024-05-01T10:13:00Z', '😀', '/15', '', 'a,b,c'],
  ['2024-05-01T10:14:00Z', 'b', '/16', '', '-'],
  ['2024-05-01T10:15:00Z', 'b', '/17', '', "it's"],
];

/** The rows as a file with `delimiter` (cells holding it are quoted; " inside an unquoted cell doubled and quoted). */
function fileOf(delimiter: string, eol = '\n', bom = ''): string {
  const cell = (c: string) => {
    if (c.startsWith('"')) return c;
    if (c.includes('"') || c.includes(delimiter)) return `"${c.replaceAll('"', '""')}"`;
    return c;
  };
  return bom + ROWS.map((row) => row.map(cell).join(delimiter)).join(eol) + eol;
}

/** A bigger file: many users, several sessions each, quoted and plain lines mixed. */
function bigFile(rows: number): string {
  const lines = ['user,ts,url,note'];
  let seed = 7;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  for (let i = 0; i < rows; i++) {
    const user = `u${next() % 97}`;
    const minute = next() % 6000;
    const ts = new Date(Date.UTC(2024, 4, 1) + minute * 60_000).toISOString().replace('.000Z', 'Z');
    const kind = next() % 5;
    const note = kind === 0 ? '"a, ""b"""' : kind === 1 ? '' : kind === 2 ? '""' : kind === 3 ? '=sum' : `n${i}`;
    lines.push(`${user},${i % 50 === 49 ? 'bad' : ts},/p${next() % 20},${note}`);
  }
  return `${lines.join('\n')}\n`;
}

async function loaded(text: string, name = 'events.csv') {
  const stats = createLocalStatsEngine();
  const store = new AppStore({ engine: Promise.resolve(engine), ingestRows: inProcessIngest, stats }, 30);
  const bytes = new TextEncoder().encode(text);
  await store.loadFile({ name, size: bytes.length, data: bytes });
  await settled(store);
  const { dataset, result, error } = store.getState();
  expect(error).toBeNull();
  if (!dataset || !result) throw new Error('not loaded');
  return { stats, store, dataset, result };
}

const text = async (file: { bytes(): Promise<Uint8Array> } | null) => {
  if (!file) throw new Error('no file');
  return new TextDecoder().decode(await file.bytes());
};

/** The page's export (the store's), which hands the stats worker the file; and how many chunks the worker wrote. */
async function byWorker(store: AppStore, stats: StatsEngine, safe: boolean, options: ExportOptions = {}) {
  const chunks = vi.spyOn(stats, 'exportEventsChunk');
  const csv = await text(await store.queries.exportFile('events', 'csv', safe, options));
  const written = chunks.mock.calls.length;
  chunks.mockRestore();
  return { csv, written };
}

/** SQL's export of the result on screen (no stats worker: SQL sorts the cells and COPY writes them). */
async function bySql(store: AppStore, safe: boolean) {
  const { dataset, result } = store.getState();
  if (!dataset || !result) throw new Error('not loaded');
  return text(await exportCsv(engine, dataset, result, null, 'events', safe));
}

describe('the events CSV written by the stats worker from the file’s bytes', () => {
  it.each([
    ['commas', fileOf(',')],
    ['tabs', fileOf('\t')],
    ['semicolons', fileOf(';')],
    ['pipes', fileOf('|')],
    ['CRLF line ends', fileOf(',', '\r\n')],
    ['a byte order mark', fileOf(',', '\n', '\uFEFF')],
    ['no final line break', fileOf(',').slice(0, -1)],
  ])('%s: the same bytes as SQL’s, spreadsheet-safe or not', async (_what, file) => {
    const { stats, store } = await loaded(file);
    const warn = vi.spyOn(console, 'warn');
    for (const safe of [false, true]) {
      const worker = await byWorker(store, stats, safe);
      expect(worker.written).toBe(1);
      expect(worker.csv).toBe(await bySql(store, safe));
    }
    expect(warn).not.toHaveBeenCalled();
  });

  it('writes the cells as SQL does (a sample pinned)', async () => {
    const { stats, store } = await loaded(fileOf('\t'));
    const lines = (await byWorker(store, stats, true)).csv.split('\n');
    expect(lines[0]).toBe('ts,user,url,session_id_original,note,session_id,session_number');
    expect(lines).toContain('2024-05-01T10:00:00Z,"c,d",/2,,"say ""hi"" twice","c,d-1",1');
    // A quoted empty cell is NULL to DuckDB's read (allow_quoted_nulls), as an unquoted one.
    expect(lines).toContain('2024-05-01T09:00:00Z,b,/3,s3,,b-1,1');
    expect(lines).toContain("2024-05-01T10:10:00Z,'=u,/12,,,'=u-1,1");
    expect(lines).toContain('2024-05-01T10:13:00Z,😀,/15,,"a,b,c",😀-1,1');
    expect(lines.some((l) => l.includes('no time') || l.includes('empty time'))).toBe(false);
  });

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('splits windows, slices and chunks (%s): the same bytes, chunk by chunk', async (_eol, eol) => {
    const { stats, store, dataset } = await loaded(bigFile(3000).replaceAll('\n', eol));
    expect(dataset.events.figures.skipped).toBeGreaterThan(0);
    const warn = vi.spyOn(console, 'warn');
    for (const safe of [false, true]) {
      const expected = await bySql(store, safe);
      for (const [windowBytes, sliceBytes, chunkRows] of [
        [4096, 1000, 100],
        [1, 1, 7],
        [1 << 20, 300, 1000],
      ] as const) {
        const worker = await byWorker(store, stats, safe, { eventsWindow: { windowBytes, sliceBytes }, chunkRows });
        expect(worker.written).toBe(Math.ceil(dataset.events.figures.events / chunkRows));
        expect(worker.csv).toBe(expected);
      }
    }
    expect(warn).not.toHaveBeenCalled();
  });

  it('numbers the sessions by the other rules too', async () => {
    const { stats, store } = await loaded(bigFile(500));
    store.setRules({ ...NO_RULES, maxEvents: 3 });
    await settled(store);
    const warn = vi.spyOn(console, 'warn');
    const { dataset, result } = store.getState();
    if (!dataset || !result) throw new Error('not loaded');
    expect(result.rules.maxEvents).toBe(3);
    const sessionTable = 'worker_events_rule_numbers';
    await engine.insertArrowIpc(sessionTable, await stats.sessionNumbersIpc(result.eventsTable, 30 * 60e6, result.rules), true);
    const sql = await text(await exportCsv(engine, dataset, result, sessionTable, 'events'));
    await engine.exec(`DROP TABLE ${sessionTable}`);
    const worker = await byWorker(store, stats, false);
    expect(worker.written).toBe(1);
    expect(worker.csv).toBe(sql);
    expect(warn).not.toHaveBeenCalled();
  });

  it('writes the kept users’ events only under a user filter', async () => {
    const { stats, store } = await loaded(bigFile(800));
    store.setUserFilters({ maxEventsPerUser: 8, columnMatch: null });
    await settled(store);
    const { result } = store.getState();
    expect(result?.exclusion).toBeTruthy();
    const worker = await byWorker(store, stats, false);
    expect(worker.written).toBe(1);
    const sql = await bySql(store, false);
    expect(worker.csv).toBe(sql);
    expect(sql.split('\n').length).toBeLessThan(800);
  });

  it('leaves a dataset of two files to SQL (a warning says nothing: the worker is not asked)', async () => {
    const { stats, store } = await loaded(fileOf(','));
    const late = new TextEncoder().encode('ts,user,url,session_id,note\n2024-05-01T10:20:00Z,b,/late,,late one\n');
    await store.appendFile({ name: 'late.csv', size: late.length, data: late });
    await settled(store);
    expect(store.getState().dataset?.files.length).toBe(2);
    const worker = await byWorker(store, stats, false);
    expect(worker.written).toBe(0);
    expect(worker.csv).toBe(await bySql(store, false));
    expect(worker.csv).toContain('/late,,late one,b-');
  });

  it('falls back to SQL when the file is not the raw table’s (a warning says so)', async () => {
    const { stats, store, dataset, result } = await loaded(fileOf(','));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const other = new TextEncoder().encode(`${fileOf(',')}2024-05-01T10:20:00Z,b,/extra,,\n`);
    const options: ExportOptions = { stats, eventsFile: { data: other, delimiter: ',', quote: '"' } };
    const csv = await text(await exportCsv(engine, dataset, result, null, 'events', false, null, options));
    expect(csv).toBe(await bySql(store, false));
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('falls back to SQL when the file can no longer be read (a warning says so)', async () => {
    const { stats, store, dataset, result } = await loaded(fileOf(','));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    // A File whose bytes are gone (moved or changed on disk) rejects its reads.
    const gone = new Blob([new TextEncoder().encode(fileOf(','))]);
    gone.slice = () => ({ arrayBuffer: () => Promise.reject(new Error('NotReadableError')) }) as unknown as Blob;
    const options: ExportOptions = { stats, eventsFile: { data: gone as File, delimiter: ',', quote: '"' } };
    const csv = await text(await exportCsv(engine, dataset, result, null, 'events', false, null, options));
    expect(csv).toBe(await bySql(store, false));
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('stops between chunks when cancelled, and the worker lets go of the export', async () => {
    const { stats, store } = await loaded(bigFile(3000));
    const controller = new AbortController();
    const chunks = vi.spyOn(stats, 'exportEventsChunk');
    const done = vi.spyOn(stats, 'exportEventsDone');
    const options: ExportOptions = {
      chunkRows: 100,
      eventsWindow: { windowBytes: 4096, sliceBytes: 1000 },
      signal: controller.signal,
      onProgress: ({ rowsDone }) => {
        if (rowsDone >= 500) controller.abort();
      },
    };
    await expect(store.queries.exportFile('events', 'csv', false, options)).rejects.toBeInstanceOf(ExportCancelledError);
    // Five chunks taken in, one made ahead at most.
    expect(chunks.mock.calls.length).toBeGreaterThanOrEqual(5);
    expect(chunks.mock.calls.length).toBeLessThanOrEqual(6);
    expect(done).toHaveBeenCalledTimes(1);
    const key = store.getState().result?.eventsTable ?? '';
    await expect(stats.exportEventsChunk(key, 0, 10, { header: true, spreadsheetSafe: false })).rejects.toThrow(/was not made/);
  });

  it('leaves a file DuckDB read alone to SQL', async () => {
    const { stats, store } = await loaded(`\n${fileOf(',')}`);
    const worker = await byWorker(store, stats, false);
    expect(worker.written).toBe(0);
    expect(worker.csv).toBe(await bySql(store, false));
  });
});
