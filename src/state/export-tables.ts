import type { Engine } from '../engine/engine';
import { copyToCsvSql, type ExportSpec } from '../sql/export-sql';
import {
  createOrderedByPositionSql,
  createOrderedEventsSql,
  createOrderedNumbersSql,
  createSessionsTableSql,
  eventsHeaderSql,
  exportUsersSql,
  exportUsersWithIdsSql,
  rowCountSql,
} from '../sql/ordered-export-sql';
import { dropTableSql } from '../sql/read-sql';
import type { StatsEngine } from '../stats/stats-engine';
import type { RawTable } from './raw-table';
import type { SessionResult } from './types';

/*
 * What an export reads in chunks (exports.ts), and the chunks themselves (ChunkedRows: SQL's
 * per chunk, or the stats worker's): the events in export order with their session numbers
 * (tables), and the sessions. When the stats worker holds the events it
 * orders them and numbers their sessions cheaply (export-order.ts), and makes the sessions
 * export's rows itself (sessions-export.ts); SQL makes them alone otherwise, the same rows,
 * as it always could.
 */

let scratchCounter = 0;
const scratchTable = (what: string) => `export_${what}_w${++scratchCounter}`;

export const countOf = async (engine: Engine, table: string) => Number((await engine.query<{ n: number }>(rowCountSql(table)))[0]?.n ?? 0);

/** The events in export order: a table of the file's cells, user and position (ordered-export-sql.ts). */
export interface OrderedEvents {
  table: string;
  /** Placed by the stats worker (it numbers the sessions too); else by SQL, with the gap and row columns its numbering reads. */
  byWorker: boolean;
}

/** Makes `table`, the events in export order: placed by the stats worker when it can, else sorted by SQL. */
export async function makeOrderedEvents(
  engine: Engine,
  spec: ExportSpec,
  userColumn: string,
  stats: StatsEngine | undefined,
  table: string,
): Promise<OrderedEvents> {
  if (stats) {
    const positions = scratchTable('positions');
    try {
      const firstRows = await engine.queryIpc(exportUsersSql(spec.eventsTable));
      const rawRows = await countOf(engine, spec.rawTable);
      await engine.insertArrowIpc(positions, await stats.exportPositionsIpc(spec.eventsTable, rawRows, firstRows), true);
      await engine.exec(createOrderedByPositionSql(spec, userColumn, positions, table));
      return { table, byWorker: true };
    } catch (error) {
      // The worker lacks these events (or they are not as it expects): SQL orders them, as it always could.
      console.warn('the events export is ordered by SQL:', error);
    } finally {
      await engine.exec(dropTableSql(positions));
    }
  }
  await engine.exec(createOrderedEventsSql(spec, table));
  return { table, byWorker: false };
}

/** What the stats worker's order and sessions need: the user and url columns (the events' user_id and url are their text; url '' for none) and the rules. */
export interface Ordering {
  userColumn: string;
  urlColumn: string;
  rules: SessionResult['rules'];
}

/** Creates `table`, the sessions export's rows (`query`, SQL's own sessions) in order. */
export async function makeSessionsTable(engine: Engine, query: string, table: string): Promise<void> {
  await engine.exec(createSessionsTableSql(table, query));
}

/**
 * Has the stats worker make the sessions export's rows (StatsEngine.exportSessions), for
 * exportSessionsChunk to write; returns how many, or null where SQL must make them (the
 * worker lacks these events or their urls, or holds instants it does not write as SQL does).
 */
export async function makeWorkerSessions(engine: Engine, spec: ExportSpec, ordering: Ordering, stats: StatsEngine): Promise<number | null> {
  try {
    const users = await engine.queryIpc(exportUsersWithIdsSql(spec.eventsTable));
    const rawRows = await countOf(engine, spec.rawTable);
    return await stats.exportSessions(spec.eventsTable, spec.thresholdUs, ordering.rules, rawRows, users, ordering.urlColumn !== '');
  } catch (error) {
    // SQL makes the sessions, as it always could.
    console.warn('the sessions export is made by SQL:', error);
    return null;
  }
}

/** The file of a raw table the quick read's dialect reads line by line (RawTable.regularFile). */
export type RegularFile = NonNullable<RawTable['regularFile']>;

/**
 * Has the stats worker prepare the events export from the file's own bytes
 * (StatsEngine.exportEvents), for exportEventsChunk to write; returns how many events, or null
 * where SQL must write them (the worker lacks these events, or the file is not as the raw table
 * has it). `chunkRows`: the rows of each chunk to be asked for; `window`: the most of the file's
 * text the worker gathers, and reads, at a time.
 */
export async function makeWorkerEvents(
  engine: Engine,
  spec: ExportSpec,
  ordering: Ordering,
  stats: StatsEngine,
  file: RegularFile,
  chunkRows: number,
  window?: { windowBytes: number; sliceBytes: number },
): Promise<number | null> {
  try {
    const users = await engine.queryIpc(exportUsersWithIdsSql(spec.eventsTable));
    const rawRows = await countOf(engine, spec.rawTable);
    const scratch = await engine.scratchFileName(`export_header_${++scratchCounter}.csv`);
    await engine.exec(copyToCsvSql(eventsHeaderSql(spec), scratch, true));
    const header = await engine.takeFile(scratch);
    const setup = { file: { ...file, columns: [...spec.columns] }, rawRows, header, chunkRows, ...window };
    return await stats.exportEvents(spec.eventsTable, spec.thresholdUs, ordering.rules, users, setup);
  } catch (error) {
    // SQL writes the events, as it always could.
    console.warn('the events export is written by SQL:', error);
    return null;
  }
}

/** Creates `numbers` (position, session_number) in the ordered table's order. */
export async function makeOrderedNumbers(
  engine: Engine,
  spec: ExportSpec,
  rules: SessionResult['rules'],
  stats: StatsEngine | undefined,
  ordered: OrderedEvents,
  numbers: string,
): Promise<void> {
  if (ordered.byWorker) {
    // Such a table has no gap or row columns for SQL's numbering.
    if (!stats) throw new Error('the events were placed in export order by the stats worker, which must number their sessions too');
    await engine.insertArrowIpc(numbers, await stats.exportNumbersIpc(spec.eventsTable, spec.thresholdUs, rules), true);
    return;
  }
  await engine.exec(createOrderedNumbersSql(spec, spec.columns, ordered.table, numbers));
}

/**
 * Rows of an export, chunk by chunk: rows [from, to) as CSV (the header line first when
 * asked) or as Arrow IPC. SQL writes them (a DuckDB query per chunk), or the stats worker.
 */
export interface ChunkedRows {
  total: number;
  csv: (from: number, to: number, header: boolean) => Promise<Uint8Array>;
  arrow: (from: number, to: number) => Promise<Uint8Array>;
}

/** Rows whose chunk `chunk(from, to)` is the SQL of rows [from, to). */
export function sqlRows(engine: Engine, total: number, chunk: (from: number, to: number) => string): ChunkedRows {
  return {
    total,
    csv: async (from, to, header) => {
      // A fresh name each time: DuckDB-WASM keeps returning a reused name's first content.
      const scratch = await engine.scratchFileName(`export_chunk_${++scratchCounter}.csv`);
      await engine.exec(copyToCsvSql(chunk(from, to), scratch, header));
      return engine.takeFile(scratch);
    },
    arrow: (from, to) => engine.queryIpc(chunk(from, to)),
  };
}

/** The events the stats worker prepared (makeWorkerEvents), written by it chunk by chunk as CSV (no Arrow rows: Parquet goes through SQL). */
export function workerEventRows(stats: StatsEngine, key: string, total: number, spreadsheetSafe: boolean): ChunkedRows {
  return {
    total,
    csv: (from, to, header) => stats.exportEventsChunk(key, from, to, { header, spreadsheetSafe }),
    arrow: () => Promise.reject(new Error('the stats worker writes the events export as CSV only')),
  };
}

/** The sessions the stats worker made (makeWorkerSessions), written by it chunk by chunk. */
export function workerSessionRows(stats: StatsEngine, key: string, total: number, spreadsheetSafe: boolean): ChunkedRows {
  return {
    total,
    csv: (from, to, header) => stats.exportSessionsChunk(key, from, to, { type: 'csv', header, spreadsheetSafe }),
    arrow: (from, to) => stats.exportSessionsChunk(key, from, to, { type: 'arrow' }),
  };
}
