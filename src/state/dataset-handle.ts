import type { Engine } from '../engine/engine';
import { onlyGapRule, rulesKey } from '../domain/rules';
import { minutesToUs } from '../domain/threshold';
import { dropTableSql } from '../sql/read-sql';
import { dropViewSql } from '../sql/exclude-sql';
import type { StatsEngine } from '../stats/stats-engine';
import type { ColumnProfile } from '../domain/types';
import type { RawTable } from './raw-table';
import { SharedCache } from './shared-cache';
import type { TableLedger } from './table-ledger';
import type { KeptEvents, SessionResult } from './types';
import type { OrderedEvents } from './export-tables';

/*
 * One loaded dataset and everything it owns: its DuckDB tables and the stats worker's
 * columns (both held through the ledger, so tables shared with another dataset survive),
 * the session-number tables made for exports and timelines, and, for a file the stats
 * worker read itself, DuckDB's reading of it (the "SQL side"), which may still be under
 * way. Everything that queries its tables goes through `withSql`, which keeps them alive
 * until the query ends; `dispose` waits for those, then lets go of everything, once.
 */

/** What DuckDB holds for the dataset, once it holds it. */
export interface SqlSide {
  raw: RawTable;
  /**
   * The raw table's column profiles: the mapping panel's evidence, and what a new timestamp
   * column's format is guessed from. A quick read's are made just after its tables, which do not
   * wait for them (quick-sql-side.ts).
   */
  profiles: Promise<ColumnProfile[]>;
}

export class DatasetDisposedError extends Error {
  constructor(fileName: string) {
    super(`${fileName} is no longer loaded`);
    this.name = 'DatasetDisposedError';
  }
}

/** DuckDB has no tables for the dataset (it could not read the file the stats worker read). */
export class TablesUnavailableError extends Error {
  constructor(reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason), { cause: reason });
    this.name = 'TablesUnavailableError';
  }
}

let nextSessionTable = 1;

export class DatasetHandle {
  /** Settles when DuckDB holds the tables, or rejects with why it does not. */
  readonly sql: Promise<SqlSide>;
  private users = 0;
  private idle: (() => void) | null = null;
  private disposing: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private startSql: (() => void) | null = null;
  private readonly sessionTables: SharedCache<string>;
  /** The events in export order (exports.ts), per events table: made at the first events export, kept for the next. */
  private readonly orderedEvents: SharedCache<OrderedEvents>;
  /** Views over the dataset's tables, made when SQL first needs them (the kept events of a user filter). */
  private readonly derived = new Map<string, { sql: (side: SqlSide) => string; made: Promise<void> | null }>();
  /** What each user filter keeps, by filter key: made once, shared by every view. */
  readonly keptEvents = new Map<string, Promise<KeptEvents>>();

  /**
   * `names`: the tables and stats keys this dataset holds (retained here). `buildSql`, for
   * a dataset whose tables DuckDB has yet to make, runs when `showSql` is called (once the
   * dataset is on screen: DuckDB then does not compete with the figures) and registers
   * what it creates in `created`.
   */
  constructor(
    /** The dataset's file (for messages) and events table (the stats worker's key). */
    readonly label: { fileName: string; eventsTable: string },
    private readonly engine: Engine,
    private readonly stats: StatsEngine,
    private readonly ledger: TableLedger,
    private readonly names: string[],
    sql: SqlSide | ((signal: AbortSignal, created: string[]) => Promise<SqlSide>),
    /** DuckDB's work on `names` under way, if any (a quick read's raw table): dispose drops them once it ends. */
    private readonly underWay: () => Promise<unknown> | null = () => null,
  ) {
    ledger.retain(names);
    this.tablesMade = typeof sql !== 'function';
    if (typeof sql === 'function') {
      this.sql = new Promise<void>((resolve) => {
        this.startSql = resolve;
      }).then(() => this.buildSql(sql));
    } else {
      this.sql = Promise.resolve(sql);
    }
    // A failure is a value for whoever asks (the store shows it); never unhandled.
    this.sql.catch(() => {});
    this.sessionTables = new SharedCache((table) => engine.exec(dropTableSql(table)));
    this.orderedEvents = new SharedCache((ordered) => engine.exec(dropTableSql(ordered.table)), 1);
  }

  /** Whether DuckDB's tables were there when the dataset was made (else `sql` makes them). */
  readonly tablesMade: boolean;

  /** Takes over tables made for this dataset after it was (a late file's changed sessions). */
  adopt(names: string[]): void {
    this.ledger.retain(names);
    this.names.push(...names);
  }

  /** Starts DuckDB's reading of the file (a no-op when it holds it already). */
  showSql(): void {
    this.startSql?.();
    this.startSql = null;
  }

  /** Runs `use` on the engine once the tables exist; they stay until it ends. */
  async withSql<T>(use: (engine: Engine, side: SqlSide) => Promise<T>): Promise<T> {
    this.enter();
    try {
      this.showSql();
      const side = await this.sql.catch((error: unknown) => {
        throw error instanceof DatasetDisposedError ? error : new TablesUnavailableError(error);
      });
      await this.makeDerived(side);
      return await use(this.engine, side);
    } finally {
      this.leave();
    }
  }

  /**
   * Registers a view that `sql` makes over the dataset's tables, once DuckDB holds them and
   * a query first needs them; dropped with the dataset. A view holds no rows, so however
   * many filters a person tries, DuckDB's memory does not grow with them.
   */
  deriveView(name: string, sql: (side: SqlSide) => string): void {
    // Once disposing, a view registered here would never be dropped (nor the worker's copy under its name).
    if (this.disposing) throw new DatasetDisposedError(this.label.fileName);
    if (this.derived.has(name)) return;
    this.derived.set(name, { sql, made: null });
  }

  private async makeDerived(side: SqlSide): Promise<void> {
    for (const entry of this.derived.values()) {
      entry.made ??= this.engine.exec(entry.sql(side)).catch((error: unknown) => {
        // The next query tries again rather than keeping a failure forever.
        entry.made = null;
        throw error;
      });
      await entry.made;
    }
  }

  /**
   * Runs `use` with the (row_number, session_number) table of `result`, made from the stats
   * worker's numbering (shared by every caller of the same result; null for the gap rule
   * alone, which SQL numbers itself).
   */
  withSessionTable<T>(
    result: SessionResult,
    use: (engine: Engine, table: string | null, side: SqlSide) => Promise<T>,
    /** Make the table for the gap rule too: joining it beats SQL's window over every event (the exports). */
    always = false,
  ): Promise<T> {
    return this.withSql(async (engine, side) => {
      if (onlyGapRule(result.rules) && !always) return use(engine, null, side);
      const key = `${result.gapMinutes}|${rulesKey(result.rules)}`;
      return this.sessionTables.use(
        key,
        () => this.makeSessionTable(result),
        (table) => use(engine, table, side),
      );
    });
  }

  /**
   * Runs `use` with the table `make(name)` makes of `eventsTable`'s events in export
   * order; it does not depend on the threshold, so it is made once and kept (one at a time).
   */
  withOrderedEvents<T>(eventsTable: string, make: (name: string) => Promise<OrderedEvents>, use: (ordered: OrderedEvents) => Promise<T>): Promise<T> {
    return this.orderedEvents.use(
      eventsTable,
      async () => {
        const table = `ordered_events_${nextSessionTable++}`;
        const start = performance.now();
        try {
          const ordered = await make(table);
          performance.measure('export:ordered events', { start, end: performance.now() });
          return ordered;
        } catch (error) {
          await this.engine.exec(dropTableSql(table));
          throw error;
        }
      },
      use,
    );
  }

  /** Releases the tables and worker columns, after every query on them has ended. Idempotent. */
  dispose(): Promise<void> {
    this.disposing ??= this.release();
    return this.disposing;
  }

  get disposed(): boolean {
    return this.disposing !== null;
  }

  private async release(): Promise<void> {
    this.abort.abort();
    // A SQL side never started now starts only to say it was abandoned.
    this.showSql();
    if (this.users > 0)
      await new Promise<void>((resolve) => {
        this.idle = resolve;
      });
    await this.sessionTables.clear();
    await this.orderedEvents.clear();
    // The views first: they read the tables the ledger may drop. The stats worker holds the
    // kept events under the views' names.
    const views = [...this.derived.keys()];
    this.derived.clear();
    for (const view of views) await this.stats.release(view);
    if (views.length > 0) await this.engine.exec(views.map(dropViewSql).join(';\n'));
    // A table still being made would be dropped before it is made, and stay.
    await this.underWay()?.catch(() => {});
    await this.ledger.release(this.names);
  }

  private enter(): void {
    if (this.disposing) throw new DatasetDisposedError(this.label.fileName);
    this.users++;
  }

  private leave(): void {
    this.users--;
    if (this.users === 0) this.idle?.();
  }

  private async buildSql(build: (signal: AbortSignal, created: string[]) => Promise<SqlSide>): Promise<SqlSide> {
    const created: string[] = [];
    this.abort.signal.throwIfAborted();
    this.enter();
    try {
      const side = await build(this.abort.signal, created);
      this.abort.signal.throwIfAborted();
      this.ledger.retain(created);
      this.names.push(...created);
      return side;
    } finally {
      await this.ledger.sweep(created);
      this.leave();
    }
  }

  private async makeSessionTable(result: SessionResult): Promise<string> {
    const table = `session_numbers_${nextSessionTable++}`;
    const start = performance.now();
    const ipc = await this.stats.sessionNumbersIpc(this.label.eventsTable, minutesToUs(result.gapMinutes), result.rules);
    try {
      await this.engine.insertArrowIpc(table, ipc, true);
      performance.measure('session table', { start, end: performance.now() });
    } catch (error) {
      await this.engine.exec(dropTableSql(table));
      throw error;
    }
    return table;
  }
}
