import type { Engine } from '../engine/engine';
import { dropTableSql } from '../sql/read-sql';
import type { RawTable } from './raw-table';

/*
 * DuckDB's reading of a quick-read file into its raw table, started before the dataset's SQL
 * side asks for it: once the stats worker has parsed the rows, it sorts them and computes
 * the first figures on one core, and DuckDB reads the file on the other meanwhile. The
 * reading has exactly one end: the SQL side takes the table (take), or whoever lets the
 * dataset go discards it (discard), which drops the table once it is read; a DuckDB
 * statement cannot be stopped half-way, so that is the only way nothing is left behind.
 */
export class EarlyRawRead {
  private settled: 'open' | 'taken' | 'discarded' = 'open';

  constructor(
    private readonly engine: Engine,
    private readonly reading: Promise<RawTable>,
  ) {
    // A failure is for the taker (the SQL side reports it); never unhandled.
    reading.catch(() => {});
  }

  /** The raw table, now the caller's to drop. */
  take(): Promise<RawTable> {
    if (this.settled !== 'open') throw new Error(`the early reading of a raw table was already ${this.settled}`);
    this.settled = 'taken';
    return this.reading;
  }

  /** Lets the reading go: resolves once it has ended and its table is dropped. A no-op once taken. */
  async discard(): Promise<void> {
    if (this.settled !== 'open') return;
    this.settled = 'discarded';
    const raw = await this.reading.catch(() => null);
    if (raw) await this.engine.exec(dropTableSql(raw.table));
  }
}
