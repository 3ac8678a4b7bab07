import type { Engine } from '../engine/engine';
import type { TopUserRow, UserSuggestionRow } from '../domain/types';
import type { ExcludedUserRow } from '../domain/user-filters';
import type { SessionPage, SessionPageQuery, SessionsOverTime, TimeBinChoice } from '../domain/session-list';
import { engineFootprintSql } from '../sql/footprint-sql';
import type { StatsEngine } from '../stats/stats-engine';
import { DatasetDisposedError, TablesUnavailableError } from './dataset-handle';
import {
  ExportCancelledError,
  exportCsv,
  exportParquet,
  prepareEventsExport,
  writeParquetHere,
  type ExportFile,
  type ExportOptions,
  type ExportTable,
  type ParquetWriter,
} from './exports';
import { engineMessage, LoadError } from './load-errors';
import { excludedUsers, suggestUsers, topUsers, usersOfRows } from './lookups';
import { sessionListPage, sessionsOverTimeOf, type Answer } from './session-list';
import type { StoreModel } from './store-machine';
import type { Dataset } from './types';

/*
 * The queries the page asks about the dataset on screen, outside the store's events: session
 * list pages, user lookups, exports and the engine's footprint. They read the store's model
 * as it is when asked and run on the shown dataset's handle, which keeps its tables alive
 * while they run; they change no state (a failure is reported to the page as an error).
 */

export interface DatasetQueriesDeps {
  /** The store's model now. */
  model(): StoreModel;
  /** The datasets the store is letting go of now. */
  disposals(): ReadonlySet<Promise<void>>;
  engine: Promise<Engine>;
  stats: StatsEngine;
  /** Defaults to writing in the calling thread (tests); the page passes a worker. */
  writeParquet?: ParquetWriter;
  /** Up to this many rows read, the events in export order are kept for the next export (default KEEP_ORDERED_EVENTS_MAX_ROWS). */
  keepOrderedEventsMaxRows?: number;
  /** Shows a problem on the page (the store's error). */
  report(message: string): void;
}

/**
 * Up to this many rows the events export's ordered copy of the file is kept with the
 * dataset, so the next events export skips making it. Past it, it is
 * dropped after each export: at 10M events it kept a copy of a 560 MB file's text in the
 * tab's memory for as long as the dataset was open.
 */
export const KEEP_ORDERED_EVENTS_MAX_ROWS = 2_000_000;

export class DatasetQueries {
  constructor(private readonly deps: DatasetQueriesDeps) {}

  /**
   * Resolves once the shown dataset has its DuckDB tables and their column profiles, or has
   * said why it has none, and the datasets it replaced have let go of theirs (DuckDB may read a new file while an old
   * one's tables still wait for its last query).
   */
  async tablesReady(): Promise<void> {
    const side = await this.deps.model().handle?.sql.catch(() => null);
    await side?.profiles;
    await Promise.all(this.deps.disposals());
  }

  /** A page of the session list at the threshold and rules shown (null: no dataset). */
  sessionPage(query: SessionPageQuery): Promise<Answer<SessionPage>> | null {
    const { handle, gapMinutes, rules, userFilters } = this.deps.model();
    return handle && sessionListPage(this.deps.stats, handle, { gapMinutes, rules, userFilters }, query);
  }

  /** Sessions started per local day or hour of the display zone, at the threshold and rules shown. */
  sessionsOverTime(bins: TimeBinChoice): Promise<Answer<SessionsOverTime>> | null {
    const { handle, gapMinutes, rules, userFilters, displayTimeZone } = this.deps.model();
    return handle && sessionsOverTimeOf(this.deps.stats, handle, { gapMinutes, rules, userFilters }, displayTimeZone, bins);
  }

  /**
   * The events table whose exports prepareExports would prepare now, or null: none shown, its
   * DuckDB tables not made (or not to be), a file loading (its SQL side must not wait behind
   * this), or a dataset too big to keep the copy (KEEP_ORDERED_EVENTS_MAX_ROWS).
   */
  exportsToPrepare(): string | null {
    const { dataset, result, handle, job, background, sqlProblem } = this.deps.model();
    if (!dataset || !result || !handle || job || background !== null || sqlProblem !== null || !this.keepsOrderedEvents(dataset)) return null;
    return result.eventsTable;
  }

  /**
   * Makes what the next events export needs and no threshold changes (the events in export
   * order) for the dataset shown; the page calls it when idle. An export asked for meanwhile
   * waits for this work instead of doing it again. Resolves false when there was nothing to do.
   */
  async prepareExports(): Promise<boolean> {
    const { dataset, result, handle } = this.deps.model();
    if (!dataset || !result || !handle || this.exportsToPrepare() === null) return false;
    await handle.withSql((engine) =>
      prepareEventsExport(engine, dataset, result, {
        stats: this.deps.stats,
        withOrderedEvents: (make, use) => handle.withOrderedEvents(result.eventsTable, make, use),
      }),
    );
    return true;
  }

  /** The events in export order are a second copy of the file's text in DuckDB: kept up to a size. */
  private keepsOrderedEvents(dataset: Dataset): boolean {
    return dataset.events.figures.rowsRead <= (this.deps.keepOrderedEventsMaxRows ?? KEEP_ORDERED_EVENTS_MAX_ROWS);
  }

  /**
   * The result on screen as a file, or null (with an error shown) when it cannot be made.
   * `options` reports rows written and cancels: an aborted signal throws ExportCancelledError.
   */
  async exportFile(table: ExportTable, format: 'csv' | 'parquet', spreadsheetSafe = false, options: ExportOptions = {}): Promise<ExportFile | null> {
    const { dataset, result, handle, status } = this.deps.model();
    if (!dataset || !result || !handle || status === 'loading') {
      this.deps.report('Nothing to export yet: load a file and wait until it is ready.');
      return null;
    }
    try {
      // Kept for the next export of a file this size, made for each export (and dropped) past it.
      const keepOrdered = this.keepsOrderedEvents(dataset);
      const ordering: ExportOptions = { ...options, stats: this.deps.stats };
      const streaming: ExportOptions = keepOrdered
        ? { ...ordering, withOrderedEvents: (make, use) => handle.withOrderedEvents(result.eventsTable, make, use) }
        : ordering;
      // No (row_number, session_number) table for the gap rule: the stats worker numbers the
      // sessions of both exports in their own order (SQL's window only if it cannot).
      return await handle.withSessionTable(result, (engine, sessionTable, side) =>
        format === 'csv'
          ? exportCsv(engine, dataset, result, sessionTable, table, spreadsheetSafe, null, {
              ...streaming,
              // The stats worker writes the events from the file's bytes where they are the raw table's.
              eventsFile: side.raw.table === dataset.raw.table ? side.raw.regularFile : undefined,
            })
          : exportParquet(engine, dataset, result, sessionTable, table, this.deps.writeParquet ?? writeParquetHere, streaming),
      );
    } catch (error) {
      // The person stopped it: nothing to report (the panel says it was cancelled).
      if (error instanceof ExportCancelledError) throw error;
      // A problem of this file (DuckDB could not make its tables) is said once, after its name.
      const cause = error instanceof TablesUnavailableError ? error.cause : error;
      const why =
        error instanceof DatasetDisposedError
          ? 'another dataset replaced this one meanwhile'
          : cause instanceof LoadError && cause.fileName === dataset.raw.fileName
            ? cause.problem
            : engineMessage(error);
      this.deps.report(`${dataset.raw.fileName}: the ${table} export was not made: ${why}`);
      return null;
    }
  }

  /** The sessions the last append changed, as the sessions export (CSV). */
  async exportChangedSessions(): Promise<ExportFile | null> {
    const { dataset, result, handle } = this.deps.model();
    const changed = dataset?.lastAppend;
    if (!dataset || !result || !handle || !changed) return null;
    try {
      return await handle.withSessionTable(result, (engine, sessionTable) =>
        exportCsv(engine, dataset, result, sessionTable, 'sessions', false, changed.changedTable),
      );
    } catch (error) {
      this.deps.report(`${dataset.raw.fileName}: the changed sessions could not be exported: ${engineMessage(error)}`);
      return null;
    }
  }

  /** Users whose id starts with `prefix` (most active first; left-out users are not offered), for the search box; none once the dataset is gone. */
  async suggestUsers(prefix: string, limit = 10): Promise<UserSuggestionRow[]> {
    const { handle, dataset, result } = this.deps.model();
    if (!handle || !dataset) return [];
    // The users a filter keeps (a view of the same name as the result's events), else everyone.
    const eventsTable = result?.exclusion ? result.eventsTable : dataset.events.table;
    return suggestUsers(handle, eventsTable, prefix, limit, this.deps.report);
  }

  /** The user id of each of these file rows (the events table's row_number), for listing changed users. */
  async usersOfRows(rows: readonly number[]): Promise<Map<number, string>> {
    const { handle, dataset } = this.deps.model();
    return handle && dataset ? usersOfRows(handle, dataset, rows, this.deps.report) : new Map();
  }

  /** The most active users, by events or by sessions at the result on screen. */
  async topUsers(by: 'events' | 'sessions', limit = 10): Promise<{ key: string; rows: TopUserRow[] }> {
    const { handle, result } = this.deps.model();
    return handle && result ? topUsers(handle, result, by, limit, this.deps.report) : { key: '', rows: [] };
  }

  /** The users the result on screen leaves out, most events first. */
  async excludedUsers(limit = 10): Promise<{ key: string; rows: ExcludedUserRow[] }> {
    const { handle, result } = this.deps.model();
    return handle && result ? excludedUsers(handle, result, limit, this.deps.report) : { key: '', rows: [] };
  }

  /** What the engine holds now: tables and bytes, for the memory checks of the tests. */
  async engineFootprint(): Promise<{ tables: number; bytes: number }> {
    await this.tablesReady();
    const engine = await this.deps.engine;
    const [row] = await engine.query<{ tables: number; bytes: number }>(engineFootprintSql());
    return { tables: row?.tables ?? 0, bytes: row?.bytes ?? 0 };
  }
}
