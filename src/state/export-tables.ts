import type { Engine } from '../engine/engine';
import { workerSessionsSql, type ExportSpec, type SessionsSource } from '../sql/export-sql';
import {
  createOrderedByPositionSql,
  createOrderedEventsSql,
  createOrderedNumbersSql,
  createSessionsTableSql,
  exportUsersSql,
  rowCountSql,
} from '../sql/ordered-export-sql';
import { dropTableSql } from '../sql/read-sql';
import type { StatsEngine } from '../stats/stats-engine';
import type { SessionResult } from './types';

/*
 * The tables an export reads in chunks (exports.ts): the events in export order with their
 * session numbers, and the sessions. The stats worker makes them cheaply when it holds the
 * events (it orders them and knows every session: export-order.ts); SQL makes them alone
 * otherwise, the same rows, as it always could.
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

/** The sessions export's query over a source of sessions (SQL's own by default). */
export type SessionsQuery = (from?: SessionsSource) => string;

/** Creates `table`, the sessions export's rows in order: from the stats worker's sessions when it can, else by SQL alone. */
export async function makeSessionsTable(
  engine: Engine,
  spec: ExportSpec,
  ordering: Ordering,
  stats: StatsEngine | undefined,
  query: SessionsQuery,
  table: string,
): Promise<void> {
  if (stats) {
    const sessions = scratchTable('sessions');
    const urlRows = scratchTable('url_rows');
    try {
      const firstRows = await engine.queryIpc(exportUsersSql(spec.eventsTable));
      const rawRows = await countOf(engine, spec.rawTable);
      const made = await stats.exportSessionsIpc(spec.eventsTable, spec.thresholdUs, ordering.rules, rawRows, firstRows, ordering.urlColumn !== '');
      await engine.insertArrowIpc(sessions, made.sessions, true);
      await engine.insertArrowIpc(urlRows, made.urlRows, true);
      const source = workerSessionsSql({
        rawTable: spec.rawTable,
        userColumn: ordering.userColumn,
        urlColumn: ordering.urlColumn,
        sessionsTable: sessions,
        urlRowsTable: urlRows,
      });
      await engine.exec(createSessionsTableSql(table, query(source)));
      return;
    } catch (error) {
      // As for the events' order: SQL makes the sessions, as it always could.
      console.warn('the sessions export is made by SQL:', error);
    } finally {
      await engine.exec(`${dropTableSql(sessions)};\n${dropTableSql(urlRows)}`);
    }
  }
  await engine.exec(createSessionsTableSql(table, query()));
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
