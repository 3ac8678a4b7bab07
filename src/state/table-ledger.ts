/*
 * Who holds which DuckDB table (and the stats worker's columns under the same name).
 * Datasets share tables (a mapping change keeps the raw table), so a table is dropped when
 * its last holder lets go, never while another still reads it. A job registers what it
 * creates; when it ends, whatever no dataset retained is dropped: the one cleanup path for
 * success, failure and abandonment alike.
 */

export type DropNames = (names: string[]) => Promise<void>;

export class TableLedger {
  private readonly holders = new Map<string, number>();

  constructor(private readonly dropNames: DropNames) {}

  retain(names: Iterable<string>): void {
    for (const name of names) this.holders.set(name, (this.holders.get(name) ?? 0) + 1);
  }

  /** Lets go of `names`; those no one holds any more are dropped. */
  async release(names: Iterable<string>): Promise<void> {
    const dropped: string[] = [];
    for (const name of names) {
      const left = (this.holders.get(name) ?? 0) - 1;
      if (left > 0) this.holders.set(name, left);
      else {
        this.holders.delete(name);
        dropped.push(name);
      }
    }
    if (dropped.length > 0) await this.dropNames(dropped);
  }

  /** Drops those of `names` (made by a job that has ended) that no one retained. */
  async sweep(names: Iterable<string>): Promise<void> {
    const orphans = [...new Set(names)].filter((name) => !this.holders.has(name));
    if (orphans.length > 0) await this.dropNames(orphans);
  }

  /** Whether anyone holds `name` (for tests: nothing is used after it is dropped). */
  holds(name: string): boolean {
    return this.holders.has(name);
  }
}
